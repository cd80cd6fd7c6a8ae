#include "semantic/walker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

#include "perfscan/node_kinds.hpp"
#include "syntax/parser.hpp"
#include "syntax/source.hpp"

namespace perfscan {
namespace {

// Field ids the walk compares on every node, looked up once.
struct FieldIds {
  TSFieldId body = field_id("body");
  TSFieldId condition = field_id("condition");
  TSFieldId name = field_id("name");

  static const FieldIds& get() {
    static const FieldIds ids;
    return ids;
  }
};

// Every child stored under `field` (`import a, b` has two `name` children).
std::vector<Node> children_in_field(Node node, TSFieldId field) {
  std::vector<Node> children;
  for (uint32_t i = 0, n = node.child_count(); i < n; ++i) {
    Node child = node.child(i);
    if (child.field_in_parent() == field) children.push_back(child);
  }
  return children;
}

bool starts_with_keyword(Node node, std::string_view keyword) {
  Node first = node.child(0);
  return first && !first.is_named() && first.kind() == keyword;
}

std::string join_name(std::string_view prefix, std::string_view name) {
  std::string joined;
  joined.reserve(prefix.size() + 1 + name.size());
  joined += prefix;
  if (!prefix.empty()) joined += '.';
  joined += name;
  return joined;
}

// The decorators of a definition, as source text without the `@` (`functools.lru_cache(maxsize=8)`).
std::vector<std::string_view> decorators_of(Node definition, std::string_view source) {
  std::vector<std::string_view> texts;
  Node decorated = definition.parent();
  if (!decorated || !decorated.is("decorated_definition")) return texts;
  for (uint32_t i = 0, n = decorated.named_child_count(); i < n; ++i) {
    Node decorator = decorated.named_child(i);
    if (!decorator.is("decorator")) continue;
    Node expression = decorator.named_child(0);
    if (!expression) continue;
    texts.push_back(source.substr(expression.start_byte(), expression.end_byte() - expression.start_byte()));
  }
  return texts;
}

// The decorator's callable without its arguments or module: `functools.lru_cache(8)` -> "lru_cache".
std::string_view decorator_name(std::string_view decorator) {
  decorator = decorator.substr(0, decorator.find('('));
  auto dot = decorator.rfind('.');
  return dot == std::string_view::npos ? decorator : decorator.substr(dot + 1);
}

bool is_cache_decorator(std::string_view name) {
  return name == "cache" || name == "lru_cache" || name == "cached_property" || name == "cached" ||
         name == "memoize" || name == "memoized";
}

// A definition a test runner collects wherever it is: a unittest.TestCase subclass. pytest's
// `test*` functions and `Test*` classes count only in test modules, which are test code
// whole (Context::is_test_file): elsewhere `TestJob` is a model and `test_png` a detector.
bool is_test_definition(Node node, std::string_view source) {
  if (!kinds::class_definition.matches(node)) return false;
  Node bases = node.field("superclasses");
  if (!bases) return false;
  std::string_view text = source.substr(bases.start_byte(), bases.end_byte() - bases.start_byte());
  return text.find("TestCase") != std::string_view::npos;
}

// Methods that make a collection grow (list, deque, dict, set).
bool is_growing_method(std::string_view method) {
  for (std::string_view grows : {"append", "extend", "insert", "add", "update", "appendleft", "extendleft",
                                 "setdefault"}) {
    if (method == grows) return true;
  }
  return false;
}

// `@dataclass(frozen=True)`, `@dataclasses.dataclass(unsafe_hash=True)`, `@attr.s(frozen=True)`,
// `@attrs.frozen`: the decorated class hashes its instances by their fields.
bool is_value_type_decorator(std::string_view decorator) {
  std::string_view name = decorator_name(decorator);
  if (name == "frozen") return true;
  bool maker = name == "dataclass" || name == "s" || name == "attrs" || name == "define";
  return maker && (decorator.find("frozen=True") != std::string_view::npos ||
                   decorator.find("unsafe_hash=True") != std::string_view::npos);
}

// `typing.NamedTuple`, `collections.namedtuple("P", "x y")` as a base: a tuple, hashed by value.
bool is_named_tuple_base(std::string_view base) {
  return base == "typing.NamedTuple" || base == "NamedTuple" ||
         base.find("namedtuple(") != std::string_view::npos;
}

// True when `expr` reads the name `name` (attribute names and keywords are not reads).
bool reads_name(Node expr, std::string_view name, std::string_view source) {
  constexpr int kMaxNodes = 256;  // a right-hand side worth asking about is small
  std::vector<Node> pending{expr};
  for (int visited = 0; !pending.empty() && visited < kMaxNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (!node) continue;
    if (kinds::identifier.matches(node)) {
      if (source.substr(node.start_byte(), node.end_byte() - node.start_byte()) == name) return true;
      continue;
    }
    if (kinds::attribute.matches(node)) {
      pending.push_back(node.field("object"));
      continue;
    }
    if (kinds::keyword_argument.matches(node)) {
      pending.push_back(node.field("value"));
      continue;
    }
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) pending.push_back(node.named_child(i));
  }
  return false;
}

bool is_enum_base(std::string_view base) {
  auto dot = base.rfind('.');
  std::string_view name = dot == std::string_view::npos ? base : base.substr(dot + 1);
  return name == "Enum" || name == "IntEnum" || name == "StrEnum" || name == "Flag" || name == "IntFlag";
}

}  // namespace

