// PS101 nested-loop: a loop over one collection nested in a loop over another, independent
// one. Documentation: PS101.md beside this file.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class NestedLoop final : public Rule {
 public:
  NestedLoop()
      : Rule({"PS101", "nested-loop", Category::nested_loops, Severity::medium,
              "Loop over a collection nested in a loop over an independent collection"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement", "for_in_clause"};
  }

  void check(Node loop, Context& ctx) const override {
    Node iterable = loop.field("right");
    if (!iterable || is_constant_bounded(ctx, iterable)) return;
    std::vector<const LoopFrame*> outer = independent_outer_loops(ctx, iterable);
    if (outer.empty()) return;
    std::size_t depth = outer.size() + 1;
    ctx.report(*this, loop_header(loop), message(ctx, outer, iterable), suggestion(ctx, outer),
               depth >= 3 ? Severity::high : Severity::medium);
  }

 private:
  // Enclosing loops over collections whose size does not bound this loop's: the inner
  // iterable mentions none of the names they bind. `for row in rows: for cell in row` walks
  // each cell once (linear); `for a in A: for b in B` walks |A| x |B| pairs.
  static std::vector<const LoopFrame*> independent_outer_loops(const Context& ctx, Node iterable) {
    std::vector<std::string_view> names = identifiers_in(ctx, iterable);
    std::vector<const LoopFrame*> outer;
    for (const LoopFrame& frame : ctx.loops()) {
      if (frame.kind == LoopKind::while_loop || is_constant_bounded(ctx, frame.iterable)) continue;
      if (!depends_on_loop(ctx, names, frame)) outer.push_back(&frame);
    }
    return outer;
  }

  static bool depends_on_loop(const Context& ctx, const std::vector<std::string_view>& names,
                              const LoopFrame& frame) {
    for (std::string_view name : names) {
      const Binding* binding = ctx.lookup(name);
      if (binding != nullptr && binding->node && frame.node.contains(binding->node)) return true;
    }
    return false;
  }

  // The part of the loop worth underlining: `for x in xs` without the body.
  static Node loop_header(Node loop) {
    return loop.is("for_statement") ? loop.field("right") : loop;
  }

  static std::string message(const Context& ctx, const std::vector<const LoopFrame*>& outer,
                             Node iterable) {
    std::string inner = short_text(ctx, iterable);
    std::vector<std::string> names;
    for (const LoopFrame* frame : outer) names.push_back(fmt::format("`{}`", short_text(ctx, frame->iterable)));
    std::string cost;
    for (const LoopFrame* frame : outer) cost += fmt::format("len({}) × ", short_text(ctx, frame->iterable));
    if (outer.size() == 1) {
      return fmt::format("Loop over `{}` nested inside a loop over {}: O({}len({})) iterations",
                         inner, names.front(), cost, inner);
    }
    return fmt::format("Loop over `{}` nested {} deep inside loops over {}: O({}len({})) iterations",
                       inner, outer.size() + 1, fmt::join(names, ", "), cost, inner);
  }

  static std::string suggestion(const Context& ctx, const std::vector<const LoopFrame*>& outer) {
    return fmt::format(
        "if the inner loop searches for matches, index it once before the loop over `{}` "
        "(e.g. `by_key = {{key(y): y for y in ...}}`, then `by_key.get(key(x))`) for O(n + m); "
        "if every pair is needed, keep it but bound the inputs",
        short_text(ctx, outer.front()->iterable));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps101_nested_loop() { return std::make_unique<NestedLoop>(); }

}  // namespace perfscan
