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
  std::string model;                // qualified name of the iterated model
  std::vector<std::string> eager;   // relations named in select_related / prefetch_related / *load
  bool everything_eager = false;    // `select_related()` without arguments
};

// `Book.objects.select_related("author")`, `qs` bound to one, `session.query(Book)...`,
// `session.scalars(select(Book).options(selectinload(Book.author)))`.
std::optional<IteratedQuery> iterated_query(const Context& ctx, Node iterable);

// The loop (of the current frame) whose target binds `name`, or null.
const LoopFrame* loop_binding(const Context& ctx, std::string_view name);

// A lazy query expression whose value is consumed right here: iterated, subscripted, passed
// to list()/len()/bool()..., or tested in a condition.
bool is_evaluated_in_place(const Context& ctx, Node expression);

// Reports through the context (so span, scope and statement line are computed as for every
// finding), then moves the finding into the file's pending findings for the link step.
PendingFinding& report_pending(const Rule& rule, Node node, Context& ctx, Severity severity);

}  // namespace perfscan
