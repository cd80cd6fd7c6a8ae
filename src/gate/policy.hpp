// The configuration's say over findings once they are found: per-file ignores, severity
// overrides, and the severity floor. Runs between the scan and the report, so the engine
// stays unaware of configuration files.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "perfscan/report.hpp"

namespace perfscan {

struct PathRuleIgnore {
  std::string pattern;          // fnmatch glob, relative to `FindingPolicy::root`
  std::set<std::string> rules;  // rule ids
};

struct FindingPolicy {
  std::filesystem::path root;  // where per-file-ignores globs are relative to
  std::vector<PathRuleIgnore> per_file_ignores;
  std::map<std::string, Severity> severity;  // rule id -> severity
};

// Drops the per-file ignored findings and re-grades the overridden ones; the caller
// re-summarises.
void apply_policy(Report& report, const FindingPolicy& policy);

// Drops findings less severe than `floor`. Kept apart from apply_policy so that a baseline
// can see every finding first, whatever the floor.
void drop_below(Report& report, Severity floor);

}  // namespace perfscan
