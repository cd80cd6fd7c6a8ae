// Sampling profiles joined to findings (`--profile`): what the report shows about them. The
// profile is an input of the report, not of the analysis, so none of this is in Finding (nor in
// the result cache): the measures sit beside the findings, by index.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "perfscan/finding.hpp"

namespace perfscan {

// How much of the profile a finding's enclosing function took: the samples whose stack holds
// that function (once per sample, recursion included) and their fraction of all samples.
struct FindingMeasure {
  std::uint64_t samples = 0;
  double share = 0.0;
};

// A function of the scanned code the profile saw, with the findings inside it (innermost
// enclosing function) as indices into Report::findings. No findings is worth saying too.
struct HotFunction {
  std::string path;  // display path, as in Finding::path
  std::string name;  // qualified within its file: "Class.method", "outer.inner"
  std::uint32_t line = 0;
  std::uint32_t end_line = 0;
  std::uint64_t samples = 0;
  double share = 0.0;
  std::vector<std::size_t> findings;
};

// A frame of the profile that is not in the scanned code (the standard library, site-packages,
// a file not scanned), with the samples it appears in.
struct UnmatchedFrame {
  std::string frame;
  std::uint64_t samples = 0;
};

struct ProfileMeasures {
  std::vector<std::string> sources;  // the profile files, as given
  std::uint64_t total_samples = 0;
  std::uint64_t stacks = 0;  // distinct stacks read
  // Parallel to Report::findings: the measure of each finding's enclosing function, or nullopt
  // when the profile never saw it.
  std::vector<std::optional<FindingMeasure>> findings;
  // Report::findings indices, highest priority first (finding_priority), ties in report order.
  std::vector<std::size_t> ranked;
  std::vector<HotFunction> hot;  // hottest first, at most kMaxHotFunctions
  std::uint64_t unmatched_frames = 0;   // distinct frames not in the scanned code
  std::uint64_t unmatched_samples = 0;  // samples with no frame in the scanned code at all
  std::vector<UnmatchedFrame> top_unmatched;  // the few with the most samples
  std::vector<std::string> warnings;          // lines skipped, one message each
};

// A finding of the previous report that no longer occurs (`--compare`).
struct PreviousFinding {
  std::string rule;
  std::string path;
  std::uint32_t line = 0;
  Severity severity = Severity::low;
  Category category = Category::loops;
  std::string message;
};

// Changes since an earlier JSON report, findings matched by path, rule and fingerprint.
struct Comparison {
  std::string source;                     // the previous report, as given
  std::vector<std::size_t> added;         // Report::findings indices not in the previous one
  std::vector<PreviousFinding> fixed;     // previous findings that no longer occur
  std::size_t remaining = 0;              // findings in both
  std::array<int, kAllSeverities.size()> before_severity{}, after_severity{};
  std::array<int, kAllCategories.size()> before_category{}, after_category{};
};

inline constexpr std::size_t kMaxHotFunctions = 10;
inline constexpr std::size_t kMaxUnmatchedNamed = 5;

// The rank of a finding: its severity weight (critical 10, high 5, medium 2, low 1) times a
// factor from the profile. Without a profile the factor is 1. With one, a finding in a measured
// function gets 1 + 9 × share (a low finding where 80% of the time goes outranks a critical one
// the profile never saw), and a finding the profile never saw gets 0.5: ranked down, not hidden.
inline double finding_priority(Severity severity, bool profiled,
                               const std::optional<FindingMeasure>& measure) {
  const double weight = severity_weight(severity);
  if (!profiled) return weight;
  return measure ? weight * (1.0 + 9.0 * measure->share) : weight * 0.5;
}

}  // namespace perfscan