RuleDispatch::RuleDispatch(const std::vector<const Rule*>& rules, RuleSettings settings)
    : settings_(std::move(settings)) {
  const TSLanguage* language = tree_sitter_python();
  by_symbol_.resize(ts_language_symbol_count(language));
  for (const Rule* rule : rules) {
    for (std::string_view kind : rule->node_kinds()) {
      if (kind == "ERROR") error_rules_.push_back(rule);
      for (std::size_t index = 0; index < by_symbol_.size(); ++index) {
        auto symbol = static_cast<TSSymbol>(index);
        if (ts_language_symbol_type(language, symbol) == TSSymbolTypeRegular &&
            kind == ts_language_symbol_name(language, symbol)) {
          by_symbol_[index].push_back(rule);
        }
      }
    }
  }
}

Walker::Walker(Context& context, const RuleDispatch& dispatch, WalkMode mode, FileTypes* types)
    : ctx_(context), dispatch_(dispatch), mode_(mode), types_(types) {
  ctx_.types_ = types;
}

// The tree's nodes are stored in document order, so the walk is a loop over them: before
// entering a node, leave every open node that is not its parent.
void Walker::walk(Node root) {
  hoist_module_bindings(root);
  const SyntaxTree& tree = *root.tree();
  for (std::uint32_t index = root.id(), end = static_cast<std::uint32_t>(tree.size()); index < end;
       ++index) {
    const NodeData& data = tree.data(index);
    if (index != root.id()) {
      while (!stack_.empty() && stack_.back().node.id() != data.parent) {
        leave(stack_.back());
        stack_.pop_back();
      }
      if (stack_.empty()) break;  // past the subtree of `root`
      // Punctuation and keywords (a third of the nodes): nothing to track or dispatch, and no
      // children that would need them open.
      if ((data.flags & kNamedNode) == 0 && data.child_count == 0) continue;
    }
    enter(tree.at(index), index == root.id() ? TSFieldId{0} : data.field);
  }
  while (!stack_.empty()) {
    leave(stack_.back());
    stack_.pop_back();
  }
}

void Walker::enter(Node node, TSFieldId field) {
  Entry entry;
  entry.node = node;
  if (!node.is_named()) {  // punctuation and keywords: nothing to track or dispatch
    stack_.push_back(entry);
    return;
  }
  entry.kind = kind_of(node.symbol());
  if (!stack_.empty() && opens_child_regions(stack_.back().kind)) {
    enter_child_region(stack_.back(), node, field, entry);
  }
  // Most named nodes are expressions and plain statements, which have no effect of their own.
  bool has_effects = entry.kind != SemKind::other && entry.kind != SemKind::statement;
  if (mode_ != WalkMode::check) {
    if (has_effects) apply_node_effects(entry);
    stack_.push_back(entry);
    return;
  }
  const std::vector<const Rule*>& rules = dispatch_.rules_for(node.symbol());
  // While the memo is on, the context keeps its answers about this node (Context::DispatchMemo).
  // A call's own effect, its CallFact, asks for its callee as its rules do; a call binds
  // nothing, so one memo serves both. Other effects bind names: the memo starts after them.
  // A rule may throw (the per-file budget): the guard still drops the memo.
  struct Dispatch {
    const Context& ctx;
    explicit Dispatch(const Context& context) : ctx(context) { ctx.begin_dispatch(); }
    ~Dispatch() { ctx.end_dispatch(); }
    Dispatch(const Dispatch&) = delete;
    Dispatch& operator=(const Dispatch&) = delete;
  };
  std::optional<Dispatch> dispatch;
  if (entry.kind == SemKind::call) dispatch.emplace(ctx_);
  if (has_effects) apply_node_effects(entry);
  if (is_statement_kind(entry.kind)) {
    ctx_.statements_.emplace_back(node, node.line());
    entry.statement_pushed = true;
  }
  if (!rules.empty()) {
    if (!dispatch) dispatch.emplace(ctx_);
    for (const Rule* rule : rules) rule->check(node, ctx_);
  }
  stack_.push_back(entry);
}

void Walker::leave(const Entry& entry) {
  switch (entry.kind) {
    case SemKind::assignment:
      // `a = b = value` nests as assignment(a, assignment(b, value)): the outermost binds the
      // whole chain, once (binding it from every link costs cubic time on long chains).
      if (!is_chained_link(entry.node)) bind_assignment(entry.node);
      break;
    case SemKind::augmented_assignment: bind_augmented_assignment(entry.node); break;
    case SemKind::named_expression:
      bind(ctx_.text(entry.node.field("name")),
           Binding{BindingKind::assignment, ctx_.infer(entry.node.field("value")), entry.node});
      break;
    case SemKind::return_statement:
      if (mode_ == WalkMode::collect_types) record_return(entry.node);
      break;
    case SemKind::function_definition:
      if (mode_ == WalkMode::collect_types) finish_function(entry.node);
      break;
    default: break;
  }
  if (entry.loops_pushed != 0) ctx_.loops_.resize(ctx_.loops_.size() - entry.loops_pushed);
  if (entry.scope_pushed) ctx_.scopes_.pop_back();
  if (entry.frame_pushed) ctx_.frames_.pop_back();
  if (entry.with_pushed) ctx_.withs_.pop_back();
  if (entry.try_pushed) ctx_.tries_.pop_back();
  if (entry.statement_pushed) ctx_.statements_.pop_back();
}

