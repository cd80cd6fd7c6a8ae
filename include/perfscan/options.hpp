// Everything the engine needs to know about one scan, independent of where it came from
// (command line today, configuration files later).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "perfscan/finding.hpp"

namespace perfscan {

// Names the configuration adds to the rules' knowledge tables (qualified names such as
// "mylib.io.fetch"). Each rule family reads the list it knows about.
struct KnowledgeExtensions {
  std::vector<std::string> blocking_calls, query_methods, http_clients;
};

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

  std::string target_version;  // "3.10"; empty: not given
  KnowledgeExtensions knowledge;
};

}  // namespace perfscan
