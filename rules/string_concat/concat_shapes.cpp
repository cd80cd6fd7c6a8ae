#include "concat_shapes.hpp"

#include "rule_helpers.hpp"

namespace perfscan::string_concat {
namespace {

bool is_plus(const Context& ctx, Node node) {
  return node && node.is("binary_operator") && ctx.text(node.field("operator")) == "+";
}

// The identifier an attribute chain starts from: `self.out.buf` -> `self`.
Node chain_root(Node node) {
  while (node && node.is("attribute")) node = node.field("object");
  return node;
}

// True when the binding was made inside the innermost loop: the accumulator starts afresh on
// every iteration, so nothing carries over.
bool bound_in_innermost_loop(const Context& ctx, const Binding& binding) {
  return binding.node && ctx.loops().back().node.contains(binding.node);
}

// Known to hold something that is not str or bytes: a number, a list, None, ... or a
// `bytearray`, which grows in place (it is the fix PS402 suggests).
bool is_known_non_text(const Value& value) {
  if (value.is_instance_of("builtins.bytearray")) return true;
  return value.kind != ValueKind::unknown && value.kind != ValueKind::instance && !value.is_text();
}

}  // namespace

bool concatenates_onto(const Context& ctx, Node value, std::string_view name) {
  while (value && value.is("parenthesized_expression")) value = value.named_child(0);
  if (!is_plus(ctx, value)) return false;
  Node right = value.field("right");
  if (ctx.text(right) == name && (right.is("identifier") || right.is("attribute"))) return true;
  Node leftmost = value;
  while (is_plus(ctx, leftmost)) leftmost = leftmost.field("left");
  return (leftmost.is("identifier") || leftmost.is("attribute")) && ctx.text(leftmost) == name;
}

Accumulation text_accumulation(const Context& ctx, Node statement) {
  if (ctx.loops().empty()) return {};
  Node target = statement.field("left");
  if (!target || !(target.is("identifier") || target.is("attribute"))) return {};
  std::string_view name = ctx.text(target);
  Node added = statement.field("right");
  if (statement.is("augmented_assignment")) {
    if (ctx.text(statement.field("operator")) != "+=") return {};
  } else if (!concatenates_onto(ctx, added, name)) {
    return {};
  }
  ValueKind kind = ValueKind::unknown;
  if (target.is("identifier")) {
    const Binding* binding = ctx.lookup(name);
    if (binding == nullptr || !binding->node || bound_in_innermost_loop(ctx, *binding)) return {};
    if (is_known_non_text(binding->value)) return {};
    kind = binding->value.kind;
  } else {
    // `item.label += "*"` over the loop's items touches a different object each time.
    Node root = chain_root(target);
    const Binding* binding = root.is("identifier") ? ctx.lookup(ctx.text(root)) : nullptr;
    if (binding != nullptr && bound_in_innermost_loop(ctx, *binding)) return {};
  }
  if (kind != ValueKind::str && kind != ValueKind::bytes) kind = ctx.infer(added).kind;
  if (kind != ValueKind::str && kind != ValueKind::bytes) return {};
  // A loop run a constant number of times (`for part in ("a", "b")`) builds a bounded string;
  // a statement followed by `break`/`return` runs once. Asked last: walking up the tree costs
  // more than every check above, and most assignments in loops fail one of those.
  if (only_in_constant_loops(ctx) || leaves_loop_after(ctx, statement)) return {};
  return {kind, target};
}

}  // namespace perfscan::string_concat
