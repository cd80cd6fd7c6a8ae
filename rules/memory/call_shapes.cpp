#include "memory/call_shapes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "loops/loop_helpers.hpp"
#include "rule_helpers.hpp"

namespace perfscan::shapes {

namespace {

// Calls `visit` on each named child of `node` in order until it returns false.
template <typename Visit>
void for_each_named_child(Node node, Visit visit) {
  for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
    if (!visit(node.named_child(i))) break;
  }
}

}  // namespace

std::size_t argument_count(Node call) {
  Node arguments = call.field("arguments");
  if (!arguments) return 0;
  if (arguments.is("generator_expression")) return 1;
  std::size_t count = 0;
  for_each_named_child(arguments, [&count](Node argument) {
    if (!argument.is("comment")) ++count;
    return true;
  });
  return count;
}

Node sole_positional_argument(Node call) {
  Node arguments = call.field("arguments");
  if (!arguments) return {};
  if (arguments.is("generator_expression")) return arguments;
  // Most calls hold no argument or one, without comments: answered from the child count, with
  // no cursor (this runs for every call node, for several rules).
  if (std::uint32_t named = arguments.named_child_count(); named <= 1) {
    Node only = named == 1 ? arguments.named_child(0) : Node{};
    bool positional = only && !only.is("comment") && !only.is("keyword_argument") &&
                      !only.is("list_splat") && !only.is("dictionary_splat");
    return positional ? only : Node{};
  }
  if (argument_count(call) != 1) return {};
  Node sole;
  for_each_named_child(arguments, [&sole](Node argument) {
    if (argument.is("comment")) return true;
    bool positional = !argument.is("keyword_argument") && !argument.is("list_splat") &&
                      !argument.is("dictionary_splat");
    if (positional) sole = argument;
    return false;
  });
  return sole;
}

Node method_receiver(const Context& ctx, Node call, std::string_view method) {
  if (!call || !call.is("call")) return {};
  Node function = call.field("function");
  if (!function.is("attribute") || ctx.text(function.field("attribute")) != method) return {};
  return function.field("object");
}

bool is_file_open(std::string_view callee) {
  return callee == "builtins.open" || callee == "io.open" || callee == "codecs.open" ||
         callee == "gzip.open" || callee == "bz2.open" || callee == "lzma.open";
}

bool names_method(const Context& ctx, Node function, std::string_view name) {
  if (function.is("attribute")) return ctx.text(function.field("attribute")) == name;
  return function.is("identifier") && ctx.text(function) == name;
}

bool result_is_memoised(const Context& ctx, Node call) {
  Node parent = call.parent();
  while (parent && parent.is("parenthesized_expression")) parent = parent.parent();
  if (!parent || !parent.is("assignment")) return false;
  Node left = parent.field("left");
  if (!left) return false;
  if (left.is("attribute") || left.is("subscript")) return true;
  return left.is("identifier") && ctx.declared_outer(ctx.text(left));
}

bool is_literal_string(Node expr) {
  expr = unparenthesised(expr);
  if (!expr) return false;
  if (expr.is("concatenated_string")) {
    for (uint32_t i = 0, n = expr.named_child_count(); i < n; ++i) {
      if (!is_literal_string(expr.named_child(i))) return false;
    }
    return true;
  }
  if (!expr.is("string")) return false;
  for (uint32_t i = 0, n = expr.named_child_count(); i < n; ++i) {
    if (expr.named_child(i).is("interpolation")) return false;  // an f-string varies
  }
  return true;
}

bool is_constant_string(const Context& ctx, Node expr, Node loop) {
  expr = unparenthesised(expr);
  if (is_literal_string(expr)) return true;
  if (!expr || !expr.is("identifier")) return false;
  const Binding* binding = ctx.lookup(ctx.text(expr));
  if (binding == nullptr || binding->kind != BindingKind::assignment) return false;
  Node statement = binding->node;
  if (!statement || !statement.is("assignment")) return false;
  if (loop && loop.contains(statement)) return false;  // rebound on every iteration
  Node value = statement;
  while (value && value.is("assignment")) value = value.field("right");
  if (!is_literal_string(value)) return false;
  // `text += part` keeps the literal's binding but not its text: any other store to the name in
  // the function (or module) makes what it holds depend on the path taken.
  Node region = ctx.frame().node ? ctx.frame().node : statement.root();
  return !loops::is_rebound(ctx, region, ctx.text(expr), statement);
}

Node whole_file_lines_receiver(const Context& ctx, Node call) {
  call = unparenthesised(call);
  if (!call || !call.is("call")) return {};
  if (Node file = method_receiver(ctx, call, "readlines")) {
    return argument_count(call) == 0 ? file : Node{};
  }
  Node content = method_receiver(ctx, call, "splitlines");
  if (!content) {
    content = method_receiver(ctx, call, "split");
    Node separator = sole_positional_argument(call);
    std::string_view text = separator ? ctx.text(separator) : std::string_view{};
    if (!content || (text != "'\\n'" && text != "\"\\n\"")) return {};
  } else if (argument_count(call) != 0) {
    return {};  // splitlines(keepends=True) is still a whole read, but rare: stay quiet
  }
  content = unparenthesised(content);
  if (!content || !content.is("call") || argument_count(content) != 0) return {};
  if (Node file = method_receiver(ctx, content, "read")) return file;
  return method_receiver(ctx, content, "read_text");
}

