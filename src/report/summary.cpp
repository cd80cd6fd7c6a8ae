// Counts findings once, so that every writer shows the same numbers.
#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <utility>

#include "perfscan/report.hpp"

namespace perfscan {
namespace {

std::size_t index_of(Severity severity) { return static_cast<std::size_t>(severity); }
std::size_t index_of(Category category) { return static_cast<std::size_t>(category); }

// What is gathered for one file before it becomes a FileSummary.
struct FileTally {
  FileSummary summary;
  std::array<int, kAllCategories.size()> category_score{};
};

void add_to_file(FileTally& tally, const Finding& finding) {
  const int weight = severity_weight(finding.severity);
  tally.summary.findings += 1;
  tally.summary.score += weight;
  tally.summary.by_severity.at(index_of(finding.severity)) += 1;
  tally.category_score.at(index_of(finding.category)) += weight;
}

// The category that weighs most in the file; on a tie the lower enum value wins, so the
// result does not depend on the order findings arrive in.
Category dominant_category(const std::array<int, kAllCategories.size()>& category_score) {
  Category best = kAllCategories.front();
  for (Category category : kAllCategories) {
    if (category_score.at(index_of(category)) > category_score.at(index_of(best))) {
      best = category;
    }
  }
  return best;
}

bool ranks_before(const FileSummary& a, const FileSummary& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.path < b.path;
}

std::vector<FileSummary> summarize_files(const std::vector<Finding>& findings) {
  std::map<std::string, FileTally> tallies;
  for (const Finding& finding : findings) {
    FileTally& tally = tallies[finding.path];
    tally.summary.path = finding.path;
    add_to_file(tally, finding);
  }
  std::vector<FileSummary> files;
  files.reserve(tallies.size());
  for (auto& [path, tally] : tallies) {
    tally.summary.dominant_category = dominant_category(tally.category_score);
    files.push_back(std::move(tally.summary));
  }
  std::sort(files.begin(), files.end(), ranks_before);
  return files;
}

}  // namespace

void summarize_findings(Report& report) {
  Summary& summary = report.summary;
  // Reset only what is derived from the findings: the scan counters belong to the engine,
  // and resetting the rest keeps a second call from double counting.
  summary.total = static_cast<int>(report.findings.size());
  summary.by_severity.fill(0);
  summary.by_category.fill(0);
  summary.by_rule.clear();
  for (const Finding& finding : report.findings) {
    summary.by_severity.at(index_of(finding.severity)) += 1;
    summary.by_category.at(index_of(finding.category)) += 1;
    summary.by_rule[finding.rule_id] += 1;
  }
  summary.files = summarize_files(report.findings);
}

}  // namespace perfscan