// The kinds enter_child_region acts on, as parents.
bool Walker::opens_child_regions(SemKind kind) {
  switch (kind) {
    case SemKind::for_statement:
    case SemKind::while_statement:
    case SemKind::comprehension:
    case SemKind::function_definition:
    case SemKind::lambda:
    case SemKind::class_definition:
    case SemKind::with_statement:
    case SemKind::try_statement:
    case SemKind::except_clause:
      return true;
    default:
      return false;
  }
}

// Context that begins at a particular child: a loop body (not its iterable, evaluated once),
// a function body (not its decorators or defaults), a with body, a try body.
void Walker::enter_child_region(const Entry& parent, Node child, TSFieldId field, Entry& entry) {
  const FieldIds& fields = FieldIds::get();
  Node p = parent.node;
  switch (parent.kind) {
    case SemKind::for_statement:
      if (field == fields.body) {
        bind_pattern_value(p.field("left"), ctx_.element_of(ctx_.infer(p.field("right"))), BindingKind::loop_target,
                           p.field("left"));
        push_loop(LoopFrame{p, LoopKind::for_loop, starts_with_keyword(p, "async"), p.field("left"),
                            p.field("right")},
                  entry);
      }
      break;
    case SemKind::while_statement:
      if (field == fields.body || field == fields.condition) {
        push_loop(LoopFrame{p, LoopKind::while_loop, false, Node{}, p.field("condition")}, entry);
      }
      break;
    case SemKind::comprehension: {
      // The body runs inside every clause; a later clause (or an `if`) inside the clauses
      // before it. The first clause's iterable is evaluated once, outside the loop.
      // The comprehension's own scope (its loop variables) likewise covers everything but
      // that first iterable.
      bool is_body = field == fields.body;
      bool is_first_clause = true;
      for (uint32_t i = 0, n = p.named_child_count(); i < n && is_first_clause; ++i) {
        Node clause = p.named_child(i);
        if (clause.is("for_in_clause")) is_first_clause = clause == child;
      }
      if (is_first_clause) break;
      push_scope(FrameKind::function, entry);
      for (uint32_t i = 0, n = p.named_child_count(); i < n; ++i) {
        Node clause = p.named_child(i);
        if (!clause.is("for_in_clause")) continue;
        if (!is_body && clause.start_byte() >= child.start_byte()) {
          // A later clause's iterable may name earlier clauses' targets only.
          continue;
        }
        bind_pattern_value(clause.field("left"), ctx_.element_of(ctx_.infer(clause.field("right"))),
                           BindingKind::loop_target, clause.field("left"));
        push_loop(LoopFrame{p, LoopKind::comprehension, starts_with_keyword(clause, "async"),
                            clause.field("left"), clause.field("right")},
                  entry);
      }
      break;
    }
    case SemKind::function_definition:
      if (field == fields.body) {
        hoist_enclosing_function();
        push_scope(FrameKind::function, entry);
        bool is_async = starts_with_keyword(p, "async");
        // Generator-based coroutines (`@asyncio.coroutine`, `@types.coroutine`) run on the
        // event loop like `async def`.
        for (std::string_view decorator : decorators_of(p, ctx_.source())) {
          is_async = is_async || decorator == "asyncio.coroutine" || decorator == "types.coroutine" ||
                     decorator == "coroutine";
        }
        push_frame(FrameKind::function, p, is_async, ctx_.text(p.field("name")), entry);
        bind_parameters(p, p.field("parameters"));
      }
      break;
    case SemKind::lambda:
      if (field == fields.body) {
        hoist_enclosing_function();
        push_scope(FrameKind::lambda, entry);
        push_frame(FrameKind::lambda, p, false, "<lambda>", entry);
        bind_parameters(p, p.field("parameters"));
      }
      break;
    case SemKind::class_definition:
      if (field == fields.body) {
        push_scope(FrameKind::class_body, entry);
        push_frame(FrameKind::class_body, p, false, ctx_.text(p.field("name")), entry);
      }
      break;
    case SemKind::with_statement:
      if (field == fields.body) {
        bind_with_targets(p);
        ctx_.withs_.push_back(p);
        entry.with_pushed = true;
      }
      break;
    case SemKind::try_statement:
      if (field == fields.body) {
        ctx_.tries_.push_back(p);
        entry.try_pushed = true;
      }
      break;
    case SemKind::except_clause:
      if (child.is("block")) {
        if (Node alias = p.field("alias"); alias && kinds::identifier.matches(alias)) {
          bind(ctx_.text(alias), Binding{BindingKind::except_target, {}, alias});
        } else if (Node value = p.named_child(0); value && value.is("as_pattern")) {
          bind_pattern(value.field("alias"), BindingKind::except_target);
        }
      }
      break;
    default:
      break;
  }
}

