// Constant work through helpers (constant_work.hpp): the summary recorder, the hidden loop
// call-site collector and the link step shared by PS701 and PS702.
#include "caching/constant_work.hpp"

#include <fmt/format.h>

#include "function_effects.hpp"
#include "loops/loop_helpers.hpp"
#include "n_plus_one/query_shapes.hpp"
#include "perfscan/node_kinds.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// Chains longer than this are shortened in the message (they do not occur in real code).
constexpr int kMaxChainShown = 8;

bool in_except_clause(Node node) {
  for (Node parent = node.parent(); parent; parent = parent.parent()) {
    if (parent.is("except_clause") || parent.is("except_group_clause")) return true;
    if (kinds::function_definition.matches(parent)) return false;
  }
  return false;
}

// Records, for the link step, each call a loop makes to a function other than a builtin or one
// the rules know (those are their own findings), when the loops run it more than a fixed
// number of times. One pending record per call site, shared by PS701 and PS702.
class LoopCallSiteCollector final : public Rule {
 public:
  LoopCallSiteCollector()
      : Rule({std::string_view(kLoopCallSite), "loop-call-sites", Category::caching, Severity::medium,
              "Records the calls loops make, for the link step"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    auto loops = ctx.loops();
    if (loops.empty()) return;
    Node target = call.field("function");
    if (!kinds::identifier.matches(target) && !kinds::attribute.matches(target)) return;
    if (loops::runs_fixed_number_of_times(ctx)) return;
    std::string callee = ctx.deferred_callee(call);
    if (callee.empty() || callee.starts_with("builtins.")) return;
    PendingFinding& pending = report_pending(*this, call, ctx, Severity::medium);
    pending.subject = std::move(callee);
    pending.detail = short_text(ctx, target, 40);
    pending.loop_line = loops.back().node.line();
    // The one-time-path policy is the confirming rule's (the collector's own cost is fixed): keep
    // the path's reason, and where the loops run, for the link step to apply it.
    bool in_while = false;
    for (const LoopFrame& loop : loops) in_while = in_while || loop.kind == LoopKind::while_loop;
    pending.finding.lowered_on = in_while ? std::string() : std::string(ctx.one_time_path());
  }
};

// "`pattern()` → `_compile()`": the project functions from the called one to the one that does
// the work.
std::string chain(const ProjectIndex& index, const std::string& start) {
  std::string text = fmt::format("`{}()`", last_segment(start));
  std::string current = start;
  for (int step = 0; step < kMaxChainShown; ++step) {
    std::optional<CallOrigin> origin = index.constant_work_of(current);
    if (!origin || origin->next.empty()) return text;
    current = origin->next;
    text += fmt::format(" → `{}()`", last_segment(current));
  }
  return text + " → …";
}

}  // namespace

const Rule& loop_call_site_collector() {
  static const LoopCallSiteCollector collector;
  return collector;
}

void record_constant_work(Context& ctx, Node call, std::string work) {
  const ExecutionFrame* function = ctx.function();
  if (function == nullptr || function->kind != FrameKind::function || !ctx.loops().empty()) return;
  if (in_except_clause(call)) return;
  FunctionEffectFact& fact = function_effect_fact(ctx, *function);
  if (!fact.constant_work.empty()) return;
  fact.constant_work = std::move(work);
  fact.constant_work_line = call.line();
}

bool is_regex_work(std::string_view work) { return work.starts_with("re.") || work.starts_with("regex."); }

void link_constant_work(const Rule& rule, bool regex, const ProjectIndex& index, std::vector<Finding>& findings) {
  for_each_pending(index, kLoopCallSite, [&](const FileFacts& file, const PendingFinding& pending) {
    std::string callee = index.defining_function(index.resolve_type_expression(pending.subject));
    std::optional<CallOrigin> origin = index.constant_work_of(callee);
    if (!origin || is_regex_work(origin->call) != regex) return;
    Finding finding = confirmed(rule, file, pending);
    finding.rule_id = std::string(rule.info().id);
    finding.category = rule.info().category;
    finding.severity = rule.info().severity;
    finding.lowered_on.clear();
    if (!pending.finding.lowered_on.empty()) {
      if (auto lowered = lowered_on_one_time_path(rule.traits(), finding.severity, pending.finding.lowered_on,
                                                  LoopPlace::for_loops)) {
        finding.severity = *lowered;
        finding.lowered_on = pending.finding.lowered_on;
      }
    }
    finding.message = fmt::format(
        "`{}()` is called on every iteration of the loop at line {}, and each call {}: {} → `{}` at {}:{}",
        pending.detail, pending.loop_line,
        regex ? "builds a regular expression from its arguments and compiles it (or looks it up in re's cache)"
              : "repeats the same work",
        chain(index, callee), origin->call, origin->path, origin->line);
    finding.suggestion =
        regex ? "compile the patterns once, before the loop or when the values they are built from are known, "
                "and pass the compiled pattern to the helper"
              : "parse the constant once, at module level or with `functools.cache` on the helper, and reuse the "
                "result (copy it if callers mutate it)";
    findings.push_back(std::move(finding));
  });
}

}  // namespace perfscan
