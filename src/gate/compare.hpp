// `--compare PREVIOUS.json`: the changes since an earlier JSON report (new, fixed, remaining
// findings, and the counts per severity and category before and after).
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "perfscan/report.hpp"

namespace perfscan {

// An earlier report, read before the scan so that a missing or broken file fails fast, as a
// bad baseline does, instead of after a scan whose result would be thrown away.
struct PreviousReport {
  using Key = std::tuple<std::string, std::string, std::string>;  // path, rule, fingerprint
  std::string source;                          // the file as given, named in the report
  std::multimap<Key, PreviousFinding> findings;
  std::array<int, kAllSeverities.size()> by_severity{};
  std::array<int, kAllCategories.size()> by_category{};
};

// Throws UsageError, one line naming the file, when it cannot be read or is not a perfscan JSON
// report (--format json).
PreviousReport read_previous_report(const std::filesystem::path& file);
// The same from the file's text already in memory; `name` is used in messages.
PreviousReport parse_previous_report(std::string_view text, const std::string& name);

// Matches the report's findings against the previous report's by path, rule and fingerprint
// (each previous finding pairs with at most one current one) and sets report.comparison.
void compare_with(Report& report, PreviousReport previous);

}  // namespace perfscan
