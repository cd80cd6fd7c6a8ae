// `--fix` and `--fix-diff`: scan, apply the findings' fixes in memory, scan the rewritten
// files again, until nothing more applies; then write the files (or only show the diff).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "perfscan/options.hpp"
#include "perfscan/report.hpp"

namespace perfscan {

struct FixSettings {
  bool unsafe = false;  // --unsafe-fixes: apply unsafe fixes too
  // A fix can make another one possible (or an overlapping one wait): the scan runs again on
  // the rewritten text until no fix applies, at most this many rewriting passes.
  int max_passes = 5;
};

struct FixedFile {
  std::string path;    // display path, which is also where it is read and written
  std::string before;  // the bytes on disk
  std::string after;   // the bytes to write
  int fixes = 0;
};

struct FixOutcome {
  Report report;                 // the last scan's, over the rewritten text: what remains
  std::vector<FixedFile> files;  // files that change, sorted by path
  int fixed = 0;
  // Fixes dropped because the text they gave did not parse or analyse, files not written:
  // one line each, naming the file.
  std::vector<std::string> problems;
};

// Runs the scan `scan_pass` (the engine plus the command line's filters, so only findings that
// would be reported are fixed) over `options`, with the rewritten files in
// ScanOptions::source_overrides, until no fix applies. Files that cannot be edited byte for
// byte (another encoding, undecodable bytes), that do not parse as they are, or that stand for
// stdin are left alone. Nothing is written.
FixOutcome run_fixes(const ScanOptions& options,
                     const std::function<Report(const ScanOptions&)>& scan_pass,
                     const FixSettings& settings);

// Writes each changed file atomically, unless it changed on disk since it was read; failures
// go to `outcome.problems`. Returns the number of files written.
int write_fixed_files(FixOutcome& outcome);

}  // namespace perfscan
