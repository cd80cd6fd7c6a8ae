// PS106 linear-search-in-loop: for each outer item, an inner loop looks for the items equal
// to it by some key (`for y in ys: if y.id == x.id`). Documentation: PS106.md beside this file.
#include <fmt/format.h>

#include "loop_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

using nested_loops::NestShape;

class LinearSearchInLoop final : public Rule {
 public:
  LinearSearchInLoop()
      : Rule({"PS106", "linear-search-in-loop", Category::nested_loops, Severity::medium,
              "Linear search by key inside a loop: a dict keyed once would find it in O(1)"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement", "for_in_clause"};
  }

  void check(Node loop, Context& ctx) const override {
    std::optional<nested_loops::NestedLoop> nest =
        nested_loops::nest_of_shape(ctx, loop, NestShape::linear_search);
    if (!nest) return;
    const std::string& inner = nest->inner_name;
    const std::string& outer = nest->outer_name;
    std::string inner_key = short_text(ctx, nest->inner_key, 30);
    std::string item = short_text(ctx, loop.field("left"), 20);
    ctx.report(*this, nested_loops::loop_header(loop),
               fmt::format("Linear search of `{}` for each item of `{}` (`{}`): O(|{}| × |{}|) "
                           "comparisons",
                           inner, outer, short_text(ctx, nest->comparison), outer, inner),
               fmt::format("build a dict keyed by `{}` once, before the loop over `{}` "
                           "(`by_key = {{{}: {} for {} in {}}}`, or a dict of lists when keys "
                           "repeat), then look up `{}`: O(|{}| + |{}|)",
                           inner_key, outer, inner_key, item, item, inner,
                           short_text(ctx, nest->outer_key, 30), outer, inner),
               nested_loops::nest_severity(ctx, *nest, loop.field("right")));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps106_linear_search_in_loop() {
  return std::make_unique<LinearSearchInLoop>();
}

}  // namespace perfscan
