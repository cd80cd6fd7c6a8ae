// PS811 dataframe-apply-axis1: `df.apply(f, axis=1)` where `f` is column arithmetic, comparisons
// or conditions a vectorised expression computes. Documentation: PS811.md beside this file.
#include <fmt/format.h>

#include "data_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// Calls a vectorised expression has a column-wise spelling for.
bool vectorisable_call(const Context& ctx, Node call) {
  std::string callee = ctx.callee_name(call);
  for (std::string_view known : {"builtins.abs", "builtins.round", "builtins.float", "builtins.int",
                                 "builtins.bool", "builtins.min", "builtins.max"}) {
    if (callee == known) return true;
  }
  for (std::string_view module : {"numpy.", "math."}) {
    if (callee.starts_with(module)) return true;
  }
  return false;
}

// The root name of an attribute or subscript chain (`row` of `row.loc["a"]`), or null.
Node chain_root(Node node) {
  while (node && (node.is("attribute") || node.is("subscript"))) {
    node = node.is("attribute") ? node.field("object") : node.field("value");
  }
  return node && node.is("identifier") ? node : Node{};
}

// `body` (a lambda's expression or a def's block) computes from `parameter` with nothing a
// column expression cannot do: no loops, no other calls, no I/O, no exception handling, no
// container built per row, and no data read but the row's own fields (a function that
// filters another frame per row is a scan, not column arithmetic).
bool column_arithmetic(const Context& ctx, Node body, std::string_view parameter) {
  std::vector<Node> stack{body};
  while (!stack.empty()) {
    Node node = stack.back();
    stack.pop_back();
    if (node.is("call") && !vectorisable_call(ctx, node)) return false;
    if (node.is("subscript")) {
      Node value = node.field("value");
      if (!value || !value.is("identifier") || ctx.text(value) != parameter) return false;
    }
    if (node.is("attribute")) {
      Node root = chain_root(node);
      if (!root) return false;
      if (ctx.text(root) != parameter) {
        std::string qualified = ctx.qualified_name(node);
        if (!qualified.starts_with("numpy.") && !qualified.starts_with("math.")) return false;
      }
      continue;  // an attribute name is not a read of another variable
    }
    for (std::string_view kind : {"for_statement", "while_statement", "try_statement", "with_statement",
                                  "lambda", "function_definition", "class_definition", "await", "yield",
                                  "list_comprehension", "generator_expression", "dictionary_comprehension",
                                  "set_comprehension", "dictionary", "list", "set", "global_statement",
                                  "nonlocal_statement",
                                  "import_statement", "import_from_statement", "raise_statement"}) {
      if (node.is(kind)) return false;
    }
    for (std::uint32_t i = 0; i < node.named_child_count(); ++i) stack.push_back(node.named_child(i));
  }
  data::RowWork work = data::row_work(ctx, body, {parameter});
  return work.computes;
}

// The first plain parameter of a lambda or def.
std::string_view first_parameter(const Context& ctx, Node parameters) {
  if (!parameters || parameters.named_child_count() == 0) return {};
  Node first = parameters.named_child(0);
  if (first.is("identifier")) return ctx.text(first);
  if (first.is("typed_parameter") || first.is("default_parameter") || first.is("typed_default_parameter")) {
    Node name = first.field("name");
    if (!name) name = first.named_child(0);
    if (name && name.is("identifier")) return ctx.text(name);
  }
  return {};
}

bool is_row_axis(const Context& ctx, Node arguments) {
  for (std::uint32_t i = 0; i < arguments.named_child_count(); ++i) {
    Node argument = arguments.named_child(i);
    if (!argument.is("keyword_argument") || ctx.text(argument.field("name")) != "axis") continue;
    std::string_view value = ctx.text(argument.field("value"));
    return value == "1" || value == "'columns'" || value == "\"columns\"";
  }
  return false;
}

class DataFrameApplyAxis1 final : public Rule {
 public:
  DataFrameApplyAxis1()
      : Rule({"PS811", "dataframe-apply-axis1", Category::loops, Severity::medium,
              "`df.apply(f, axis=1)` where `f` is column arithmetic a vectorised expression does"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    Node arguments = call.field("arguments");
    if (!arguments || !is_row_axis(ctx, arguments)) return;
    if (ctx.callee_name(call) != "pandas.DataFrame.apply") return;
    Node function = first_argument(call);
    if (!function) return;
    std::string what;
    if (function.is("lambda")) {
      std::string_view parameter = first_parameter(ctx, function.field("parameters"));
      if (parameter.empty() || !column_arithmetic(ctx, function.field("body"), parameter)) return;
      what = "a lambda";
    } else if (function.is("identifier")) {
      const Binding* binding = ctx.lookup(ctx.text(function));
      if (binding == nullptr || binding->kind != BindingKind::function || !binding->node ||
          !binding->node.is("function_definition")) {
        return;
      }
      Node definition = binding->node;
      std::string_view parameter = first_parameter(ctx, definition.field("parameters"));
      if (parameter.empty() || definition.field("parameters").named_child_count() != 1 ||
          !column_arithmetic(ctx, definition.field("body"), parameter)) {
        return;
      }
      what = fmt::format("`{}`", ctx.text(function));
    } else {
      return;
    }
    Node frame = call.field("function").field("object");
    ctx.report(*this, call,
               fmt::format("`apply(..., axis=1)` calls {} once per row of `{}`, building a Series "
                           "for each: row-by-row Python for what is column arithmetic",
                           what, short_text(ctx, frame)),
               fmt::format("write it over whole columns: `{0}[\"a\"] * {0}[\"b\"]`, comparisons "
                           "and `&` / `|` for conditions, `np.where(cond, x, y)` for if/else",
                           short_text(ctx, frame)));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps811_dataframe_apply_axis1() {
  return std::make_unique<DataFrameApplyAxis1>();
}

}  // namespace perfscan
