// The per-file time budget (ScanOptions::file_timeout_seconds). Parsing is bounded by
// tree-sitter's own timeout; the walk is bounded by BudgetCheck, a hidden rule dispatched before
// every other on each node a rule subscribes to, which stops the walk once the file's deadline
// has passed. It lives here rather than in the walker so the semantic layer knows nothing of it.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "perfscan/rule.hpp"

namespace perfscan {

using Deadline = std::optional<std::chrono::steady_clock::time_point>;

// Thrown out of the walk by BudgetCheck. Not a std::exception: nothing on the way may mistake
// it for a failure of its own and swallow it.
struct BudgetExceeded {};

// The deadline of the file analysed on this thread, for as long as the guard lives.
class ScopedDeadline {
 public:
  explicit ScopedDeadline(Deadline deadline);
  ~ScopedDeadline();
  ScopedDeadline(const ScopedDeadline&) = delete;
  ScopedDeadline& operator=(const ScopedDeadline&) = delete;

 private:
  Deadline previous_;
};

// Throws BudgetExceeded when this thread's file is past its deadline.
void check_deadline();

class BudgetCheck : public Rule {
 public:
  // Subscribes to every node kind one of `rules` wants: between any two rule calls on different
  // nodes the clock is read, and nodes no rule looks at cost nothing.
  explicit BudgetCheck(const std::vector<const Rule*>& rules);
  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return kinds_; }
  void check(Node node, Context& ctx) const override;

 private:
  std::vector<std::string_view> kinds_;
};

// `rules` with `check` first, so a file past its deadline runs no further rule.
std::vector<const Rule*> with_budget_check(const BudgetCheck& check, std::vector<const Rule*> rules);

}  // namespace perfscan
