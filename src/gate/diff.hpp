// Diff-only mode (--diff REF): which lines changed since the merge base of REF and HEAD, in
// commits and in the working tree (staged or not, untracked files included), and the filter
// that keeps only findings touching them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "perfscan/report.hpp"

namespace perfscan {

struct ChangedLines {
  std::filesystem::path workdir;                           // the repository's work tree
  std::map<std::string, std::set<std::uint32_t>> by_path;  // work-tree-relative path -> lines
};

// Reads the repository that holds `from` (a folder). Throws UsageError with a plain message
// outside a repository, for a REF that does not resolve, or without a merge base.
ChangedLines changed_lines_since(const std::string& ref, const std::filesystem::path& from);

// The work tree of the repository holding `from`, or nothing outside a repository.
std::optional<std::filesystem::path> repository_root(const std::filesystem::path& from);

// Keeps the findings whose span [line, end_line] touches a changed line; returns how many
// were dropped.
int keep_changed(Report& report, const ChangedLines& changed);

}  // namespace perfscan
