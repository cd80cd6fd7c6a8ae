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
      report_write(call, ctx, effect);
      return;
    }
    if (effect.any()) return;
    std::string_view method = ctx.text(function.field("attribute"));
    if (method == "save" || method == "delete") check_instance_write(call, ctx, function.field("object"), method);
  }

  // `obj.save()` on an object made by `Book(...)` in the loop: a write only if Book is a model,
  // which the link step knows.
  void link(const ProjectIndex& index, std::vector<Finding>& findings) const override {
    for_each_pending(index, info().id, [&](const FileFacts& file, const PendingFinding& pending) {
      std::string model_name =
          pending.via_relation.empty() ? pending.subject : index.related_model(pending.subject, pending.via_relation);
      const ModelInfo* model = index.model(model_name);
      if (model == nullptr || model->orm != Orm::django) return;
      Finding finding = confirmed(*this, file, pending);
      CallEffect effect{EffectKind::write, Library::django, pending.detail, model_name};
      finding.suggestion = batched_form(effect);
      findings.push_back(std::move(finding));
    });
  }

 private:
  void report_write(Node call, Context& ctx, const CallEffect& effect) const {
    PerIteration per = per_iteration(ctx, call);
    if (!per.applies()) return;
    ctx.report(*this, call,
               fmt::format("`{}` writes to the database on every iteration of {}{}", effect.api,
                           loop_description(ctx, *per.innermost), per.severity_reason()),
               batched_form(effect), per.severity());
  }

  void check_instance_write(Node call, Context& ctx, Node receiver, std::string_view method) const {
    if (!receiver.is("identifier")) return;
    std::string_view name = ctx.text(receiver);
    std::string api = fmt::format("{}.{}", name, method);
    // Rows of a queryset being iterated: `for book in Book.objects.all(): book.save()`.
    if (const LoopFrame* loop = loop_binding(ctx, name)) {
      auto query = iterated_query(ctx, loop->iterable);
      if (!query) return;
      if (query->via_relation.empty()) {
        report_write(call, ctx, CallEffect{EffectKind::write, Library::django, api + "()", query->model});
      } else {
        // `for line in order.lines.all(): line.delete()`: the rows' model is known at link time.
        report_pending_write(call, ctx, *query, api);
      }
      return;
    }
    const Binding* binding = ctx.lookup(name);
    if (binding == nullptr || binding->kind != BindingKind::assignment) return;
    const std::string& made_by = binding->value.qualified_name;
    if (binding->value.kind != ValueKind::instance || made_by.empty()) return;
    if (ManagerChain chain = manager_chain(made_by); !chain.model.empty()) {
      report_write(call, ctx, CallEffect{EffectKind::write, Library::django, api + "()", chain.model});
      return;
    }
    // `book = Book(title=t)` made inside the loop, then saved: confirm Book at link time.
    if (!binding->node || !ctx.loops().back().node.contains(binding->node)) return;
    report_pending_write(call, ctx, IteratedQuery{made_by, {}, {}, false}, api);
  }

  void report_pending_write(Node call, Context& ctx, const IteratedQuery& rows, const std::string& api) const {
    PerIteration per = per_iteration(ctx, call);
    if (!per.applies()) return;
    PendingFinding& pending = report_pending(*this, call, ctx, per.severity());
    pending.subject = rows.model;
    pending.via_relation = rows.via_relation;
    pending.detail = api;
    pending.finding.message = fmt::format("`{}()` runs one database write per iteration of {}{}", api,
                                          loop_description(ctx, *per.innermost), per.severity_reason());
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps203_write_in_loop() { return std::make_unique<WriteInLoop>(); }

}  // namespace perfscan
