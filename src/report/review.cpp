// Builds the Review the Markdown and HTML writers print. Counts come from report.summary;
// what is derived here (rankings, excerpts, snippets) is what the summary does not hold.
#include "report/review.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "perfscan/rule.hpp"
#include "syntax/source.hpp"
#include "syntax/utf8.hpp"

namespace perfscan {
namespace {

std::size_t index_of(Category category) { return static_cast<std::size_t>(category); }

// ---------------------------------------------------------------------------------------------
// Rule documentation

// The body of "## <heading>" up to the next "## " heading; "" when absent.
std::string_view doc_section(std::string_view doc, std::string_view heading) {
  const std::string marker = "## " + std::string(heading) + "\n";
  std::size_t start = doc.starts_with(marker) ? 0 : doc.find("\n" + marker);
  if (start == std::string_view::npos) return {};
  start = doc.find('\n', start + 1) + 1;
  std::size_t end = doc.find("\n## ", start);
  if (end == std::string_view::npos) end = doc.size();
  return doc.substr(start, end - start);
}

// ---------------------------------------------------------------------------------------------
// Rankings

std::vector<CategoryCount> count_categories(const Report& report) {
  std::map<Category, std::set<std::string_view>> files;
  std::map<Category, std::map<std::string, int>> severe_by_rule;
  std::array<CategoryCount, kAllCategories.size()> counts{};
  for (const Finding& finding : report.findings) {
    CategoryCount& count = counts.at(index_of(finding.category));
    files[finding.category].insert(finding.path);
    if (finding.severity == Severity::critical) ++count.critical;
    if (finding.severity == Severity::high) ++count.high;
    if (at_least(finding.severity, Severity::high))
      ++severe_by_rule[finding.category][finding.rule_id];
  }
  std::vector<CategoryCount> result;
  for (Category category : kAllCategories) {
    CategoryCount count = counts.at(index_of(category));
    count.category = category;
    count.count = report.summary.by_category.at(index_of(category));
    if (count.count == 0) continue;
    count.severe = count.critical + count.high;
    count.files = static_cast<int>(files[category].size());
    int best = 0;
    for (const auto& [rule, n] : severe_by_rule[category]) {
      if (n > best) {
        best = n;
        count.top_rule = rule;
      }
    }
    result.push_back(std::move(count));
  }
  std::stable_sort(
      result.begin(), result.end(),
      [](const CategoryCount& a, const CategoryCount& b) { return a.count > b.count; });
  return result;
}

std::vector<CategoryCount> most_severe(std::vector<CategoryCount> categories) {
  std::erase_if(categories, [](const CategoryCount& c) { return c.severe == 0; });
  std::stable_sort(categories.begin(), categories.end(),
                   [](const CategoryCount& a, const CategoryCount& b) {
                     if (a.critical != b.critical) return a.critical > b.critical;
                     return a.severe > b.severe;
                   });
  if (categories.size() > 3) categories.resize(3);
  return categories;
}

// The fewest files (highest score first) whose scores add up to 80% of the total.
std::size_t files_for_share(const std::vector<FileSummary>& files, int total) {
  long long running = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    running += files[i].score;
    if (running * 5 >= static_cast<long long>(total) * 4) return i + 1;
  }
  return files.size();
}

RuleOpportunity describe_rule(const std::string& rule_id) {
  RuleOpportunity rule;
  rule.rule_id = rule_id;
  if (const Rule* known = find_rule(rule_id)) {
    rule.rule_name = std::string(known->info().name);
    rule.severity = known->info().severity;
  }
  std::string_view doc = rule_doc(rule_id);
  rule.cost = doc_first_paragraph(doc, "Why is it slow");
  rule.before = doc_code_block(doc, "Example");
  rule.after = doc_code_block(doc, "Use instead");
  return rule;
}

}  // namespace

std::optional<FindingMeasure> measure_of(const Report& report, const Finding& finding) {
  if (!report.profile || report.findings.empty()) return std::nullopt;
  const Finding* first = report.findings.data();
  if (&finding < first || &finding >= first + report.findings.size()) return std::nullopt;
  return report.profile->findings.at(static_cast<std::size_t>(&finding - first));
}

std::string share_percent(double share) { return fmt::format("{:.1f}%", share * 100.0); }

