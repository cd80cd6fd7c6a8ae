// Does the node being checked run once per item of a collection? Shared by the PS2xx rules:
// which enclosing loops count, and what raises a finding to critical.
#pragma once

#include <cstddef>
#include <string>

#include "perfscan/context.hpp"

namespace perfscan {

struct PerIteration {
  // Enclosing `for` loops and comprehension clauses of the current function that repeat work
  // per item: not `while` loops (polling, pagination, retries), not loops over a collection the
  // program text bounds (a literal, a constant, an enum: ctx.collection_size), not loops whose
  // body always leaves after the first pass or right after the node, and not the innermost
  // loop for a node memoized by key (`if k not in cache: cache[k] = ...`).
  std::size_t loops = 0;
  const LoopFrame* innermost = nullptr;
  bool request_handler = false;  // a Django/Flask/FastAPI view or a *View/*Handler method

  [[nodiscard]] bool applies() const { return loops > 0; }
  // critical when the loop is itself nested or runs inside a request handler; one step lower
  // on a one-time path.
  [[nodiscard]] Severity severity() const { return severity_from(Severity::high); }
  // `base` raised to critical for nested loops and request handlers (one-time paths are lowered
  // by Context::report for every rule).
  [[nodiscard]] Severity severity_from(Severity base) const;
  // What raised the severity, for the message: " (inside a request handler)".
  [[nodiscard]] std::string severity_reason() const;
};

// Does the node being checked (`node`, the call or access a rule flags) run once per item?
PerIteration per_iteration(const Context& ctx, Node node);

// One step down: critical -> high -> medium -> low.
Severity lowered(Severity severity);

// A function that serves requests (Context::entry_point): a parameter named `request`, a route
// decorator, or a get/post/... method of a *View/*ViewSet/*Handler/*Resource/*Endpoint class.
bool is_request_handler(const Context& ctx);

// "the loop over `authors`" for messages.
std::string loop_description(const Context& ctx, const LoopFrame& loop);

// Django migrations' data functions run once, on a migration: not a request path.
bool is_migration_file(std::string_view path);

}  // namespace perfscan
