// PS205 query-through-helper-in-loop: a loop calls a project function that (directly or
// through the functions it calls, in any module) runs a query or remote call.
// Documentation: PS205.md beside this file.
#include <fmt/format.h>

#include "knowledge.hpp"
#include "loop_context.hpp"
#include "perfscan/context.hpp"
#include "perfscan/project.hpp"
#include "perfscan/rule.hpp"
#include "query_shapes.hpp"

namespace perfscan {
namespace {

class QueryThroughHelperInLoop final : public Rule, public ProjectRule {
 public:
  QueryThroughHelperInLoop()
      : Rule({"PS205", "query-through-helper-in-loop", Category::n_plus_one, Severity::high,
              "Loop calls a project function that runs a query or remote call"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    if (ctx.loops().empty()) return;
    Node function = call.field("function");
    if (!function.is("identifier") && !function.is("attribute")) return;
    std::string callee = resolved_callee(ctx, call);
    if (callee.empty() || callee.starts_with("builtins.")) return;
    // Direct queries and remote calls are PS201/PS203/PS204's.
    if (classify_call(ctx, call).any()) return;
    PerIteration per = per_iteration(ctx, call);
    if (!per.applies()) return;
    PendingFinding& pending = report_pending(*this, call, ctx, per.severity());
    pending.subject = std::move(callee);
    pending.finding.message = loop_description(ctx, *per.innermost) + per.severity_reason();
  }

  void link(const ProjectIndex& index, std::vector<Finding>& findings) const override {
    for_each_pending(index, info().id, [&](const FileFacts& file, const PendingFinding& pending) {
      std::optional<EffectOrigin> origin = index.effect_of(pending.subject);
      if (!origin) return;
      Finding finding = confirmed(*this, file, pending);
      std::string function = short_api(pending.subject);
      std::string where = fmt::format("{}:{}", origin->path, origin->line);
      std::string through = origin->via.empty() ? std::string{} : fmt::format(" (through `{}`)", short_api(origin->via));
      std::string_view what = origin->is_remote ? "a remote call" : "a query";
      finding.message = fmt::format("`{}()` runs {} ({} at {}{}) and is called on every iteration of {}", function,
                                    what, origin->effect, where, through, pending.finding.message);
      finding.suggestion = fmt::format(
          "give `{}` a batched variant that takes all the keys and runs one query (`filter(<key>__in=keys)` / "
          "`where(col.in_(keys))` / one bulk request), call it once before the loop, and look results up in a dict",
          function);
      findings.push_back(std::move(finding));
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps205_query_through_helper_in_loop() {
  return std::make_unique<QueryThroughHelperInLoop>();
}

}  // namespace perfscan