namespace {

std::vector<CategoryOpportunity> rank_opportunities(const Report& report) {
  std::map<std::string, int> file_score;
  for (const FileSummary& file : report.summary.files) file_score[file.path] = file.score;
  std::map<std::string, std::vector<const Finding*>> by_rule;
  for (const Finding& finding : report.findings) by_rule[finding.rule_id].push_back(&finding);

  // With a profile, impact weighs each finding by its measured share (finding_priority).
  auto priority = [&](const Finding* finding) {
    return finding_priority(finding->severity, report.profile.has_value(),
                            measure_of(report, *finding));
  };
  std::map<Category, CategoryOpportunity> categories;
  for (auto& [rule_id, findings] : by_rule) {
    RuleOpportunity rule = describe_rule(rule_id);
    std::set<std::string_view> files;
    double impact = 0.0;
    for (const Finding* finding : findings) {
      impact += priority(finding);
      if (auto measure = measure_of(report, *finding)) {
        rule.share = std::max(rule.share, measure->share);
      }
      files.insert(finding->path);
      if (rule.rule_name.empty()) rule.rule_name = finding->rule_name;
    }
    rule.impact = static_cast<int>(std::lround(impact));
    rule.count = static_cast<int>(findings.size());
    rule.files = static_cast<int>(files.size());
    // Worst: most severe (with a profile: highest priority) first, then in the file that weighs
    // most, then in report order.
    std::stable_sort(findings.begin(), findings.end(), [&](const Finding* a, const Finding* b) {
      if (report.profile) {
        double pa = priority(a);
        double pb = priority(b);
        if (pa != pb) return pa > pb;
      }
      if (a->severity != b->severity) return a->severity < b->severity;
      return file_score[a->path] > file_score[b->path];
    });
    findings.resize(std::min<std::size_t>(findings.size(), 3));
    rule.worst = findings;
    CategoryOpportunity& category = categories[findings.front()->category];
    category.category = findings.front()->category;
    category.impact += rule.impact;
    category.count += rule.count;
    category.rules.push_back(std::move(rule));
  }
  std::vector<CategoryOpportunity> result;
  for (auto& [category, opportunity] : categories) {
    std::stable_sort(
        opportunity.rules.begin(), opportunity.rules.end(),
        [](const RuleOpportunity& a, const RuleOpportunity& b) { return a.impact > b.impact; });
    result.push_back(std::move(opportunity));
  }
  std::map<Category, std::set<std::string_view>> files;
  for (const Finding& finding : report.findings) files[finding.category].insert(finding.path);
  for (CategoryOpportunity& opportunity : result) {
    opportunity.files = static_cast<int>(files[opportunity.category].size());
  }
  std::stable_sort(result.begin(), result.end(),
                   [](const CategoryOpportunity& a, const CategoryOpportunity& b) {
                     return a.impact > b.impact;
                   });
  return result;
}

// Every rule with findings as an action item, sorted into the four quadrants of impact × effort.
std::vector<ActionQuadrant> plan_actions(const Report& report,
                                         const std::vector<CategoryOpportunity>& opportunities) {
  const bool profiled = report.profile.has_value();
  std::vector<std::size_t> order;
  if (profiled) {
    order = report.profile->ranked;
  } else {
    order.resize(report.findings.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return report.findings[a].severity < report.findings[b].severity;
    });
  }
  std::map<std::string, std::vector<const Finding*>> by_rule;
  for (std::size_t i : order) by_rule[report.findings[i].rule_id].push_back(&report.findings[i]);

  std::vector<ActionQuadrant> quadrants = {
      {true, true, "Quick wins: high impact, low effort", {}},
      {true, false, "Major projects: high impact, high effort", {}},
      {false, true, "Fill-ins: low impact, low effort", {}},
      {false, false, "Later: low impact, high effort", {}},
  };
  for (const CategoryOpportunity& category : opportunities) {
    for (const RuleOpportunity& rule : category.rules) {
      ActionItem item;
      item.rule_id = rule.rule_id;
      item.rule_name = rule.rule_name;
      item.effort = effort_of(rule.rule_id);
      item.impact = rule.impact;
      item.share = rule.share;
      item.findings = by_rule[rule.rule_id];
      std::set<std::string_view> seen;
      for (const Finding* finding : item.findings) {
        if (seen.insert(finding->path).second) item.files.push_back(finding->path);
      }
      bool high = item.impact >= kHighImpact || (profiled && item.share >= kHighShare);
      bool low_effort = item.effort != Effort::design;
      for (ActionQuadrant& quadrant : quadrants) {
        if (quadrant.high_impact == high && quadrant.low_effort == low_effort) {
          quadrant.items.push_back(std::move(item));
          break;
        }
      }
    }
  }
  std::vector<ActionQuadrant> plan;
  for (ActionQuadrant& quadrant : quadrants) {
    if (quadrant.items.empty()) continue;
    std::stable_sort(quadrant.items.begin(), quadrant.items.end(),
                     [](const ActionItem& a, const ActionItem& b) {
                       if (a.effort != b.effort) return a.effort < b.effort;
                       if (a.impact != b.impact) return a.impact > b.impact;
                       return a.rule_id < b.rule_id;
                     });
    plan.push_back(std::move(quadrant));
  }
  return plan;
}

