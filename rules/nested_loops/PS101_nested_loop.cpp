// PS101 nested-loop: a loop over one collection nested in a loop over another, independent
// one. Documentation: PS101.md beside this file.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "loop_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

using nested_loops::classify_nested_loop;
using nested_loops::collection_name;
using nested_loops::loop_header;
using nested_loops::nest_severity;
using nested_loops::NestShape;

class NestedLoop final : public Rule {
 public:
  NestedLoop()
      : Rule({"PS101", "nested-loop", Category::nested_loops, Severity::medium,
              "Loop over a collection nested in a loop over an independent collection"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement", "for_in_clause"};
  }

  void check(Node loop, Context& ctx) const override {
    if (ctx.loops().empty()) return;
    // Pairwise walks, joins and searches are reported by PS102/PS105/PS106 instead.
    nested_loops::NestedLoop nest = classify_nested_loop(ctx, loop);
    if (nest.shape != NestShape::independent) return;
    // Quadratic in the data only when every collection of the nest grows with it: when a
    // size is unknown (a parameter, an attribute), the nest may as well walk a few fields.
    bool all_data = nested_loops::all_data_sized(ctx, nest, loop.field("right"));
    ctx.report(*this, loop_header(loop), message(ctx, nest.outer, loop.field("right"), all_data),
               suggestion(ctx, nest.outer), nest_severity(ctx, nest, loop.field("right")));
  }

 private:
  // "Loop over `customers` nested inside a loop over `orders`: O(|orders| × |customers|)".
  static std::string message(const Context& ctx, const std::vector<const LoopFrame*>& outer,
                             Node iterable, bool all_data) {
    auto name = [&](Node node) { return collection_name(ctx, node); };
    std::vector<std::string> quoted;
    std::vector<std::string> sizes;
    for (const LoopFrame* frame : outer) {
      std::string outer_name = name(frame->iterable);
      quoted.push_back(fmt::format("`{}`", outer_name));
      sizes.push_back(fmt::format("|{}|", outer_name));
    }
    std::string inner_name = name(iterable);
    sizes.push_back(fmt::format("|{}|", inner_name));
    // Says what the sizes are known to be: the cost is quadratic only if all grow.
    std::string_view evidence = all_data ? ", all sized by the data" : "";
    if (outer.size() == 1) {
      return fmt::format("Loop over `{}` nested inside a loop over {}: O({}) iterations{}",
                         inner_name, quoted.front(), fmt::join(sizes, " × "), evidence);
    }
    return fmt::format("Loop over `{}` nested {} deep inside loops over {}: O({}) iterations{}",
                       inner_name, outer.size() + 1, fmt::join(quoted, " and "),
                       fmt::join(sizes, " × "), evidence);
  }

  static std::string suggestion(const Context& ctx, const std::vector<const LoopFrame*>& outer) {
    return fmt::format(
        "if the inner loop searches for matches, index it once before the loop over `{}` "
        "(e.g. `by_key = {{key(y): y for y in ...}}`, then `by_key.get(key(x))`) for O(n + m); "
        "if every pair is needed, keep it but bound the inputs",
        collection_name(ctx, outer.front()->iterable));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps101_nested_loop() { return std::make_unique<NestedLoop>(); }

}  // namespace perfscan
