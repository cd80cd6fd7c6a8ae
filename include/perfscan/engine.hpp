// The library entry point: scan paths and return the report.
#pragma once

#include <string>
#include <vector>

#include "perfscan/errors.hpp"
#include "perfscan/options.hpp"
#include "perfscan/report.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/version.hpp"

namespace perfscan {

// The settings rules read, from the options. Throws UsageError on an invalid target version.
RuleSettings rule_settings(const ScanOptions& options);
// The rules to dispatch during the walk: `selected` plus, when one of them is a ProjectRule,
// the hidden collector of the facts the link step reads.
std::vector<const Rule*> with_fact_collectors(std::vector<const Rule*> selected);

Report scan(const ScanOptions& options);

}  // namespace perfscan
