#include "loop_helpers.hpp"

#include <algorithm>
#include <array>

#include "memory/call_shapes.hpp"
#include "rule_helpers.hpp"

namespace perfscan::loops {
namespace {

// Loop bodies are small; past this many nodes a search gives up and the caller assumes the
// worst (the name may change), which keeps the rules quiet and linear on generated code.
constexpr std::size_t kMaxVisited = 20000;

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), value) != options.end();
}

// Methods of list, dict, set, str and tuple that never change the receiver.
bool is_read_only_method(std::string_view method) {
  return is_one_of(method, {"get", "keys", "values", "items", "copy", "count", "index", "find",
                            "rfind", "startswith", "endswith", "split", "rsplit", "strip",
                            "lstrip", "rstrip", "lower", "upper", "join", "format", "replace",
                            "encode", "decode", "isdigit", "isalpha", "isspace", "issubset",
                            "issuperset", "isdisjoint", "union", "intersection", "difference",
                            "symmetric_difference", "__contains__", "__len__", "__getitem__"});
}

// Builtins that read their arguments without changing them.
bool is_read_only_builtin(std::string_view callee) {
  constexpr std::string_view kPrefix = "builtins.";
  if (!callee.starts_with(kPrefix)) return false;
  callee.remove_prefix(kPrefix.size());
  return is_one_of(callee, {"len", "isinstance", "issubclass", "str", "repr", "bool", "int",
                            "float", "sorted", "list", "tuple", "set", "frozenset", "dict", "sum",
                            "min", "max", "any", "all", "enumerate", "zip", "iter", "reversed",
                            "print", "hash", "id", "type", "format", "map", "filter", "hasattr",
                            "getattr", "callable", "abs", "round"});
}

// Whether the child at `field` of `parent` is written rather than read.
bool child_is_store(Node parent, bool parent_store, Node child) {
  std::string_view kind = parent.kind();
  if (parent_store) {
    // `out[k] = v`: `out` is written to, `k` only read; same for `obj.attr = v`'s `obj`.
    if (kind == "subscript") return !(parent.field("subscript") == child);
    return true;
  }
  if (kind == "assignment" || kind == "augmented_assignment" || kind == "for_statement" ||
      kind == "for_in_clause") {
    return parent.field("left") == child;
  }
  if (kind == "named_expression") return parent.field("name") == child;
  return kind == "delete_statement" || kind == "as_pattern_target" ||
         kind == "global_statement" || kind == "nonlocal_statement" ||
         kind == "import_statement" || kind == "import_from_statement";
}

// `attribute.attribute` and `keyword_argument.name` are identifiers that are not name uses.
bool is_label(Node parent, Node child) {
  if (parent.is("attribute")) return parent.field("attribute") == child;
  if (parent.is("keyword_argument")) return parent.field("name") == child;
  return false;
}

struct Visit {
  Node node;
  std::size_t parent;  // index into the visit list, or npos for the region itself
  bool store = false;
};

Node ancestor(const std::vector<Visit>& visits, std::size_t index, int levels) {
  for (int i = 0; i < levels && index != std::string::npos; ++i) index = visits[index].parent;
  return index == std::string::npos ? Node{} : visits[index].node;
}

// Whether the occurrence passes the value to something that may change it.
bool passes_to_writer(const Context& ctx, const Occurrence& at) {
  Node call;
  if (at.parent.is("argument_list")) {
    call = at.grandparent;
  } else if (at.parent.is("keyword_argument") && at.grandparent.is("argument_list")) {
    call = at.great_grandparent;
  }
  if (!call || !call.is("call")) return false;
  return !is_read_only_builtin(ctx.callee_name(call));
}

bool calls_writing_method(const Context& ctx, const Occurrence& at) {
  if (!at.parent.is("attribute") || !(at.parent.field("object") == at.node)) return false;
  if (!at.grandparent.is("call") || !(at.grandparent.field("function") == at.parent)) return false;
  return !is_read_only_method(ctx.text(at.parent.field("attribute")));
}

}  // namespace

std::vector<Node> statements_of(Node block) {
  std::vector<Node> statements;
  if (!block) return statements;
  for (uint32_t i = 0, n = block.named_child_count(); i < n; ++i) {
    Node child = block.named_child(i);
    if (!child.is("comment")) statements.push_back(child);
  }
  return statements;
}

Node only_statement(Node block) {
  Node found;
  if (!block) return found;
  for (uint32_t i = 0, n = block.named_child_count(); i < n; ++i) {
    Node child = block.named_child(i);
    if (child.is("comment")) continue;
    if (found) return {};
    found = child;
  }
  return found;
}

