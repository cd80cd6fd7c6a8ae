#include "loop_shapes.hpp"

#include "perfscan/types.hpp"

#include <algorithm>

#include "rule_helpers.hpp"

namespace perfscan::nested_loops {
namespace {

// Loop bodies are scanned without recursion; the cap keeps generated code linear.
constexpr int kMaxScannedNodes = 4096;

bool is_range_call(const Context& ctx, Node node) {
  return node && node.is("call") && ctx.callee_name(node) == "builtins.range";
}

// `len(xs)` -> `xs`, else null.
Node len_argument(const Context& ctx, Node node) {
  if (!node || !node.is("call") || ctx.callee_name(node) != "builtins.len") return {};
  return first_argument(node);
}

// What a loop walks, seeing through the forms that walk part of it: besides what
// underlying_collection() unwraps, `range(i + 1, len(xs))` and `xs[i + 1:]` walk a tail of xs.
Node walked_collection(const Context& ctx, Node iterable) {
  Node node = underlying_collection(ctx, iterable);
  if (is_range_call(ctx, node)) {
    Node arguments = node.field("arguments");
    if (arguments && arguments.named_child_count() >= 2) {
      if (Node collection = len_argument(ctx, arguments.named_child(1))) return collection;
    }
    return node;
  }
  if (node && node.is("subscript")) {
    Node index = node.field("subscript");
    if (index && index.is("slice")) return node.field("value");
  }
  return node;
}

}  // namespace

bool is_bounded(const Context& ctx, Node iterable) {
  return ctx.collection_size(iterable) == CollectionSize::bounded;
}

namespace {

// A loop "over a collection": not one whose size the source fixes, and not a numeric
// `range(n)`: `for i in range(rows): for j in range(cols)` walks a grid once, while
// `range(len(xs))` is xs in disguise.
bool is_collection(const Context& ctx, Node iterable) {
  if (!iterable || is_bounded(ctx, iterable)) return false;
  return !is_range_call(ctx, walked_collection(ctx, iterable));
}

// True when one of `names` is bound inside the loop `frame` (its target or its body).
bool depends_on_loop(const Context& ctx, const std::vector<std::string_view>& names,
                     const LoopFrame& frame) {
  for (std::string_view name : names) {
    const Binding* binding = ctx.lookup(name);
    if (binding != nullptr && binding->node && frame.node.contains(binding->node)) return true;
  }
  return false;
}

// `for line in lines: ... for more in lines:` over one iterator (a generator, iter(), map(),
// an open file) consumes it once between both loops: linear, not pairwise.
bool shares_one_iterator(const Context& ctx, Node outer, Node inner) {
  outer = underlying_collection(ctx, outer);  // `enumerate(it)` consumes `it`
  inner = underlying_collection(ctx, inner);
  if (!outer.is("identifier") || !inner.is("identifier") || ctx.text(outer) != ctx.text(inner)) {
    return false;
  }
  Value value = ctx.infer(inner);
  return value.iterator || is_file_object(value);
}

// A plain name or attribute chain (`xs`, `self.items`): something two loops can share.
bool is_name_chain(Node node) {
  while (node && node.is("attribute")) node = node.field("object");
  return node && node.is("identifier");
}

// The outer loop walks the very collection the inner one walks (all of it or a tail).
bool walks_same_collection(const Context& ctx, const LoopFrame& outer, Node inner_iterable) {
  Node inner = walked_collection(ctx, inner_iterable);
  Node outer_walked = walked_collection(ctx, outer.iterable);
  if (!is_name_chain(inner) || !is_name_chain(outer_walked)) return false;
  if (ctx.text(inner) != ctx.text(outer_walked)) return false;
  if (depends_on_loop(ctx, identifiers_in(ctx, inner), outer)) return false;
  return !shares_one_iterator(ctx, outer.iterable, inner_iterable);
}

// Enclosing loops over collections whose size does not bound this loop's: the inner
// iterable mentions none of the names they bind. `for row in rows: for cell in row` walks
// each cell once (linear); `for a in A: for b in B` walks |A| x |B| pairs.
std::vector<const LoopFrame*> independent_outer_loops(const Context& ctx, Node iterable) {
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

// ---- nests that are linear in the data ---------------------------------------------------------

// What runs once per item of a loop, besides the loop's own header: a `for` statement's body; a
// comprehension clause's element and the `if` clauses after it.
std::vector<Node> per_item_parts(Node loop) {
  if (loop.is("for_statement")) return {loop.field("body")};
  std::vector<Node> parts;
  Node comprehension = loop.parent();
  bool after_clause = false;
  for (uint32_t i = 0, n = comprehension.named_child_count(); i < n; ++i) {
    Node part = comprehension.named_child(i);
    if (part == loop) after_clause = true;
    if (after_clause && part.is("if_clause")) parts.push_back(part);
  }
  parts.push_back(comprehension.field("body"));
  return parts;
}

// The identifier an attribute chain or subscript starts from: `row.cells[0]` -> `row`.
Node chain_root(Node node) {
  while (node && (node.is("attribute") || node.is("subscript"))) {
    node = node.is("attribute") ? node.field("object") : node.field("value");
  }
  return node;
}

bool contains(const std::vector<std::string_view>& names, std::string_view name) {
  return !name.empty() && std::find(names.begin(), names.end(), name) != names.end();
}

bool mentions_any(const std::vector<std::string_view>& names,
                  const std::vector<std::string_view>& wanted) {
  return std::any_of(names.begin(), names.end(),
                     [&](std::string_view name) { return contains(wanted, name); });
}

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), value) != options.end();
}

