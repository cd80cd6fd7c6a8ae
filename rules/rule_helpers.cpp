#include "rule_helpers.hpp"

#include <cctype>

#include "perfscan/node_kinds.hpp"
#include "syntax/source.hpp"

namespace perfscan {
namespace {

bool is_literal_display(Node node) {
  std::string_view kind = node.kind();
  // `for x in a, b:` iterates a bare expression_list: a tuple display without parentheses.
  if (kind != "list" && kind != "tuple" && kind != "set" && kind != "dictionary" &&
      kind != "expression_list") {
    return false;
  }
  for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
    std::string_view child = node.named_child(i).kind();
    if (child == "list_splat" || child == "dictionary_splat") return false;
  }
  return true;
}

bool is_upper_case(std::string_view name) {
  bool has_letter = false;
  for (char c : name) {
    if (std::islower(static_cast<unsigned char>(c))) return false;
    has_letter = has_letter || std::isupper(static_cast<unsigned char>(c));
  }
  return has_letter;
}

// An integer fixed by the source: a literal, an UPPER_CASE constant (`pickle.HIGHEST_PROTOCOL`)
// or arithmetic over those. Operators nest, so an explicit stack is used.
bool is_constant_integer(const Context& ctx, Node node) {
  std::vector<Node> pending{node};
  while (!pending.empty()) {
    Node current = pending.back();
    pending.pop_back();
    std::string_view kind = current.kind();
    if (kind == "integer") continue;
    if (kind == "unary_operator") {
      pending.push_back(current.field("argument"));
    } else if (kind == "binary_operator") {
      pending.push_back(current.field("left"));
      pending.push_back(current.field("right"));
    } else if (kind == "parenthesized_expression") {
      pending.push_back(current.named_child(0));
    } else if (kind == "identifier") {
      if (!is_upper_case(ctx.text(current))) return false;
    } else if (kind == "attribute") {
      if (!is_upper_case(ctx.text(current.field("attribute")))) return false;
    } else {
      return false;
    }
  }
  return true;
}

// The value a name was assigned, when its binding is a plain `name = value`.
Node assigned_value(const Binding& binding) {
  if (binding.kind != BindingKind::assignment || !binding.node.is("assignment")) return {};
  Node value = binding.node;
  while (value && kinds::assignment.matches(value)) value = value.field("right");
  return value;
}

// Calls that iterate their first argument without changing how many items it has.
bool is_size_preserving_wrapper(std::string_view callee) {
  return callee == "builtins.enumerate" || callee == "builtins.reversed" ||
         callee == "builtins.sorted" || callee == "builtins.list" || callee == "builtins.tuple" ||
         callee == "builtins.set" || callee == "builtins.frozenset" || callee == "builtins.iter";
}


// The iterable a call walks without changing its size: `enumerate(xs)`, `sorted(xs)`,
// `d.items()` -> `xs`, `xs`, `d`. Null for any other call.
Node unwrap_same_size(const Context& ctx, Node call, const std::string& callee) {
  if (is_size_preserving_wrapper(callee)) return first_argument(call);
  Node function = call.field("function");
  if (!kinds::attribute.matches(function)) return {};
  std::string_view method = ctx.text(function.field("attribute"));
  bool dict_view = method == "items" || method == "keys" || method == "values";
  return dict_view ? function.field("object") : Node{};
}

}  // namespace

Node first_argument(Node call) {
  Node arguments = call.field("arguments");
  if (!arguments) return {};
  for (uint32_t i = 0, n = arguments.named_child_count(); i < n; ++i) {
    Node argument = arguments.named_child(i);
    if (kinds::comment.matches(argument)) continue;
    return kinds::keyword_argument.matches(argument) || kinds::list_splat.matches(argument) ||
                   kinds::dictionary_splat.matches(argument)
               ? Node{}
               : argument;
  }
  return {};
}

