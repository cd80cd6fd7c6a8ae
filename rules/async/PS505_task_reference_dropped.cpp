// PS505 task-reference-dropped: the Task returned by `asyncio.create_task()` (or
// `ensure_future()`, `loop.create_task()`) thrown away in an expression statement.
// Documentation: PS505.md beside this file.
#include <fmt/format.h>

#include "async/async_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class TaskReferenceDropped final : public Rule {
 public:
  TaskReferenceDropped()
      : Rule({"PS505", "task-reference-dropped", Category::async, Severity::high,
              "Task from asyncio.create_task / ensure_future discarded: it can be "
              "garbage-collected mid-flight"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"expression_statement"};
  }

  void check(Node statement, Context& ctx) const override {
    if (statement.named_child_count() != 1) return;
    Node call = statement.named_child(0);
    if (!call.is("call") || expects_exception(ctx)) return;
    std::string spawner = task_spawner(ctx, call);
    if (spawner.empty()) return;
    ctx.report(*this, call,
               fmt::format("The task returned by `{}` is discarded: the event loop keeps only "
                           "a weak reference to it, so it can be garbage-collected before it "
                           "finishes, and its exception is never seen",
                           spawner),
               "keep a reference until it is done: `task = asyncio.create_task(...)`, "
               "`background_tasks.add(task)`, `task.add_done_callback(background_tasks."
               "discard)`; or run it in an `asyncio.TaskGroup`");
  }

 private:
  // The call's name when it spawns a task that nothing else keeps. A TaskGroup's or a
  // nursery's `create_task`/`start_soon` keeps its tasks, so only the module functions and
  // event-loop methods count.
  static std::string task_spawner(const Context& ctx, Node call) {
    if (!may_be_named(ctx, call.field("function"), {"create_task", "ensure_future"})) return {};
    std::string callee = ctx.callee_name(call);
    if (callee == "asyncio.create_task") return callee;
    // ensure_future() of an existing future returns it unchanged; of a call, a new task.
    if (callee == "asyncio.ensure_future") {
      Node argument = first_argument(call);
      return argument && argument.is("call") ? callee : std::string{};
    }
    Node function = call.field("function");
    if (!function.is("attribute") || ctx.text(function.field("attribute")) != "create_task") {
      return {};
    }
    return is_event_loop(ctx, function.field("object"))
               ? fmt::format("{}.create_task", short_text(ctx, function.field("object"), 30))
               : std::string{};
  }

  // An event loop: typed as one (`asyncio.get_running_loop()`, a parameter annotated
  // `AbstractEventLoop`, an attribute assigned one), or, when its type is unknown, named
  // `loop` / `self._loop` / `event_loop`.
  static bool is_event_loop(const Context& ctx, Node receiver) {
    Value value = ctx.infer(receiver);
    if (value.is_known()) return value.is_instance_of("asyncio.AbstractEventLoop");
    std::string name = ctx.receiver_name(receiver);
    return name == "loop" || name == "event_loop";
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps505_task_reference_dropped() {
  return std::make_unique<TaskReferenceDropped>();
}

}  // namespace perfscan
