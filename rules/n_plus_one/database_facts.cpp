// The hidden rule that records DatabaseFacts during the walk: model class bodies (fields,
// relations, declared indexes), ORM roots (`Base = declarative_base()`), the columns query
// sites filter on, and what each function does (a query or remote call, and which functions
// it calls). The link step (src/engine/project_index.cpp) joins them across files.
#include <fmt/format.h>

#include <algorithm>

#include "function_effects.hpp"
#include "knowledge.hpp"
#include "loop_context.hpp"
#include "orm_syntax.hpp"
#include "query_shapes.hpp"
#include "rule_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/node_kinds.hpp"
#include "perfscan/project.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

bool is_sqlalchemy_column(std::string_view short_name) {
  return short_name == "Column" || short_name == "mapped_column";
}

// Django's lookup suffixes that compare by range or pattern rather than equality.
bool is_range_lookup(std::string_view lookup) {
  for (std::string_view range : {"gt", "gte", "lt", "lte", "range", "startswith", "istartswith", "year", "month",
                                 "day", "date", "week_day", "hour"}) {
    if (lookup == range) return true;
  }
  return false;
}

bool is_equality_lookup(std::string_view lookup) {
  return lookup == "exact" || lookup == "iexact" || lookup == "in" || lookup == "isnull";
}

class DatabaseFactCollector final : public Rule {
 public:
  DatabaseFactCollector()
      : Rule({"PS-facts", "database-facts", Category::database, Severity::low,
              "Records models, query sites and function effects for the link step"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"class_definition", "call", "assignment"};
  }

  void check(Node node, Context& ctx) const override {
    if (kinds::call.matches(node)) {
      record_function_effect(node, ctx);
      record_query_site(node, ctx);
      record_signal(node, ctx);
      record_queryset_arguments(node, ctx);
      if (ctx.frame().kind == FrameKind::module) record_module_index(node, ctx);
    } else if (kinds::class_definition.matches(node)) {
      record_model(node, ctx);
    } else if (ctx.frame().kind == FrameKind::module) {
      record_orm_root(node, ctx);
    }
  }

 private:
  // ---- what functions do -------------------------------------------------------------------
  static void record_function_effect(Node call, Context& ctx) {
    const ExecutionFrame* function = ctx.function();
    if (function == nullptr || is_migration_file(ctx.path())) {
      record_model_evidence(ctx, classify_call(ctx, call));
      return;
    }
    Node target = call.field("function");
    if (!kinds::attribute.matches(target) && !kinds::identifier.matches(target)) return;
    std::string callee = ctx.callee_name(call);
    if (callee.starts_with("builtins.")) return;
    CallEffect effect = classify_call(ctx, call, callee);
    record_model_evidence(ctx, effect);
    if (effect.any() && executes_given_statement(ctx, call, effect)) return;
    // A queryset built here but evaluated by whoever receives it runs no query here.
    if (effect.kind == EffectKind::lazy_query) {
      Node outer = outermost_chain_call(call);
      if (!(outer == call) && classify_call(ctx, outer).any()) return;  // the chain's own call decides
      if (!is_lazy_query_evaluated(ctx, outer)) return;
    }
    if (!effect.any()) {
      if (callee.empty()) callee = resolved_callee(ctx, call);
      if (callee.empty()) return;
    }
    FunctionEffectFact& fact = function_fact(ctx, *function);
    if (effect.any()) {
      if (fact.effect.empty()) {
        fact.effect = fmt::format("`{}`", effect.api);
        fact.effect_line = call.line();
        fact.effect_is_remote = effect.kind == EffectKind::http || effect.kind == EffectKind::redis;
      }
    } else {
      fact.callees.add(callee);
    }
  }

  static FunctionEffectFact& function_fact(Context& ctx, const ExecutionFrame& function) {
    return function_effect_fact(ctx, function);
  }

