#include "engine/budget.hpp"

namespace perfscan {
namespace {

thread_local Deadline current_deadline;

}  // namespace

ScopedDeadline::ScopedDeadline(Deadline deadline) : previous_(current_deadline) {
  current_deadline = deadline;
}

ScopedDeadline::~ScopedDeadline() { current_deadline = previous_; }

void check_deadline() {
  if (current_deadline && std::chrono::steady_clock::now() > *current_deadline) {
    throw BudgetExceeded{};
  }
}

BudgetCheck::BudgetCheck(const std::vector<const Rule*>& rules)
    : Rule(RuleInfo{"", "file-time-budget", Category::syntax, Severity::low,
                    "stops the walk of a file past its time budget"}) {
  std::set<std::string_view> kinds;
  for (const Rule* rule : rules) {
    for (std::string_view kind : rule->node_kinds()) kinds.insert(kind);
  }
  kinds_.assign(kinds.begin(), kinds.end());
}

void BudgetCheck::check(Node /*node*/, Context& /*ctx*/) const { check_deadline(); }

std::vector<const Rule*> with_budget_check(const BudgetCheck& check, std::vector<const Rule*> rules) {
  rules.insert(rules.begin(), &check);
  return rules;
}

}  // namespace perfscan
