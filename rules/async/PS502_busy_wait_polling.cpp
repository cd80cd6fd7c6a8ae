// PS502 busy-wait-polling: a `while` loop in an async function that only sleeps and checks a
// condition. Documentation: PS502.md beside this file.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "async/async_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class BusyWaitPolling final : public Rule {
 public:
  BusyWaitPolling()
      : Rule({"PS502", "busy-wait-polling", Category::async, Severity::medium,
              "Async loop that polls a condition with sleep instead of waiting on an event"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"while_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    if (!ctx.in_async_function() || loop.field("alternative")) return;
    Node condition = loop.field("condition");
    Node body = loop.field("body");
    if (!condition || !body || contains_await(condition)) return;
    Shape shape = body_shape(ctx, body, identifiers_in(ctx, condition));
    if (!shape.only_polls || shape.sleeps == 0) return;
    // `while True:` must have a way out that checks the state.
    bool constant_condition = condition.is("true") || condition.is("integer");
    if (constant_condition && shape.exits == 0) return;
    std::string polled = constant_condition ? short_text(ctx, shape.last_exit_condition)
                                            : short_text(ctx, condition);
    ctx.report(*this, loop,
               fmt::format("This loop wakes up on a timer to re-check `{}`: it burns wake-ups "
                           "while nothing changes, and reacts only at the next tick when "
                           "something does",
                           polled),
               "wait for the change instead: an `asyncio.Event` (`await event.wait()`) or "
               "`asyncio.Condition` set by the code that changes the state, or await the "
               "task/future itself");
  }

 private:
  struct Shape {
    bool only_polls = true;
    int sleeps = 0;
    int exits = 0;
    Node last_exit_condition;
  };

  static bool contains_await(Node expr) {
    for (Node node : nodes_in_same_frame(expr, 512)) {
      if (node.is("await")) return true;
    }
    return false;
  }

  // `done = jobs.get(id, {}).get("done")`: re-reads, without awaiting, a name the loop
  // condition tests.
  static bool refreshes_polled_state(const Context& ctx, Node expr,
                                     const std::vector<std::string_view>& polled_names) {
    if (!expr || !expr.is("assignment")) return false;
    Node target = expr.field("left");
    Node value = expr.field("right");
    if (!target || !target.is("identifier") || !value || contains_await(value)) return false;
    return std::find(polled_names.begin(), polled_names.end(), ctx.text(target)) !=
           polled_names.end();
  }

  // Every statement is a sleep, `pass`/`continue`, `if <cond>: break/return` with no await in
  // the condition, or a re-read of the polled state. Anything else is work done per
  // iteration: not a pure poll.
  static Shape body_shape(const Context& ctx, Node body,
                          const std::vector<std::string_view>& polled_names) {
    Shape shape;
    for (uint32_t i = 0, n = body.named_child_count(); i < n && shape.only_polls; ++i) {
      Node statement = body.named_child(i);
      if (statement.is("comment") || statement.is("pass_statement") ||
          statement.is("continue_statement")) {
        continue;
      }
      if (statement.is("expression_statement")) {
        Node expr = statement.named_child(0);
        if (refreshes_polled_state(ctx, expr, polled_names)) continue;
        bool is_sleep = expr && expr.is("await") && is_async_sleep_call(ctx, awaited_call(expr));
        shape.only_polls = is_sleep && statement.named_child_count() == 1;
        shape.sleeps += is_sleep ? 1 : 0;
        continue;
      }
      if (statement.is("if_statement") && is_exit_check(statement)) {
        ++shape.exits;
        shape.last_exit_condition = statement.field("condition");
        continue;
      }
      shape.only_polls = false;
    }
    return shape;
  }

  static bool is_exit_check(Node if_statement) {
    if (if_statement.field("alternative")) return false;
    Node condition = if_statement.field("condition");
    Node consequence = if_statement.field("consequence");
    if (!condition || contains_await(condition) || !consequence) return false;
    if (consequence.named_child_count() != 1) return false;
    Node exit = consequence.named_child(0);
    return exit.is("break_statement") || exit.is("return_statement");
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps502_busy_wait_polling() { return std::make_unique<BusyWaitPolling>(); }

}  // namespace perfscan
