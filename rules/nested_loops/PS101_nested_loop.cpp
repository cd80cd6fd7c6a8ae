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
    if (ctx.loops().empty() || !iterable || !is_collection(ctx, iterable)) return;
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
      if (frame.kind == LoopKind::while_loop || !is_collection(ctx, frame.iterable)) continue;
      if (depends_on_loop(ctx, names, frame)) continue;
      if (shares_one_iterator(ctx, frame.iterable, iterable)) continue;
      outer.push_back(&frame);
    }
    return outer;
  }

  // `for line in lines: ... for more in lines:` over one iterator (a generator, iter(),
  // map(), an open file) consumes it once between both loops: linear, not pairwise.
  static bool shares_one_iterator(const Context& ctx, Node outer, Node inner) {
    if (!outer.is("identifier") || !inner.is("identifier") || ctx.text(outer) != ctx.text(inner)) {
      return false;
    }
    const Binding* binding = ctx.lookup(ctx.text(inner));
    if (binding == nullptr) return false;
    const Value& value = binding->value;
    if (value.is_instance_of("builtins.open")) return true;
    for (std::string_view iterator : {"builtins.iter", "builtins.map", "builtins.filter",
                                      "builtins.zip", "builtins.enumerate", "builtins.reversed"}) {
      if (value.is_instance_of(iterator)) return true;
    }
    if (binding->kind != BindingKind::assignment || !binding->node.is("assignment")) return false;
    Node assigned = binding->node.field("right");
    return assigned && assigned.is("generator_expression");
  }

  // A loop "over a collection": not one whose size the source fixes, and not a numeric
  // `range(n)`: `for i in range(rows): for j in range(cols)` walks a grid once, while
  // `range(len(xs))` is xs in disguise.
  static bool is_collection(const Context& ctx, Node iterable) {
    if (is_constant_bounded(ctx, iterable)) return false;
    Node walked = underlying_collection(ctx, iterable);
    return !(walked.is("call") && ctx.callee_name(walked) == "builtins.range");
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

  // "Loop over `customers` nested inside a loop over `orders`: O(|orders| × |customers|)".
  static std::string message(const Context& ctx, const std::vector<const LoopFrame*>& outer,
                             Node iterable) {
    auto name = [&](Node node) { return short_text(ctx, underlying_collection(ctx, node)); };
    std::vector<std::string> quoted;
    std::vector<std::string> sizes;
    for (const LoopFrame* frame : outer) {
      std::string outer_name = name(frame->iterable);
      quoted.push_back(fmt::format("`{}`", outer_name));
      sizes.push_back(fmt::format("|{}|", outer_name));
    }
    std::string inner_name = name(iterable);
    sizes.push_back(fmt::format("|{}|", inner_name));
    if (outer.size() == 1) {
      return fmt::format("Loop over `{}` nested inside a loop over {}: O({}) iterations",
                         inner_name, quoted.front(), fmt::join(sizes, " × "));
    }
    return fmt::format("Loop over `{}` nested {} deep inside loops over {}: O({}) iterations",
                       inner_name, outer.size() + 1, fmt::join(quoted, " and "),
                       fmt::join(sizes, " × "));
  }

  static std::string suggestion(const Context& ctx, const std::vector<const LoopFrame*>& outer) {
    return fmt::format(
        "if the inner loop searches for matches, index it once before the loop over `{}` "
        "(e.g. `by_key = {{key(y): y for y in ...}}`, then `by_key.get(key(x))`) for O(n + m); "
        "if every pair is needed, keep it but bound the inputs",
        short_text(ctx, underlying_collection(ctx, outer.front()->iterable)));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps101_nested_loop() { return std::make_unique<NestedLoop>(); }

}  // namespace perfscan