std::vector<std::string> gather_index_statements(const Report& report) {
  std::set<std::string> statements;
  for (const Finding& finding : report.findings) {
    if (finding.category != Category::database) continue;
    for (std::string& statement : index_statements_in(finding.suggestion)) {
      statements.insert(std::move(statement));
    }
  }
  return {statements.begin(), statements.end()};
}

// ---------------------------------------------------------------------------------------------
// Source excerpts

// A file's lines (decoded as the analysis decoded them), read once for its excerpts.
class SourceLines {
 public:
  explicit SourceLines(const std::string& path) {
    std::string bytes;
    std::string error;
    if (path == "-" || !read_file_bytes(path, bytes, error)) return;
    SourceText source = decode_source(std::move(bytes));
    if (!source.fatal.empty()) return;
    text_ = std::move(source.text);
    std::size_t begin = 0;
    while (begin <= text_.size()) {
      std::size_t end = text_.find('\n', begin);
      if (end == std::string::npos) end = text_.size();
      std::string_view line(text_.data() + begin, end - begin);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines_.push_back(line);
      begin = end + 1;
    }
  }

  // Line `number` (1-based), or nullopt past the end / when the file could not be read.
  [[nodiscard]] std::optional<std::string_view> line(std::uint32_t number) const {
    if (number == 0 || number > lines_.size()) return std::nullopt;
    return lines_[number - 1];
  }

 private:
  std::string text_;
  std::vector<std::string_view> lines_;
};

// Byte offset of 1-based character column `column` in `line` (clamped to its end).
std::size_t byte_offset(std::string_view line, std::uint32_t column) {
  std::size_t pos = 0;
  for (std::uint32_t c = 1; c < column && pos < line.size(); ++c) {
    Utf8Char decoded = decode_utf8(line, pos);
    pos += decoded.length == 0 ? 1 : decoded.length;
  }
  return std::min(pos, line.size());
}

ExcerptLine marked_line(std::uint32_t number, std::string_view text, const Span& span) {
  ExcerptLine line{number, std::string(text), 0, 0};
  if (number < span.line || number > span.end_line) return line;
  line.mark_begin = number == span.line ? byte_offset(text, span.column) : 0;
  line.mark_end = number == span.end_line ? byte_offset(text, span.end_column) : text.size();
  // A span that starts at the very end of its line still deserves a visible mark.
  if (line.mark_end < line.mark_begin) line.mark_end = line.mark_begin;
  return line;
}

constexpr std::uint32_t kMaxFlaggedLines = 6;

std::vector<ExcerptLine> excerpt_for(const Finding& finding, const SourceLines& source,
                                     std::size_t context) {
  std::vector<ExcerptLine> excerpt;
  const Span& span = finding.span;
  // The file may have changed since it was scanned: trust it only if the flagged line agrees.
  // A notebook's lines on disk are JSON: its findings show their own line, numbered in the cell.
  std::optional<std::string_view> flagged =
      finding.cell != 0 ? std::nullopt : source.line(span.line);
  if (!flagged || *flagged != finding.source_line) {
    if (!finding.source_line.empty()) {
      Span one_line = span;
      const std::uint32_t number = finding.cell != 0 ? finding.cell_line : span.line;
      one_line.line = number;
      one_line.end_line = number;
      if (span.end_line != span.line) one_line.end_column = 1u << 30;
      excerpt.push_back(marked_line(number, finding.source_line, one_line));
    }
    return excerpt;
  }
  const std::uint32_t first =
      span.line > context ? span.line - static_cast<std::uint32_t>(context) : 1;
  const std::uint32_t last_flagged = std::min(span.end_line, span.line + kMaxFlaggedLines - 1);
  const std::uint32_t last = last_flagged + static_cast<std::uint32_t>(context);
  for (std::uint32_t number = first; number <= last; ++number) {
    std::optional<std::string_view> text = source.line(number);
    if (!text) break;
    excerpt.push_back(marked_line(number, *text, span));
  }
  // Trailing blank context lines say nothing.
  while (excerpt.size() > 1 && excerpt.back().number > last_flagged &&
         excerpt.back().text.find_first_not_of(" \t") == std::string::npos) {
    excerpt.pop_back();
  }
  return excerpt;
}