Occurrences occurrences_of(const Context& ctx, Node region, std::string_view expr_text) {
  Occurrences result;
  if (!region) return result;
  std::vector<Visit> visits{{region, std::string::npos, false}};
  std::vector<std::size_t> pending{0};
  while (!pending.empty()) {
    if (visits.size() > kMaxVisited) {
      result.complete = false;
      break;
    }
    std::size_t index = pending.back();
    pending.pop_back();
    Node node = visits[index].node;
    bool store = visits[index].store;
    std::string_view kind = node.kind();
    if ((kind == "identifier" || kind == "attribute") && ctx.text(node) == expr_text) {
      result.items.push_back(Occurrence{node, ancestor(visits, index, 1),
                                        ancestor(visits, index, 2), ancestor(visits, index, 3),
                                        store});
      continue;
    }
    for (uint32_t i = node.named_child_count(); i-- > 0;) {
      Node child = node.named_child(i);
      if (is_label(node, child)) continue;
      visits.push_back(Visit{child, index, child_is_store(node, store, child)});
      pending.push_back(visits.size() - 1);
    }
  }
  return result;
}

bool may_change(const Context& ctx, Node region, std::string_view expr_text, Node skip) {
  Occurrences found = occurrences_of(ctx, region, expr_text);
  if (!found.complete) return true;
  for (const Occurrence& at : found.items) {
    if (skip && skip.contains(at.node)) continue;
    if (at.in_store || calls_writing_method(ctx, at) || passes_to_writer(ctx, at)) return true;
  }
  return false;
}

bool is_rebound(const Context& ctx, Node region, std::string_view expr_text, Node skip) {
  Occurrences found = occurrences_of(ctx, region, expr_text);
  if (!found.complete) return true;
  return std::any_of(found.items.begin(), found.items.end(), [&](const Occurrence& at) {
    return at.in_store && !(skip && skip.contains(at.node));
  });
}

bool mentions(const Context& ctx, Node region, std::string_view expr_text) {
  Occurrences found = occurrences_of(ctx, region, expr_text);
  return !found.complete || !found.items.empty();
}

namespace {

// The function (or class body) being walked, or the whole module at top level.
Node frame_region(const Context& ctx, Node inside) {
  if (Node frame = ctx.frame().node) return frame;
  return inside.root();  // the module
}

}  // namespace

bool mentioned_after(const Context& ctx, Node statement, std::string_view name) {
  Occurrences found = occurrences_of(ctx, frame_region(ctx, statement), name);
  if (!found.complete) return true;
  // Later loops that bind the name again (`for x in ...` reused) read their own value.
  std::vector<Node> rebinding_loops;
  for (const Occurrence& at : found.items) {
    if (!at.in_store || at.node.start_byte() < statement.end_byte()) continue;
    for (Node up : {at.parent, at.grandparent}) {
      if (up && (up.is("for_statement") || up.is("for_in_clause"))) rebinding_loops.push_back(up);
    }
  }
  for (const Occurrence& at : found.items) {
    // `del name` reads the binding too: without it the statement raises NameError.
    bool deleted = at.parent.is("delete_statement") ||
                   (at.parent.is("expression_list") && at.grandparent.is("delete_statement"));
    if ((at.in_store && !deleted) || at.node.start_byte() < statement.end_byte()) continue;
    bool rebound = std::any_of(rebinding_loops.begin(), rebinding_loops.end(),
                               [&](Node loop) { return loop.contains(at.node); });
    // A read after the statement (in its block, an enclosing block, or an except handler
    // around it) sees the value the statement left behind.
    if (!rebound) return true;
  }
  return false;
}

std::vector<std::string_view> target_names(const Context& ctx, Node target) {
  std::vector<std::string_view> names;
  std::vector<Node> pending{target};
  while (!pending.empty()) {
    Node node = pending.back();
    pending.pop_back();
    std::string_view kind = node.kind();
    if (kind == "identifier") {
      names.push_back(ctx.text(node));
    } else if (kind == "pattern_list" || kind == "tuple_pattern" || kind == "list_pattern" ||
               kind == "parenthesized_expression") {
      for (uint32_t i = node.named_child_count(); i-- > 0;) pending.push_back(node.named_child(i));
    } else if (kind != "comment") {
      return {};
    }
  }
  return names;
}

namespace {

// No named child but comments: `[]`, `[  # filled below\n]`, `()` of a call.
bool only_comments(Node node) {
  for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
    if (!node.named_child(i).is("comment")) return false;
  }
  return true;
}

// `name = []` / `name = list()` (or `{}` / `dict()`), possibly annotated, comments allowed
// inside the display or the call.
bool binds_empty(const Context& ctx, Node statement, std::string_view name, EmptyKind kind) {
  if (!statement.is("expression_statement") || statement.named_child_count() != 1) return false;
  Node assignment = statement.named_child(0);
  if (!assignment || !assignment.is("assignment")) return false;
  Node left = assignment.field("left");
  Node value = shapes::unparenthesised(assignment.field("right"));
  if (!left || !left.is("identifier") || ctx.text(left) != name || !value) return false;
  std::string_view display = kind == EmptyKind::list ? "list" : "dictionary";
  if (value.is(display)) return only_comments(value);
  if (!value.is("call")) return false;
  Node arguments = value.field("arguments");
  if (!arguments || !arguments.is("argument_list") || !only_comments(arguments)) return false;
  return ctx.callee_name(value) == (kind == EmptyKind::list ? "builtins.list" : "builtins.dict");
}

