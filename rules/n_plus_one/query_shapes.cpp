#include "query_shapes.hpp"

#include <cctype>

#include "knowledge.hpp"
#include "orm_syntax.hpp"
#include "perfscan/node_kinds.hpp"
#include "perfscan/types.hpp"

namespace perfscan {
namespace {

constexpr int kMaxChain = 32;

Node assigned_value_of(const Binding& binding) {
  if (binding.kind != BindingKind::assignment || !binding.node.is("assignment")) return {};
  Node value = binding.node;
  while (value && kinds::assignment.matches(value)) value = value.field("right");
  return value;
}

// The relation a loader option or related-lookup names: `"author__country"` -> "author",
// `Book.author` -> "author", `Prefetch("reviews", ...)` -> "reviews".
std::string relation_name(const Context& ctx, Node argument) {
  std::string text;
  if (string_literal(ctx, argument, text)) return text.substr(0, text.find("__"));
  if (kinds::attribute.matches(argument)) return std::string(ctx.text(argument.field("attribute")));
  if (kinds::call.matches(argument)) {
    Node arguments = argument.field("arguments");
    Node first = arguments ? arguments.named_child(0) : Node{};
    return first ? relation_name(ctx, first) : std::string{};
  }
  return {};
}

void read_eager(const Context& ctx, std::string_view method, Node call, IteratedQuery& query) {
  Node arguments = call.field("arguments");
  uint32_t count = arguments ? arguments.named_child_count() : 0;
  if (method == "select_related" && count == 0) query.everything_eager = true;
  bool loads = method == "select_related" || method == "prefetch_related" || method == "options";
  if (!loads) return;
  for (uint32_t i = 0; i < count; ++i) {
    std::string name = relation_name(ctx, arguments.named_child(i));
    if (!name.empty()) query.eager.push_back(std::move(name));
  }
}

bool is_queryset_method(std::string_view method) {
  for (std::string_view lazy : {"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate",
                                "distinct", "only", "defer", "using", "reverse", "alias", "select_for_update",
                                "iterator"}) {
    if (method == lazy) return true;
  }
  return false;
}

// The eager loads along one method chain (`a.select_related("x").filter(...)`), and its root.
// `only_queryset_methods` tells whether every call of the chain keeps a queryset's rows.
Node read_chain_eager(const Context& ctx, Node expr, IteratedQuery& query, bool* only_queryset_methods = nullptr) {
  if (only_queryset_methods != nullptr) *only_queryset_methods = true;
  Node current = expr;
  for (int guard = 0; guard < kMaxChain && current; ++guard) {
    if (kinds::parenthesized_expression.matches(current)) {
      current = current.named_child(0);
      continue;
    }
    if (kinds::subscript.matches(current)) {  // `qs[:10]` keeps the loads
      current = current.field("value");
      continue;
    }
    if (!kinds::call.matches(current)) break;
    Node function = current.field("function");
    if (!kinds::attribute.matches(function)) break;
    std::string_view method = ctx.text(function.field("attribute"));
    read_eager(ctx, method, current, query);
    if (only_queryset_methods != nullptr && !is_queryset_method(method)) *only_queryset_methods = false;
    current = function.field("object");
  }
  return current;
}

// Assignments `name = <value>` in `body` (nested definitions excluded), bounded.
std::vector<Node> assignments_to(const Context& ctx, Node body, std::string_view name) {
  constexpr int kMaxNodes = 20000;
  std::vector<Node> values;
  std::vector<Node> pending{body};
  for (int visited = 0; !pending.empty() && visited < kMaxNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (kinds::function_definition.matches(node) || kinds::class_definition.matches(node) || node.is("lambda")) continue;
    if (kinds::assignment.matches(node)) {
      Node left = node.field("left");
      Node right = node.field("right");
      if (left && kinds::identifier.matches(left) && ctx.text(left) == name && right) values.push_back(right);
    }
    for (uint32_t i = node.named_child_count(); i-- > 0;) {
      Node child = node.named_child(i);
      // Expressions hold no assignments worth finding (walrus aside): statements only.
      if (child.is("block") || child.kind().ends_with("statement") || child.kind().ends_with("clause") ||
          kinds::assignment.matches(child) || child.is("decorated_definition")) {
        pending.push_back(child);
      }
    }
  }
  return values;
}

// `name` as a parameter of the current function: its position among the arguments a caller
// passes (`self` / `cls` of a method excluded), or nullopt.
std::optional<std::uint16_t> parameter_position(const Context& ctx, std::string_view name) {
  const ExecutionFrame* function = ctx.function();
  if (function == nullptr || !function->node.is("function_definition")) return std::nullopt;
  Node parameters = function->node.field("parameters");
  std::uint16_t position = 0;
  for (uint32_t i = 0, n = parameters ? parameters.named_child_count() : 0; i < n; ++i) {
    Node parameter = parameters.named_child(i);
    Node identifier = parameter;
    if (kinds::typed_parameter.matches(parameter)) identifier = parameter.named_child(0);
    if (kinds::default_parameter.matches(parameter) || kinds::typed_default_parameter.matches(parameter)) {
      identifier = parameter.field("name");
    }
    if (!identifier || !kinds::identifier.matches(identifier)) continue;
    std::string_view text = ctx.text(identifier);
    if (i == 0 && (text == "self" || text == "cls") && !ctx.enclosing_class().empty()) continue;
    if (text == name) return position;
    ++position;
  }
  return std::nullopt;
}

bool is_django_queryset_type(std::string_view type) {
  return type == "django.db.models.QuerySet" || type == "django.db.models.query.QuerySet" ||
         type == "django.db.models.Manager" || type == "django.db.models.manager.Manager";
}

}  // namespace

std::optional<IteratedQuery> queryset_rows(const Context& ctx, Node expr, bool from_parameters) {
  IteratedQuery query;
  Value value = ctx.infer(expr);
  if (value.kind == ValueKind::instance) {
    query.model = django_queryset_model(value.qualified_name);
    if (query.model.empty() && is_django_queryset_type(value.qualified_name)) {
      Value item = value.element_type();
      if (item.kind == ValueKind::instance) query.model = item.qualified_name;
    }
  }
  if (query.model.empty() && !from_parameters) return std::nullopt;
  bool queryset_chain = true;
  Node root = read_chain_eager(ctx, expr, query, &queryset_chain);
  if (!root || !kinds::identifier.matches(root)) {
    if (query.model.empty()) return std::nullopt;
    return query;
  }
  std::string_view name = ctx.text(root);
  // `books`, `books.filter(...)`: the parameter's rows; not `session.scalars(...)`.
  std::optional<std::uint16_t> position =
      from_parameters && queryset_chain ? parameter_position(ctx, name) : std::nullopt;
  if (query.model.empty() && !position) return std::nullopt;
  // `books = books.filter(...)`, `qs = Book.objects.select_related("author")` in the function:
  // what any of its assignments loads, the rows may load. A parameter rebound to something not
  // derived from it no longer holds what the callers passed.
  const ExecutionFrame* function = ctx.function();
  Node body = function != nullptr ? function->node.field("body") : Node{};
  bool derived_from_parameter = position.has_value();
  if (body) {
    for (Node assigned : assignments_to(ctx, body, name)) {
      bool assigned_chain = true;
      Node assigned_root = read_chain_eager(ctx, assigned, query, &assigned_chain);
      if (!assigned_chain || !assigned_root || !kinds::identifier.matches(assigned_root) || ctx.text(assigned_root) != name) {
        derived_from_parameter = false;
      }
    }
  }
  if (derived_from_parameter) {
    query.parameter = std::string(name);
    query.parameter_position = *position;
  }
  if (query.model.empty() && query.parameter.empty()) return std::nullopt;
  return query;
}

std::optional<IteratedQuery> iterated_query(const Context& ctx, Node iterable) {
  if (iterable && kinds::identifier.matches(iterable)) {
    const Binding* binding = ctx.lookup(ctx.text(iterable));
    iterable = binding ? assigned_value_of(*binding) : Node{};
  }
  IteratedQuery query;
  Node current = iterable;
  // `b = a.filter(...)` after `a = job.testsuite_set.all()`: a few names back to the query.
  constexpr int kMaxHops = 4;
  int hops = 0;
  Node last_assignment;
  for (int guard = 0; guard < kMaxChain && current; ++guard) {
    if (kinds::identifier.matches(current)) {
      const Binding* binding = ctx.lookup(ctx.text(current));
      if (binding == nullptr || ++hops > kMaxHops || binding->node == last_assignment) return std::nullopt;
      last_assignment = binding->node;
      current = assigned_value_of(*binding);
      continue;
    }
    if (kinds::call.matches(current)) {
      Node function = current.field("function");
      if (!kinds::attribute.matches(function)) {
        // `select(Book)` at the root of a statement.
        if (ctx.text(function) == "select") {
          Node arguments = current.field("arguments");
          query.model = arguments && arguments.named_child(0) ? ctx.qualified_name(arguments.named_child(0)) : "";
          return query.model.empty() ? std::nullopt : std::optional(query);
        }
        return std::nullopt;
      }
      std::string_view method = ctx.text(function.field("attribute"));
      read_eager(ctx, method, current, query);
      Node arguments = current.field("arguments");
      Node first = arguments ? arguments.named_child(0) : Node{};
      if (method == "query" || method == "select") {
        query.model = first ? ctx.qualified_name(first) : "";
        return query.model.empty() ? std::nullopt : std::optional(query);
      }
      if ((method == "scalars" || method == "execute") && first && kinds::call.matches(first)) {
        current = first;  // session.scalars(select(Book).options(...))
        continue;
      }
      current = function.field("object");
      continue;
    }
    if (kinds::attribute.matches(current) && ctx.text(current.field("attribute")) == "objects") {
      query.model = ctx.qualified_name(current.field("object"));
      return query.model.empty() ? std::nullopt : std::optional(query);
    }
    // `order.lines.all()`: a related manager of a typed object, read through a query method.
    // `job.testsuite_set.all()` on an object of unknown type: Django's default reverse accessor
    // names its model, which the link step looks up among the project's relations.
    if (kinds::attribute.matches(current) && !(current == iterable)) {
      query.model = owner_class(ctx, current.field("object"));
      query.via_relation = std::string(ctx.text(current.field("attribute")));
      bool default_accessor = query.via_relation.ends_with("_set") && query.via_relation.size() > 4;
      return query.model.empty() && !default_accessor ? std::nullopt : std::optional(query);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

std::string owner_class(const Context& ctx, Node expr) {
  if (!expr) return {};
  Value value = ctx.infer(expr);
  if (value.kind != ValueKind::instance) return {};
  const std::string& type = value.qualified_name;
  if (ManagerChain chain = manager_chain(type); !chain.model.empty()) {
    std::string_view last = chain.methods.empty() ? std::string_view{} : chain.methods.back();
    bool row = last == "get" || last == "first" || last == "last" || last == "create" || last == "latest" ||
               last == "earliest";
    return row ? chain.model : std::string{};
  }
  if (type.find(".objects.") != std::string::npos || type.starts_with("builtins.")) return {};
  // A class, by Python's naming convention: the link step decides whether it is a model.
  std::string_view last = std::string_view(type).substr(type.rfind('.') == std::string::npos ? 0 : type.rfind('.') + 1);
  return !last.empty() && std::isupper(static_cast<unsigned char>(last.front())) ? type : std::string{};
}

std::string resolved_callee(const Context& ctx, Node call) {
  std::string callee = ctx.callee_name(call);
  if (!callee.empty()) return callee;
  // `cls.load()`: the class itself, as the semantic layer types `cls`.
  Node function = call.field("function");
  if (!kinds::attribute.matches(function)) return {};
  Value receiver = ctx.infer(function.field("object"));
  if (receiver.kind != ValueKind::symbol || receiver.qualified_name.empty()) return {};
  return receiver.qualified_name + "." + std::string(ctx.text(function.field("attribute")));
}

const LoopFrame* loop_binding(const Context& ctx, std::string_view name) {
  const Binding* binding = ctx.lookup(name);
  if (binding == nullptr || binding->kind != BindingKind::loop_target) return nullptr;
  auto loops = ctx.loops();
  for (auto it = loops.rbegin(); it != loops.rend(); ++it) {
    if (it->target && it->target.contains(binding->node)) return &*it;
  }
  return nullptr;
}

bool is_evaluated_in_place(const Context& ctx, Node expression) {
  Node parent = expression.parent();
  if (!parent) return false;
  std::string_view kind = parent.kind();
  if (kind == "for_statement" || kind == "for_in_clause") return parent.field("right") == expression;
  if (kind == "subscript") {
    if (!(parent.field("value") == expression)) return false;
    // `qs[0]` runs the query; `qs[:10]` is a queryset still, evaluated where it goes.
    Node index = parent.field("subscript");
    return index && index.is("slice") ? is_evaluated_in_place(ctx, parent) : true;
  }
  if (kind == "if_statement" || kind == "elif_clause" || kind == "while_statement" || kind == "not_operator" ||
      kind == "boolean_operator" || kind == "conditional_expression") {
    return true;
  }
  if (kind == "argument_list") {
    Node call = parent.parent();
    std::string callee = call ? ctx.callee_name(call) : std::string{};
    for (std::string_view consumer : {"builtins.list", "builtins.len", "builtins.tuple", "builtins.set",
                                      "builtins.sorted", "builtins.bool", "builtins.sum", "builtins.any",
                                      "builtins.all", "builtins.dict", "builtins.max", "builtins.min"}) {
      if (callee == consumer) return true;
    }
  }
  return false;
}

namespace {

// Uses of `name` in `body` (nested functions and classes excluded), in source order; the walk
// gives up on bodies too large to be worth it.
std::vector<Node> uses_of(const Context& ctx, Node body, std::string_view name) {
  constexpr int kMaxNodes = 20000;
  std::vector<Node> uses;
  std::vector<Node> pending{body};
  for (int visited = 0; !pending.empty() && visited < kMaxNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (kinds::identifier.matches(node)) {
      if (ctx.text(node) == name) uses.push_back(node);
      continue;
    }
    if (kinds::function_definition.matches(node) || kinds::class_definition.matches(node) || node.is("lambda")) continue;
    if (kinds::attribute.matches(node)) {
      pending.push_back(node.field("object"));
      continue;
    }
    for (uint32_t i = node.named_child_count(); i-- > 0;) pending.push_back(node.named_child(i));
  }
  return uses;
}

}  // namespace

bool is_lazy_query_evaluated(const Context& ctx, Node query) {
  if (is_evaluated_in_place(ctx, query)) return true;
  Node parent = query.parent();
  if (!parent || !kinds::assignment.matches(parent) || !(parent.field("right") == query)) return false;
  Node target = parent.field("left");
  const ExecutionFrame* function = ctx.function();
  if (!target || !kinds::identifier.matches(target) || function == nullptr) return false;
  Node body = function->node.field("body");
  if (!body) return false;
  std::string_view name = ctx.text(target);
  for (Node use : uses_of(ctx, body, name)) {
    if (use.start_byte() <= target.start_byte()) continue;
    if (is_evaluated_in_place(ctx, use)) return true;
  }
  return false;
}

PendingFinding& report_pending(const Rule& rule, Node node, Context& ctx, Severity severity) {
  ctx.report(rule, node, {}, {}, severity);
  PendingFinding pending;
  pending.finding = std::move(ctx.findings().back());
  ctx.findings().pop_back();
  pending.finding.source_line = {};
  pending.finding.path = {};
  pending.finding.rule_name = {};
  ctx.facts().database.pending.push_back(std::move(pending));
  return ctx.facts().database.pending.back();
}

Finding confirmed(const Rule& rule, const FileFacts& file, const PendingFinding& pending) {
  Finding finding = pending.finding;
  finding.path = file.path;
  finding.rule_name = rule.info().name;
  return finding;
}

}  // namespace perfscan
