// PS203 write-in-loop: one INSERT/UPDATE/DELETE (or commit) per iteration of a loop.
// Documentation: PS203.md beside this file.
#include <fmt/format.h>

#include "knowledge.hpp"
#include "loop_context.hpp"
#include "perfscan/context.hpp"
#include "perfscan/project.hpp"
#include "perfscan/rule.hpp"
#include "query_shapes.hpp"

namespace perfscan {
namespace {

// What a Django write does per row, which decides the bulk form and what that form skips.
// Kept in the pending finding's `detail` as "<kind>:<api>".
enum class WriteKind : std::uint8_t {
  insert,          // Model.objects.create, Model(...).save(): bulk_create skips save() and the save signals
  update,          // row.save(): bulk_update / update() skip save() and the save signals
  delete_row,      // row.delete(): queryset delete() skips the delete() override (it still sends signals)
  upsert,          // get_or_create / update_or_create: a query per row, an INSERT per missing one
  queryset_write,  // Model.objects.filter(...).update/delete: already a set operation, per item
};

constexpr std::string_view kWriteKindNames[] = {"insert", "update", "delete", "upsert", "queryset"};

WriteKind write_kind_of(std::string_view api) {
  if (api.ends_with("get_or_create") || api.ends_with("update_or_create")) return WriteKind::upsert;
  if (api.find(".objects") != std::string_view::npos) {
    return api.ends_with(".create") ? WriteKind::insert : WriteKind::queryset_write;
  }
  return api.ends_with(".delete") ? WriteKind::delete_row : WriteKind::update;
}

std::string encode_detail(WriteKind kind, std::string_view api) {
  return fmt::format("{}:{}", kWriteKindNames[static_cast<int>(kind)], api);
}

std::pair<WriteKind, std::string> decode_detail(std::string_view detail) {
  auto colon = detail.find(':');
  std::string_view name = detail.substr(0, colon);
  for (std::size_t i = 0; i < std::size(kWriteKindNames); ++i) {
    if (name == kWriteKindNames[i]) return {static_cast<WriteKind>(i), std::string(detail.substr(colon + 1))};
  }
  return {WriteKind::update, std::string(detail)};
}

// Writes that add or fill rows: what a "create only if missing" branch does. Deletes guarded
// by an existence check are still one per item that has rows.
bool creates_rows(WriteKind kind) {
  return kind == WriteKind::insert || kind == WriteKind::update || kind == WriteKind::upsert;
}

bool is_django_read(const CallEffect& effect) {
  return effect.kind == EffectKind::read || effect.kind == EffectKind::lazy_query;
}

// The expression runs a query that tells whether rows exist: `.exists()`, `.count()`,
// `.first()`, `.get()`, a queryset tested for truth (`if X.objects.filter(...)`).
bool checks_existence(const Context& ctx, Node condition) {
  constexpr int kMaxNodes = 256;
  std::vector<Node> pending{condition};
  for (int visited = 0; !pending.empty() && visited < kMaxNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (!node) continue;
    if (node.is("call") && is_django_read(classify_call(ctx, node))) return true;
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) pending.push_back(node.named_child(i));
  }
  return false;
}

bool is_negation(Node condition) {
  return condition && (condition.is("not_operator") ||
                       (condition.is("comparison_operator") && condition.child_count() == 3 &&
                        (condition.child(1).is("is") || condition.child(1).is("==")) &&
                        (condition.child(2).is("none") || condition.child(2).is("integer"))));
}

// `if <check>: continue` (or break) among the statements of `block` before `child`.
bool skipped_when_present(const Context& ctx, Node block, Node child) {
  for (uint32_t i = 0, n = block.named_child_count(); i < n; ++i) {
    Node statement = block.named_child(i);
    if (statement == child) return false;
    if (!statement.is("if_statement") || !checks_existence(ctx, statement.field("condition"))) continue;
    Node consequence = statement.field("consequence");
    Node last = consequence && consequence.named_child_count() > 0
                    ? consequence.named_child(consequence.named_child_count() - 1)
                    : Node{};
    if (last && (last.is("continue_statement") || last.is("break_statement"))) return true;
  }
  return false;
}

// "Create only if missing": the write runs only when an existence check of the same iteration
// found nothing, so it runs once per missing row, not once per item. The check is the
// per-item query, and PS201 reports it.
//   if X.objects.filter(k=v).exists(): continue      then create
//   if not X.objects.filter(k=v).exists(): create
//   try: X.objects.get(k=v) except X.DoesNotExist: create
bool guarded_by_existence_check(const Context& ctx, Node write) {
  Node loop = ctx.loops().back().node;
  for (Node child = write, parent = write.parent(); parent && !(parent == loop);
       child = parent, parent = parent.parent()) {
    if (parent.is("block") && skipped_when_present(ctx, parent, child)) return true;
    if (parent.is("if_statement") && child == parent.field("consequence")) {
      Node condition = parent.field("condition");
      if (is_negation(condition) && checks_existence(ctx, condition)) return true;
    }
    if (parent.is("else_clause")) {
      Node owner = parent.parent();
      if (owner && owner.is("if_statement") && !is_negation(owner.field("condition")) &&
          checks_existence(ctx, owner.field("condition"))) {
        return true;
      }
    }
    if (parent.is("except_clause") && ctx.text(parent).find("DoesNotExist") != std::string_view::npos) {
      Node owner = parent.parent();
      Node body = owner ? owner.field("body") : Node{};
      if (body && checks_existence(ctx, body)) return true;
    }
  }
  return false;
}

class WriteInLoop final : public Rule, public ProjectRule {
 public:
  WriteInLoop()
      : Rule({"PS203", "write-in-loop", Category::n_plus_one, Severity::high,
              "One database write (save/create/delete/commit) per iteration of a loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    if (ctx.loops().empty()) return;
    Node function = call.field("function");
    if (!function.is("attribute")) return;
    CallEffect effect = classify_call(ctx, call);
    if (effect.kind == EffectKind::write) {
      Node outer = outermost_chain_call(call);
      if (!(outer == call) && classify_call(ctx, outer).any()) return;
      if (!runs_same_statement_each_time(ctx, call, effect)) return;
      if (effect.library == Library::django) {
        WriteKind kind = write_kind_of(effect.api);
        if (creates_rows(kind) && guarded_by_existence_check(ctx, call)) return;
        report_pending_write(call, ctx, effect.model, {}, kind, effect.api);
      } else {
        report_write(call, ctx, effect);
      }
      return;
    }
    if (effect.any()) return;
    std::string_view method = ctx.text(function.field("attribute"));
    if (method == "save" || method == "delete") check_instance_write(call, ctx, function.field("object"), method);
  }

  // Django writes are decided here: the model is confirmed (or, outside the scan, evidenced),
  // and what bulk operations would skip (save()/delete() overrides, signals) tempers the advice.
  void link(const ProjectIndex& index, std::vector<Finding>& findings) const override {
    for_each_pending(index, info().id, [&](const FileFacts& file, const PendingFinding& pending) {
      std::string model_name =
          pending.via_relation.empty() ? pending.subject : index.related_model(pending.subject, pending.via_relation);
      auto [kind, api] = decode_detail(pending.detail);
      const ModelInfo* model = index.model(model_name);
      if (model == nullptr && !is_open_world_model(index, model_name, api)) return;
      if (model != nullptr && model->orm != Orm::django) return;
      Finding finding = confirmed(*this, file, pending);
      finding.suggestion = batched_form(CallEffect{EffectKind::write, Library::django, api, model_name});
      if (model != nullptr) temper_for_hooks(index, *model, kind, finding);
      findings.push_back(std::move(finding));
    });
  }

 private:
  // `Tag.objects.create` names a manager: a model wherever it is defined, unless the scan shows
  // the class is something else (a REST client's manager). `tag.save()` on a class that is not
  // in the scan needs evidence: imported from a `models` module, or used as `X.objects` / `X.query`.
  static bool is_open_world_model(const ProjectIndex& index, const std::string& name, std::string_view api) {
    if (name.empty()) return false;
    ClassStatus status = index.class_status(name);
    if (status != ClassStatus::unknown) return status == ClassStatus::model;
    return api.find(".objects") != std::string_view::npos || index.has_model_evidence(name);
  }

  // Bulk forms skip a model's save()/delete() and its save signals. When the model has them,
  // the loop may be the only way they run per row: say so, and lower the severity one step.
  static void temper_for_hooks(const ProjectIndex& index, const ModelInfo& model, WriteKind kind, Finding& finding) {
    if (kind == WriteKind::queryset_write) return;
    std::vector<std::string> hooks;
    bool saves = kind == WriteKind::insert || kind == WriteKind::update || kind == WriteKind::upsert;
    const std::string& name = model.fact->name;
    if (saves && model.overrides_save) hooks.push_back(fmt::format("`{}.save()`", name));
    if (kind == WriteKind::delete_row && model.overrides_delete) hooks.push_back(fmt::format("`{}.delete()`", name));
    if (saves) {
      for (const SignalOrigin& signal : index.signals_for(model.fact->qualified_name)) {
        if (signal.signal != "pre_save" && signal.signal != "post_save") continue;
        hooks.push_back(fmt::format("`{}` ({}:{})", signal.signal, signal.path, signal.line));
        if (hooks.size() >= 3) break;
      }
    }
    if (hooks.empty()) return;
    std::string list;
    for (std::size_t i = 0; i < hooks.size(); ++i) {
      list += (i == 0 ? "" : i + 1 == hooks.size() ? " and " : ", ") + hooks[i];
    }
    std::string_view bulk = kind == WriteKind::insert || kind == WriteKind::upsert ? "`bulk_create()`"
                            : kind == WriteKind::update                            ? "`bulk_update()` and `update()`"
                                                                                   : "a queryset `delete()`";
    finding.severity = lowered(finding.severity);
    finding.message += fmt::format(
        "; severity lowered one step: {} skip{} {}, which may need to run per row", bulk,
        kind == WriteKind::update ? "" : "s", list);
    finding.suggestion = fmt::format(
        "{} skip{} {}: move that work into the batch (or call it explicitly for the batch) before "
        "switching, or keep the loop if it must run per row. Otherwise: {}",
        bulk, kind == WriteKind::update ? "" : "s", list, finding.suggestion);
  }

  void report_write(Node call, Context& ctx, const CallEffect& effect) const {
    PerIteration per = per_iteration(ctx, call);
    if (!per.applies()) return;
    ctx.report(*this, call,
               fmt::format("`{}` writes to the database on every iteration of {}{}", effect.api,
                           loop_description(ctx, *per.innermost), per.severity_reason()),
               batched_form(effect), per.severity());
  }

  void check_instance_write(Node call, Context& ctx, Node receiver, std::string_view method) const {
    // A save() in a create-if-missing branch writes the row just created, once per missing row.
    if (method == "save" && guarded_by_existence_check(ctx, call)) return;
    // `Tag(name=name).save()`: a new row per iteration, if Tag is a model.
    if (receiver.is("call") && method == "save") {
      std::string made = ctx.qualified_name(receiver.field("function"));
      if (made.empty() || made.starts_with("builtins.")) return;
      std::string api = fmt::format("{}(...).save", short_api(made));
      report_pending_write(call, ctx, made, {}, WriteKind::insert, api);
      return;
    }
    if (!receiver.is("identifier")) return;
    std::string_view name = ctx.text(receiver);
    std::string api = fmt::format("{}.{}", name, method);
    WriteKind kind = method == "delete" ? WriteKind::delete_row : WriteKind::update;
    // Rows of a collection being iterated: `for book in books: book.save()`.
    if (const LoopFrame* loop = loop_binding(ctx, name)) {
      std::string model = owner_class(ctx, receiver);
      if (!model.empty()) {
        report_pending_write(call, ctx, model, {}, kind, api);
        return;
      }
      // `for line in order.lines.all(): line.delete()`: the rows' model is known at link time.
      auto query = iterated_query(ctx, loop->iterable);
      if (query) report_pending_write(call, ctx, query->model, query->via_relation, kind, api);
      return;
    }
    // An object made or fetched in this iteration: `tag = Tag(name=n)`, `row = X.objects.get(...)`.
    const Binding* binding = ctx.lookup(name);
    if (binding == nullptr || binding->kind != BindingKind::assignment) return;
    if (!binding->node || !ctx.loops().back().node.contains(binding->node)) return;
    std::string model = owner_class(ctx, receiver);
    if (model.empty()) return;
    bool made_here = method == "save" && manager_chain(binding->value.qualified_name).model.empty();
    report_pending_write(call, ctx, model, {}, made_here ? WriteKind::insert : kind, api);
  }

  void report_pending_write(Node call, Context& ctx, const std::string& model, const std::string& via_relation,
                            WriteKind kind, const std::string& api) const {
    if (model.empty()) return;
    PerIteration per = per_iteration(ctx, call);
    if (!per.applies()) return;
    PendingFinding& pending = report_pending(*this, call, ctx, per.severity());
    pending.subject = model;
    pending.via_relation = via_relation;
    pending.detail = encode_detail(kind, api);
    std::string loop = loop_description(ctx, *per.innermost);
    // `Tag.objects.create` names the manager method; `tag.save()` / `Tag(...).save()` the call.
    std::string shown = api.find(".objects") != std::string::npos ? api : api + "()";
    if (kind == WriteKind::upsert) {
      pending.finding.message = fmt::format(
          "`{}` runs a query on every iteration of {}, and an INSERT for each missing row{}", shown, loop,
          per.severity_reason());
    } else {
      pending.finding.message = fmt::format("`{}` writes to the database on every iteration of {}{}", shown, loop,
                                            per.severity_reason());
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps203_write_in_loop() { return std::make_unique<WriteInLoop>(); }

}  // namespace perfscan
