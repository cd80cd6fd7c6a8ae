// The performance review that the Markdown and HTML writers both print: what a reader needs
// beyond the summary counts (rankings, opportunities, fix snippets, index statements, excerpts),
// derived once from a Report so that both formats say the same thing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/report.hpp"
#include "perfscan/effort.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {

// How much detail the findings section may hold; the summary counts always stay exact.
struct ReviewLimits {
  std::size_t excerpts_per_file = 20;  // findings shown with their source excerpt
  std::size_t rows_per_file = 200;     // findings shown at all (the rest: one note)
  std::size_t excerpts_total = 1500;   // excerpt budget over the whole report
  std::size_t context_lines = 2;       // lines of context before and after a span
};

struct CategoryCount {
  Category category = Category::loops;
  int count = 0;
  int severe = 0;  // critical + high
  int critical = 0;
  int high = 0;
  int files = 0;
  std::string top_rule;  // the rule with the most severe findings in it
};

struct RuleOpportunity {
  std::string rule_id;
  std::string rule_name;
  Severity severity = Severity::low;  // the rule's base severity
  int impact = 0;                     // sum of severity weights of its findings
  int count = 0;
  int files = 0;
  std::string cost;                   // first paragraph of the doc's "Why is it slow"
  std::string before;                 // the doc's Example code block
  std::string after;                  // the doc's Use instead code block
  std::vector<const Finding*> worst;  // up to three, most severe first
  double share = 0.0;                 // with a profile: the largest share among its findings
};

// "2 critical and 5 high findings, of 12 in 4 files": the executive summary's sentence.
std::string severe_findings_phrase(const CategoryCount& category);

struct CategoryOpportunity {
  Category category = Category::loops;
  int impact = 0;
  int count = 0;
  int files = 0;
  std::vector<RuleOpportunity> rules;  // highest impact first
};

// One line of a source excerpt; `mark_begin`/`mark_end` are byte offsets of the flagged part
// (equal when nothing on the line is flagged).
struct ExcerptLine {
  std::uint32_t number = 0;
  std::string text;
  std::size_t mark_begin = 0;
  std::size_t mark_end = 0;
};

struct FindingDetail {
  const Finding* finding = nullptr;
  bool in_full = false;              // false: over the excerpt cap, listed in one line
  std::vector<ExcerptLine> excerpt;  // may be empty even in full (no source line to show)
};

struct FileDetail {
  const FileSummary* summary = nullptr;
  std::vector<FindingDetail> findings;  // in line order, at most rows_per_file
  std::size_t omitted = 0;              // findings of this file not listed at all
  std::size_t without_excerpt = 0;      // listed but over the excerpt cap
};

// One rule's findings as a step of the action plan: its effort (rules/effort.def), its impact,
// the files it touches and its findings in the order to fix them (highest priority first).
struct ActionItem {
  std::string rule_id;
  std::string rule_name;
  Effort effort = Effort::local_refactor;
  int impact = 0;
  double share = 0.0;
  std::vector<std::string> files;        // in the order their first finding comes
  std::vector<const Finding*> findings;  // every finding of the rule, by priority
};

// High impact: an impact of at least kHighImpact (two high findings, five medium, one critical)
// or, with a profile, a share of at least kHighShare. Low effort: mechanical or local refactor.
inline constexpr int kHighImpact = 10;
inline constexpr double kHighShare = 0.25;

struct ActionQuadrant {
  bool high_impact = false;
  bool low_effort = false;
  std::string title;               // "Quick wins: high impact, low effort"
  std::vector<ActionItem> items;   // least effort first, then highest impact
};

struct Review {
  std::vector<CategoryCount> categories;         // non-empty ones, by count (desc)
  std::vector<CategoryCount> severe_categories;  // up to three, by critical+high (desc)
  std::size_t files_for_80_percent = 0;          // fewest files holding 80% of the score
  int total_score = 0;
  std::vector<CategoryOpportunity> opportunities;  // highest impact first
  // The action plan: the non-empty quadrants, high impact / low effort first, then high / high,
  // low / low, low / high.
  std::vector<ActionQuadrant> action_plan;
  std::vector<std::string> index_statements;       // CREATE INDEX ..., sorted, unique
  std::vector<FileDetail> files;                   // in path order
  // With one directory scanned, paths are shown relative to it ("db/models/base.py" under
  // "django/"): the header names the root once instead of every line repeating it.
  std::string path_prefix;

  [[nodiscard]] std::string_view shown_path(std::string_view path) const {
    return path.starts_with(path_prefix) ? path.substr(path_prefix.size()) : path;
  }
  // "db/models/base.py:12:5"; in a notebook "nb/explore.ipynb:cell 3:2:5"
  [[nodiscard]] std::string location(const Finding& finding) const;
};

// "12:5", or "cell 3:2:5" in a notebook (the line within the cell).
std::string line_and_column(const Finding& finding);
// "line 12, column 5", or "cell 3, line 2, column 5" in a notebook.
std::string line_and_column_words(const Finding& finding);

Review build_review(const Report& report, const ReviewLimits& limits);

struct Setting {
  std::string name;
  std::string value;
};
// The configuration in effect, for the appendix, as name/value pairs in a fixed order.
std::vector<Setting> configuration_in_effect(const Report& report);
// "12 findings in test code were hidden by the relaxed test profile (--tests full shows
// them)."; "" when the profile hid nothing.
std::string hidden_in_tests_sentence(const Report& report);

// A rule doc's sections, for fix snippets: the first fenced code block under "## <heading>"
// and the first paragraph under it (both "" when the doc has no such section).
std::string doc_code_block(std::string_view doc, std::string_view heading);
std::string doc_first_paragraph(std::string_view doc, std::string_view heading);
// The CREATE INDEX statements a suggestion proposes, each ending with ';'.
std::vector<std::string> index_statements_in(std::string_view suggestion);

// Text that marks code with Markdown backtick spans (messages, suggestions, rule docs), split
// into prose and code pieces in order; an unclosed backtick run stays prose.
struct TextPiece {
  std::string_view text;
  bool code = false;
};
std::vector<TextPiece> split_code_spans(std::string_view text);

// The rules that ran, in id order, with how many findings each produced.
struct RuleRun {
  const RuleInfo* info = nullptr;
  int findings = 0;
};
std::vector<RuleRun> rules_that_ran(const Report& report);

// The profile's measure of a finding of `report` (by its address in report.findings), or
// nullopt without a profile or when the profile never saw its function.
std::optional<FindingMeasure> measure_of(const Report& report, const Finding& finding);
std::string share_percent(double share);  // 0.8123 -> "81.2%"

// "2026-11-29T13:25:25Z" -> "2026-11-29 13:25 UTC"; anything else is returned unchanged.
std::string readable_timestamp(const std::string& iso);
std::string percent(int part, int whole);    // "12.5%"
std::string format_seconds(double seconds);  // "0.84 s"

}  // namespace perfscan
