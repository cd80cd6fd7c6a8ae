// The hidden rule that records, for the link step, the calls an async function makes directly
// whose effect depends on another module: a sync project function that may block (PS309), or a
// method of an object typed only through other modules' facts (`s = make_session()` imported,
// `self.session` assigned in a base class elsewhere), which PS301–PS308 resolve with the
// project's types (ProjectIndex::resolve_type_expression). One pending record per call site,
// shared by those rules.
#include "blocking_io/blocking_call_rule.hpp"
#include "n_plus_one/query_shapes.hpp"
#include "perfscan/node_kinds.hpp"
#include "perfscan/project.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

bool is_awaited(Node call) {
  Node parent = call.parent();
  while (parent && kinds::parenthesized_expression.matches(parent)) parent = parent.parent();
  return parent && parent.is("await");
}

class AsyncCallSiteCollector final : public Rule {
 public:
  AsyncCallSiteCollector()
      : Rule({std::string_view(kAsyncCallSite), "async-call-sites", Category::blocking_io, Severity::high,
              "Records the calls async functions make, for the link step"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    const ExecutionFrame* function = ctx.function();
    if (function == nullptr || function->kind != FrameKind::function || !function->is_async) return;
    if (is_awaited(call)) return;
    Node target = call.field("function");
    if (!kinds::identifier.matches(target) && !kinds::attribute.matches(target)) return;
    std::string callee = ctx.deferred_callee(call);
    if (callee.empty() || callee.starts_with("builtins.")) return;
    // A call the table already knows is a PS3xx finding of its own, made in the walk.
    if (match_blocking_call(ctx, call)) return;
    bool in_loop = !ctx.loops().empty();
    PendingFinding& pending = report_pending(*this, call, ctx, Severity::high);
    pending.subject = std::move(callee);
    pending.detail = short_text(ctx, target, 40);
    pending.loop_line = in_loop ? ctx.loops().back().node.line() : 0;
    Node arguments = call.field("arguments");
    Node first = arguments && arguments.named_child_count() > 0 ? arguments.named_child(0) : Node{};
    pending.no_arguments = !first;
    if (first) pending.first_argument = std::string(ctx.text(first).substr(0, 40));
  }
};

}  // namespace

const Rule& async_call_site_collector() {
  static const AsyncCallSiteCollector collector;
  return collector;
}

}  // namespace perfscan