namespace {

// Each step unwraps one layer (parentheses, a wrapper call, a constant name); `budget` bounds
// the steps, and with them the recursion through zip() arguments, on hostile input.
bool constant_bounded(const Context& ctx, Node iterable, int& budget) {
  while (iterable && budget-- > 0) {
    std::string_view kind = iterable.kind();
    if (kind == "string" || kind == "concatenated_string") return true;
    if (is_literal_display(iterable)) return true;
    if (kind == "parenthesized_expression") {
      iterable = iterable.named_child(0);
      continue;
    }
    if (kind == "subscript") {  // a slice of a constant is no longer than the constant
      iterable = iterable.field("value");
      continue;
    }
    if (kind == "identifier") {
      const Binding* binding = ctx.lookup(ctx.text(iterable));
      if (binding == nullptr) return false;
      // Iterating a class walks an Enum's members: as many as the source lists.
      if (binding->kind == BindingKind::class_def) return true;
      Node value = assigned_value(*binding);
      if (!value) return false;
      // A list bound to a lower-case name is usually filled later; tuples and strings are
      // immutable.
      bool immutable = value.is("tuple") || value.is("string") || value.is("concatenated_string");
      if (!immutable && !is_upper_case(ctx.text(iterable))) return false;
      iterable = value;
      continue;
    }
    if (kind == "call") {
      std::string callee = ctx.callee_name(iterable);
      Node arguments = iterable.field("arguments");
      if (callee == "builtins.range") {
        if (!arguments || arguments.named_child_count() == 0) return false;
        for (uint32_t i = 0, n = arguments.named_child_count(); i < n; ++i) {
          if (!is_constant_integer(ctx, arguments.named_child(i))) return false;
        }
        return true;
      }
      if (callee == "builtins.zip" && arguments) {
        for (uint32_t i = 0, n = arguments.named_child_count(); i < n; ++i) {
          if (constant_bounded(ctx, arguments.named_child(i), budget)) return true;
        }
        return false;
      }
      iterable = unwrap_same_size(ctx, iterable, callee);
      continue;
    }
    return false;
  }
  return false;
}

}  // namespace

Node underlying_collection(const Context& ctx, Node iterable) {
  for (int step = 0; step < 8 && iterable; ++step) {
    if (kinds::parenthesized_expression.matches(iterable)) {
      iterable = iterable.named_child(0);
      continue;
    }
    if (!kinds::call.matches(iterable)) break;
    std::string callee = ctx.callee_name(iterable);
    Node inner = unwrap_same_size(ctx, iterable, callee);
    if (!inner && callee == "builtins.range") {
      // range(len(x)) walks x's indices.
      Node argument = first_argument(iterable);
      Node arguments = iterable.field("arguments");
      if (argument && kinds::call.matches(argument) && arguments.named_child_count() == 1 &&
          ctx.callee_name(argument) == "builtins.len") {
        inner = first_argument(argument);
      }
    }
    if (!inner) break;
    iterable = inner;
  }
  return iterable;
}

bool is_constant_bounded(const Context& ctx, Node iterable) {
  int budget = 64;
  return constant_bounded(ctx, iterable, budget);
}

std::vector<std::string_view> identifiers_in(const Context& ctx, Node expr) {
  // Iterables are small; the cap keeps pathological nesting (comprehensions thousands deep,
  // each asking about the next) linear overall.
  constexpr int kMaxNodes = 4096;
  std::vector<std::string_view> names;
  std::vector<Node> pending{expr};
  for (int visited = 0; !pending.empty() && visited < kMaxNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (!node) continue;
    if (kinds::identifier.matches(node)) {
      names.push_back(ctx.text(node));
      continue;
    }
    if (kinds::attribute.matches(node)) {  // `a.b`: only `a` is a name lookup
      pending.push_back(node.field("object"));
      continue;
    }
    if (kinds::keyword_argument.matches(node)) {  // `f(key=v)`: `key` is not a name lookup
      pending.push_back(node.field("value"));
      continue;
    }
    for (uint32_t i = node.named_child_count(); i-- > 0;) pending.push_back(node.named_child(i));
  }
  return names;
}

std::string short_text(const Context& ctx, Node expr, std::size_t max_chars) {
  // A few bytes past the limit are enough to know it will be shortened.
  std::string out = fold_whitespace(ctx.text(expr), max_chars + 4);
  if (out.size() > max_chars) {
    std::size_t cut = max_chars;
    // Do not cut a UTF-8 sequence in half.
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "…";
  }
  return out;
}

namespace {

// A `break`, `return` or `raise` among the statements of `block` after `child`.
bool exits_after(Node block, Node child) {
  bool after = false;
  for (uint32_t i = 0, n = block.child_count(); i < n; ++i) {
    Node statement = block.child(i);
    if (after && (statement.is("break_statement") || statement.is("return_statement") ||
                  statement.is("raise_statement"))) {
      return true;
    }
    if (statement == child) after = true;
  }
  return false;
}

}  // namespace

bool leaves_loop_after(const Context& ctx, Node node) {
  if (ctx.loops().empty()) return false;
  Node loop = ctx.loops().back().node;
  for (Node child = node, parent = node.parent(); parent && parent != loop;
       child = parent, parent = parent.parent()) {
    // Part of the value a `return` or `raise` computes: the loop ends right after.
    if (parent.is("return_statement") || parent.is("raise_statement")) return true;
    if (parent.is("block") && exits_after(parent, child)) return true;
  }
  return false;
}

bool only_in_constant_loops(const Context& ctx) {
  if (ctx.loops().empty()) return false;
  for (const LoopFrame& frame : ctx.loops()) {
    if (frame.kind == LoopKind::while_loop ||
        ctx.collection_size(frame.iterable) != CollectionSize::bounded) {
      return false;
    }
  }
  return true;
}

}  // namespace perfscan
