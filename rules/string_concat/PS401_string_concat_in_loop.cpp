// PS401 string-concat-in-loop: a str grown with `+=` / `s = s + ...` across loop iterations.
// Documentation: PS401.md beside this file.
#include <fmt/format.h>

#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

class StringConcatInLoop final : public Rule {
 public:
  StringConcatInLoop()
      : Rule({"PS401", "string-concat-in-loop", Category::string_concat, Severity::medium,
              "String built by repeated concatenation inside a loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"augmented_assignment", "assignment"};
  }

  void check(Node statement, Context& ctx) const override {
    if (ctx.loops().empty()) return;
    Node target = statement.field("left");
    if (!target || !target.is("identifier")) return;
    std::string_view name = ctx.text(target);
    if (statement.is("augmented_assignment")) {
      if (ctx.text(statement.field("operator")) != "+=") return;
    } else if (!concatenates_onto(ctx, statement.field("right"), name)) {
      return;
    }
    if (!accumulates_across_iterations(ctx, name)) return;
    ctx.report(*this, statement,
               fmt::format("String `{}` is built by concatenation inside a loop: each step may "
                           "copy everything built so far (O(n²) in the total length)",
                           name),
               fmt::format("append the pieces to a list and join once after the loop: "
                           "`parts.append(...)` then `{} = ''.join(parts)` (or write to an "
                           "io.StringIO)",
                           name));
  }

 private:
  // `name = name + x + ...` or `name = x + name` (prepending copies just the same).
  static bool concatenates_onto(const Context& ctx, Node value, std::string_view name) {
    while (value && value.is("parenthesized_expression")) value = value.named_child(0);
    if (!value || !value.is("binary_operator") || ctx.text(value.field("operator")) != "+") return false;
    Node right = value.field("right");
    if (right.is("identifier") && ctx.text(right) == name) return true;
    Node leftmost = value;
    while (leftmost.is("binary_operator") && ctx.text(leftmost.field("operator")) == "+") {
      leftmost = leftmost.field("left");
    }
    return leftmost.is("identifier") && ctx.text(leftmost) == name;
  }

  // The name holds a str made outside the innermost loop, so every iteration extends it.
  static bool accumulates_across_iterations(const Context& ctx, std::string_view name) {
    const Binding* binding = ctx.lookup(name);
    if (binding == nullptr || binding->value.kind != ValueKind::str || !binding->node) return false;
    return !ctx.loops().back().node.contains(binding->node);
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps401_string_concat_in_loop() {
  return std::make_unique<StringConcatInLoop>();
}

}  // namespace perfscan