  // `X.objects....` / `X.query....`: X is used as a model, wherever it is defined.
  static void record_model_evidence(Context& ctx, const CallEffect& effect) {
    if (effect.any() && !effect.model.empty() && effect.model.find('.') != std::string::npos) {
      ctx.facts().database.model_evidence.add(effect.model);
    }
  }

  // `Index("ix_user_email", User.email)` at module level (SQLAlchemy): an index of a model of
  // this file, its columns named through the mapped class.
  static void record_module_index(Node call, Context& ctx) {
    std::string callee = ctx.callee_name(call);
    if (!callee.starts_with("sqlalchemy.")) return;
    std::string short_name = short_api(callee);
    if (short_name != "Index" && short_name != "UniqueConstraint") return;
    Node arguments = call.field("arguments");
    std::string model;
    std::vector<std::string> columns;
    for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
      Node argument = arguments.named_child(i);
      if (!kinds::attribute.matches(argument)) continue;
      std::string owner = ctx.qualified_name(argument.field("object"));
      if (owner.empty() || (!model.empty() && owner != model)) return;
      model = std::move(owner);
      columns.emplace_back(ctx.text(argument.field("attribute")));
    }
    if (columns.empty()) return;
    for (ModelFact& fact : ctx.facts().database.models) {
      if (fact.qualified_name == model) fact.indexes.push_back(std::move(columns));
    }
  }

  // ---- signals -----------------------------------------------------------------------------
  static bool is_model_signal(std::string_view name) {
    for (std::string_view signal : {"pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed"}) {
      if (name == signal) return true;
    }
    return false;
  }

  // `post_save.connect(handler, sender=Book)` and `@receiver(post_save, sender=Book)`
  // (`@receiver([pre_save, post_save], sender=Book)`).
  static void record_signal(Node call, Context& ctx) {
    Node function = call.field("function");
    if (!kinds::attribute.matches(function) && !kinds::identifier.matches(function)) return;
    std::string_view last = kinds::attribute.matches(function) ? ctx.text(function.field("attribute")) : ctx.text(function);
    if (last != "connect" && last != "receiver") return;
    Node sender = keyword_value(ctx, call, "sender");
    if (!sender) return;
    std::string sender_name = ctx.qualified_name(sender);
    if (sender_name.empty()) {
      if (!string_literal(ctx, sender, sender_name)) sender_name = std::string(ctx.text(sender));
    }
    auto add = [&](Node signal) {
      std::string name = short_api(ctx.text(signal));
      if (is_model_signal(name)) ctx.facts().database.signals.push_back(SignalFact{name, sender_name, call.line()});
    };
    if (last == "connect") {
      add(function.field("object"));
      return;
    }
    Node first = first_argument(call);
    if (first && (first.is("list") || first.is("tuple"))) {
      for (uint32_t i = 0, n = first.named_child_count(); i < n; ++i) add(first.named_child(i));
    } else if (first) {
      add(first);
    }
  }

  // ---- querysets handed to project functions (PS202 at link time) ----------------------------
  static void record_queryset_arguments(Node call, Context& ctx) {
    Node arguments = call.field("arguments");
    if (!arguments || arguments.named_child_count() == 0 || ctx.function() == nullptr) return;
    Node function = call.field("function");
    if (!kinds::identifier.matches(function) && !kinds::attribute.matches(function)) return;
    std::string callee;
    std::uint16_t position = 0;
    for (uint32_t i = 0, n = arguments.named_child_count(); i < n; ++i) {
      Node argument = arguments.named_child(i);
      std::string keyword;
      if (kinds::keyword_argument.matches(argument)) {
        keyword = std::string(ctx.text(argument.field("name")));
        argument = argument.field("value");
      } else if (kinds::list_splat.matches(argument) || kinds::dictionary_splat.matches(argument) || kinds::comment.matches(argument)) {
        continue;
      }
      std::uint16_t at = position;
      if (keyword.empty()) ++position;
      // Only what can hold a queryset: a name, an attribute or a method chain.
      if (!argument || !(kinds::identifier.matches(argument) || kinds::call.matches(argument) || kinds::attribute.matches(argument))) continue;
      auto rows = queryset_rows(ctx, argument, /*from_parameters=*/false);
      if (!rows || rows->model.empty()) continue;
      if (callee.empty()) {
        callee = resolved_callee(ctx, call);
        if (callee.empty() || callee.starts_with("builtins.") || callee.starts_with("django.")) return;
      }
      ctx.facts().database.queryset_arguments.push_back(QuerysetArgumentFact{
          callee, std::move(keyword), at, std::move(rows->model), std::move(rows->eager), rows->everything_eager,
          ctx.function()->qualified_name, call.line()});
    }
  }

  // ---- query sites (PS9xx) -------------------------------------------------------------------
  static void record_query_site(Node call, Context& ctx) {
    Node function = call.field("function");
    if (!kinds::attribute.matches(function)) return;
    std::string_view method = ctx.text(function.field("attribute"));
    // Not exclude(): a negated condition (`<>`, `NOT IN`) is not what an index serves.
    bool django_method = method == "filter" || method == "get" || method == "order_by" || method == "get_or_create";
    bool sqlalchemy_method = method == "filter" || method == "where" || method == "filter_by" || method == "order_by";
    if (!django_method && !sqlalchemy_method) return;
    if (is_migration_file(ctx.path())) return;
    QuerySiteFact site;
    TSPoint start = call.start_point();
    site.line = start.row + 1;
    site.column = start.column + 1;
    std::string callee = ctx.callee_name(call);
    if (ManagerChain chain = manager_chain(callee); django_method && !chain.model.empty()) {
      site.model = chain.model;
      django_columns(ctx, call, method, site);
    } else {
      if (sqlalchemy_method) sqlalchemy_columns(ctx, call, method, site);
      if (site.model.empty() && django_method && resolve_django_receiver(ctx, function.field("object"), site)) {
        site.columns.clear();
        django_columns(ctx, call, method, site);
      }
    }
    if (site.model.empty() || site.columns.empty()) return;
    site.context = site_context(ctx);
    if (const ExecutionFrame* enclosing = ctx.function()) site.function = enclosing->qualified_name;
    ctx.facts().database.query_sites.push_back(std::move(site));
  }

  // Where a query's columns weigh: request handlers and views modules serve requests; tests and
  // migrations run no production query; management commands, admin modules and one-time paths
  // run off the request path; anything else is decided by its callers at link time.
  static SiteContext site_context(const Context& ctx) {
    std::string_view path = ctx.path();
    std::string_view file = path.substr(path.find_last_of('/') == std::string_view::npos ? 0 : path.find_last_of('/') + 1);
    // Test modules by name, and test functions and classes. Not every file under a tests/
    // folder: the path is as given, and a project that itself lives under a folder of that
    // name would lose every site.
    bool test_module = file.starts_with("test_") || file.ends_with("_test.py") || file == "conftest.py" ||
                       file == "tests.py";
    if (test_module || ctx.frame().is_test) return SiteContext::excluded;
    if (file == "admin.py" || path.find("/admin/") != std::string_view::npos || !ctx.one_time_path().empty()) {
      return SiteContext::offline;
    }
    if (is_request_handler(ctx)) return SiteContext::request;
    for (std::string_view module : {"views", "api", "viewsets", "handlers", "endpoints", "resources"}) {
      if (file == fmt::format("{}.py", module) || path.find(fmt::format("/{}/", module)) != std::string_view::npos) {
        return SiteContext::request;
      }
    }
    return SiteContext::ordinary;
  }

  // A Django query whose receiver is not `Model.objects`: a typed queryset (`qs = qs.filter()`,
  // `books: QuerySet[Book]`), a related manager of a typed object (`author.books.filter`,
  // `self.books.filter` in a model method), or `self` inside a custom manager or queryset class.
  static bool resolve_django_receiver(const Context& ctx, Node receiver, QuerySiteFact& site) {
    Node root = receiver;
    for (int guard = 0; guard < 32 && root && kinds::call.matches(root); ++guard) {
      Node inner = root.field("function");
      if (!kinds::attribute.matches(inner)) break;
      std::string_view method = ctx.text(inner.field("attribute"));
      bool keeps_rows = method == "get_queryset" || method == "all" || method == "filter" || method == "exclude" ||
                        method == "order_by" || method == "select_related" || method == "prefetch_related" ||
                        method == "annotate" || method == "distinct" || method == "only" || method == "defer";
      if (!keeps_rows) return false;
      root = inner.field("object");
    }
    if (!root) return false;
    if (auto rows = queryset_rows(ctx, receiver, /*from_parameters=*/false); rows && !rows->model.empty()) {
      site.model = std::move(rows->model);
      return true;
    }
    bool self = kinds::identifier.matches(root) && ctx.text(root) == "self";
    bool super_call = kinds::call.matches(root) && ctx.text(root.field("function")) == "super";
    if ((self || super_call) && is_manager_class(ctx, ctx.enclosing_class())) {
      site.model = std::string(ctx.enclosing_class());
      site.model_kind = SiteModel::manager;
      return true;
    }
    if (kinds::attribute.matches(root)) {
      std::string_view relation = ctx.text(root.field("attribute"));
      if (relation == "objects" || relation.empty() || relation.front() == '_') return false;
      Value owner = ctx.infer(root.field("object"));
      if (owner.kind != ValueKind::instance || owner.qualified_name.find(".objects") != std::string::npos) return false;
      site.model = owner.qualified_name;
      site.model_kind = SiteModel::relation;
      site.relation = std::string(relation);
      return true;
    }
    return false;
  }

  // A class whose own name or a base's says it is a manager or a queryset.
  static bool is_manager_class(const Context& ctx, std::string_view qualified_name) {
    if (qualified_name.empty()) return false;
    auto manager_like = [](std::string_view name) { return name.ends_with("Manager") || name.ends_with("QuerySet"); };
    if (manager_like(qualified_name)) return true;
    for (const ClassFact& fact : ctx.facts().classes) {
      if (fact.qualified_name != qualified_name) continue;
      for (const std::string& base : fact.bases) {
        if (manager_like(base)) return true;
      }
    }
    return false;
  }

  static void django_columns(const Context& ctx, Node call, std::string_view method, QuerySiteFact& site) {
    Node arguments = call.field("arguments");
    for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
      Node argument = arguments.named_child(i);
      if (method == "order_by") {
        std::string field;
        if (!string_literal(ctx, argument, field)) continue;
        if (!field.empty() && field.front() == '-') field.erase(0, 1);
        if (field.empty() || field == "?" || field.find("__") != std::string::npos) continue;
        site.columns.emplace_back(field, LookupKind::order);
        continue;
      }
      if (!kinds::keyword_argument.matches(argument)) continue;
      std::string_view key = ctx.text(argument.field("name"));
      if (key == "defaults" || key == "create_defaults") continue;
      auto split = key.find("__");
      std::string_view field = key.substr(0, split);
      LookupKind kind = LookupKind::equality;
      if (split != std::string_view::npos) {
        std::string_view lookup = key.substr(split + 2);
        if (is_range_lookup(lookup)) {
          kind = LookupKind::range;
        } else if (!is_equality_lookup(lookup)) {
          // A relation traversal (`author__name`) filters another table and joins on this
          // one's column; a pattern lookup (`name__icontains`) no index serves. The link step
          // tells them apart by the field's kind.
          kind = LookupKind::join;
        }
      }
      site.columns.emplace_back(std::string(field), kind);
    }
  }

  // `where(User.email == x)`, `filter(User.age > 3)`, `order_by(User.created.desc())`,
  // `filter_by(email=x)` (model from the chain's `query(User)` / `select(User)`).
  static void sqlalchemy_columns(const Context& ctx, Node call, std::string_view method, QuerySiteFact& site) {
    Node arguments = call.field("arguments");
    for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
      Node argument = arguments.named_child(i);
      if (method == "filter_by") {
        if (!kinds::keyword_argument.matches(argument)) continue;
        if (site.model.empty()) site.model = chain_root_model(ctx, call);
        site.columns.emplace_back(std::string(ctx.text(argument.field("name"))), LookupKind::equality);
        continue;
      }
      LookupKind kind = method == "order_by" ? LookupKind::order : LookupKind::equality;
      Node column = argument;
      if (argument.is("comparison_operator")) {
        column = argument.named_child(0);
        std::string_view text = ctx.text(argument);
        if (text.find('<') != std::string_view::npos || text.find('>') != std::string_view::npos) {
          kind = LookupKind::range;
        }
      } else if (kinds::call.matches(argument)) {
        // `User.created.desc()`, `User.id.in_(ids)`
        Node inner = argument.field("function");
        column = kinds::attribute.matches(inner) ? inner.field("object") : Node{};
      }
      if (!column || !kinds::attribute.matches(column)) continue;
      std::string model = ctx.qualified_name(column.field("object"));
      if (model.empty() || (!site.model.empty() && site.model != model)) continue;
      site.model = std::move(model);
      site.columns.emplace_back(std::string(ctx.text(column.field("attribute"))), kind);
    }
  }

  static std::string chain_root_model(const Context& ctx, Node call) {
    Node current = call;
    for (int guard = 0; guard < 32 && current && kinds::call.matches(current); ++guard) {
      Node function = current.field("function");
      std::string_view name = kinds::attribute.matches(function) ? ctx.text(function.field("attribute")) : ctx.text(function);
      if (name == "query" || name == "select") {
        Node arguments = current.field("arguments");
        Node first = arguments ? arguments.named_child(0) : Node{};
        return first ? ctx.qualified_name(first) : std::string{};
      }
      current = kinds::attribute.matches(function) ? function.field("object") : Node{};
    }
    return {};
  }

  // ---- models ------------------------------------------------------------------------------
  static void record_model(Node class_node, Context& ctx) {
    Node body = class_node.field("body");
    if (!body || !class_node.field("superclasses")) return;
    ModelFact model;
    model.name = std::string(ctx.text(class_node.field("name")));
    const std::string& outer = ctx.frame().qualified_name;
    model.qualified_name = outer.empty() ? model.name : fmt::format("{}.{}", outer, model.name);
    TSPoint start = class_node.start_point();
    model.line = start.row + 1;
    model.column = start.column + 1;
    bool declares_model = false;
    for (uint32_t i = 0, n = body.named_child_count(); i < n; ++i) {
      Node statement = body.named_child(i);
      if (kinds::class_definition.matches(statement) && ctx.text(statement.field("name")) == "Meta") {
        read_django_meta(ctx, statement, model);
        declares_model = true;
        continue;
      }
      Node definition = statement.is("decorated_definition") ? statement.field("definition") : statement;
      if (definition && kinds::function_definition.matches(definition)) {
        // A model (or a mixin of one) whose save()/delete() does work that bulk operations skip.
        std::string_view method = ctx.text(definition.field("name"));
        if (method == "save" || method == "delete") {
          model.overrides.emplace_back(method);
          declares_model = true;
        }
        continue;
      }
      if (!statement.is("expression_statement")) continue;
      Node assignment = statement.named_child(0);
      if (!assignment || !kinds::assignment.matches(assignment)) continue;
      Node target = assignment.field("left");
      Node value = assignment.field("right");
      if (!target || !kinds::identifier.matches(target) || !value) continue;
      std::string_view name = ctx.text(target);
      if (name == "__tablename__") {
        string_literal(ctx, value, model.table);
        model.orm_hint = Orm::sqlalchemy;
        declares_model = true;
      } else if (name == "__table_args__") {
        read_table_args(ctx, value, model);
      } else if (kinds::call.matches(value)) {
        declares_model |= read_field(ctx, target, value, model);
      }
    }
    if (declares_model) ctx.facts().database.models.push_back(std::move(model));
  }

  // One `name = <call>` of a class body. True when it declares a field, relation or manager.
  static bool read_field(const Context& ctx, Node target, Node call, ModelFact& model) {
    std::string callee = ctx.callee_name(call);
    if (callee.empty()) return false;
    std::string short_name = short_api(callee);
    TSPoint start = target.start_point();
    FieldFact field{std::string(ctx.text(target)), FieldKind::column, {}, {}, {}, start.row + 1, start.column + 1, false};
    Node arguments = call.field("arguments");
    Node first = arguments ? arguments.named_child(0) : Node{};
    bool django = callee.starts_with("django.");
    if (std::string manager = manager_class(ctx, call, callee); !manager.empty()) {
      model.managers.push_back(field.name);
      model.manager_classes.push_back(std::move(manager));
      return true;
    }
    if (django && short_name.ends_with("Manager")) {
      model.managers.push_back(field.name);
      return true;
    }
    if (django && (short_name == "ForeignKey" || short_name == "OneToOneField" || short_name == "ManyToManyField")) {
      field.kind = short_name == "ForeignKey"      ? FieldKind::foreign_key
                   : short_name == "OneToOneField" ? FieldKind::one_to_one
                                                   : FieldKind::many_to_many;
      if (first && !kinds::keyword_argument.matches(first)) {
        std::string resolved = ctx.qualified_name(first);
        field.target = resolved.empty() ? std::string(ctx.text(first)) : resolved;
      } else if (Node to = keyword_value(ctx, call, "to")) {
        field.target = std::string(ctx.text(to));
      }
      string_literal(ctx, keyword_value(ctx, call, "related_name"), field.related_name);
      Node db_index = keyword_value(ctx, call, "db_index");
      field.indexed = field.kind != FieldKind::many_to_many && !(db_index && ctx.text(db_index) == "False");
    } else if (short_name == "GenericForeignKey") {
      field.kind = FieldKind::generic_fk;
    } else if (django && short_name.ends_with("Field")) {
      field.boolean = short_name == "BooleanField" || short_name == "NullBooleanField";
      field.choices = count_choices(ctx, keyword_value(ctx, call, "choices"), target);
      // SlugField indexes itself unless told not to.
      Node db_index = keyword_value(ctx, call, "db_index");
      bool default_index = short_name == "SlugField" && !(db_index && ctx.text(db_index) == "False");
      field.indexed = is_true(ctx, keyword_value(ctx, call, "primary_key")) ||
                      is_true(ctx, keyword_value(ctx, call, "unique")) || is_true(ctx, db_index) ||
                      default_index || short_name == "AutoField" || short_name == "BigAutoField" ||
                      short_name == "SmallAutoField";
    } else if (is_sqlalchemy_column(short_name)) {
      model.orm_hint = Orm::sqlalchemy;
      field.boolean = first && short_api(ctx.text(first)) == "Boolean";
      field.indexed = is_true(ctx, keyword_value(ctx, call, "primary_key")) ||
                      is_true(ctx, keyword_value(ctx, call, "index")) ||
                      is_true(ctx, keyword_value(ctx, call, "unique"));
      for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
        Node argument = arguments.named_child(i);
        if (kinds::call.matches(argument) && short_api(ctx.text(argument.field("function"))) == "ForeignKey") {
          field.kind = FieldKind::foreign_key;
          Node referenced = argument.field("arguments") ? argument.field("arguments").named_child(0) : Node{};
          if (referenced) field.target = std::string(ctx.text(referenced));
        }
      }
    } else if (short_name == "relationship") {
      model.orm_hint = Orm::sqlalchemy;
      field.kind = FieldKind::relationship;
      if (first && !kinds::keyword_argument.matches(first)) field.target = std::string(ctx.text(first));
      Node lazy = keyword_value(ctx, call, "lazy");
      if (lazy && !string_literal(ctx, lazy, field.lazy)) field.lazy = std::string(ctx.text(lazy));
      string_literal(ctx, keyword_value(ctx, call, "back_populates"), field.related_name);
    } else {
      return false;
    }
    if (django) model.orm_hint = Orm::django;
    model.fields.push_back(std::move(field));
    return true;
  }

  // The project class behind a manager: `BookManager()`, `BookQuerySet.as_manager()`,
  // `models.Manager.from_queryset(BookQuerySet)()`; "" for Django's own managers.
  static std::string manager_class(const Context& ctx, Node call, const std::string& callee) {
    if (callee.ends_with(".as_manager")) return callee.substr(0, callee.size() - std::string_view(".as_manager").size());
    Node function = call.field("function");
    if (kinds::call.matches(function) && ctx.text(function.field("function")).ends_with("from_queryset")) {
      Node inner = function.field("arguments");
      Node queryset = inner ? inner.named_child(0) : Node{};
      return queryset ? ctx.qualified_name(queryset) : std::string{};
    }
    if (callee.starts_with("django.")) return {};
    std::string short_name = short_api(callee);
    return short_name.ends_with("Manager") || short_name.ends_with("QuerySet") ? callee : std::string{};
  }

  // How many values `choices=` allows: a display, a name bound to one in the class body or the
  // module, or an enum-like class (`Status.choices`) whose body assigns them; 0 when unknown.
  static std::uint16_t count_choices(const Context& ctx, Node choices, Node field_target) {
    if (!choices) return 0;
    if (choices.is("list") || choices.is("tuple")) return static_cast<std::uint16_t>(choices.named_child_count());
    Node body_owner = field_target;
    if (kinds::attribute.matches(choices) && ctx.text(choices.field("attribute")) == "choices") {
      const Binding* binding = ctx.lookup(ctx.text(choices.field("object")));
      if (binding == nullptr || binding->kind != BindingKind::class_def) return 0;
      Node body = binding->node.is("class_definition") ? binding->node.field("body") : Node{};
      std::uint16_t members = 0;
      for (uint32_t i = 0, n = body ? body.named_child_count() : 0; i < n; ++i) {
        Node statement = body.named_child(i);
        if (statement.is("expression_statement") && statement.named_child(0).is("assignment")) ++members;
      }
      return members;
    }
    if (!kinds::identifier.matches(choices)) return 0;
    std::string_view name = ctx.text(choices);
    // A constant of the model's own body, assigned before the field.
    for (Node statement = body_owner ? body_owner.parent().parent() : Node{}; statement;
         statement = statement.prev_named_sibling()) {
      Node assignment = statement.is("expression_statement") ? statement.named_child(0) : Node{};
      if (!assignment || !kinds::assignment.matches(assignment) || ctx.text(assignment.field("left")) != name) continue;
      Node value = assignment.field("right");
      bool display = value && (value.is("list") || value.is("tuple"));
      return display ? static_cast<std::uint16_t>(value.named_child_count()) : 0;
    }
    const Binding* binding = ctx.lookup(name);
    if (binding == nullptr || binding->kind != BindingKind::assignment || !binding->node.is("assignment")) return 0;
    Node value = binding->node.field("right");
    bool display = value && (value.is("list") || value.is("tuple"));
    return display ? static_cast<std::uint16_t>(value.named_child_count()) : 0;
  }

  static void read_django_meta(const Context& ctx, Node meta, ModelFact& model) {
    Node body = meta.field("body");
    for (uint32_t i = 0, n = body ? body.named_child_count() : 0; i < n; ++i) {
      Node statement = body.named_child(i);
      Node assignment = statement.is("expression_statement") ? statement.named_child(0) : Node{};
      if (!assignment || !kinds::assignment.matches(assignment)) continue;
      std::string_view name = ctx.text(assignment.field("left"));
      Node value = assignment.field("right");
      if (!value) continue;
      if (name == "db_table") {
        string_literal(ctx, value, model.table);
      } else if (name == "abstract") {
        model.abstract = is_true(ctx, value);
      } else if (name == "index_together" || name == "unique_together") {
        // `[("a", "b"), ...]`, or one flat `("a", "b")`.
        std::vector<std::string> flat = string_items(ctx, value);
        if (!flat.empty()) {
          model.indexes.push_back(std::move(flat));
          continue;
        }
        for (uint32_t j = 0, m = value.named_child_count(); j < m; ++j) {
          std::vector<std::string> columns = string_items(ctx, value.named_child(j));
          if (!columns.empty()) model.indexes.push_back(std::move(columns));
        }
      } else if (name == "indexes" || name == "constraints") {
        for (uint32_t j = 0, m = value.named_child_count(); j < m; ++j) {
          Node index = value.named_child(j);
          if (!kinds::call.matches(index)) continue;
          std::vector<std::string> columns = string_items(ctx, keyword_value(ctx, index, "fields"));
          for (std::string& column : columns) {
            if (!column.empty() && column.front() == '-') column.erase(0, 1);
          }
          if (!columns.empty()) model.indexes.push_back(std::move(columns));
        }
      }
    }
  }

  // `__table_args__ = (Index("ix_user_email", "email"), UniqueConstraint("a", "b"), {...})`
  static void read_table_args(const Context& ctx, Node value, ModelFact& model) {
    if (kinds::parenthesized_expression.matches(value)) value = value.named_child(0);
    for (uint32_t i = 0, n = value.named_child_count(); i < n; ++i) {
      Node item = value.named_child(i);
      if (!kinds::call.matches(item)) continue;
      std::string short_name = short_api(ctx.text(item.field("function")));
      if (short_name != "Index" && short_name != "UniqueConstraint" && short_name != "PrimaryKeyConstraint") continue;
      Node arguments = item.field("arguments");
      std::vector<std::string> columns;
      for (uint32_t j = short_name == "Index" ? 1 : 0, m = arguments.named_child_count(); j < m; ++j) {
        Node argument = arguments.named_child(j);
        std::string column;
        if (string_literal(ctx, argument, column)) {
          columns.push_back(std::move(column));
        } else if (kinds::identifier.matches(argument) || kinds::attribute.matches(argument)) {
          columns.push_back(short_api(ctx.text(argument)));
        }
      }
      if (!columns.empty()) model.indexes.push_back(std::move(columns));
    }
  }

  // ---- ORM roots -----------------------------------------------------------------------------
  static void record_orm_root(Node assignment, Context& ctx) {
    Node target = assignment.field("left");
    Node value = assignment.field("right");
    if (!target || !kinds::identifier.matches(target) || !value || !kinds::call.matches(value)) return;
    std::string callee = ctx.callee_name(value);
    if (callee.empty()) return;
    bool declarative = short_api(callee) == "declarative_base" || callee.ends_with(".generate_base");
    bool flask = callee == "flask_sqlalchemy.SQLAlchemy";
    if (!declarative && !flask) return;
    const std::string& module = ctx.module_name();
    std::string name(ctx.text(target));
    ctx.facts().database.roots.push_back(
        OrmRootFact{module.empty() ? name : fmt::format("{}.{}", module, name), Orm::sqlalchemy});
  }
};

}  // namespace

const Rule& database_fact_collector() {
  static const DatabaseFactCollector collector;
  return collector;
}

}  // namespace perfscan
