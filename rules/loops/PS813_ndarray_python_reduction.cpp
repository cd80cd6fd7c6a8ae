// PS813 ndarray-python-reduction: a Python loop reducing a NumPy array element by element
// (`for x in arr: total += x`). Documentation: PS813.md beside this file.
#include <fmt/format.h>

#include "data_shapes.hpp"
#include "loops/loop_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/types.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// The NumPy reduction that replaces `acc op= x` / `acc = max(acc, x)`, or "".
std::string_view reduction_of(const Context& ctx, Node statement, std::string_view element,
                              std::string_view* accumulator) {
  if (statement.is("expression_statement") && statement.named_child_count() == 1) {
    statement = statement.named_child(0);
  }
  if (statement.is("augmented_assignment")) {
    Node target = statement.field("left");
    if (!target || !target.is("identifier")) return {};
    Node value = statement.field("right");
    if (!value || !loops::mentions(ctx, value, element) || loops::mentions(ctx, value, ctx.text(target))) {
      return {};
    }
    // A step that calls something, or adds into an array, is already vectorised work per
    // element (statsmodels' kernels add a whole array per unique value).
    if (loops::contains_call(value) || is_ndarray(ctx.infer(target))) return {};
    *accumulator = ctx.text(target);
    std::string_view op = ctx.text(statement.field("operator"));
    if (op == "+=") return value.is("identifier") ? "arr.sum()" : "a vectorised expression and .sum()";
    if (op == "*=") return "arr.prod()";
    return {};
  }
  if (statement.is("assignment")) {
    Node target = statement.field("left");
    Node value = statement.field("right");
    if (!target || !target.is("identifier") || !value || !value.is("call")) return {};
    std::string callee = ctx.callee_name(value);
    if (callee != "builtins.max" && callee != "builtins.min") return {};
    Node arguments = value.field("arguments");
    if (arguments.named_child_count() != 2) return {};
    std::string_view a = ctx.text(arguments.named_child(0));
    std::string_view b = ctx.text(arguments.named_child(1));
    std::string_view name = ctx.text(target);
    if (!((a == name && b == element) || (a == element && b == name))) return {};
    *accumulator = name;
    return callee == "builtins.max" ? "arr.max()" : "arr.min()";
  }
  return {};
}

class NdarrayPythonReduction final : public Rule {
 public:
  NdarrayPythonReduction()
      : Rule({"PS813", "ndarray-python-reduction", Category::loops, Severity::medium,
              "A Python loop reducing a NumPy array element by element"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    Node target = loop.field("left");
    Node array = loop.field("right");
    if (!target || !target.is("identifier") || !array || loop.field("alternative")) return;
    if (!is_ndarray(ctx.infer(array))) return;
    Node statement = loops::only_statement(loop.field("body"));
    if (!statement) return;
    std::string_view accumulator;
    std::string_view replacement = reduction_of(ctx, statement, ctx.text(target), &accumulator);
    if (replacement.empty()) return;
    ctx.report(*this, loop,
               fmt::format("`{}` is reduced over NumPy array `{}` one element at a time: each "
                           "step boxes an element into a Python object, where NumPy reduces the "
                           "whole array in compiled code",
                           accumulator, short_text(ctx, array)),
               fmt::format("use the array reduction ({}, with `{}` for `arr`)", replacement,
                           short_text(ctx, array)));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps813_ndarray_python_reduction() {
  return std::make_unique<NdarrayPythonReduction>();
}

}  // namespace perfscan