std::vector<FileDetail> detail_files(const Report& report, const ReviewLimits& limits) {
  std::map<std::string_view, const FileSummary*> summaries;
  for (const FileSummary& file : report.summary.files) summaries[file.path] = &file;
  std::vector<FileDetail> files;
  std::size_t excerpt_budget = limits.excerpts_total;
  std::size_t i = 0;
  while (i < report.findings.size()) {
    const std::string& path = report.findings[i].path;
    std::size_t end = i;
    while (end < report.findings.size() && report.findings[end].path == path) ++end;
    FileDetail file;
    file.summary = summaries[path];
    const std::size_t listed = std::min(end - i, limits.rows_per_file);
    const std::size_t with_excerpt = std::min({listed, limits.excerpts_per_file, excerpt_budget});
    excerpt_budget -= with_excerpt;
    std::optional<SourceLines> source;
    if (with_excerpt > 0) source.emplace(path);
    for (std::size_t k = 0; k < listed; ++k) {
      FindingDetail detail{&report.findings[i + k], k < with_excerpt, {}};
      if (detail.in_full)
        detail.excerpt = excerpt_for(*detail.finding, *source, limits.context_lines);
      file.findings.push_back(std::move(detail));
    }
    file.without_excerpt = listed - with_excerpt;
    file.omitted = (end - i) - listed;
    files.push_back(std::move(file));
    i = end;
  }
  return files;
}

// The prefix every path shares when a single directory was scanned ("" otherwise).
std::string common_root_prefix(const ScanSetup& setup) {
  if (setup.roots.size() != 1) return {};
  std::string root = setup.roots.front();
  if (root == "." || root == "./") return "./";
  std::error_code ignored;
  if (!std::filesystem::is_directory(root, ignored)) return {};
  if (!root.ends_with('/')) root += '/';
  return root;
}

}  // namespace

std::string Review::location(const Finding& finding) const {
  return fmt::format("{}:{}", shown_path(finding.path), line_and_column(finding));
}

std::string line_and_column(const Finding& finding) {
  if (finding.cell != 0) {
    return fmt::format("cell {}:{}:{}", finding.cell, finding.cell_line, finding.span.column);
  }
  return fmt::format("{}:{}", finding.span.line, finding.span.column);
}

std::string line_and_column_words(const Finding& finding) {
  if (finding.cell != 0) {
    return fmt::format("cell {}, line {}, column {}", finding.cell, finding.cell_line,
                       finding.span.column);
  }
  return fmt::format("line {}, column {}", finding.span.line, finding.span.column);
}

std::string doc_code_block(std::string_view doc, std::string_view heading) {
  std::string_view section = doc_section(doc, heading);
  std::size_t open = section.find("```");
  if (open == std::string_view::npos) return {};
  std::size_t body = section.find('\n', open);
  if (body == std::string_view::npos) return {};
  std::size_t close = section.find("\n```", body);
  if (close == std::string_view::npos) return {};
  return std::string(section.substr(body + 1, close - body));
}

std::string doc_first_paragraph(std::string_view doc, std::string_view heading) {
  std::string_view section = doc_section(doc, heading);
  std::size_t start = section.find_first_not_of("\n");
  if (start == std::string_view::npos) return {};
  std::size_t end = section.find("\n\n", start);
  if (end == std::string_view::npos) end = section.size();
  return fold_whitespace(section.substr(start, end - start));
}

std::vector<std::string> index_statements_in(std::string_view suggestion) {
  std::vector<std::string> statements;
  std::size_t pos = 0;
  while ((pos = suggestion.find("CREATE ", pos)) != std::string_view::npos) {
    std::string_view rest = suggestion.substr(pos);
    const bool is_index =
        rest.starts_with("CREATE INDEX") || rest.starts_with("CREATE UNIQUE INDEX");
    std::size_t end = rest.find_first_of(";`\n");
    if (end == std::string_view::npos) end = rest.size();
    if (is_index) {
      statements.push_back(fold_whitespace(rest.substr(0, end)) + ";");
    }
    pos += std::max<std::size_t>(end, 1);
  }
  return statements;
}

