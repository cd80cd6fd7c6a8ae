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
    // One wait, and nothing else done per turn: a poll. Two sleeps pace a sequence of steps.
    if (!shape.only_polls || shape.waits != 1) return;
    // `while True:` must have a way out that checks the state.
    bool constant_condition = condition.is("true") || condition.is("integer");
    if (constant_condition && shape.exits == 0) return;
    Node polled = constant_condition ? shape.last_exit_condition : condition;
    // The clock (`time.monotonic() < deadline`) or the outside world (`os.path.exists(p)`):
    // nothing in the program sets it, so there is no event to wait on instead.
    if (reads_outside_world(ctx, polled)) return;
    std::string what = short_text(ctx, polled);
    ctx.report(*this, loop,
               shape.spins
                   ? fmt::format("This loop yields and re-checks `{}` on every turn of the event "
                                 "loop: it keeps a core busy while nothing changes",
                                 what)
                   : fmt::format("This loop wakes up on a timer to re-check `{}`: it burns "
                                 "wake-ups while nothing changes, and reacts only at the next "
                                 "tick when something does",
                                 what),
               "wait for the change instead: an `asyncio.Event` (`await event.wait()`) or "
               "`asyncio.Condition` set by the code that changes the state (a `trio.Event` / "
               "`anyio.Event` there), or await the task/future itself");
  }

 private:
  struct Shape {
    bool only_polls = true;
    int waits = 0;       // sleeps and checkpoints
    bool spins = false;  // the wait is `sleep(0)` or a checkpoint: no timer at all
    int exits = 0;
    Node last_exit_condition;
  };

  // A call in the condition to a module-level function other than a builtin: the clock, the
  // file system, another process. (Methods of objects, `task.done()`, `event.is_set()`, read
  // state the program itself changes.)
  static bool reads_outside_world(const Context& ctx, Node condition) {
    for (Node node : nodes_in_same_frame(condition, 512)) {
      if (!node.is("call")) continue;
      std::string name = ctx.qualified_name(node.field("function"));
      if (!name.empty() && !name.starts_with("builtins.")) return true;
    }
    return false;
  }

  // `await asyncio.sleep(...)` (also anyio/trio), or `await trio.lowlevel.checkpoint()` /
  // `anyio.lowlevel.checkpoint()`, which yield without a timer. Sets `spins` for the latter and
  // for `sleep(0)`.
  static bool is_wait(const Context& ctx, Node expr, bool& spins) {
    if (!expr || !expr.is("await")) return false;
    Node call = awaited_call(expr);
    if (is_async_sleep_call(ctx, call)) {
      std::string_view seconds = ctx.text(first_argument(call));
      spins = seconds == "0" || seconds == "0.0";
      return true;
    }
    std::string callee = call ? ctx.callee_name(call) : std::string{};
    spins = callee == "trio.lowlevel.checkpoint" || callee == "anyio.lowlevel.checkpoint";
    return spins;
  }

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
        bool spins = false;
        bool waits = is_wait(ctx, expr, spins);
        shape.only_polls = waits && statement.named_child_count() == 1;
        shape.waits += waits ? 1 : 0;
        shape.spins = shape.spins || spins;
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