// `row[column]`, `row.get(column)`, `getattr(obj, name)` / `setattr(obj, name, v)`: a look-up
// of the inner item's key in the object `holder` starts from. The pair {holder, key}, or nulls.
std::pair<Node, Node> keyed_access(const Context& ctx, Node node) {
  if (node.is("subscript")) return {node.field("value"), node.field("subscript")};
  if (!node.is("call")) return {};
  Node function = node.field("function");
  Node arguments = node.field("arguments");
  if (!arguments) return {};
  if (function.is("attribute") && ctx.text(function.field("attribute")) == "get") {
    return {function.field("object"), first_argument(node)};
  }
  if (function.is("identifier") &&
      is_one_of(ctx.text(function), {"getattr", "setattr", "hasattr", "delattr"}) &&
      arguments.named_child_count() >= 2) {
    return {arguments.named_child(0), arguments.named_child(1)};
  }
  return {};
}

// The outer loops whose items the inner loop only takes apart, and calling whose items is all
// the inner loop does with them, leave the nest linear in the data:
// - `values[pos] for pos in positions`, `setattr(obj, name, None)`, `record.get(key)`: the
//   inner loop walks the fields of the outer item, so together they visit every cell once;
// - `process(row) for process in processors`, `hook(item)`: the inner items are functions,
//   as many as the program defines.
// Returns `outer` without the loops the inner one is linear against.
std::vector<const LoopFrame*> multiplying_loops(const Context& ctx, Node loop,
                                                std::vector<const LoopFrame*> outer) {
  Node target = loop.field("left");
  if (!target) return outer;
  std::vector<std::string_view> inner_names = identifiers_in(ctx, target);
  std::vector<Node> pending = per_item_parts(loop);
  std::vector<const LoopFrame*> linear;
  for (int visited = 0; !pending.empty() && visited < kMaxScannedNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (!node || node.is("function_definition") || node.is("class_definition") || node.is("lambda")) {
      continue;
    }
    if (node.is("call")) {
      Node function = node.field("function");
      if (function.is("identifier") && contains(inner_names, ctx.text(function))) {
        return {};  // a pipeline of callables: bounded by the program
      }
    }
    if (auto [holder, key] = keyed_access(ctx, node); holder && key) {
      Node root = chain_root(holder);
      std::string_view root_name = root && root.is("identifier") ? ctx.text(root) : std::string_view{};
      std::vector<std::string_view> key_names = identifiers_in(ctx, key);
      bool inner_holds = contains(inner_names, root_name);
      bool inner_keys = mentions_any(key_names, inner_names);
      for (const LoopFrame* frame : outer) {
        std::vector<std::string_view> items = identifiers_in(ctx, frame->target);
        // `outer[inner]` or `inner[outer]`: a cell of a table whose rows and columns the
        // two loops walk.
        if ((inner_keys && contains(items, root_name)) || (inner_holds && mentions_any(key_names, items))) {
          linear.push_back(frame);
        }
      }
    }
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
      pending.push_back(node.named_child(i));
    }
  }
  std::erase_if(outer, [&](const LoopFrame* frame) {
    return std::find(linear.begin(), linear.end(), frame) != linear.end();
  });
  return outer;
}

