// Baselines freeze existing findings so that only new ones fail the build. A baseline is a
// sorted, pretty-printed JSON list of (path, rule, fingerprint), reviewable in a diff. Paths
// are relative to the baseline file's folder, so a baseline works whichever folder perfscan
// is run from and whichever paths it is given.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "perfscan/report.hpp"

namespace perfscan {

struct Baseline {
  std::filesystem::path dir;  // the baseline file's folder
  std::set<std::tuple<std::string, std::string, std::string>> entries;  // path, rule, fingerprint
};

struct BaselineOutcome {
  int hidden = 0;  // findings the baseline hid
  int fixed = 0;   // baseline entries under the scanned paths that no longer occur
};

// Throws UsageError naming the file when it cannot be read or is not a baseline.
Baseline read_baseline(const std::filesystem::path& file);

// The same from the file's text already in memory (`file` names it in messages and gives the
// folder entries are relative to). Throws UsageError when `text` is not a baseline.
Baseline parse_baseline(std::string_view text, const std::filesystem::path& file);

// Writes `findings` as a baseline through a temporary file renamed into place, so a reader
// never sees half a file. Throws UsageError on failure.
void write_baseline(const std::filesystem::path& file, const std::vector<Finding>& findings);

// Removes the findings the baseline holds. `scanned` are the paths given to the scan: entries
// for files outside them are neither hidden nor counted as fixed.
BaselineOutcome apply_baseline(Report& report, const Baseline& baseline,
                               const std::vector<std::string>& scanned);

}  // namespace perfscan
