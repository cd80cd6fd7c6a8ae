// PS105 index-loop-join: `for i in range(len(a)): for j in range(len(b)): if a[i] == b[j]`,
// a join written as two index loops. Documentation: PS105.md beside this file.
#include <fmt/format.h>

#include "loop_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

using nested_loops::NestShape;

class IndexLoopJoin final : public Rule {
 public:
  IndexLoopJoin()
      : Rule({"PS105", "index-loop-join", Category::nested_loops, Severity::medium,
              "Nested index loops matching `a[i] == b[j]`: a join done pair by pair"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    std::optional<nested_loops::NestedLoop> nest =
        nested_loops::nest_of_shape(ctx, loop, NestShape::index_join);
    if (!nest) return;
    const std::string& inner = nest->inner_name;
    const std::string& outer = nest->outer_name;
    ctx.report(*this, nested_loops::loop_header(loop),
               fmt::format("Index loops over `{}` and `{}` match items pair by pair (`{}`): "
                           "O(|{}| × |{}|) comparisons",
                           outer, inner, short_text(ctx, nest->comparison), outer, inner),
               fmt::format("index `{0}` once by value (`positions = {{v: j for j, v in "
                           "enumerate({0})}}`, or a dict of lists when values repeat) and look "
                           "each item of `{1}` up: O(|{1}| + |{0}|)",
                           inner, outer),
               nested_loops::nest_severity(ctx, *nest, loop.field("right")));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps105_index_loop_join() { return std::make_unique<IndexLoopJoin>(); }

}  // namespace perfscan