void Walker::apply_node_effects(Entry& entry) {
  Node node = entry.node;
  switch (entry.kind) {
    case SemKind::function_definition: {
      bind_definition(node, BindingKind::function);
      if (mode_ == WalkMode::collect_types) {
        record_function(node);
      } else {
        ctx_.facts_.functions.push_back(FunctionFact{
            join_name(ctx_.frame().qualified_name, ctx_.text(node.field("name"))), node.line(),
            starts_with_keyword(node, "async")});
      }
      break;
    }
    case SemKind::class_definition: {
      bind_definition(node, BindingKind::class_def);
      if (mode_ == WalkMode::collect_types) {
        record_class(node);
        break;
      }
      ClassFact fact{join_name(ctx_.frame().qualified_name, ctx_.text(node.field("name"))),
                     node.line(), {}};
      if (Node bases = node.field("superclasses")) {
        for (uint32_t i = 0, n = bases.named_child_count(); i < n; ++i) {
          Node base = bases.named_child(i);
          if (kinds::keyword_argument.matches(base)) continue;
          std::string name = ctx_.qualified_name(base);
          fact.bases.push_back(name.empty() ? std::string(ctx_.text(base)) : name);
        }
      }
      ctx_.facts_.classes.push_back(std::move(fact));
      break;
    }
    case SemKind::import_statement:
    case SemKind::future_import_statement:
      bind_import(node);
      break;
    case SemKind::import_from_statement: bind_import_from(node); break;
    case SemKind::global_statement:
    case SemKind::nonlocal_statement: {
      BindingKind kind = entry.kind == SemKind::global_statement ? BindingKind::global_decl
                                                                 : BindingKind::nonlocal_decl;
      for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
        Node name = node.named_child(i);
        if (kinds::identifier.matches(name)) bind(ctx_.text(name), Binding{kind, {}, name});
      }
      break;
    }
    case SemKind::comment:
      if (mode_ == WalkMode::check) record_suppression(node);
      break;
    case SemKind::call:
      if (mode_ == WalkMode::check) {
        record_call_fact(node);
      } else {
        record_growth_by_call(node);
      }
      break;
    case SemKind::yield:
      if (mode_ == WalkMode::collect_types) {
        if (FunctionTypes* function = current_function_types()) function->generator = true;
      }
      break;
    default: break;
  }
}

// Module-level imports, definitions and simple assignments are visible to every function body,
// even one written above them: bind them before the walk. Looks into top-level if/try/with
// blocks (conditional imports) but not into functions.
void Walker::hoist_module_bindings(Node module) { hoist_bindings(module, false); }

// Binds what `container`'s statements bind (imports, definitions, simple assignments), looking
// into compound statements but not into nested functions or classes. `only_unbound` keeps the
// bindings already made.
void Walker::hoist_bindings(Node container, bool only_unbound) {
  constexpr int kMaxHoistDepth = 6;
  std::vector<std::pair<Node, int>> pending{{container, 0}};
  const Scope& scope = ctx_.scopes_.back();
  auto unbound = [&](Node name_node) { return !only_unbound || scope.bindings.count(ctx_.text(name_node)) == 0; };
  while (!pending.empty()) {
    auto [block, depth] = pending.back();
    pending.pop_back();
    for (uint32_t i = 0, n = block.named_child_count(); i < n; ++i) {
      Node statement = block.named_child(i);
      std::string_view kind = statement.kind();
      if (kind == "decorated_definition") statement = statement.field("definition");
      kind = statement.kind();
      if (kind == "import_statement") {
        bind_import(statement);
      } else if (kind == "import_from_statement") {
        bind_import_from(statement);
      } else if (kind == "function_definition") {
        if (unbound(statement.field("name"))) bind_definition(statement, BindingKind::function);
      } else if (kind == "class_definition") {
        if (unbound(statement.field("name"))) bind_definition(statement, BindingKind::class_def);
      } else if (kind == "expression_statement" && statement.named_child(0).is("assignment")) {
        Node assignment = statement.named_child(0);
        Node target = assignment.field("left");
        if (!only_unbound || (target && kinds::identifier.matches(target) && unbound(target))) bind_assignment(assignment);
      } else if (depth < kMaxHoistDepth &&
                 (kind == "if_statement" || kind == "try_statement" || kind == "with_statement" ||
                  kind == "block" || kind == "else_clause" || kind == "elif_clause" ||
                  kind == "except_clause" || kind == "finally_clause" ||
                  (only_unbound && (kind == "for_statement" || kind == "while_statement")))) {
        pending.emplace_back(statement, depth + 1);
      }
    }
  }
}

// Late binding: a function nested in another sees the enclosing function's names as they are
// when it is called, including those bound after its `def`. The enclosing function's own
// bindings are hoisted once, when the first nested function or lambda is entered.
void Walker::hoist_enclosing_function() {
  const ExecutionFrame& enclosing = ctx_.frame();
  if (enclosing.kind != FrameKind::function || ctx_.scopes_.back().kind != FrameKind::function) return;
  std::uint32_t id = enclosing.node.id();
  if (std::find(hoisted_functions_.begin(), hoisted_functions_.end(), id) != hoisted_functions_.end()) return;
  hoisted_functions_.push_back(id);
  if (Node body = enclosing.node.field("body")) hoist_bindings(body, true);
}

void Walker::push_scope(FrameKind kind, Entry& entry) {
  ctx_.scopes_.push_back(Scope{kind, {}});
  entry.scope_pushed = true;
}

void Walker::push_frame(FrameKind kind, Node node, bool is_async, std::string_view name,
                        Entry& entry) {
  // Hostile input nests thousands of lambdas; past a sane depth the name stops growing so
  // memory stays linear in the nesting.
  constexpr std::size_t kMaxQualifiedName = 512;
  const ExecutionFrame& outer = ctx_.frame();
  std::string qualified = outer.qualified_name.size() > kMaxQualifiedName ? outer.qualified_name
                                                                          : join_name(outer.qualified_name, name);
  bool is_test =
      outer.is_test || (kind != FrameKind::lambda && is_test_definition(node, ctx_.source()));
  ctx_.frames_.push_back(
      ExecutionFrame{kind, node, is_async, std::move(qualified), ctx_.loops_.size(), is_test});
  entry.frame_pushed = true;
}

