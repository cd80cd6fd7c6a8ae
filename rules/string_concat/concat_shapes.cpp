#include "concat_shapes.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "rule_helpers.hpp"

namespace perfscan::string_concat {
namespace {

// Loop bodies and functions are scanned without recursion; past this many nodes a scan gives
// up (and assumes the cheaper answer: no alias, no capture).
constexpr int kMaxScannedNodes = 8192;

// The end of every "why" about where the string lives.
constexpr std::string_view kOnlyLocals = ", and CPython grows only unshared local strings in place";

bool is_plus(const Context& ctx, Node node) {
  return node && node.is("binary_operator") && ctx.text(node.field("operator")) == "+";
}

Node unparenthesised(Node node) {
  while (node && node.is("parenthesized_expression")) node = node.named_child(0);
  return node;
}

// The identifier an attribute chain or subscript starts from: `self.out.buf` -> `self`,
// `parts[0]` -> `parts`.
Node chain_root(Node node) {
  while (node && (node.is("attribute") || node.is("subscript"))) {
    node = node.is("attribute") ? node.field("object") : node.field("value");
  }
  return node;
}

// `name = <value that does not read name>`: the statement starts the string afresh.
bool assigns_afresh(const Context& ctx, Node statement, std::string_view name) {
  if (!statement.is("expression_statement") || !statement.named_child(0).is("assignment")) return false;
  Node value = statement.named_child(0);
  std::vector<Node> targets;
  for (; value.is("assignment"); value = value.field("right")) targets.push_back(value.field("left"));
  // `s = s + piece` extends the string; only a value that does not read it starts afresh.
  std::vector<std::string_view> read = identifiers_in(ctx, value);
  if (std::find(read.begin(), read.end(), name) != read.end()) return false;
  return std::any_of(targets.begin(), targets.end(),
                     [&](Node left) { return left.is("identifier") && ctx.text(left) == name; });
}

bool block_assigns_afresh(const Context& ctx, Node block, std::string_view name, int depth);

// An `if` whose every branch, `else` included, starts `name` afresh before it ends:
// `if a: key = x else: key = f"{rel}__{x}"`.
bool every_branch_assigns_afresh(const Context& ctx, Node if_statement, std::string_view name, int depth) {
  if (!block_assigns_afresh(ctx, if_statement.field("consequence"), name, depth)) return false;
  bool has_else = false;
  for (uint32_t i = 0, n = if_statement.named_child_count(); i < n; ++i) {
    Node clause = if_statement.named_child(i);
    if (clause.is("elif_clause") && !block_assigns_afresh(ctx, clause.field("consequence"), name, depth)) {
      return false;
    }
    if (clause.is("else_clause")) {
      has_else = true;
      if (!block_assigns_afresh(ctx, clause.field("body"), name, depth)) return false;
    }
  }
  return has_else;
}

// Some statement of `block` (at its top level, or every branch of an `if` there) starts `name`
// afresh. Nesting is followed a few levels only: deeper `if` trees are rare and hostile input
// nests without bound.
bool block_assigns_afresh(const Context& ctx, Node block, std::string_view name, int depth) {
  if (!block || depth > 4) return false;
  for (uint32_t i = 0, n = block.named_child_count(); i < n; ++i) {
    Node statement = block.named_child(i);
    if (assigns_afresh(ctx, statement, name)) return true;
    if (statement.is("if_statement") && every_branch_assigns_afresh(ctx, statement, name, depth + 1)) return true;
  }
  return false;
}

// True when `name` is started afresh earlier in the same iteration on every path to the
// accumulation: by a statement before it in its own block or in an enclosing block inside the
// loop body (`key = "{}__value".format(rel)` then `key = "{}__{}".format(key, op)` formats
// twice, it does not accumulate), or by an `if` there whose every branch does.
bool reset_before_in_iteration(const Context& ctx, std::string_view name, Node accumulation, Node loop_body) {
  Node statement = accumulation.parent();  // the expression_statement
  for (int depth = 0; statement && statement != loop_body && depth < 64; ++depth) {
    Node block = statement.parent();
    if (!block) return false;
    if (block.is("block") || block.is("module")) {
      for (Node before = statement.prev_named_sibling(); before; before = before.prev_named_sibling()) {
        if (assigns_afresh(ctx, before, name)) return true;
        if (before.is("if_statement") && every_branch_assigns_afresh(ctx, before, name, 0)) return true;
      }
      if (block == loop_body) return false;
    }
    statement = block;
  }
  return false;
}

// True when the innermost loop binds `name` afresh on every iteration: as its target, by a
// statement of its body outside any branch (`line = ""` first thing), or earlier on the path
// to the accumulation in the same iteration. Nothing carries over from one iteration to the
// next. A reset under an `if` (`if char == ",": part = ""`) lets the string grow across the
// iterations in between.
bool reset_every_iteration(const Context& ctx, std::string_view name, Node accumulation) {
  const LoopFrame& loop = ctx.loops().back();
  if (loop.target) {
    for (std::string_view target : identifiers_in(ctx, loop.target)) {
      if (target == name) return true;
    }
  }
  std::vector<Node> blocks{loop.node.field("body")};
  while (!blocks.empty()) {
    Node block = blocks.back();
    blocks.pop_back();
    for (uint32_t i = 0, n = block ? block.named_child_count() : 0; i < n; ++i) {
      Node statement = block.named_child(i);
      if (statement.is("with_statement")) blocks.push_back(statement.field("body"));
      if (statement.named_child(0) == accumulation) continue;
      if (assigns_afresh(ctx, statement, name)) return true;
    }
  }
  return loop.kind != LoopKind::comprehension &&
         reset_before_in_iteration(ctx, name, accumulation, loop.node.field("body"));
}

// Known to hold something that is not str or bytes: a number, a list, None, ... or a
// `bytearray`, which grows in place (it is the fix PS402 suggests).
bool is_known_non_text(const Value& value) {
  if (value.is_instance_of("builtins.bytearray")) return true;
  return value.kind != ValueKind::unknown && value.kind != ValueKind::instance &&
         value.kind != ValueKind::union_of && !value.is_text();
}

// True when `node` is the accumulator: the same name, attribute chain or element.
bool is_accumulator(const Context& ctx, Node node, Node target) {
  node = unparenthesised(node);
  return node && node.kind() == target.kind() && ctx.text(node) == ctx.text(target);
}

// How a statement extends its accumulator.
enum class Form : std::uint8_t {
  none,
  augmented,        // s += piece
  rebind,           // s = s + piece
  rebind_pieces,    // s = s + a + b: `s + a` is a new string before anything is stored
  prepend,          // s = piece + s
  format,           // s = f"{s}{piece}", "%s%s" % (s, piece), "{}{}".format(s, piece)
};

// `f"{s}..."`, `"%s..." % (s, ...)`, `"{}...".format(s, ...)`: a new string formatted from the
// accumulator.
bool formats_onto(const Context& ctx, Node value, Node target) {
  value = unparenthesised(value);
  if (!value) return false;
  if (value.is("string")) {
    for (uint32_t i = 0, n = value.named_child_count(); i < n; ++i) {
      Node part = value.named_child(i);
      if (part.is("interpolation") && is_accumulator(ctx, part.named_child(0), target)) return true;
    }
    return false;
  }
  Node arguments;
  if (value.is("binary_operator") && ctx.text(value.field("operator")) == "%" &&
      value.field("left").is("string")) {
    arguments = unparenthesised(value.field("right"));
    if (is_accumulator(ctx, arguments, target)) return true;
    if (!arguments || !arguments.is("tuple")) return false;
  } else if (value.is("call")) {
    Node function = value.field("function");
    if (!function.is("attribute") || !function.field("object").is("string") ||
        ctx.text(function.field("attribute")) != "format") {
      return false;
    }
    arguments = value.field("arguments");
  }
  for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
    if (is_accumulator(ctx, arguments.named_child(i), target)) return true;
  }
  return false;
}

Form form_of(const Context& ctx, Node statement, Node target) {
  Node value = statement.field("right");
  if (statement.is("augmented_assignment")) {
    return ctx.text(statement.field("operator")) == "+=" ? Form::augmented : Form::none;
  }
  if (formats_onto(ctx, value, target)) return Form::format;
  value = unparenthesised(value);
  if (!is_plus(ctx, value)) return Form::none;
  if (is_accumulator(ctx, value.field("right"), target)) return Form::prepend;
  int pieces = 0;
  Node leftmost = value;
  for (; is_plus(ctx, leftmost); leftmost = leftmost.field("left")) ++pieces;
  if (!is_accumulator(ctx, leftmost, target)) return Form::none;
  return pieces == 1 ? Form::rebind : Form::rebind_pieces;
}

// ---- why a plain local cannot grow in place -------------------------------------------------

bool is_keeping_method(std::string_view method) {
  for (std::string_view keeps : {"append", "add", "insert", "appendleft", "setdefault", "put", "put_nowait"}) {
    if (method == keeps) return true;
  }
  return false;
}

// `name` itself, or a tuple / list display holding it.
bool holds_name(const Context& ctx, Node node, std::string_view name) {
  node = unparenthesised(node);
  if (!node) return false;
  if (node.is("identifier")) return ctx.text(node) == name;
  if (!node.is("tuple") && !node.is("list") && !node.is("expression_list")) return false;
  for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
    Node item = node.named_child(i);
    if (item.is("identifier") && ctx.text(item) == name) return true;
  }
  return false;
}

