// Everything the engine needs to know about one scan, independent of where it came from
// (command line today, configuration files later).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "perfscan/finding.hpp"

namespace perfscan {

struct ScanOptions {
  std::vector<std::string> paths;   // files, directories, or "-" for stdin
  std::string stdin_filename;       // display path for "-"
  std::vector<std::string> excludes;  // extra glob patterns
  bool include_pyi = false;
  bool respect_gitignore = true;

  // Rule selectors: id ("PS401"), id prefix ("PS4"), category id ("string-concat"), rule name
  // ("string-concat-in-loop") or "ALL". An empty `select` means every rule.
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  Severity min_severity = Severity::low;

  unsigned jobs = 0;  // 0 = one per core
  // Join every file's facts after the walk and run the project rules (cross-file N+1 queries,
  // missing indexes). Off: per-file findings only, and no facts kept.
  bool link = true;
};

}  // namespace perfscan