void Walker::push_loop(LoopFrame loop, Entry& entry) {
  ctx_.loops_.push_back(loop);
  ++entry.loops_pushed;
}

void Walker::bind(std::string_view name, Binding binding) {
  if (name.empty()) return;
  ctx_.scopes_.back().bindings.insert_or_assign(name, std::move(binding));
}

// Binds every name a target pattern introduces: `a`, `a, b`, `(a, [b, *c])`. Attributes and
// subscripts bind nothing. Patterns nest, so an explicit stack is used.
void Walker::bind_pattern(Node pattern, BindingKind kind) {
  std::vector<Node> pending{pattern};
  while (!pending.empty()) {
    Node node = pending.back();
    pending.pop_back();
    if (!node) continue;
    if (kinds::identifier.matches(node)) {
      bind(ctx_.text(node), Binding{kind, {}, node});
      continue;
    }
    if (kinds::attribute.matches(node) || kinds::subscript.matches(node)) continue;
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) pending.push_back(node.named_child(i));
  }
}

void Walker::bind_pattern_value(Node pattern, const Value& value, BindingKind kind, Node made_by) {
  struct Item {
    Node pattern;
    Value value;
  };
  std::vector<Item> pending{{pattern, value}};
  // Patterns nest without bound in hostile input: bounded like everything else.
  for (int steps = 0; !pending.empty() && steps < 4096; ++steps) {
    Item item = std::move(pending.back());
    pending.pop_back();
    Node node = item.pattern;
    if (!node) continue;
    if (kinds::identifier.matches(node)) {
      bind(ctx_.text(node), Binding{kind, std::move(item.value), made_by});
      continue;
    }
    if (kinds::attribute.matches(node) || kinds::subscript.matches(node)) continue;
    if (kinds::parenthesized_expression.matches(node)) {
      pending.push_back({node.named_child(0), std::move(item.value)});
      continue;
    }
    if (node.is("list_splat_pattern") || kinds::list_splat.matches(node)) {
      bind_pattern(node, kind);
      continue;
    }
    bool sequence = node.is("pattern_list") || node.is("tuple_pattern") || node.is("list_pattern") ||
                    node.is("tuple") || node.is("list") || node.is("expression_list");
    if (!sequence) {
      bind_pattern(node, kind);
      continue;
    }
    std::vector<Node> parts;
    bool has_splat = false;
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
      Node part = node.named_child(i);
      if (kinds::comment.matches(part)) continue;
      has_splat = has_splat || part.is("list_splat_pattern") || kinds::list_splat.matches(part);
      parts.push_back(part);
    }
    const Value& whole = item.value;
    bool positional = whole.kind == ValueKind::tuple && whole.members.size() == parts.size() && !has_splat;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      Value part_value = positional ? whole.members[i] : whole.members.empty() ? whole.element_type() : Value{};
      pending.push_back({parts[i], std::move(part_value)});
    }
  }
}

void Walker::bind_parameters(Node function, Node parameters) {
  if (!parameters) return;
  // The first parameter of a method is the instance (the class for a classmethod); a
  // staticmethod has none. Only a def directly in a class body is a method.
  bool is_method = kinds::function_definition.matches(function) && ctx_.frames_.size() >= 2 &&
                   ctx_.frames_[ctx_.frames_.size() - 2].kind == FrameKind::class_body;
  MethodKind method = MethodKind::instance;
  if (is_method) {
    for (std::string_view decorator : decorators_of(function, ctx_.source())) {
      std::string_view name = decorator_name(decorator);
      if (name == "staticmethod") method = MethodKind::static_method;
      if (name == "classmethod") method = MethodKind::class_method;
    }
  }
  const std::string& owner = is_method ? ctx_.frames_[ctx_.frames_.size() - 2].qualified_name : std::string{};
  bool first = true;
  for (uint32_t i = 0, n = parameters.named_child_count(); i < n; ++i) {
    Node parameter = parameters.named_child(i);
    Node name = parameter;
    Node type;
    Node default_value;
    if (kinds::default_parameter.matches(parameter) || kinds::typed_default_parameter.matches(parameter)) {
      name = parameter.field("name");
      type = parameter.field("type");
      default_value = parameter.field("value");
    } else if (kinds::typed_parameter.matches(parameter)) {
      name = parameter.named_child(0);
      type = parameter.field("type");
    }
    if (!name || kinds::comment.matches(parameter) || kinds::keyword_separator.matches(parameter) ||
        kinds::positional_separator.matches(parameter)) {
      continue;
    }
    Value value;
    if (first && is_method && method != MethodKind::static_method && kinds::identifier.matches(name) && !type) {
      value = method == MethodKind::class_method ? Value{ValueKind::symbol, owner} : Value{ValueKind::instance, owner};
    } else if (type && kinds::identifier.matches(name)) {
      value = ctx_.annotation_type(type);
      if (value.is_known() && default_value && default_value.is("none")) value.maybe_none = true;
    }
    first = false;
    if (kinds::identifier.matches(name)) {
      bind(ctx_.text(name), Binding{BindingKind::parameter, std::move(value), name});
    } else {
      bind_pattern(name, BindingKind::parameter);
    }
  }
}

void Walker::bind_import(Node statement) {
  for (Node imported : children_in_field(statement, FieldIds::get().name)) {
    if (imported.is("aliased_import")) {
      std::string target(ctx_.text(imported.field("name")));
      bind(ctx_.text(imported.field("alias")),
           Binding{BindingKind::import, Value{ValueKind::symbol, target}, statement});
    } else if (imported.is("dotted_name")) {
      // `import a.b.c` binds `a`, which refers to the top-level package.
      Node first = imported.named_child(0);
      bind(ctx_.text(first),
           Binding{BindingKind::import, Value{ValueKind::symbol, std::string(ctx_.text(first))},
                   statement});
    }
  }
}