// `s` keeps the string it holds: `previous = s`, `history.append(s)`, `yield s`.
bool keeps_a_reference(const Context& ctx, Node node, std::string_view name) {
  if (node.is("assignment")) {
    Node left = node.field("left");
    return holds_name(ctx, node.field("right"), name) && !(left.is("identifier") && ctx.text(left) == name);
  }
  if (node.is("yield")) return holds_name(ctx, node.named_child(0), name);
  if (!node.is("call")) return false;
  Node function = node.field("function");
  Node arguments = node.field("arguments");
  if (!function.is("attribute") || !is_keeping_method(ctx.text(function.field("attribute"))) || !arguments) {
    return false;
  }
  for (uint32_t i = 0, n = arguments.named_child_count(); i < n; ++i) {
    if (holds_name(ctx, arguments.named_child(i), name)) return true;
  }
  return false;
}

// The statement holding `node`, and true when a later statement of its block binds `name`
// afresh (`fields.append(part)` then `part = ""`): the kept string is no longer the one the
// loop extends.
bool rebound_after(const Context& ctx, Node node, std::string_view name) {
  Node statement = node;
  while (statement.parent() && !statement.parent().is("block")) statement = statement.parent();
  Node block = statement.parent();
  if (!block) return false;
  bool after = false;
  for (uint32_t i = 0, n = block.named_child_count(); i < n; ++i) {
    Node sibling = block.named_child(i);
    if (after && sibling.is("expression_statement") && sibling.named_child(0).is("assignment")) {
      Node left = sibling.named_child(0).field("left");
      if (left.is("identifier") && ctx.text(left) == name) return true;
    }
    after = after || sibling == statement;
  }
  return false;
}

