// The library entry point: scan paths and return the report.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "perfscan/options.hpp"
#include "perfscan/report.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {

// Thrown for problems that stop a scan before it starts (an unknown rule selector).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string_view version();

// Resolves selectors to rules (sorted by id). Throws UsageError naming an unknown selector.
std::vector<const Rule*> select_rules(const std::vector<std::string>& select,
                                      const std::vector<std::string>& ignore);

// The settings rules read, from the options. Throws UsageError on an invalid target version.
RuleSettings rule_settings(const ScanOptions& options);
// The rules to dispatch during the walk: `selected` plus, when one of them is a ProjectRule,
// the hidden collector of the facts the link step reads.
std::vector<const Rule*> with_fact_collectors(std::vector<const Rule*> selected);

Report scan(const ScanOptions& options);

}  // namespace perfscan
