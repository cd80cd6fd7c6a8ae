// PS504 asyncio-run-in-loop-or-async: `asyncio.run()` (or `loop.run_until_complete()`) called
// from inside a running event loop, or `asyncio.run()` once per loop iteration.
// Documentation: PS504.md beside this file.
#include <fmt/format.h>

#include "async/async_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/node_kinds.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class AsyncioRunInLoopOrAsync final : public Rule {
 public:
  AsyncioRunInLoopOrAsync()
      : Rule({"PS504", "asyncio-run-in-loop-or-async", Category::async, Severity::high,
              "asyncio.run / run_until_complete inside an async function or once per loop "
              "iteration"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    Node function = call.field("function");
    bool run_until_complete =
        kinds::attribute.matches(function) && ctx.text(function.field("attribute")) == "run_until_complete";
    std::string callee;
    if (!run_until_complete) {
      if (!may_be_named(ctx, function, {"run"})) return;
      callee = ctx.callee_name(call);
      if (callee != "asyncio.run" && callee != "anyio.run" && callee != "trio.run") return;
    } else {
      callee = "run_until_complete";
    }
    if (expects_exception(ctx)) return;  // a test that checks the call fails
    if (ctx.in_async_function()) {
      ctx.report(*this, call,
                 fmt::format("`{}` starts an event loop from inside async function `{}`, where "
                             "one is already running: it raises RuntimeError, or blocks the "
                             "running loop until the inner one finishes",
                             callee, enclosing_function_name(ctx)),
                 "`await` the coroutine directly (or `asyncio.create_task` it to run "
                 "concurrently)");
      return;
    }
    // Re-running an existing loop per iteration is cheap; asyncio.run() builds and tears
    // down a whole event loop (and its executor) each time.
    if (run_until_complete || ctx.loops().empty()) return;
    const LoopFrame& loop = ctx.loops().back();
    if (loop.kind != LoopKind::while_loop &&
        ctx.collection_size(loop.iterable) == CollectionSize::bounded) {
      return;
    }
    ctx.report(*this, call,
               fmt::format("`{}` creates and closes a new event loop on every iteration of the "
                           "loop over `{}`, and the iterations cannot overlap",
                           callee, short_text(ctx, ctx.loops().back().iterable)),
               "call `asyncio.run()` once, around an async function that loops (and can "
               "`asyncio.gather` the per-item work)",
               Severity::medium);
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps504_asyncio_run_in_loop_or_async() {
  return std::make_unique<AsyncioRunInLoopOrAsync>();
}

}  // namespace perfscan