// The parts of a compound statement that run before the block `body` of it does: the
// condition of an `if` (and of the `elif`s before the branch), the items of a `with`.
bool header_mentions(const Context& ctx, Node compound, Node body, std::string_view name) {
  for (uint32_t i = 0, n = compound.named_child_count(); i < n; ++i) {
    Node part = compound.named_child(i);
    if (part == body || part.contains(body)) {
      // An `elif` branch runs after its own condition.
      return part.is("elif_clause") && mentions(ctx, part.field("condition"), name);
    }
    if (part.is("block") || part.is("else_clause") || part.is("comment")) continue;
    Node tested = part.is("elif_clause") ? part.field("condition") : part;
    if (mentions(ctx, tested, name)) return true;
  }
  return false;
}

}  // namespace

bool bound_empty_before(const Context& ctx, Node loop, std::string_view name, EmptyKind kind) {
  constexpr int kMaxLevels = 16;
  Node statement = loop;
  for (int level = 0; level < kMaxLevels; ++level) {
    for (Node previous = statement.prev_named_sibling(); previous;
         previous = previous.prev_named_sibling()) {
      if (previous.is("comment")) continue;
      if (binds_empty(ctx, previous, name, kind)) return true;
      if (mentions(ctx, previous, name)) return false;
    }
    // Up one block: through the branches of an `if` and the body of a `with`, never across
    // a loop (which would fill the list once per iteration), a `try` (whose handlers may see
    // a half-filled list), a def, a class or the module.
    Node block = statement.parent();
    Node owner = block ? block.parent() : Node{};
    if (!block || !block.is("block") || !owner) return false;
    Node compound = owner;
    if (owner.is("else_clause") || owner.is("elif_clause")) compound = owner.parent();
    if (!compound || !(compound.is("if_statement") || compound.is("with_statement"))) return false;
    if (header_mentions(ctx, compound, owner == compound ? block : owner, name)) return false;
    statement = compound;
  }
  return false;
}

std::optional<AppendLoop> append_loop(const Context& ctx, Node loop) {
  AppendLoop found;
  found.statement = comprehension_shaped_body(loop, found.condition);
  Node statement = found.statement;
  if (!statement || !statement.is("expression_statement") || statement.named_child_count() != 1) {
    return std::nullopt;
  }
  Node call = statement.named_child(0);
  if (!call.is("call")) return std::nullopt;
  Node function = call.field("function");
  if (!function.is("attribute") || ctx.text(function.field("attribute")) != "append") {
    return std::nullopt;
  }
  // One element: `out.append(x)` (comments around it allowed) or `out.append(c for c in x)`.
  found.element = shapes::sole_positional_argument(call);
  found.receiver = function.field("object");
  if (!found.element || found.element.is("list_splat") || !found.receiver.is("identifier")) {
    return std::nullopt;
  }
  return found;
}

namespace {

bool contains_kind(Node expr, std::string_view kind) {
  std::vector<Node> pending{expr};
  for (std::size_t visited = 0; !pending.empty() && visited < kMaxVisited; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (node.is(kind)) return true;
    if (node.is("lambda")) continue;
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
      pending.push_back(node.named_child(i));
    }
  }
  return !pending.empty();  // too large to tell: assume the worst
}

}  // namespace

bool can_become_comprehension(const Context& ctx, Node loop, std::string_view out,
                              std::initializer_list<Node> pieces) {
  // In a class body a comprehension cannot see the class's names (its own scope skips the
  // class scope), so `[f(x, LIMIT) for x in xs]` would raise NameError where the loop works.
  if (ctx.frame().kind == FrameKind::class_body) return false;
  std::vector<std::string_view> names = target_names(ctx, loop.field("left"));
  if (names.empty()) return false;
  for (std::string_view name : names) {
    if (name == out || mentioned_after(ctx, loop, name)) return false;
  }
  if (mentions(ctx, loop.field("right"), out)) return false;
  for (Node piece : pieces) {
    // An `await` per item is the real cost there, and a comprehension would still await one
    // at a time: the async rules suggest gathering instead.
    if (piece && (mentions(ctx, piece, out) || contains_kind(piece, "yield") ||
                  contains_kind(piece, "await"))) {
      return false;
    }
  }
  return true;
}

bool contains_call(Node expr) { return contains_kind(expr, "call"); }

bool runs_fixed_number_of_times(const Context& ctx) {
  auto loops = ctx.loops();
  if (loops.empty()) return false;
  for (const LoopFrame& loop : loops) {
    if (loop.kind == LoopKind::while_loop ||
        ctx.collection_size(loop.iterable) != CollectionSize::bounded) {
      return false;
    }
  }
  return true;
}

bool loop_over_data(const Context& ctx, Node loop) {
  if (loop.child(0).is("async")) return true;
  return ctx.collection_size(loop.field("right")) == CollectionSize::data;
}

Node comprehension_shaped_body(Node loop, Node& condition) {
  condition = Node{};
  if (loop.field("alternative")) return {};
  Node statement = only_statement(loop.field("body"));
  if (statement && statement.is("if_statement")) {
    if (statement.field("alternative")) return {};
    condition = statement.field("condition");
    statement = only_statement(statement.field("consequence"));
  }
  return statement;
}

}  // namespace perfscan::loops
