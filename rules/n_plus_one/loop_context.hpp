// Does the node being checked run once per item of a collection? Shared by the PS2xx rules:
// which enclosing loops count, and what raises a finding to critical.
#pragma once

#include <cstddef>
#include <string>

#include "perfscan/context.hpp"

namespace perfscan {

struct PerIteration {
  // Enclosing `for` loops and comprehension clauses of the current function that repeat work
  // per item: not `while` loops (polling, pagination, retries), not loops over a literal of a
  // handful of items, not loops whose body always leaves after the first pass.
  std::size_t loops = 0;
  const LoopFrame* innermost = nullptr;
  bool request_handler = false;  // a Django/Flask/FastAPI view or a *View/*Handler method

  [[nodiscard]] bool applies() const { return loops > 0; }
  // critical when the loop is itself nested or runs inside a request handler.
  [[nodiscard]] Severity severity() const {
    return loops >= 2 || request_handler ? Severity::critical : Severity::high;
  }
  [[nodiscard]] std::string severity_reason() const;
};

PerIteration per_iteration(const Context& ctx);

// "the loop over `authors`" for messages.
std::string loop_description(const Context& ctx, const LoopFrame& loop);

// Django migrations' data functions run once, on a migration: not a request path.
bool is_migration_file(std::string_view path);

}  // namespace perfscan
