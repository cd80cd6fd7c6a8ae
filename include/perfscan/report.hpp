// The one value every output format is written from: findings, errors and the summary.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/finding.hpp"
#include "perfscan/measure.hpp"
#include "perfscan/options.hpp"

namespace perfscan {

struct FileSummary {
  std::string path;
  int findings = 0;
  int score = 0;  // sum of severity weights
  std::array<int, kAllSeverities.size()> by_severity{};
  Category dominant_category = Category::loops;
  // With a profile: the largest share of the samples among its findings' functions (0: none
  // measured). Files are then ranked by severity and share together (finding_priority).
  double share = 0.0;
};

struct Summary {
  std::uint64_t files_scanned = 0;
  std::uint64_t lines_scanned = 0;
  std::uint64_t bytes_scanned = 0;
  int total = 0;
  std::array<int, kAllSeverities.size()> by_severity{};   // indexed by Severity
  std::array<int, kAllCategories.size()> by_category{};   // indexed by Category
  std::map<std::string, int> by_rule;                     // rule id -> count
  std::vector<FileSummary> files;  // files with findings, highest score first, then path
  // Findings in test code the test profile (ScanOptions::tests) left out; set by the engine,
  // not by summarize_findings. `--tests full` reports them.
  int hidden_in_tests = 0;
};

// The stages of a scan, in the order they run. read, parse and analyse run per file on the
// worker threads; the others run once on the main thread.
enum class Stage { discover, read, parse, analyse, link, report };
inline constexpr std::array<Stage, 6> kAllStages = {Stage::discover, Stage::read,  Stage::parse,
                                                     Stage::analyse,  Stage::link, Stage::report};
std::string_view stage_name(Stage stage);

// Time spent in one stage: wall clock and CPU time, each summed over the threads that ran it
// (so a per-file stage on 2 workers can show more wall time than the scan took).
struct StageTime {
  double wall_seconds = 0.0;
  double cpu_seconds = 0.0;
  StageTime& operator+=(const StageTime& other) {
    wall_seconds += other.wall_seconds;
    cpu_seconds += other.cpu_seconds;
    return *this;
  }
};

struct ScanStats {
  double seconds = 0.0;
  unsigned jobs = 1;
  double link_seconds = 0.0;  // of `seconds`, the time spent joining facts and linking
  std::array<StageTime, kAllStages.size()> stages{};  // indexed by Stage; `report` is the CLI's
  double workers_seconds = 0.0;  // elapsed wall time of the worker pool (read + parse + analyse)
  // The result cache (ScanOptions::cache_dir): files answered from it, files analysed, and
  // results that could not be stored; `cache_problem` is the first reason a store failed.
  bool cache_enabled = false;
  std::uint64_t cache_hits = 0, cache_misses = 0, cache_write_failures = 0;
  std::string cache_problem;
  // Files of the project analysed only for their facts, because files were named (see
  // ScanOptions::project_root); not counted in files_scanned.
  std::uint64_t context_files = 0;
  StageTime& stage(Stage which) { return stages[static_cast<std::size_t>(which)]; }
  [[nodiscard]] const StageTime& stage(Stage which) const {
    return stages[static_cast<std::size_t>(which)];
  }
};

// What the scan was asked to do, for the headers and appendices of review reports.
struct ScanSetup {
  std::string project;             // name of the scanned root ("django"); "stdin" for '-'
  std::vector<std::string> roots;  // the paths as given ("." when none were)
  std::string started_at;          // UTC, ISO 8601: "2026-11-29T13:25:25Z"
  std::vector<std::string> rule_ids;  // the rules that ran, sorted by id
  ScanOptions options;             // the configuration in effect
  // What the command line applies around the scan (configuration file, fail-on, severity floor,
  // baseline, diff, per-file-ignores, severity overrides), as name/value pairs for the review's
  // appendix. Empty when the library is used directly.
  std::vector<std::pair<std::string, std::string>> gate;
};

// What `--fix` did, for the summary: the report's findings are what remains afterwards.
struct FixSummary {
  bool ran = false;     // --fix ran (the files were rewritten)
  bool unsafe = false;  // --unsafe-fixes: unsafe fixes applied too, and marked fixable
  int fixed = 0;        // fixes applied, over every pass
  int files = 0;        // files rewritten
};

struct Report {
  std::string tool_version;
  ScanSetup setup;
  std::vector<Finding> findings;  // sorted by path, line, column, rule
  std::vector<FileError> errors;  // sorted by path
  // Display paths of every file analysed, with or without findings, sorted: formats that list
  // each file (JUnit: one testcase per file) need the clean ones too.
  std::vector<std::string> scanned_files;
  // Display path -> source_digest of the bytes analysed; only with
  // ScanOptions::record_source_digests.
  std::map<std::string, std::uint64_t, std::less<>> source_digests;
  Summary summary;
  ScanStats stats;
  FixSummary fixes;
  // The sampling profiles given with --profile, joined to the findings; nullopt without one.
  std::optional<ProfileMeasures> profile;
  // `--compare PREVIOUS.json`: what changed since that report; nullopt without one.
  std::optional<Comparison> comparison;
};

// Fills `report.summary` counts from `report.findings` (file and line counts come from the
// engine). Writers read the summary; they never recount.
void summarize_findings(Report& report);

}  // namespace perfscan