// A statement of the loop that keeps a second reference to the string `name` while the loop
// goes on (`previous = s`, `history.append(s)`, `yield s`): the next `+=` finds it shared and
// must copy. Returns the keeping expression, or null.
Node alias_in_loop(const Context& ctx, Node loop, std::string_view name) {
  std::vector<Node> pending{loop.field("body")};
  for (int visited = 0; !pending.empty() && visited < kMaxScannedNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (!node || node.is("function_definition") || node.is("class_definition") || node.is("lambda")) continue;
    if (keeps_a_reference(ctx, node, name) && !rebound_after(ctx, node, name)) return node;
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) pending.push_back(node.named_child(i));
  }
  return {};
}

// True when the innermost loop adds items to the container `name`
// (`lines.append("")` ... `lines[-1] += word`): the element extended changes as it goes.
bool container_grows_in_loop(const Context& ctx, std::string_view name) {
  std::vector<Node> pending{ctx.loops().back().node.field("body")};
  for (int visited = 0; !pending.empty() && visited < kMaxScannedNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (!node) continue;
    if (node.is("call")) {
      Node function = node.field("function");
      if (function.is("attribute") && ctx.text(function.field("object")) == name) {
        std::string_view method = ctx.text(function.field("attribute"));
        if (method == "append" || method == "extend" || method == "insert") return true;
      }
    }
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) pending.push_back(node.named_child(i));
  }
  return false;
}

// True when a def or lambda nested in `function` mentions `name`: the local lives in a cell,
// which CPython does not grow in place.
bool captured_by_nested_function(const Context& ctx, Node function, std::string_view name) {
  std::vector<std::pair<Node, bool>> pending{{function.field("body"), false}};
  for (int visited = 0; !pending.empty() && visited < kMaxScannedNodes; ++visited) {
    auto [node, nested] = pending.back();
    pending.pop_back();
    if (!node) continue;
    if (nested && node.is("identifier") && ctx.text(node) == name) return true;
    bool inside = nested || node.is("function_definition") || node.is("lambda");
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) pending.emplace_back(node.named_child(i), inside);
  }
  return false;
}

bool is_inside_function(Node node) {
  for (Node parent = node.parent(); parent; parent = parent.parent()) {
    if (parent.is("function_definition") || parent.is("lambda")) return true;
  }
  return false;
}

