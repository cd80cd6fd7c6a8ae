// PS102 nested-loop-same-collection: a loop over a collection nested in a loop over the same
// collection: every pair is compared. Documentation: PS102.md beside this file.
#include <fmt/format.h>

#include "loop_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

using nested_loops::NestShape;

class NestedLoopSameCollection final : public Rule {
 public:
  NestedLoopSameCollection()
      : Rule({"PS102", "nested-loop-same-collection", Category::nested_loops, Severity::medium,
              "Pairwise walk: a loop over a collection nested in a loop over the same one"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement", "for_in_clause"};
  }

  void check(Node loop, Context& ctx) const override {
    std::optional<nested_loops::NestedLoop> nest =
        nested_loops::nest_of_shape(ctx, loop, NestShape::same_collection);
    if (!nest) return;
    const std::string& name = nest->inner_name;
    ctx.report(*this, nested_loops::loop_header(loop),
               fmt::format("Loop over `{0}` nested inside a loop over `{0}`: every pair is "
                           "visited, O(|{0}|²) iterations",
                           name),
               "to find duplicates or matches, count or index the items once "
               "(`set`, `collections.Counter`, or a dict keyed by what is compared): O(n); to "
               "compare neighbours, sort once and walk adjacent items: O(n log n); if every pair "
               "is really needed, `itertools.combinations` at least halves the work",
               nested_loops::nest_severity(ctx, *nest, loop.field("right")));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps102_nested_loop_same_collection() {
  return std::make_unique<NestedLoopSameCollection>();
}

}  // namespace perfscan