// ---- the comparisons that make a nest a join ------------------------------------------------

// `a == b` -> {a, b}; null pair for anything else (chains, other operators).
std::pair<Node, Node> equality_operands(const Context& ctx, Node node) {
  if (!node || !node.is("comparison_operator") || node.named_child_count() != 2) return {};
  for (uint32_t i = 0, n = node.child_count(); i < n; ++i) {
    Node child = node.child(i);
    if (!child.is_named() && ctx.text(child) != "==") return {};
  }
  return {node.named_child(0), node.named_child(1)};
}

bool is_literal(Node node) {
  return node && (node.is("string") || node.is("concatenated_string") || node.is("integer") ||
                  node.is("float") || node.is("true") || node.is("false") || node.is("none"));
}

// `if script == "lava-vland-self":` (or an `elif`) around the inner loop, comparing the item of
// an outer loop itself with a literal: the inner loop runs for the few outer items equal to
// it, not for every one. An attribute of the item (`row.kind == "header"`) may match many.
// Returns `outer` without the loops so guarded.
std::vector<const LoopFrame*> unguarded_loops(const Context& ctx, Node loop,
                                              std::vector<const LoopFrame*> outer) {
  Node outermost = outer.empty() ? Node{} : outer.front()->node;
  for (Node child = loop, parent = loop.parent(); parent && parent != outermost;
       child = parent, parent = parent.parent()) {
    bool guarded_branch = (parent.is("if_statement") || parent.is("elif_clause")) &&
                          child == parent.field("consequence");
    if (!guarded_branch) continue;
    auto [left, right] = equality_operands(ctx, parent.field("condition"));
    if (!left) continue;
    Node item = is_literal(right) ? left : is_literal(left) ? right : Node{};
    if (!item || !item.is("identifier")) continue;
    std::erase_if(outer, [&](const LoopFrame* frame) {
      return frame->node.contains(parent) && frame->target.is("identifier") &&
             ctx.text(frame->target) == ctx.text(item);
    });
  }
  return outer;
}

// Names bound by one of the outer loops (their targets or assignments in their bodies).
bool mentions_outer_binding(const Context& ctx, const std::vector<std::string_view>& names,
                            const std::vector<const LoopFrame*>& outer, Node inner_loop) {
  for (std::string_view name : names) {
    const Binding* binding = ctx.lookup(name);
    // Bound before the inner loop starts: a later comprehension clause's variable is not the
    // outer item (`for p in parts for s in supp if p == s.p` searches supp, not parts).
    if (binding == nullptr || !binding->node ||
        binding->node.start_byte() >= inner_loop.start_byte()) {
      continue;
    }
    for (const LoopFrame* frame : outer) {
      if (frame->node.contains(binding->node)) return true;
    }
  }
  return false;
}

// `y.id == x.id`: one side is about the inner item only, the other about the outer item only.
// Returns {inner side, outer side}, or nulls.
std::pair<Node, Node> search_keys(const Context& ctx, Node comparison,
                                  const std::vector<std::string_view>& inner_targets,
                                  const std::vector<const LoopFrame*>& outer, Node inner_loop) {
  auto [left, right] = equality_operands(ctx, comparison);
  if (!left) return {};
  for (auto [inner_key, outer_key] : {std::pair{left, right}, std::pair{right, left}}) {
    std::vector<std::string_view> inner_side = identifiers_in(ctx, inner_key);
    std::vector<std::string_view> outer_side = identifiers_in(ctx, outer_key);
    if (mentions_any(inner_side, inner_targets) &&
        !mentions_outer_binding(ctx, inner_side, outer, inner_loop) &&
        !mentions_any(outer_side, inner_targets) &&
        mentions_outer_binding(ctx, outer_side, outer, inner_loop)) {
      return {inner_key, outer_key};
    }
  }
  return {};
}

