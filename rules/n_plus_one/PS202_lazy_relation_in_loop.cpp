// PS202 lazy-relation-in-loop: a relation of each row read inside a loop over a query that
// did not load it eagerly (one query per row). Documentation: PS202.md beside this file.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

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
    if (loop == nullptr) return;
    auto query = iterated_query(ctx, loop->iterable);
    if (!query || query->everything_eager) return;
    if (std::find(query->eager.begin(), query->eager.end(), name) != query->eager.end()) return;
    if (is_assignment_target(attribute)) return;
    PerIteration per = per_iteration(ctx, attribute);
    if (!per.applies()) return;
    std::string method = called_method(ctx, attribute);
    PendingFinding& pending = report_pending(*this, attribute, ctx, per.severity());
    pending.subject = query->model;
    pending.via_relation = std::move(query->via_relation);
    pending.detail = std::string(name);
    pending.eager = std::move(query->eager);
    pending.subject_is_collection = is_manager_query(method);
    pending.loop_line = loop->node.line();
    pending.finding.message = fmt::format("`{}` loads a relation with one query per row of {}{}",
                                          ctx.text(attribute), loop_description(ctx, *loop), per.severity_reason());
    pending.finding.suggestion = method;  // resolved at link time
  }

  void link(const ProjectIndex& index, std::vector<Finding>& findings) const override {
    std::set<std::tuple<std::string, std::uint32_t, std::string>> reported;
    for_each_pending(index, info().id, [&](const FileFacts& file, const PendingFinding& pending) {
      const ModelInfo* model = index.model(
          pending.via_relation.empty() ? pending.subject : index.related_model(pending.subject, pending.via_relation));
      if (model == nullptr) return;
      std::string suggestion = fix_for(index, *model, pending);
      if (suggestion.empty()) return;
      if (!reported.emplace(file.path, pending.loop_line, pending.detail).second) return;
      Finding finding = confirmed(*this, file, pending);
      finding.suggestion = std::move(suggestion);
      findings.push_back(std::move(finding));
    });
  }

 private:
  // `book.author = other` sets the relation, it loads nothing.
  static bool is_assignment_target(Node attribute) {
    Node parent = attribute.parent();
    return parent && (parent.is("assignment") || parent.is("augmented_assignment")) &&
           parent.field("left") == attribute;
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
  static std::string fix_for(const ProjectIndex& index, const ModelInfo& model, const PendingFinding& pending) {
    const std::string& name = pending.detail;
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
      if (field->kind == FieldKind::many_to_many && pending.subject_is_collection) {
        return fmt::format("prefetch it with the query: `{}.objects.prefetch_related(\"{}\")`, or annotate "
                           "counts with `annotate(n=Count(\"{}\"))`",
                           model_name, name, name);
      }
      return {};
    }
    if (index.reverse_relation(model.fact->qualified_name, name) != nullptr && pending.subject_is_collection) {
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
