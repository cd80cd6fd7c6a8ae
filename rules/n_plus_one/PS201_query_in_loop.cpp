// PS201 query-in-loop: a database query executed once per iteration of a loop.
// Documentation: PS201.md beside this file.
#include <fmt/format.h>

#include "knowledge.hpp"
#include "loop_context.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "query_shapes.hpp"

namespace perfscan {
namespace {

class QueryInLoop final : public Rule {
 public:
  QueryInLoop()
      : Rule({"PS201", "query-in-loop", Category::n_plus_one, Severity::high,
              "Database query executed on every iteration of a loop (N+1 queries)"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    if (ctx.loops().empty()) return;
    CallEffect effect = classify_call(ctx, call);
    if (effect.kind != EffectKind::read && effect.kind != EffectKind::lazy_query) return;
    // One finding per method chain: the outermost call that the tables recognise.
    Node outer = outermost_chain_call(call);
    if (!(outer == call) && classify_call(ctx, outer).any()) return;
    if (effect.kind == EffectKind::lazy_query && !is_evaluated_in_place(ctx, outer)) return;
    if (is_already_batched(ctx.text(outer)) || !runs_same_statement_each_time(ctx, call, effect)) return;
    PerIteration per = per_iteration(ctx, call);
    if (!per.applies()) return;
    ctx.report(*this, call,
               fmt::format("`{}` runs a database query on every iteration of {}{}", effect.api,
                           loop_description(ctx, *per.innermost), per.severity_reason()),
               batched_form(effect), per.severity());
  }

 private:
  // `filter(id__in=chunk)`, `col.in_(chunk)`, `{"$in": chunk}`: the loop already walks
  // batches, one query per batch is the fix, not the problem.
  static bool is_already_batched(std::string_view text) {
    return text.find("__in=") != std::string_view::npos || text.find(".in_bulk(") != std::string_view::npos || text.find(".in_(") != std::string_view::npos ||
           text.find("$in") != std::string_view::npos || text.find("ANY(") != std::string_view::npos ||
           text.find(" IN ") != std::string_view::npos || text.find(" in (") != std::string_view::npos;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps201_query_in_loop() { return std::make_unique<QueryInLoop>(); }

}  // namespace perfscan
