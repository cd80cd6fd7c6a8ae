#include "semantic/walker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>

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
  if (prefix.empty()) return std::string(name);
  return fmt::format("{}.{}", prefix, name);
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

Walker::Walker(Context& context, const RuleDispatch& dispatch)
    : ctx_(context), dispatch_(dispatch) {}

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
  entry.kind = semantic_kind(node.symbol());
  if (!stack_.empty()) enter_child_region(stack_.back(), node, field, entry);
  apply_node_effects(entry);
  if (is_statement_kind(entry.kind)) {
    ctx_.statements_.emplace_back(node, node.line());
    entry.statement_pushed = true;
  }
  for (const Rule* rule : dispatch_.rules_for(node.symbol())) rule->check(node, ctx_);
  stack_.push_back(entry);
}

void Walker::leave(const Entry& entry) {
  switch (entry.kind) {
    case SemKind::assignment: bind_assignment(entry.node); break;
    case SemKind::augmented_assignment: bind_augmented_assignment(entry.node); break;
    case SemKind::named_expression:
      bind(ctx_.text(entry.node.field("name")),
           Binding{BindingKind::assignment, ctx_.infer(entry.node.field("value")), entry.node});
      break;
    default: break;
  }
  ctx_.loops_.resize(ctx_.loops_.size() - entry.loops_pushed);
  if (entry.scope_pushed) ctx_.scopes_.pop_back();
  if (entry.frame_pushed) ctx_.frames_.pop_back();
  if (entry.with_pushed) ctx_.withs_.pop_back();
  if (entry.try_pushed) ctx_.tries_.pop_back();
  if (entry.statement_pushed) ctx_.statements_.pop_back();
}

// Context that begins at a particular child: a loop body (not its iterable, evaluated once),
// a function body (not its decorators or defaults), a with body, a try body.
void Walker::enter_child_region(const Entry& parent, Node child, TSFieldId field, Entry& entry) {
  const FieldIds& fields = FieldIds::get();
  Node p = parent.node;
  switch (parent.kind) {
    case SemKind::for_statement:
      if (field == fields.body) {
        bind_pattern(p.field("left"), BindingKind::loop_target);
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
        bind_pattern(clause.field("left"), BindingKind::loop_target);
        if (!is_body && clause.start_byte() >= child.start_byte()) continue;
        push_loop(LoopFrame{p, LoopKind::comprehension, starts_with_keyword(clause, "async"),
                            clause.field("left"), clause.field("right")},
                  entry);
      }
      break;
    }
    case SemKind::function_definition:
      if (field == fields.body) {
        push_scope(FrameKind::function, entry);
        push_frame(FrameKind::function, p, starts_with_keyword(p, "async"),
                   ctx_.text(p.field("name")), entry);
        bind_parameters(p.field("parameters"));
      }
      break;
    case SemKind::lambda:
      if (field == fields.body) {
        push_scope(FrameKind::lambda, entry);
        push_frame(FrameKind::lambda, p, false, "<lambda>", entry);
        bind_parameters(p.field("parameters"));
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
        if (Node alias = p.field("alias"); alias && alias.is("identifier")) {
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
      ctx_.facts_.functions.push_back(FunctionFact{
          join_name(ctx_.frame().qualified_name, ctx_.text(node.field("name"))), node.line(),
          starts_with_keyword(node, "async")});
      break;
    }
    case SemKind::class_definition: {
      bind_definition(node, BindingKind::class_def);
      ClassFact fact{join_name(ctx_.frame().qualified_name, ctx_.text(node.field("name"))),
                     node.line(), {}};
      if (Node bases = node.field("superclasses")) {
        for (uint32_t i = 0, n = bases.named_child_count(); i < n; ++i) {
          Node base = bases.named_child(i);
          if (base.is("keyword_argument")) continue;
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
        if (name.is("identifier")) bind(ctx_.text(name), Binding{kind, {}, name});
      }
      break;
    }
    case SemKind::comment: record_suppression(node); break;
    case SemKind::call: record_call_fact(node); break;
    default: break;
  }
}

// Module-level imports, definitions and simple assignments are visible to every function body,
// even one written above them: bind them before the walk. Looks into top-level if/try/with
// blocks (conditional imports) but not into functions.
void Walker::hoist_module_bindings(Node module) {
  std::vector<std::pair<Node, int>> pending{{module, 0}};
  while (!pending.empty()) {
    auto [container, depth] = pending.back();
    pending.pop_back();
    for (uint32_t i = 0, n = container.named_child_count(); i < n; ++i) {
      Node statement = container.named_child(i);
      std::string_view kind = statement.kind();
      if (kind == "decorated_definition") statement = statement.field("definition");
      kind = statement.kind();
      if (kind == "import_statement") {
        bind_import(statement);
      } else if (kind == "import_from_statement") {
        bind_import_from(statement);
      } else if (kind == "function_definition") {
        bind_definition(statement, BindingKind::function);
      } else if (kind == "class_definition") {
        bind_definition(statement, BindingKind::class_def);
      } else if (kind == "expression_statement" && statement.named_child(0).is("assignment")) {
        bind_assignment(statement.named_child(0));
      } else if (depth < 4 && (kind == "if_statement" || kind == "try_statement" ||
                               kind == "with_statement" || kind == "block" ||
                               kind == "else_clause" || kind == "elif_clause" ||
                               kind == "except_clause" || kind == "finally_clause")) {
        pending.emplace_back(statement, depth + 1);
      }
    }
  }
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
  const std::string& outer = ctx_.frame().qualified_name;
  std::string qualified = outer.size() > kMaxQualifiedName ? outer : join_name(outer, name);
  ctx_.frames_.push_back(
      ExecutionFrame{kind, node, is_async, std::move(qualified), ctx_.loops_.size()});
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
    if (node.is("identifier")) {
      bind(ctx_.text(node), Binding{kind, {}, node});
      continue;
    }
    if (node.is("attribute") || node.is("subscript")) continue;
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) pending.push_back(node.named_child(i));
  }
}

void Walker::bind_parameters(Node parameters) {
  if (!parameters) return;
  for (uint32_t i = 0, n = parameters.named_child_count(); i < n; ++i) {
    Node parameter = parameters.named_child(i);
    Node name = parameter;
    if (parameter.is("default_parameter") || parameter.is("typed_default_parameter")) {
      name = parameter.field("name");
    } else if (parameter.is("typed_parameter")) {
      name = parameter.named_child(0);
    }
    bind_pattern(name, BindingKind::parameter);
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

void Walker::bind_assignment(Node assignment) {
  // `a = b = value` nests as assignment(a, assignment(b, value)).
  Node value = assignment;
  std::vector<Node> targets;
  while (value && value.is("assignment")) {
    targets.push_back(value.field("left"));
    value = value.field("right");
  }
  if (!value) return;  // a bare annotation `x: int` binds nothing
  Value inferred = ctx_.infer(value);
  for (Node target : targets) {
    if (target.is("identifier")) {
      bind(ctx_.text(target), Binding{BindingKind::assignment, inferred, assignment});
    } else {
      bind_pattern(target, BindingKind::other);
    }
  }
}

// `s += x` keeps the binding that made `s` (so a loop-invariant origin stays visible) and
// keeps its kind when the operation cannot change it (str += anything is str or an error).
void Walker::bind_augmented_assignment(Node assignment) {
  Node target = assignment.field("left");
  if (!target.is("identifier")) return;
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
    if (name && name.is("identifier")) {
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

}  // namespace perfscan