// The conditions that filter the inner loop's items: the `if` opening a `for` body, the
// `if` clauses after a comprehension clause, or a comprehension whose element is itself a
// comparison (`any(b == x for b in bs)`, `any(t.name == n and t.kind == k for t in ts)`).
// `a and b` contributes both conjuncts.
std::vector<Node> filter_conditions(Node loop) {
  std::vector<Node> roots;
  if (loop.is("for_statement")) {
    Node body = loop.field("body");
    for (uint32_t i = 0, n = body ? body.named_child_count() : 0; i < n; ++i) {
      Node statement = body.named_child(i);
      if (statement.is("comment")) continue;
      if (statement.is("if_statement")) roots.push_back(statement.field("condition"));
      break;
    }
  } else {
    Node comprehension = loop.parent();
    bool after_clause = false;
    for (uint32_t i = 0, n = comprehension.named_child_count(); i < n; ++i) {
      Node part = comprehension.named_child(i);
      if (part == loop) after_clause = true;
      if (after_clause && part.is("if_clause")) roots.push_back(part.named_child(0));
    }
    Node element = comprehension.field("body");
    if (element && (element.is("comparison_operator") || element.is("boolean_operator"))) {
      roots.push_back(element);
    }
  }
  std::vector<Node> conditions;
  for (int budget = 64; !roots.empty() && budget-- > 0;) {
    Node node = roots.back();
    roots.pop_back();
    while (node && node.is("parenthesized_expression")) node = node.named_child(0);
    if (!node) continue;
    if (node.is("boolean_operator") && node.child_count() == 3 && node.child(1).is("and")) {
      roots.push_back(node.field("left"));
      roots.push_back(node.field("right"));
    } else {
      conditions.push_back(node);
    }
  }
  return conditions;
}

std::vector<std::string_view> target_names(const Context& ctx, Node loop) {
  Node target = loop.field("left");
  return target ? identifiers_in(ctx, target) : std::vector<std::string_view>{};
}

// Fills the comparison and keys of `nest` when the loop searches for the outer item.
bool find_linear_search(const Context& ctx, Node loop, NestedLoop& nest) {
  std::vector<std::string_view> inner_targets = target_names(ctx, loop);
  if (inner_targets.empty()) return false;
  for (Node condition : filter_conditions(loop)) {
    auto [inner_key, outer_key] = search_keys(ctx, condition, inner_targets, nest.outer, loop);
    if (inner_key) {
      nest.comparison = condition;
      nest.inner_key = inner_key;
      nest.outer_key = outer_key;
      return true;
    }
  }
  return false;
}

// True when `expr` contains the subscript `collection[index]`.
bool contains_subscript(const Context& ctx, Node expr, std::string_view collection,
                        std::string_view index) {
  std::vector<Node> pending{expr};
  for (int visited = 0; !pending.empty() && visited < kMaxScannedNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (!node) continue;
    if (node.is("subscript") && ctx.text(node.field("value")) == collection &&
        ctx.text(node.field("subscript")) == index) {
      return true;
    }
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
      pending.push_back(node.named_child(i));
    }
  }
  return false;
}

// `for i in range(len(a))` -> {a, i}; nulls unless the loop has exactly that shape.
std::pair<Node, Node> index_loop_parts(const Context& ctx, Node iterable, Node target) {
  if (!target || !target.is("identifier") || !is_range_call(ctx, iterable)) return {};
  Node arguments = iterable.field("arguments");
  if (!arguments || arguments.named_child_count() != 1) return {};
  Node collection = len_argument(ctx, arguments.named_child(0));
  return collection ? std::pair{collection, target} : std::pair<Node, Node>{};
}

// `for i in range(len(a)): for j in range(len(b)): ... a[i] == b[j]`: the comparison.
Node find_index_join(const Context& ctx, Node loop, const std::vector<const LoopFrame*>& outer) {
  auto [inner_collection, inner_index] =
      index_loop_parts(ctx, loop.field("right"), loop.field("left"));
  if (!inner_collection || !loop.is("for_statement")) return {};
  std::vector<Node> pending{loop.field("body")};
  for (int visited = 0; !pending.empty() && visited < kMaxScannedNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (!node || node.is("function_definition") || node.is("class_definition") ||
        node.is("lambda")) {
      continue;
    }
    if (auto [left, right] = equality_operands(ctx, node); left) {
      for (const LoopFrame* frame : outer) {
        auto [outer_collection, outer_index] =
            index_loop_parts(ctx, frame->iterable, frame->target);
        if (!outer_collection) continue;
        auto holds = [&](Node side, Node collection, Node index) {
          return contains_subscript(ctx, side, ctx.text(collection), ctx.text(index));
        };
        if ((holds(left, outer_collection, outer_index) &&
             holds(right, inner_collection, inner_index)) ||
            (holds(right, outer_collection, outer_index) &&
             holds(left, inner_collection, inner_index))) {
          return node;
        }
      }
    }
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
      pending.push_back(node.named_child(i));
    }
  }
  return {};
}

}  // namespace