void Walker::bind_import_from(Node statement) {
  Node module = statement.field("module_name");
  std::string base = module.is("relative_import") ? ctx_.resolve_relative_import(module)
                                                  : std::string(ctx_.text(module));
  for (Node imported : children_in_field(statement, FieldIds::get().name)) {
    Node name = imported.is("aliased_import") ? imported.field("name") : imported;
    Node alias = imported.is("aliased_import") ? imported.field("alias") : imported;
    bind(ctx_.text(alias), Binding{BindingKind::import,
                                   Value{ValueKind::symbol, join_name(base, ctx_.text(name))},
                                   statement});
  }
}

bool Walker::is_chained_link(Node assignment) {
  Node parent = assignment.parent();
  return parent && kinds::assignment.matches(parent) && parent.field("right") == assignment;
}

void Walker::bind_assignment(Node assignment) {
  // `a = b = value` nests as assignment(a, assignment(b, value)).
  Node value = assignment;
  std::vector<Node> targets;
  Node annotation;
  while (value && kinds::assignment.matches(value)) {
    targets.push_back(value.field("left"));
    if (!annotation) annotation = value.field("type");
    value = value.field("right");
  }
  // `x: T = v` / `x: T`: the annotation is the name's type; without one, what is assigned.
  Value inferred = annotation ? ctx_.annotation_type(annotation) : Value{};
  bool annotated = inferred.is_known();
  if (!annotated && value) inferred = ctx_.infer(value);
  if (!value && !annotated) return;  // `x: SomethingUnread`: binds nothing we can use
  bool class_body = ctx_.frame().kind == FrameKind::class_body && ctx_.scopes_.back().kind == FrameKind::class_body;
  for (Node target : targets) {
    if (mode_ == WalkMode::collect_types) {
      if (kinds::attribute.matches(target)) record_attribute_assignment(target, inferred, annotated);
      if (class_body && kinds::identifier.matches(target)) record_class_level_assignment(target, inferred, annotated);
      if (kinds::subscript.matches(target)) record_growth(target.field("value"), true);
      // `level = [c for n in level for c in n.children]` in a loop: rebuilt from itself on every
      // iteration, the value grows with the iterations whatever its first binding holds.
      if (kinds::identifier.matches(target) && value && !ctx_.loops().empty() &&
          reads_name(value, ctx_.text(target), ctx_.source())) {
        record_growth(target, false);
      }
    }
    if (kinds::identifier.matches(target)) {
      std::string_view name = ctx_.text(target);
      bind(name, Binding{BindingKind::assignment, merged_with_other_branch(name, assignment, inferred), assignment});
    } else if (value) {
      bind_pattern_value(target, inferred, BindingKind::other, assignment);
    }
  }
}

// After an `if` or `try` statement a name it assigns in one branch holds either that value or
// what the other branches, or the code before the statement, left in it:
// - `constraints = get(...)` in a `try`, `constraints = {}` in its `except`;
// - `if exog_values is None: exog_values = [{}]` on a parameter.
// So an assignment in a branch merges with the binding another branch of the same statement
// (or the code before it) made. Within one branch the later assignment wins, as in
// straight-line code.
//
// `statement` is the (outermost) assignment: every target of a chain shares its branches.
Value Walker::merged_with_other_branch(std::string_view name, Node statement, const Value& value) const {
  const Scope& scope = ctx_.scopes_.back();
  auto previous = scope.bindings.find(name);
  if (previous == scope.bindings.end()) return value;
  BindingKind kind = previous->second.kind;
  if (kind != BindingKind::assignment && kind != BindingKind::parameter) return value;
  Node earlier = previous->second.node;
  if (!earlier) return value;
  for (Node branch = statement, parent = statement.parent(); parent; branch = parent, parent = parent.parent()) {
    if (kinds::function_definition.matches(parent) || kinds::class_definition.matches(parent) || parent.is("lambda")) break;
    if (!parent.is("if_statement") && !parent.is("try_statement")) continue;
    if (parent.contains(earlier) && branch.contains(earlier)) return value;
    return merge_values(previous->second.value, value);
  }
  return value;
}

// `s += x` keeps the binding that made `s` (so a loop-invariant origin stays visible) and
// keeps its kind when the operation cannot change it (str += anything is str or an error).
void Walker::bind_augmented_assignment(Node assignment) {
  Node target = assignment.field("left");
  if (mode_ == WalkMode::collect_types) {
    std::string_view op = ctx_.text(assignment.field("operator"));
    if (op == "+=" || op == "|=") record_growth(target, is_bounded_operand(assignment.field("right")));
  }
  if (!kinds::identifier.matches(target)) return;
  std::string_view name = ctx_.text(target);
  if (ctx_.scopes_.back().bindings.count(name) > 0) return;
  bind(name, Binding{BindingKind::assignment, {}, assignment});
}

void Walker::bind_definition(Node definition, BindingKind kind) {
  Node name = definition.field("name");
  bind(ctx_.text(name),
       Binding{kind,
               Value{ValueKind::symbol, join_name(ctx_.frame().qualified_name, ctx_.text(name))},
               definition});
}

