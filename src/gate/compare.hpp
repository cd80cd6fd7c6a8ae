// `--compare PREVIOUS.json`: the changes since an earlier JSON report (new, fixed, remaining
// findings, and the counts per severity and category before and after).
#pragma once

#include <filesystem>
#include <string_view>

#include "perfscan/report.hpp"

namespace perfscan {

// Matches the report's findings against the previous report's by path, rule and fingerprint
// (each previous finding pairs with at most one current one) and sets report.comparison.
// Throws UsageError naming the file when it cannot be read or is not a perfscan JSON report.
void compare_with(Report& report, const std::filesystem::path& previous);
void compare_with_text(Report& report, std::string_view text, const std::string& name);

}  // namespace perfscan
