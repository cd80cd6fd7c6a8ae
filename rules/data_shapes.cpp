#include "data_shapes.hpp"

#include "loops/loop_helpers.hpp"
#include "perfscan/types.hpp"
#include "rule_helpers.hpp"

namespace perfscan::data {
namespace {

bool is_row_name(const Context& ctx, Node node, const std::vector<std::string_view>& names) {
  if (!node.is("identifier")) return false;
  std::string_view text = ctx.text(node);
  for (std::string_view name : names) {
    if (name == text) return true;
  }
  return false;
}

// `expr` reads one of the row names (`row["a"]`, `row.a`, `a` of an unpacked tuple).
bool mentions_row(const Context& ctx, Node expr, const std::vector<std::string_view>& names) {
  std::vector<Node> stack{expr};
  while (!stack.empty()) {
    Node node = stack.back();
    stack.pop_back();
    if (node.is("lambda") || node.is("function_definition")) continue;
    if (is_row_name(ctx, node, names)) {
      // `other.row` names an attribute, not the row.
      Node parent = node.parent();
      if (!(parent && parent.is("attribute") && parent.field("attribute") == node)) return true;
    }
    for (std::uint32_t i = 0; i < node.named_child_count(); ++i) stack.push_back(node.named_child(i));
  }
  return false;
}

bool is_computation(Node node) {
  return node.is("binary_operator") || node.is("comparison_operator") || node.is("boolean_operator") ||
         node.is("conditional_expression") || node.is("augmented_assignment") ||
         node.is("unary_operator");
}

}  // namespace

Node scalar_accessor_frame(const Context& ctx, Node subscript, std::string_view* accessor) {
  if (!subscript || !subscript.is("subscript")) return {};
  Node attribute = subscript.field("value");
  if (!attribute || !attribute.is("attribute")) return {};
  std::string_view name = ctx.text(attribute.field("attribute"));
  if (name != "loc" && name != "at" && name != "iloc" && name != "iat") return {};
  Node frame = attribute.field("object");
  Value value = ctx.infer(frame);
  if (!is_data_frame(value) && !value.is_instance_of("pandas.Series")) return {};
  if (accessor != nullptr) *accessor = name;
  return frame;
}

RowWork row_work(const Context& ctx, Node body, const std::vector<std::string_view>& names) {
  RowWork work;
  std::vector<Node> stack{body};
  while (!stack.empty()) {
    Node node = stack.back();
    stack.pop_back();
    // A nested def, lambda or class runs on its own schedule; an assertion checks the row
    // rather than computing from it (pandas' own tests assert per row).
    if (node.is("function_definition") || node.is("lambda") || node.is("class_definition") ||
        node.is("assert_statement")) {
      continue;
    }
    if (node.is("break_statement") || node.is("return_statement") || node.is("yield")) {
      work.leaves = true;
    }
    if (node.is("await")) work.suspends = true;
    if (!work.computes && is_computation(node) && mentions_row(ctx, node, names)) work.computes = true;
    if (node.is("assignment") || node.is("augmented_assignment")) {
      Node target = node.field("left");
      if (target && scalar_accessor_frame(ctx, target)) work.writes_back = true;
    }
    for (std::uint32_t i = 0; i < node.named_child_count(); ++i) stack.push_back(node.named_child(i));
  }
  return work;
}

bool rebuilds_from_itself(const Context& ctx, Node assignment, bool in_list, bool receiver) {
  if (!assignment || !assignment.is("assignment") || ctx.loops().empty()) return false;
  Node target = assignment.field("left");
  Node call = assignment.field("right");
  if (!target || !call || !call.is("call")) return false;
  if (!target.is("identifier") && !target.is("attribute")) return false;
  std::string_view name = ctx.text(target);
  Node old;
  if (receiver) {
    Node function = call.field("function");
    if (function && function.is("attribute")) old = function.field("object");
  } else {
    Node first = first_argument(call);
    if (in_list) {
      if (!first || !(first.is("list") || first.is("tuple"))) return false;
      for (std::uint32_t i = 0; i < first.named_child_count(); ++i) {
        if (ctx.text(first.named_child(i)) == name) old = first.named_child(i);
      }
    } else {
      old = first;
    }
  }
  if (!old || ctx.text(old) != name) return false;
  // Rebound from something else in the same iteration (`strs = level.astype(str)` then
  // `strs = np.append(strs, x)`), it starts afresh every time: one copy per iteration, not an
  // accumulation.
  Node loop_body = ctx.loops().back().node.field("body");
  if (loop_body && loops::is_rebound(ctx, loop_body, name, assignment)) return false;
  // A loop that runs a fixed number of times builds a bounded result; a statement followed by
  // `break` / `return` runs once.
  return !only_in_constant_loops(ctx) && !leaves_loop_after(ctx, assignment);
}

}  // namespace perfscan::data