void Walker::bind_with_targets(Node with_statement) {
  Node clause = with_statement.named_child(0);
  if (!clause || !clause.is("with_clause")) return;
  for (uint32_t i = 0, n = clause.named_child_count(); i < n; ++i) {
    Node item = clause.named_child(i);
    Node value = item.field("value");
    if (!value || !value.is("as_pattern")) continue;
    Node target = value.field("alias");
    Node context_manager = value.named_child(0);
    Node name = target ? target.named_child(0) : Node{};
    if (name && kinds::identifier.matches(name)) {
      bind(ctx_.text(name), Binding{BindingKind::with_target, ctx_.infer(context_manager), item});
    } else {
      bind_pattern(target, BindingKind::with_target);
    }
  }
}

void Walker::record_call_fact(Node call) {
  bool in_loop = !ctx_.loops().empty();
  bool in_async = ctx_.in_async_function();
  if (!in_loop && !in_async) return;
  std::string callee = ctx_.callee_name(call);
  if (callee.empty() || callee.starts_with("builtins.")) return;
  TSPoint start = call.start_point();
  const ExecutionFrame* function = ctx_.function();
  ctx_.facts_.calls.push_back(CallFact{
      std::move(callee), function ? function->qualified_name : std::string{}, start.row + 1,
      char_column(ctx_.source_, call.start_byte() - start.column, start.column),
      static_cast<std::uint16_t>(std::min<std::size_t>(ctx_.loops().size(), UINT16_MAX)),
      in_async});
}

void Walker::record_suppression(Node comment) {
  std::string_view text = ctx_.text(comment);
  // Cheap pre-check: most comments carry no directive.
  if (text.find("noqa") == std::string_view::npos && text.find("NOQA") == std::string_view::npos &&
      text.find("perfscan") == std::string_view::npos) {
    return;
  }
  parse_suppression_comment(text, comment.line(), ctx_.facts_.suppressions);
}

// ---- the first walk ----------------------------------------------------------------------------

void Walker::record_class(Node class_definition) {
  std::string name = join_name(ctx_.frame().qualified_name, ctx_.text(class_definition.field("name")));
  ClassTypes& types = types_->class_types(name);
  types.qualified_name = name;
  types.node = class_definition;
  for (std::string_view decorator : decorators_of(class_definition, ctx_.source())) {
    types.value_type = types.value_type || is_value_type_decorator(decorator);
  }
  if (Node bases = class_definition.field("superclasses")) {
    for (uint32_t i = 0, n = bases.named_child_count(); i < n; ++i) {
      Node base = bases.named_child(i);
      if (kinds::keyword_argument.matches(base) || kinds::comment.matches(base)) continue;
      std::string resolved = ctx_.qualified_name(base);
      if (resolved.empty()) resolved = std::string(ctx_.text(base));
      types.is_enum = types.is_enum || is_enum_base(resolved);
      types.value_type = types.value_type || is_named_tuple_base(resolved);
      if (const ClassTypes* parent = types_->find_class(resolved); parent != nullptr) {
        types.is_enum = types.is_enum || parent->is_enum;
        types.value_type = types.value_type || parent->value_type;
      }
      types.bases.push_back(std::move(resolved));
    }
  }
}

void Walker::record_function(Node function_definition) {
  std::string_view short_name = ctx_.text(function_definition.field("name"));
  std::string name = join_name(ctx_.frame().qualified_name, short_name);
  bool method = ctx_.frame().kind == FrameKind::class_body;
  MethodKind kind = MethodKind::instance;
  bool cached = false;
  bool accessor_or_stub = false;
  for (std::string_view decorator : decorators_of(function_definition, ctx_.source())) {
    std::string_view decorator_short = decorator_name(decorator);
    if (decorator_short == "staticmethod") kind = MethodKind::static_method;
    if (decorator_short == "classmethod") kind = MethodKind::class_method;
    if (decorator_short == "property" || decorator_short == "cached_property") kind = MethodKind::property;
    cached = cached || is_cache_decorator(decorator_short);
    // A property's setter and deleter, and typing overloads, share the name of the function
    // whose result matters: they must not merge their returns into it.
    accessor_or_stub = accessor_or_stub || decorator_short == "setter" || decorator_short == "deleter" ||
                       decorator_short == "overload";
  }
  if (method) {
    ClassTypes& owner = types_->class_types(ctx_.frame().qualified_name);
    auto [it, added] = owner.methods.try_emplace(std::string(short_name), kind);
    if (!added && it->second == MethodKind::property) kind = MethodKind::property;
    it->second = kind;
  }
  if (accessor_or_stub) return;
  FunctionTypes& types = types_->function_types(name);
  types.node = function_definition;
  types.is_async = starts_with_keyword(function_definition, "async");
  types.method = kind;
  types.cached = types.cached || cached;
  if (Node annotation = function_definition.field("return_type")) {
    Value returns = ctx_.annotation_type(annotation);
    if (returns.is_known()) {
      types.returns = std::move(returns);
      types.annotated = true;
    }
  }
}

FunctionTypes* Walker::current_function_types() {
  const ExecutionFrame* function = ctx_.function();
  if (function == nullptr || function->kind != FrameKind::function) return nullptr;
  const FunctionTypes* found = types_->find_function(function->qualified_name);
  if (found == nullptr || !(found->node == function->node)) return nullptr;
  return &types_->function_types(function->qualified_name);
}