NestedLoop classify_nested_loop(const Context& ctx, Node loop) {
  NestedLoop nest;
  Node iterable = loop.field("right");
  if (ctx.loops().empty() || !iterable || !is_collection(ctx, iterable)) return nest;
  // Followed by `break`/`return` (or inside a `raise`): the inner loop runs once, not once per
  // outer item.
  if (leaves_loop_after(ctx, loop)) return nest;
  for (const LoopFrame& frame : ctx.loops()) {
    if (frame.kind == LoopKind::while_loop || !is_collection(ctx, frame.iterable)) continue;
    if (walks_same_collection(ctx, frame, iterable)) {
      nest.shape = NestShape::same_collection;
      nest.outer.push_back(&frame);
      return nest;
    }
  }
  nest.outer = unguarded_loops(ctx, loop, multiplying_loops(ctx, loop, independent_outer_loops(ctx, iterable)));
  if (nest.outer.empty()) return nest;
  if ((nest.comparison = find_index_join(ctx, loop, nest.outer))) {
    nest.shape = NestShape::index_join;
  } else if (find_linear_search(ctx, loop, nest)) {
    nest.shape = NestShape::linear_search;
  } else {
    nest.shape = NestShape::independent;
  }
  return nest;
}

std::optional<NestedLoop> nest_of_shape(const Context& ctx, Node loop, NestShape shape) {
  if (ctx.loops().empty()) return std::nullopt;
  NestedLoop nest = classify_nested_loop(ctx, loop);
  if (nest.shape != shape) return std::nullopt;
  nest.inner_name = collection_name(ctx, loop.field("right"));
  nest.outer_name = collection_name(ctx, nest.outer.back()->iterable);
  return nest;
}

Node loop_header(Node loop) { return loop.is("for_statement") ? loop.field("right") : loop; }

std::string collection_name(const Context& ctx, Node iterable) {
  return short_text(ctx, walked_collection(ctx, iterable));
}

bool all_data_sized(const Context& ctx, const NestedLoop& nest, Node inner_iterable) {
  auto data = [&](Node iterable) { return ctx.collection_size(iterable) == CollectionSize::data; };
  return data(inner_iterable) &&
         std::all_of(nest.outer.begin(), nest.outer.end(), [&](const LoopFrame* frame) { return data(frame->iterable); });
}

Severity nest_severity(const Context& ctx, const NestedLoop& nest, Node inner_iterable) {
  bool deep = nest.outer.size() + 1 >= 3;
  return deep || all_data_sized(ctx, nest, inner_iterable) ? Severity::high : Severity::medium;
}

const Binding* persisting_binding(const Context& ctx, std::string_view name) {
  if (ctx.loops().empty()) return nullptr;
  const Binding* binding = ctx.lookup(name);
  if (binding == nullptr || !binding->node) return nullptr;
  return ctx.loops().back().node.contains(binding->node) ? nullptr : binding;
}

bool grows_in_loop(const Context& ctx, std::string_view name) {
  if (ctx.loops().empty()) return false;
  std::vector<Node> pending{ctx.loops().back().node};
  for (int visited = 0; !pending.empty() && visited < kMaxScannedNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (!node) continue;
    if (node.is("augmented_assignment") && ctx.text(node.field("left")) == name &&
        ctx.text(node.field("operator")) == "+=") {
      return true;
    }
    if (node.is("call")) {
      Node function = node.field("function");
      if (function.is("attribute") && ctx.text(function.field("object")) == name) {
        std::string_view method = ctx.text(function.field("attribute"));
        if (method == "append" || method == "extend" || method == "insert") return true;
      }
    }
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
      pending.push_back(node.named_child(i));
    }
  }
  return false;
}

ListSize list_size(const Context& ctx, Node list) {
  if (grows_in_loop(ctx, ctx.text(list))) return ListSize::grows;
  return is_bounded(ctx, list) ? ListSize::bounded : ListSize::unbounded;
}

}  // namespace perfscan::nested_loops