// Why a str accumulator named by a plain identifier is copied at every step, or "" when it is
// an unshared function local that CPython resizes in place.
std::string why_name_copies(const Context& ctx, Node target, const Binding& binding, Node loop) {
  std::string_view name = ctx.text(target);
  const ExecutionFrame* function = ctx.function();
  if (function == nullptr) {
    return fmt::format("`{}` is a module-level name{}", name, kOnlyLocals);
  }
  if (binding.node && !function->node.contains(binding.node)) {
    return is_inside_function(binding.node)
               ? fmt::format("`{}` is a closure variable{}", name, kOnlyLocals)
               : fmt::format("`{}` is a global{}", name, kOnlyLocals);
  }
  if (captured_by_nested_function(ctx, function->node, name)) {
    return fmt::format("`{}` lives in a cell that a nested function reads{}", name, kOnlyLocals);
  }
  if (Node alias = alias_in_loop(ctx, loop, name)) {
    return fmt::format("`{}` is still held by `{}` when it is extended{}", name, short_text(ctx, alias, 30),
                       kOnlyLocals);
  }
  return {};
}

// Why a str step copies everything built so far, or "" when CPython grows it in place.
std::string why_copies(const Context& ctx, Node target, Form form, const Binding* binding) {
  std::string_view text = ctx.text(target);
  switch (form) {
    case Form::prepend: return "prepending puts each new piece in front";
    case Form::rebind_pieces:
      return fmt::format("`{0} + ...` with several pieces builds a new string before it is stored back "
                         "into `{0}`",
                         text);
    case Form::format: return fmt::format("formatting `{}` builds a new string each time", text);
    default: break;
  }
  if (target.is("attribute")) {
    return fmt::format("`{}` is an attribute{}", text, kOnlyLocals);
  }
  if (target.is("subscript")) {
    return fmt::format("`{}` is a container element{}", text, kOnlyLocals);
  }
  return binding != nullptr ? why_name_copies(ctx, target, *binding, ctx.loops().back().node) : std::string{};
}

// Some loop that the accumulator outlives (from its binding, or from the object it lives on)
// walks a collection known to be sized by the data.
bool grows_with_data(const Context& ctx, const Binding* binding) {
  for (const LoopFrame& loop : ctx.loops()) {
    if (binding != nullptr && binding->node && loop.node.contains(binding->node)) continue;
    if (loop.kind != LoopKind::while_loop && ctx.collection_size(loop.iterable) == CollectionSize::data) return true;
  }
  return false;
}

}  // namespace

bool concatenates_onto(const Context& ctx, Node value, std::string_view name) {
  value = unparenthesised(value);
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
  if (!target || !(target.is("identifier") || target.is("attribute") || target.is("subscript"))) return {};
  Form form = form_of(ctx, statement, target);
  if (form == Form::none) return {};
  // The binding the accumulator hangs on: the name itself, or the object or container whose
  // attribute or element it is. Made in the innermost loop, it starts afresh every iteration
  // (`for node in nodes: node.label += "*"` touches a different object each time).
  Node root = target.is("identifier") ? target : chain_root(target);
  const Binding* binding = root && root.is("identifier") ? ctx.lookup(ctx.text(root)) : nullptr;
  if (target.is("identifier") && (binding == nullptr || !binding->node)) return {};
  if (root && root.is("identifier") && reset_every_iteration(ctx, ctx.text(root), statement)) return {};
  if (target.is("subscript")) {
    // `lines[-1] += word` while the loop appends new lines extends one line after another.
    if (root && root.is("identifier") && container_grows_in_loop(ctx, ctx.text(root))) return {};
    // `by_key[key] += line` with a key of this iteration grows one string per key.
    Node key = target.field("subscript");
    for (std::string_view name : identifiers_in(ctx, key)) {
      const Binding* key_binding = ctx.lookup(name);
      if (key_binding != nullptr && key_binding->node && ctx.loops().back().node.contains(key_binding->node)) {
        return {};
      }
    }
  }
  Value held = ctx.infer(target);
  if (is_known_non_text(held)) return {};
  ValueKind kind = held.kind;
  if (kind != ValueKind::str && kind != ValueKind::bytes) {
    kind = ctx.infer(statement.field("right")).kind;  // what is added, or the new string
  }
  if (kind != ValueKind::str && kind != ValueKind::bytes) return {};
  // A loop run a bounded number of times (`for part in ("a", "b")`) builds a bounded string;
  // a statement followed by `break`/`return` runs once. Asked last: walking up the tree costs
  // more than every check above, and most assignments in loops fail one of those.
  if (only_in_constant_loops(ctx) || leaves_loop_after(ctx, statement)) return {};
  Accumulation grown{kind, target, StepCost::copies_all, {}, grows_with_data(ctx, binding)};
  if (kind == ValueKind::str) {
    grown.why = why_copies(ctx, target, form, target.is("identifier") ? binding : nullptr);
    if (grown.why.empty()) grown.cost = StepCost::in_place_on_cpython;
  }
  return grown;
}

}  // namespace perfscan::string_concat