void Walker::record_return(Node return_statement) {
  FunctionTypes* function = current_function_types();
  if (function == nullptr || function->annotated) return;
  Node expression = return_statement.named_child(0);
  Value value = expression ? ctx_.infer(expression) : Value{ValueKind::none, {}};
  function->returns = function->returns_value ? merge_values(function->returns, value) : value;
  function->returns_value = true;
}

void Walker::finish_function(Node function_definition) {
  const ExecutionFrame& frame = ctx_.frame();
  std::string name = join_name(frame.qualified_name, ctx_.text(function_definition.field("name")));
  const FunctionTypes* found = types_->find_function(name);
  if (found == nullptr || !(found->node == function_definition)) return;
  FunctionTypes& function = types_->function_types(name);
  if (!function.annotated && !function.returns_value && !function.generator) {
    function.returns = Value{ValueKind::none, {}};
  }
}

// `self.x = v` (or `obj.x = v` on any instance of a class of this file) in any method: the
// attribute's type is what all such assignments agree on.
void Walker::record_attribute_assignment(Node target, const Value& value, bool annotated) {
  Value object = ctx_.infer(target.field("object"));
  if (object.kind != ValueKind::instance) return;
  if (types_->find_class(object.qualified_name) == nullptr) return;
  ClassTypes& owner = types_->class_types(object.qualified_name);
  AttributeType& attribute = owner.attributes[std::string(ctx_.text(target.field("attribute")))];
  if (attribute.annotated) return;
  if (annotated) {
    attribute.value = value;
    attribute.annotated = true;
  } else {
    attribute.value = attribute.assigned ? merge_values(attribute.value, value) : value;
    attribute.assigned = true;
  }
}

// `x: T`, `x: T = field(...)`, `x = []` in a class body: class attributes and dataclass fields.
void Walker::record_class_level_assignment(Node target, const Value& value, bool annotated) {
  const std::string& owner_name = ctx_.frame().qualified_name;
  if (types_->find_class(owner_name) == nullptr) return;
  ClassTypes& owner = types_->class_types(owner_name);
  AttributeType& attribute = owner.attributes[std::string(ctx_.text(target))];
  if (attribute.annotated) return;
  if (annotated) {
    attribute.value = value;
    attribute.annotated = true;
  } else {
    attribute.value = attribute.assigned ? merge_values(attribute.value, value) : value;
    attribute.assigned = true;
  }
}

// `items.append(x)`, `self.queue.extend(xs)`, `seen.add(k)`, `index[k] = v`: the collection
// grows with the data that flows through it. A name of the running scope itself (a local, or a
// module name at top level) grown only by straight-line code outside any loop, each time by one
// item or a bounded collection (`bounded_step`), holds at most a few more items than it was
// bound to (`locales = [lang]; locales.append(base)`): that is no growth with the data. A parameter, a global grown in a function and an attribute are grown
// each time their function runs.
void Walker::record_growth(Node collection, bool bounded_step) {
  while (collection && kinds::parenthesized_expression.matches(collection)) collection = collection.named_child(0);
  if (!collection) return;
  if (kinds::identifier.matches(collection)) {
    std::string_view name = ctx_.text(collection);
    const Binding* binding = ctx_.lookup(name);
    if (bounded_step && binding != nullptr && binding->kind != BindingKind::parameter && ctx_.loops().empty()) {
      auto own = ctx_.scopes_.back().bindings.find(name);
      if (own != ctx_.scopes_.back().bindings.end() && &own->second == binding) return;
    }
    const Scope& module = ctx_.scopes_.front();
    auto global = module.bindings.find(name);
    if (binding != nullptr && global != module.bindings.end() && binding == &global->second) {
      types_->growing_globals.emplace(name);
    } else if (FunctionTypes* function = current_function_types()) {
      function->growing_locals.emplace(name);
    }
    return;
  }
  if (!kinds::attribute.matches(collection)) return;
  Value object = ctx_.infer(collection.field("object"));
  std::string owner;
  if (object.kind == ValueKind::instance) owner = object.qualified_name;
  if (object.kind == ValueKind::symbol) owner = object.qualified_name;  // `cls.registry.append(x)`
  if (owner.empty() || types_->find_class(owner) == nullptr) return;
  types_->class_types(owner).attributes[std::string(ctx_.text(collection.field("attribute")))].growing = true;
}

void Walker::record_growth_by_call(Node call) {
  Node function = call.field("function");
  if (!function || !kinds::attribute.matches(function)) return;
  std::string_view method = ctx_.text(function.field("attribute"));
  if (!is_growing_method(method)) return;
  // append/add/insert add one item; extend/update add as many as their argument holds.
  bool adds_collection = method == "extend" || method == "update" || method == "extendleft";
  Node arguments = call.field("arguments");
  Node added = adds_collection && arguments ? arguments.named_child(0) : Node{};
  record_growth(function.field("object"), !adds_collection || (added && is_bounded_operand(added)));
}

bool Walker::is_bounded_operand(Node added) const {
  return !kinds::keyword_argument.matches(added) && !kinds::list_splat.matches(added) && !kinds::dictionary_splat.matches(added) &&
         ctx_.collection_size(added) == CollectionSize::bounded;
}

void walk_file(Context& context, const RuleDispatch& dispatch, Node root, FileTypes& types) {
  {
    Context first(context.path(), context.module_name(), context.is_package_, context.source(), context.settings());
    Walker(first, dispatch, WalkMode::collect_types, &types).walk(root);
  }
  Walker(context, dispatch, WalkMode::check, &types).walk(root);
  context.export_types(context.facts_.types);
}

}  // namespace perfscan