std::string severe_findings_phrase(const CategoryCount& category) {
  std::string phrase;
  if (category.critical > 0) phrase += fmt::format("{} critical", category.critical);
  if (category.high > 0) {
    phrase += fmt::format("{}{} high", phrase.empty() ? "" : " and ", category.high);
  }
  phrase += category.severe == 1 ? " finding" : " findings";
  return phrase + fmt::format(", of {} in {} {}", category.count, category.files,
                              category.files == 1 ? "file" : "files");
}

std::vector<TextPiece> split_code_spans(std::string_view text) {
  std::vector<TextPiece> pieces;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t tick = text.find('`', pos);
    if (tick == std::string_view::npos) break;
    std::size_t run = text.find_first_not_of('`', tick);
    if (run == std::string_view::npos) break;
    std::string_view fence = text.substr(tick, run - tick);
    std::size_t close = text.find(fence, run);
    if (close == std::string_view::npos) break;
    if (tick > pos) pieces.push_back({text.substr(pos, tick - pos), false});
    pieces.push_back({text.substr(run, close - run), true});
    pos = close + fence.size();
  }
  if (pos < text.size()) pieces.push_back({text.substr(pos), false});
  return pieces;
}

std::vector<RuleRun> rules_that_ran(const Report& report) {
  std::vector<RuleRun> runs;
  for (const std::string& id : report.setup.rule_ids) {
    const Rule* rule = find_rule(id);
    if (rule == nullptr) continue;
    auto count = report.summary.by_rule.find(id);
    runs.push_back({&rule->info(), count == report.summary.by_rule.end() ? 0 : count->second});
  }
  return runs;
}

std::string readable_timestamp(const std::string& iso) {
  if (iso.size() != 20 || iso[10] != 'T' || iso.back() != 'Z') return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string percent(int part, int whole) {
  if (whole <= 0) return "0%";
  return fmt::format("{:.1f}%", 100.0 * part / whole);
}

std::string format_seconds(double seconds) { return fmt::format("{:.2f} s", seconds); }

std::vector<Setting> configuration_in_effect(const Report& report) {
  auto joined = [](const std::vector<std::string>& items, std::string_view none) {
    std::string text;
    for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
    return text.empty() ? std::string(none) : text;
  };
  const ScanOptions& options = report.setup.options;
  std::vector<Setting> settings = {
      {"paths", joined(report.setup.roots, ".")},
      {"select", joined(options.select, "the default tier")},
      {"extend-select", joined(options.extend_select, "none")},
      {"ignore", joined(options.ignore, "none")},
      {"tests", fmt::format("{} ({} hidden in test code)", test_profile_name(options.tests),
                            report.summary.hidden_in_tests)},
      {"min-severity", std::string(severity_name(options.min_severity))},
      {"exclude", joined(options.excludes, "none (default excludes only)")},
      {"include-pyi", options.include_pyi ? "true" : "false"},
      {"respect .gitignore", options.respect_gitignore ? "true" : "false"},
      {"jobs", std::to_string(report.stats.jobs)},
      {"target-version", options.target_version.empty() ? "not given" : options.target_version},
      {"extra-blocking-calls", joined(options.knowledge.blocking_calls, "none")},
      {"extra-query-methods", joined(options.knowledge.query_methods, "none")},
      {"extra-http-clients", joined(options.knowledge.http_clients, "none")},
  };
  for (const auto& [name, value] : report.setup.gate) settings.push_back({name, value});
  return settings;
}

std::string hidden_in_tests_sentence(const Report& report) {
  int hidden = report.summary.hidden_in_tests;
  if (hidden == 0) return {};
  return fmt::format(
      "{} {} in test code {} hidden by the {} test profile (--tests full shows them).", hidden,
      hidden == 1 ? "finding" : "findings", hidden == 1 ? "was" : "were",
      test_profile_name(report.setup.options.tests));
}

Review build_review(const Report& report, const ReviewLimits& limits) {
  Review review;
  review.categories = count_categories(report);
  review.severe_categories = most_severe(review.categories);
  for (const FileSummary& file : report.summary.files) review.total_score += file.score;
  review.files_for_80_percent = files_for_share(report.summary.files, review.total_score);
  review.opportunities = rank_opportunities(report);
  review.action_plan = plan_actions(report, review.opportunities);
  review.index_statements = gather_index_statements(report);
  review.files = detail_files(report, limits);
  review.path_prefix = common_root_prefix(report.setup);
  return review;
}

}  // namespace perfscan