int count_mentions(const Context& ctx, Node root, std::string_view name) {
  constexpr int kMaxNodes = 50000;
  int mentions = 0;
  std::vector<Node> pending{root};
  for (int visited = 0; !pending.empty(); ++visited) {
    if (visited > kMaxNodes) return -1;
    Node node = pending.back();
    pending.pop_back();
    if (node.is("identifier")) {
      if (ctx.text(node) == name) ++mentions;
      continue;
    }
    if (node.is("attribute")) {  // `x.lines` is not a mention of `lines`
      pending.push_back(node.field("object"));
      continue;
    }
    push_named_children(node, pending);
  }
  return mentions;
}

bool only_iterated_once(const Context& ctx, Node root, std::string_view name) {
  if (count_mentions(ctx, root, name) != 2) return false;
  constexpr int kMaxNodes = 50000;
  std::vector<Node> pending{root};
  for (int visited = 0; !pending.empty() && visited < kMaxNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (node.is("for_statement") || node.is("for_in_clause")) {
      Node iterable = unparenthesised(node.field("right"));
      if (iterable && iterable.is("identifier") && ctx.text(iterable) == name) return true;
    }
    push_named_children(node, pending);
  }
  return false;
}

std::string loop_description(const Context& ctx, const LoopFrame& loop) {
  if (loop.kind == LoopKind::while_loop) return "the `while` loop";
  return fmt::format("the loop over `{}`", short_text(ctx, loop.iterable));
}

namespace {

// `len(<collection>) <op> <integer>` (either side), as seen from the branch taken: the test
// holds (`holds`) or fails. True when it caps the collection's length.
bool caps_length(const Context& ctx, Node test, std::string_view collection, bool holds) {
  test = unparenthesised(test);
  if (!test) return false;
  if (test.is("boolean_operator")) {
    // In the branch where `a and b` holds, both hold; where `a or b` fails, both fail.
    std::string_view op = ctx.text(test.field("operator"));
    if ((op == "and") != holds) return false;
    return caps_length(ctx, test.field("left"), collection, holds) ||
           caps_length(ctx, test.field("right"), collection, holds);
  }
  if (test.is("not_operator")) return caps_length(ctx, test.field("argument"), collection, !holds);
  if (!test.is("comparison_operator") || test.named_child_count() != 2) return false;
  Node left = unparenthesised(test.named_child(0));
  Node right = unparenthesised(test.named_child(1));
  std::string_view op;
  for (uint32_t i = 0, n = test.child_count(); i < n; ++i) {
    if (!test.child(i).is_named()) op = ctx.text(test.child(i));
  }
  auto is_length_call = [&](Node side) {
    return side && side.is("call") && ctx.callee_name(side) == "builtins.len" &&
           ctx.text(sole_positional_argument(side)) == collection;
  };
  bool flipped = false;
  if (!is_length_call(left)) {
    std::swap(left, right);
    flipped = true;
  }
  if (!is_length_call(left) || !right || !right.is("integer")) return false;
  // `len(x) <op> k` with the operator read from len's side.
  if (flipped) {
    op = op == "<" ? ">" : op == ">" ? "<" : op == "<=" ? ">=" : op == ">=" ? "<=" : op;
  }
  if (holds) return op == "==" || op == "<" || op == "<=";
  return op == "!=" || op == ">" || op == ">=";
}

}  // namespace

bool guarded_by_length_literal(const Context& ctx, Node node, Node collection) {
  std::string_view name = ctx.text(unparenthesised(collection));
  if (name.empty()) return false;
  for (Node child = node, parent = node.parent(); parent; child = parent, parent = parent.parent()) {
    std::string_view kind = parent.kind();
    if (kind == "function_definition" || kind == "lambda" || kind == "class_definition") break;
    if (kind == "if_statement" || kind == "elif_clause") {
      Node test = parent.field("condition");
      if (child == parent.field("consequence") && caps_length(ctx, test, name, true)) return true;
      if (child.is("else_clause") && kind == "if_statement" && caps_length(ctx, test, name, false)) {
        return true;
      }
    } else if (kind == "conditional_expression" && parent.named_child_count() == 3) {
      Node test = parent.named_child(1);
      if (child == parent.named_child(0) && caps_length(ctx, test, name, true)) return true;
      if (child == parent.named_child(2) && caps_length(ctx, test, name, false)) return true;
    }
  }
  return false;
}

void push_named_children(Node node, std::vector<Node>& out) {
  for (uint32_t i = node.named_child_count(); i-- > 0;) out.push_back(node.named_child(i));
}

Node unparenthesised(Node expr) {
  while (expr && expr.is("parenthesized_expression")) expr = expr.named_child(0);
  return expr;
}

}  // namespace perfscan::shapes
