#include "gate/policy.hpp"

#include <fnmatch.h>

#include <algorithm>

#include "core/paths.hpp"

namespace perfscan {
namespace {

// Like --exclude: fnmatch without FNM_PATHNAME ("tests/*" covers the subtree), tried on the
// path relative to the config's folder and on the bare file name.
bool glob_matches(const std::string& pattern, const std::string& relative) {
  std::string name = relative.substr(relative.find_last_of('/') + 1);
  return ::fnmatch(pattern.c_str(), relative.c_str(), 0) == 0 ||
         ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

bool ignored_here(const Finding& finding, const std::string& relative,
                  const FindingPolicy& policy) {
  return std::any_of(policy.per_file_ignores.begin(), policy.per_file_ignores.end(),
                     [&](const PathRuleIgnore& ignore) {
                       return ignore.rules.contains(finding.rule_id) &&
                              glob_matches(ignore.pattern, relative);
                     });
}

}  // namespace

void apply_policy(Report& report, const FindingPolicy& policy) {
  std::erase_if(report.findings, [&](Finding& finding) {
    if (!policy.per_file_ignores.empty() &&
        ignored_here(finding, path_relative_to(finding.path, policy.root), policy)) {
      return true;
    }
    if (auto override = policy.severity.find(finding.rule_id); override != policy.severity.end()) {
      finding.severity = override->second;
    }
    return false;
  });
}

void drop_below(Report& report, Severity floor) {
  std::erase_if(report.findings,
                [&](const Finding& finding) { return !at_least(finding.severity, floor); });
}

}  // namespace perfscan
