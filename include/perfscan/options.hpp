// Everything the engine needs to know about one scan, independent of where it came from
// (command line today, configuration files later).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/finding.hpp"

namespace perfscan {

// A Python language version such as 3.10, as given by `--target-version`.
struct PythonVersion {
  int major = 3;
  int minor = 0;
  friend auto operator<=>(const PythonVersion&, const PythonVersion&) = default;
};

// "3.10" -> {3, 10}. Only Python 3 versions written `3.N` are accepted; anything else is
// nullopt so the caller can report the bad value.
std::optional<PythonVersion> parse_python_version(std::string_view text);

// Names the configuration adds to the rules' knowledge tables (qualified names such as
// "mylib.io.fetch"). Each rule family reads the list it knows about.
struct KnowledgeExtensions {
  std::vector<std::string> blocking_calls, query_methods, http_clients;
};

// What rules may read about the scan beyond the source (Context::settings()). Built once per
// scan from ScanOptions, already validated.
struct RuleSettings {
  std::optional<PythonVersion> target_version;  // nullopt: not given
  KnowledgeExtensions knowledge;                // configuration's extra-* lists
};

// What a scan reports in test code (test files, `test*` functions, `Test*` classes):
// - relaxed (the default): not the findings of rules whose cost model does not hold in tests
//   (RuleTraits::in_tests == exempt: blocking calls in async tests, sequential awaits, polling,
//   dropped tasks, asyncio.run in loops, imports in loops, N+1 queries and remote calls);
// - full: everything;
// - skip: nothing at all.
enum class TestProfile : std::uint8_t { relaxed, full, skip };

std::string_view test_profile_name(TestProfile profile);  // "relaxed", "full", "skip"
std::optional<TestProfile> parse_test_profile(std::string_view text);

struct ScanOptions {
  std::vector<std::string> paths;   // files, directories, or "-" for stdin
  std::string stdin_filename;       // display path for "-"
  // The text of "-" when the caller already holds it (tests, fuzzing); nullopt: read stdin.
  std::optional<std::string> stdin_text;
  std::vector<std::string> excludes;  // extra glob patterns
  bool include_pyi = false;
  bool respect_gitignore = true;

  // Rule selectors: id ("PS401"), id prefix ("PS4"), category id ("string-concat"), rule name
  // ("string-concat-in-loop") or "ALL". An empty `select` means every default-tier rule;
  // `extend_select` adds rules of both tiers (rule.hpp, select_rules).
  std::vector<std::string> select;
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
  // Which findings in test code are reported; the others are counted in
  // Summary::hidden_in_tests.
  TestProfile tests = TestProfile::relaxed;
  Severity min_severity = Severity::low;

  unsigned jobs = 0;  // 0 = one per core

  // Wall-clock budget for one file, from reading it to the end of its walk. Past it the file is
  // reported as an error naming it and the scan goes on. 0: no budget.
  double file_timeout_seconds = 10.0;

  // The oldest Python the scanned code must run on; rules whose advice depends on the
  // interpreter (PS803: exceptions are zero-cost since 3.11) read it through RuleSettings.
  std::string target_version;  // "3.10"; empty: not given
  KnowledgeExtensions knowledge;

  // Join every file's facts after the walk and run the project rules (cross-file N+1 queries,
  // missing indexes). Off: per-file findings only, and no facts kept.
  bool link = true;

  // The project's root folder (the configuration file's folder, else the repository root;
  // "" when unknown). When files are named rather than folders (pre-commit, an editor), the
  // other modules under it are analysed for their facts (from the cache when it has them) so
  // that cross-file findings in the named files stay right; only the named files are reported.
  std::string project_root;
  bool project_context = true;  // --no-project-context turns it off

  // Folder of the result cache (src/cache): files whose content, path and settings match an
  // entry are not analysed again. Empty: no cache (the library default).
  std::string cache_dir;

  // File contents to analyse instead of what is on disk, by display path (`--fix` checks its
  // rewrites, and `--fix-diff` scans them, before anything is written). Such files bypass the
  // result cache. Null: every file is read from disk.
  std::shared_ptr<const std::map<std::string, std::string>> source_overrides;
  // Fill Report::source_digests (--fix: a file rewritten between the scan and the fix is left
  // alone rather than edited at the scan's positions).
  bool record_source_digests = false;
};

}  // namespace perfscan
