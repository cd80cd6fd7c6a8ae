// Helpers shared by the PS2xx rules: what a loop iterates (a Django queryset or an
// SQLAlchemy query, and what it loads eagerly), whether a lazy queryset is evaluated where it
// stands, and turning a report into a PendingFinding for the link step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {

struct IteratedQuery {
  std::string model;                // qualified name of the iterated model (or of the owner, below)
  std::string via_relation;         // rows of `owner.<via_relation>.all()`: resolved at link time
  std::vector<std::string> eager;   // relations named in select_related / prefetch_related / *load
  bool everything_eager = false;    // `select_related()` without arguments
  // The rows come from a parameter of the enclosing function (`books`, or `books.filter(...)`):
  // its callers decide what it holds and loads. Position among the arguments a caller passes.
  std::string parameter;
  std::uint16_t parameter_position = 0;
};

// `Book.objects.select_related("author")`, `qs` bound to one, `session.query(Book)...`,
// `session.scalars(select(Book).options(selectinload(Book.author)))`.
std::optional<IteratedQuery> iterated_query(const Context& ctx, Node iterable);

// The Django queryset `expr` holds, read through the semantic layer: its model from ctx.infer
// (a manager chain, a rebinding `qs = qs.filter(...)`, an annotation `QuerySet[Book]`), its
// eager loads from the chain and from every assignment of its root name in the function, and
// the parameter it comes from, if any (`books`, `books.filter(...)`, `books = books.filter(...)`
// with `books` a parameter). Nullopt when it is not known to be a queryset and (or, without
// `from_parameters`, regardless) does not come from a parameter.
std::optional<IteratedQuery> queryset_rows(const Context& ctx, Node expr, bool from_parameters = true);

// The class of an object as the semantic layer types it: `self` in a method, a parameter
// annotated with a class (`order: Order`), `Model(...)`, a row fetched with `.objects.get(...)`,
// a row of a queryset; "" when unknown or not a class.
std::string owner_class(const Context& ctx, Node expr);

// What a call invokes (ctx.callee_name), also for methods called on `cls`
// ("pkg.mod.Service.load"), so that helpers on the same class are followed by the link step.
std::string resolved_callee(const Context& ctx, Node call);

// The loop (of the current frame) whose target binds `name`, or null.
const LoopFrame* loop_binding(const Context& ctx, std::string_view name);

// A lazy query expression whose value is consumed right here: iterated, subscripted, passed
// to list()/len()/bool()..., or tested in a condition.
bool is_evaluated_in_place(const Context& ctx, Node expression);

// A lazy query (`Book.objects.filter(...)`, the outermost call of its chain) that the current
// function evaluates: right where it stands, or through the local it is assigned to (iterated,
// tested, subscripted, passed to list()/len() ... later in the function). A queryset that is
// returned, yielded, stored in an attribute or handed to another call is evaluated elsewhere,
// if at all.
bool is_lazy_query_evaluated(const Context& ctx, Node query);

// Reports through the context (so span, scope and statement line are computed as for every
// finding), then moves the finding into the file's pending findings for the link step.
// Pending findings are kept for every candidate in the project until the link step, so what
// the link step can restore (path, rule name) is not stored in each: `confirmed` puts it back.
PendingFinding& report_pending(const Rule& rule, Node node, Context& ctx, Severity severity);
Finding confirmed(const Rule& rule, const FileFacts& file, const PendingFinding& pending);

}  // namespace perfscan
