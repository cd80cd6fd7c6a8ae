// PS202 lazy-relation-in-loop: a relation of each row read inside a loop over a query that
// did not load it eagerly (one query per row). Documentation: PS202.md beside this file.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "knowledge.hpp"
#include "loop_context.hpp"
#include "perfscan/context.hpp"
#include "perfscan/project.hpp"
#include "perfscan/rule.hpp"
#include "query_shapes.hpp"

namespace perfscan {
namespace {

// Related-manager methods that run a query (`author.book_set.count()`).
bool is_manager_query(std::string_view method) {
  for (std::string_view query : {"all", "count", "exists", "first", "last", "filter", "exclude", "values",
                                 "values_list", "order_by", "aggregate", "get", "latest", "earliest"}) {
    if (method == query) return true;
  }
  return false;
}

bool is_django_forward(FieldKind kind) {
  return kind == FieldKind::foreign_key || kind == FieldKind::one_to_one || kind == FieldKind::generic_fk;
}

// SQLAlchemy loads on access unless the relationship says otherwise.
bool is_lazy_strategy(std::string_view lazy) {
  return lazy.empty() || lazy == "select" || lazy == "True" || lazy == "dynamic" || lazy == "write_only";
}

class LazyRelationInLoop final : public Rule, public ProjectRule {
 public:
  LazyRelationInLoop()
      : Rule({"PS202", "lazy-relation-in-loop", Category::n_plus_one, Severity::high,
              "Relation loaded lazily for each row of a query iterated in a loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"attribute"}; }

  void check(Node attribute, Context& ctx) const override {
    if (ctx.loops().empty()) return;
    Node object = attribute.field("object");
    if (!object.is("identifier")) return;
    std::string_view name = ctx.text(attribute.field("attribute"));
    if (name.empty() || name.front() == '_' || name.ends_with("_id")) return;
    const LoopFrame* loop = loop_binding(ctx, ctx.text(object));
    if (loop == nullptr || is_assignment_target(attribute)) return;
    // The rows: a queryset as the semantic layer types it (rebindings, annotations), a
    // parameter whose callers decide, else the shapes read syntactically (SQLAlchemy queries,
    // related managers of typed objects).
    bool django_rows = true;
    auto query = queryset_rows(ctx, loop->iterable);
    if (!query || query->model.empty()) {
      if (auto shaped = iterated_query(ctx, loop->iterable)) {
        query = std::move(shaped);
        django_rows = false;
      }
    }
    if (!query || query->everything_eager) return;
    if (std::find(query->eager.begin(), query->eager.end(), name) != query->eager.end()) return;
    // `row.rel = x` earlier in the iteration filled the relation's cache: reading it loads nothing.
    if (assigned_earlier_in_loop(ctx, *loop, attribute)) return;
    PerIteration per = per_iteration(ctx, attribute);
    if (!per.applies()) return;
    std::string method = called_method(ctx, attribute);
    PendingFinding& pending = report_pending(*this, attribute, ctx, per.severity());
    pending.subject = std::move(query->model);
    pending.via_relation = std::move(query->via_relation);
    pending.detail = std::string(name);
    pending.eager = std::move(query->eager);
    pending.subject_is_collection = is_manager_query(method);
    pending.loop_line = loop->node.line();
    pending.parameter = std::move(query->parameter);
    pending.parameter_position = query->parameter_position;
    pending.strong_evidence = django_rows && (pending.subject_is_collection || is_dereferenced(ctx, attribute));
    pending.finding.message = fmt::format("`{}` loads a relation with one query per row of {}{}",
                                          ctx.text(attribute), loop_description(ctx, *loop), per.severity_reason());
  }

  void link(const ProjectIndex& index, std::vector<Finding>& findings) const override {
    // Querysets handed to project functions, by callee, with the path of the file that hands
    // them (the files' facts are read back one at a time: what is kept is copied).
    std::unordered_map<std::string, std::vector<std::pair<std::string, QuerysetArgumentFact>>>
        arguments;
    index.facts().for_each_file(fact_part(FactSection::database), [&](const FileFacts& file) {
      for (const QuerysetArgumentFact& argument : file.database.queryset_arguments) {
        arguments[argument.callee].emplace_back(file.path, argument);
      }
    });
    std::set<std::tuple<std::string, std::uint32_t, std::string>> reported;
    for_each_pending(index, info().id, [&](const FileFacts& file, const PendingFinding& pending) {
      std::optional<Finding> finding;
      if (!pending.parameter.empty()) {
        auto callers = arguments.find(pending.finding.scope);
        if (callers != arguments.end()) {
          finding = decide_from_callers(index, file, pending, callers->second);
          if (!finding) return;
        }
      }
      if (!finding) finding = decide(index, file, pending);
      if (!finding) return;
      if (!reported.emplace(file.path, pending.loop_line, pending.detail).second) return;
      findings.push_back(std::move(*finding));
    });
  }

 private:
  // `book.author = other` sets the relation, it loads nothing.
  static bool is_assignment_target(Node attribute) {
    Node parent = attribute.parent();
    return parent && (parent.is("assignment") || parent.is("augmented_assignment")) &&
           parent.field("left") == attribute;
  }

  // `row.rel` read by an earlier statement of the loop body as an assignment target
  // (`row.rel = x`): Django caches the object assigned.
  static bool assigned_earlier_in_loop(const Context& ctx, const LoopFrame& loop, Node attribute) {
    Node body = loop.node.field("body");
    if (!body) return false;
    std::string_view text = ctx.text(attribute);
    constexpr int kMaxNodes = 4096;
    std::vector<Node> pending{body};
    for (int visited = 0; !pending.empty() && visited < kMaxNodes; ++visited) {
      Node node = pending.back();
      pending.pop_back();
      if (node.start_byte() >= attribute.start_byte()) continue;
      if (node.is("assignment")) {
        Node left = node.field("left");
        if (left && left.is("attribute") && ctx.text(left) == text) return true;
      }
      if (node.is("function_definition") || node.is("class_definition")) continue;
      for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) pending.push_back(node.named_child(i));
    }
    return false;
  }

  // `row.author.name`: the attribute read further, as an object (not a value's method, not a
  // date's or a number's part).
  static bool is_dereferenced(const Context& ctx, Node attribute) {
    Node outer = attribute.parent();
    if (!outer || !outer.is("attribute") || !(outer.field("object") == attribute)) return false;
    Node call = outer.parent();
    if (call && call.is("call") && call.field("function") == outer) return false;
    std::string_view member = ctx.text(outer.field("attribute"));
    for (std::string_view value_part : {"year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo",
                                        "days", "seconds", "real", "imag", "numerator", "denominator"}) {
      if (member == value_part) return false;
    }
    return !member.empty() && member.front() != '_';
  }

  // A pending access whose rows' model the file knew (or the relation leads to).
  std::optional<Finding> decide(const ProjectIndex& index, const FileFacts& file, const PendingFinding& pending) const {
    if (reads_back_owner(index, pending)) return std::nullopt;
    std::string model_name =
        pending.via_relation.empty() ? pending.subject : index.related_model(pending.subject, pending.via_relation);
    const ModelInfo* model = index.model(model_name);
    std::string suggestion;
    if (model != nullptr) {
      suggestion = fix_for(index, *model, pending.detail, pending.subject_is_collection);
    } else if (pending.strong_evidence && pending.via_relation.empty() &&
               index.class_status(model_name) == ClassStatus::unknown && index.has_model_evidence(model_name)) {
      // The open world: the model is not in the scan, the code says the attribute is a relation.
      suggestion = open_world_fix(short_api(model_name), pending.detail, pending.subject_is_collection);
    }
    if (suggestion.empty()) return std::nullopt;
    Finding finding = confirmed(*this, file, pending);
    finding.suggestion = std::move(suggestion);
    return finding;
  }

  // `for case in suite.testcase_set.all(): case.suite`: rows of a reverse foreign-key manager
  // come with the owner already attached (Django fills the relation it filtered on).
  static bool reads_back_owner(const ProjectIndex& index, const PendingFinding& pending) {
    if (pending.via_relation.empty()) return false;
    auto is_owner_field = [&](const ReverseRelation* reverse) {
      return reverse != nullptr && reverse->field != nullptr && reverse->field->kind != FieldKind::many_to_many &&
             reverse->field->name == pending.detail;
    };
    if (!pending.subject.empty()) return is_owner_field(index.reverse_relation(pending.subject, pending.via_relation));
    for (const auto& [name, model] : index.models()) {
      if (is_owner_field(index.reverse_relation(name, pending.via_relation))) return true;
    }
    return false;
  }

  // A loop over a parameter: each known caller's queryset says which rows come in and what they
  // load. Lazy if some caller passes rows that do not load the relation; not when every one does.
  std::optional<Finding> decide_from_callers(
      const ProjectIndex& index, const FileFacts& file, const PendingFinding& pending,
      const std::vector<std::pair<std::string, QuerysetArgumentFact>>& callers) const {
    std::string first_fix;
    std::vector<std::string> lazy_callers;
    for (const auto& [caller_path, caller_argument] : callers) {
      const QuerysetArgumentFact* argument = &caller_argument;
      bool matches = argument->keyword.empty() ? argument->position == pending.parameter_position
                                               : argument->keyword == pending.parameter;
      if (!matches || argument->everything_eager) continue;
      auto loads = [&](const std::vector<std::string>& eager) {
        return std::find(eager.begin(), eager.end(), pending.detail) != eager.end();
      };
      if (loads(argument->eager) || loads(pending.eager)) continue;
      const ModelInfo* model = index.model(argument->model);
      if (model == nullptr) continue;
      std::string fix = fix_for(index, *model, pending.detail, pending.subject_is_collection);
      if (fix.empty()) continue;
      if (first_fix.empty()) first_fix = std::move(fix);
      lazy_callers.push_back(
          fmt::format("`{}` ({}:{})", short_api(argument->caller), caller_path, argument->line));
    }
    if (lazy_callers.empty()) return std::nullopt;
    Finding finding = confirmed(*this, file, pending);
    constexpr std::size_t kNamed = 3;
    std::string named;
    for (std::size_t i = 0; i < lazy_callers.size() && i < kNamed; ++i) named += (i == 0 ? "" : ", ") + lazy_callers[i];
    if (lazy_callers.size() > kNamed) named += fmt::format(" and {} more", lazy_callers.size() - kNamed);
    finding.message += fmt::format("; `{}` comes without it from {}", pending.parameter, named);
    finding.suggestion = fmt::format("at the call{}: {}", lazy_callers.size() == 1 ? "" : "s", first_fix);
    return finding;
  }

  static std::string open_world_fix(const std::string& model, const std::string& name, bool collection) {
    if (collection) {
      return fmt::format("prefetch it with the query: `{}.objects.prefetch_related(\"{}\")`", model, name);
    }
    return fmt::format("join it into the query: `{}.objects.select_related(\"{}\")` (or `prefetch_related` for a "
                       "generic or many-valued relation)",
                       model, name);
  }

  // `row.rel.method(...)` -> "method"; "" for a plain access.
  static std::string called_method(const Context& ctx, Node attribute) {
    Node outer = attribute.parent();
    if (!outer || !outer.is("attribute") || !(outer.field("object") == attribute)) return {};
    Node call = outer.parent();
    if (!call || !call.is("call") || !(call.field("function") == outer)) return {};
    return std::string(ctx.text(outer.field("attribute")));
  }

  // The eager load that removes the per-row query, or "" when the access is not a lazy load.
  static std::string fix_for(const ProjectIndex& index, const ModelInfo& model, const std::string& name,
                             bool subject_is_collection) {
    std::string model_name = model.fact->name;
    if (model.orm == Orm::sqlalchemy) {
      const FieldFact* field = model.field(name);
      if (field == nullptr || field->kind != FieldKind::relationship || !is_lazy_strategy(field->lazy)) return {};
      return fmt::format("load the relation with the query: `.options(selectinload({0}.{1}))` (or "
                         "`joinedload({0}.{1})` for a many-to-one), or set `lazy=\"selectin\"` on the relationship",
                         model_name, name);
    }
    if (const FieldFact* field = model.field(name)) {
      if (is_django_forward(field->kind)) {
        if (field->kind == FieldKind::generic_fk) {
          return fmt::format("prefetch it with the query: `.prefetch_related(\"{}\")`", name);
        }
        return fmt::format("join it into the query: `{}.objects.select_related(\"{}\")`", model_name, name);
      }
      if (field->kind == FieldKind::many_to_many && subject_is_collection) {
        return fmt::format("prefetch it with the query: `{}.objects.prefetch_related(\"{}\")`, or annotate "
                           "counts with `annotate(n=Count(\"{}\"))`",
                           model_name, name, name);
      }
      return {};
    }
    if (index.reverse_relation(model.fact->qualified_name, name) != nullptr && subject_is_collection) {
      return fmt::format("prefetch it with the query: `{}.objects.prefetch_related(\"{}\")`, or annotate counts "
                         "with `annotate(n=Count(...))`",
                         model_name, name);
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps202_lazy_relation_in_loop() { return std::make_unique<LazyRelationInLoop>(); }

}  // namespace perfscan
