// PS812 dataframe-scalar-access-in-loop: `df.loc[i, c]` / `df.at[...]` / `df.iloc[i]` read or
// written for each `i` of `range(len(df))` or `df.index`. Documentation: PS812.md beside this file.
#include <fmt/format.h>

#include "data_shapes.hpp"
#include "loops/loop_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/types.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// The frame whose positions or labels the loop walks: `range(len(df))`, `range(df.shape[0])`,
// `df.index`; null for anything else.
Node walked_frame(const Context& ctx, Node iterable) {
  if (!iterable) return {};
  if (iterable.is("attribute") && ctx.text(iterable.field("attribute")) == "index") {
    Node frame = iterable.field("object");
    return is_data_frame(ctx.infer(frame)) ? frame : Node{};
  }
  if (!iterable.is("call") || ctx.callee_name(iterable) != "builtins.range" ||
      iterable.field("arguments").named_child_count() != 1) {
    return {};
  }
  Node size = first_argument(iterable);
  Node frame;
  if (size && size.is("call") && ctx.callee_name(size) == "builtins.len") {
    frame = first_argument(size);
  } else if (size && size.is("subscript") && ctx.text(size.field("subscript")) == "0") {
    Node shape = size.field("value");
    if (shape && shape.is("attribute") && ctx.text(shape.field("attribute")) == "shape") {
      frame = shape.field("object");
    }
  }
  return frame && is_data_frame(ctx.infer(frame)) ? frame : Node{};
}

// The first `frame.loc[...]` / `.at` / `.iloc` / `.iat` in `body` indexed by `index`.
Node first_scalar_access(const Context& ctx, Node body, std::string_view index,
                         std::string_view* accessor) {
  std::vector<Node> stack{body};
  Node found;
  while (!stack.empty()) {
    Node node = stack.back();
    stack.pop_back();
    if (node.is("function_definition") || node.is("lambda") || node.is("class_definition")) continue;
    if (node.is("subscript") && data::scalar_accessor_frame(ctx, node, accessor)) {
      for (std::string_view name : identifiers_in(ctx, node.field("subscript"))) {
        if (name == index && (!found || node.start_byte() < found.start_byte())) found = node;
      }
    }
    for (std::uint32_t i = 0; i < node.named_child_count(); ++i) stack.push_back(node.named_child(i));
  }
  return found;
}

class DataFrameScalarAccessInLoop final : public Rule {
 public:
  DataFrameScalarAccessInLoop()
      : Rule({"PS812", "dataframe-scalar-access-in-loop", Category::loops, Severity::medium,
              "`df.loc` / `.at` / `.iloc` cell access for every row index of a loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    Node target = loop.field("left");
    if (!target || !target.is("identifier")) return;
    Node frame = walked_frame(ctx, loop.field("right"));
    if (!frame) return;
    std::string_view accessor;
    Node access = first_scalar_access(ctx, loop.field("body"), ctx.text(target), &accessor);
    if (!access) return;
    data::RowWork work = data::row_work(ctx, loop.field("body"), {ctx.text(target)});
    if (work.leaves || work.suspends) return;
    ctx.report(*this, access,
               fmt::format("`.{}[...]` is looked up for every row of `{}`: each access goes "
                           "through pandas' indexing machinery (microseconds per cell), so the "
                           "loop costs far more than the arithmetic it does",
                           accessor, short_text(ctx, frame)),
               fmt::format("operate on whole columns of `{0}` (`{0}[\"c\"] = {0}[\"a\"] * 2`, "
                           "`np.where(...)`), or take `{0}[\"c\"].to_numpy()` once and index "
                           "the array",
                           short_text(ctx, frame)));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps812_dataframe_scalar_access_in_loop() {
  return std::make_unique<DataFrameScalarAccessInLoop>();
}

}  // namespace perfscan
