// The Markdown performance review: GitHub-flavoured (tables, ```python fences), compact enough
// for a pull-request comment. Text from the scanned code never becomes markup: prose is
// backslash-escaped, code goes into code spans or fences longer than any backtick run in it.
#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <string_view>

#include "perfscan/rule.hpp"
#include "report/review.hpp"
#include "report/writers.hpp"
#include "syntax/utf8.hpp"

namespace perfscan {
namespace {

// ---------------------------------------------------------------------------------------------
// Escaping

// Prose on one line: Markdown punctuation is backslash-escaped, '<' and '&' become entities so
// that GitHub never sees a tag, and line breaks become spaces (a table cell is one line).
std::string md_text(std::string_view text) {
  constexpr std::string_view kPunctuation = "\\`*_[]|#~!";
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      if (kPunctuation.find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out;
}

std::size_t longest_backtick_run(std::string_view text) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// An inline code span that holds `code` verbatim: its fence is longer than any backtick run
// inside. In a table cell a '|' still ends the cell (GFM splits cells first), so it is
// escaped there; GitHub shows `\|` inside a cell's code span as '|'.
std::string md_code(std::string_view code, bool in_table) {
  std::string body;
  for (char c : code) {
    if (c == '\n' || c == '\r') {
      body += ' ';
    } else if (c == '|' && in_table) {
      body += "\\|";
    } else {
      body += c;
    }
  }
  if (body.empty()) return "` `";
  const std::string fence(longest_backtick_run(body) + 1, '`');
  const bool pad =
      body.front() == '`' || body.back() == '`' || (body.front() == ' ' && body.back() == ' ');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

// A fenced block for `code`; the fence outgrows any backtick run in the code.
std::string md_fence(std::string_view code, std::string_view language) {
  const std::string fence(std::max<std::size_t>(3, longest_backtick_run(code) + 1), '`');
  std::string block = fence + std::string(language) + "\n" + std::string(code);
  if (!block.empty() && block.back() != '\n') block += '\n';
  return block + fence + "\n";
}

// Messages and suggestions mark code with `backticks`: keep those as code spans (re-fenced)
// and escape the prose between them.
std::string md_inline(std::string_view text, bool in_table) {
  std::string out;
  for (const TextPiece& piece : split_code_spans(text)) {
    out += piece.code ? md_code(piece.text, in_table) : md_text(piece.text);
  }
  return out;
}

std::size_t char_count(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size(); ++count) {
    Utf8Char decoded = decode_utf8(text, pos);
    pos += decoded.length == 0 ? 1 : decoded.length;
  }
  return count;
}

// The excerpt as Python, with a caret line under the first flagged line; tabs before the mark
// are kept so the carets line up however the reader's tab width is set.
std::string excerpt_block(const std::vector<ExcerptLine>& excerpt) {
  std::string code;
  bool marked = false;
  for (const ExcerptLine& line : excerpt) {
    code += line.text + "\n";
    if (marked || line.mark_end <= line.mark_begin) continue;
    std::string carets;
    for (std::size_t i = 0; i < line.mark_begin; ++i) {
      carets += line.text[i] == '\t' ? '\t' : ' ';
      // Multi-byte characters take one column: skip their continuation bytes.
      if ((static_cast<unsigned char>(line.text[i]) & 0xC0) == 0x80) carets.pop_back();
    }
    const std::size_t width = char_count(
        std::string_view(line.text).substr(line.mark_begin, line.mark_end - line.mark_begin));
    carets += std::string(std::max<std::size_t>(1, width), '^');
    code += carets + "\n";
    marked = true;
  }
  return md_fence(code, "python");
}

// ---------------------------------------------------------------------------------------------
// Sections, in the order the issue lists them

class MarkdownReview {
 public:
  explicit MarkdownReview(const Report& report)
      : report_(report), review_(build_review(report, limits())) {}

  // The whole document is built first so that the findings section can be fitted into what
  // is left of a pull-request comment's size.
  void write(std::ostream& out) {
    write_header();
    write_executive_summary();
    write_hot_spots();
    write_comparison();
    write_distribution();
    write_critical_files();
    write_opportunities();
    write_action_plan();
    write_index_statements();
    std::ostringstream appendix;
    std::swap(appendix, out_);
    write_appendix();
    std::swap(appendix, out_);
    write_details(appendix.str().size());
    out << out_.str() << appendix.str();
  }

 private:
  // A pull-request comment has to stay short: GitHub caps one at 65,536 characters.
  static constexpr std::size_t kCommentBudget = 60000;
  // Rules shown with their worst locations and fix pattern; the rest get one line each.
  static constexpr int kDetailedRules = 8;
  // The action plan's files named and findings checked off per step.
  static constexpr std::size_t kPlanFiles = 5;
  static constexpr std::size_t kPlanChecklist = 10;

  static ReviewLimits limits() {
    ReviewLimits limits;
    limits.excerpts_per_file = 5;
    limits.rows_per_file = 30;
    limits.excerpts_total = 60;
    limits.context_lines = 1;
    return limits;
  }

  const Summary& summary() const { return report_.summary; }
  int severity_count(Severity severity) const {
    return summary().by_severity.at(static_cast<std::size_t>(severity));
  }

  void write_header() {
    const ScanSetup& setup = report_.setup;
    std::string roots;
    for (const std::string& root : setup.roots) {
      roots += (roots.empty() ? "" : ", ") + md_code(root, true);
    }
    out_ << "# Performance review: " << md_text(setup.project) << "\n\n"
         << "| Project | " << roots << " |\n|---|---|\n"
         << "| Date | " << md_text(readable_timestamp(setup.started_at)) << " |\n"
         << "| perfscan | " << md_text(report_.tool_version) << " |\n"
         << fmt::format("| Scanned | {} files, {} lines |\n", summary().files_scanned,
                        summary().lines_scanned)
         << "| Scan time | " << format_seconds(report_.stats.seconds) << " |\n\n";
  }

  void write_executive_summary() {
    out_ << "## Executive summary\n\n";
    if (std::string hidden = hidden_in_tests_sentence(report_); !hidden.empty()) {
      out_ << md_text(hidden) << "\n\n";
    }
    if (summary().total == 0) {
      out_ << fmt::format("No findings in {} files scanned.\n\n", summary().files_scanned);
      return;
    }
    out_ << fmt::format("**{} findings** in {} of {} files scanned: ", summary().total,
                        summary().files.size(), summary().files_scanned);
    bool first = true;
    for (Severity severity : kAllSeverities) {
      out_ << (first ? "" : ", ") << severity_count(severity) << ' ' << severity_name(severity);
      first = false;
    }
    out_ << ".\n\n";
    for (const CategoryCount& category : review_.severe_categories) {
      out_ << "- **" << md_text(category_display_name(category.category)) << "**: ";
      out_ << md_text(severe_findings_phrase(category));
      if (!category.top_rule.empty()) {
        const Rule* rule = find_rule(category.top_rule);
        out_ << ", mostly " << md_text(category.top_rule);
        if (rule != nullptr) out_ << ' ' << md_code(rule->info().name, false);
      }
      out_ << ".\n";
    }
    if (review_.severe_categories.empty()) out_ << "- No critical or high findings.\n";
    out_ << fmt::format(
        "- {} of {} files with findings ({}) hold 80% of the severity-weighted score.\n\n",
        review_.files_for_80_percent, summary().files.size(),
        percent(static_cast<int>(review_.files_for_80_percent),
                static_cast<int>(summary().files.size())));
  }

  // The profile's hottest functions of the scanned code with their findings, or a note that a
  // hot function has none; the sample count and the frames outside the scanned code.
  void write_hot_spots() {
    if (!report_.profile) return;
    const ProfileMeasures& profile = *report_.profile;
    std::string sources;
    for (const std::string& source : profile.sources) {
      sources += (sources.empty() ? "" : ", ") + md_code(source, false);
    }
    out_ << "## Measured hot spots\n\n"
         << fmt::format("From {}: {} samples. Findings are ranked by severity and measured share "
                        "together; those the profile never saw are ranked down.\n\n",
                        sources, profile.total_samples);
    if (profile.hot.empty()) {
      out_ << "No function of the scanned code is in the profile.\n\n";
    } else {
      out_ << "| # | Function | Location | Share | Samples | Findings |\n"
              "|---:|---|---|---:|---:|---|\n";
      for (std::size_t rank = 0; rank < profile.hot.size(); ++rank) {
        const HotFunction& hot = profile.hot[rank];
        std::string findings;
        for (std::size_t i : hot.findings) {
          const Finding& finding = report_.findings[i];
          findings += (findings.empty() ? "" : "<br>") + md_text(finding.rule_id) + " **" +
                      std::string(severity_name(finding.severity)) + "** " +
                      md_code(line_and_column(finding), true);
        }
        if (findings.empty()) findings = "none: the time goes to the work itself or what it calls";
        out_ << "| " << rank + 1 << " | " << md_code(hot.name, true) << " | "
             << md_code(fmt::format("{}:{}", review_.shown_path(hot.path), hot.line), true)
             << " | " << share_percent(hot.share) << " | " << hot.samples << " | " << findings
             << " |\n";
      }
      out_ << '\n';
    }
    if (profile.unmatched_frames > 0) {
      out_ << fmt::format("{} frames of the profile are outside the scanned code ({} samples hold "
                          "none of it); the most sampled:\n\n",
                          profile.unmatched_frames, profile.unmatched_samples);
      for (const UnmatchedFrame& frame : profile.top_unmatched) {
        out_ << "- " << md_code(frame.frame, false) << ": " << frame.samples << " samples\n";
      }
      out_ << '\n';
    }
  }

  // `--compare`: new, fixed and remaining findings, and the change per severity and category.
  void write_comparison() {
    if (!report_.comparison) return;
    const Comparison& c = *report_.comparison;
    out_ << "## Changes since the last review\n\nCompared with " << md_code(c.source, false)
         << ": **" << c.added.size() << " new**, " << c.fixed.size() << " fixed, " << c.remaining
         << " remaining.\n\n| | Before | Now | Change |\n|---|---:|---:|---:|\n";
    for (Severity severity : kAllSeverities) {
      auto i = static_cast<std::size_t>(severity);
      out_ << "| " << severity_name(severity) << " | " << c.before_severity.at(i) << " | "
           << c.after_severity.at(i) << " | "
           << fmt::format("{:+}", c.after_severity.at(i) - c.before_severity.at(i)) << " |\n";
    }
    for (Category category : kAllCategories) {
      auto i = static_cast<std::size_t>(category);
      if (c.before_category.at(i) == 0 && c.after_category.at(i) == 0) continue;
      out_ << "| " << md_text(category_display_name(category)) << " | " << c.before_category.at(i)
           << " | " << c.after_category.at(i) << " | "
           << fmt::format("{:+}", c.after_category.at(i) - c.before_category.at(i)) << " |\n";
    }
    out_ << '\n';
    for (std::size_t k = 0; k < c.added.size() && k < 20; ++k) {
      const Finding& finding = report_.findings[c.added[k]];
      out_ << "- new: **" << severity_name(finding.severity) << "** "
           << md_code(review_.location(finding), false) << ' ' << md_text(finding.rule_id) << ' '
           << md_inline(finding.message, false) << '\n';
    }
    for (std::size_t k = 0; k < c.fixed.size() && k < 20; ++k) {
      const PreviousFinding& finding = c.fixed[k];
      out_ << "- fixed: **" << severity_name(finding.severity) << "** "
           << md_code(fmt::format("{}:{}", review_.shown_path(finding.path), finding.line), false)
           << ' ' << md_text(finding.rule) << ' ' << md_inline(finding.message, false) << '\n';
    }
    if (!c.added.empty() || !c.fixed.empty()) out_ << '\n';
  }

  void write_distribution() {
    out_ << "## Issues by severity\n\n| Severity | Findings | Share |\n|---|---:|---:|\n";
    for (Severity severity : kAllSeverities) {
      const int count = severity_count(severity);
      out_ << "| " << severity_name(severity) << " | " << count << " | "
           << percent(count, summary().total) << " |\n";
    }
    out_ << "\n## Issues by category\n\n";
    if (review_.categories.empty()) {
      out_ << "No findings.\n\n";
      return;
    }
    out_ << "| Category | Findings | Share | Critical + high |\n|---|---:|---:|---:|\n";
    for (const CategoryCount& category : review_.categories) {
      out_ << "| " << md_text(category_display_name(category.category)) << " | " << category.count
           << " | " << percent(category.count, summary().total) << " | " << category.severe
           << " |\n";
    }
    out_ << '\n';
  }

  void write_critical_files() {
    out_ << "## Most critical files\n\n";
    if (summary().files.empty()) {
      out_ << "No file has findings.\n\n";
      return;
    }
    const bool measured = report_.profile.has_value();
    out_ << "| # | File | Score | critical | high | medium | low | Dominant category |"
         << (measured ? " Measured |\n" : "\n")
         << "|---:|---|---:|---:|---:|---:|---:|---|" << (measured ? "---:|\n" : "\n");
    const std::size_t shown = std::min<std::size_t>(10, summary().files.size());
    for (std::size_t i = 0; i < shown; ++i) {
      const FileSummary& file = summary().files[i];
      out_ << "| " << i + 1 << " | " << md_code(review_.shown_path(file.path), true) << " | "
           << file.score;
      for (int count : file.by_severity) out_ << " | " << count;
      out_ << " | " << md_text(category_display_name(file.dominant_category)) << " |";
      if (measured) out_ << ' ' << (file.share > 0 ? share_percent(file.share) : "not seen") << " |";
      out_ << '\n';
    }
    out_ << '\n';
  }

  void write_opportunities() {
    out_ << "## Prioritised optimisation opportunities\n\n";
    if (review_.opportunities.empty()) out_ << "Nothing to optimise: no findings.\n\n";
    int rank = 0;
    for (const CategoryOpportunity& category : review_.opportunities) {
      out_ << fmt::format(
          "### {}. {}\n\nImpact {} (severity weight × count{}): {} occurrences "
          "in {} files.\n\n",
          ++rank, md_text(category_display_name(category.category)), category.impact,
          report_.profile ? ", scaled by measured share" : "",
          category.count, category.files);
      for (const RuleOpportunity& rule : category.rules) {
        if (detailed_rules_++ < kDetailedRules) {
          write_rule_opportunity(rule);
        } else {
          out_ << "- " << md_text(rule.rule_id) << ' ' << md_code(rule.rule_name, false) << ": "
               << rule.count << " occurrences in " << rule.files << " files, impact " << rule.impact
               << ".\n\n";
        }
      }
    }
  }

  void write_rule_opportunity(const RuleOpportunity& rule) {
    out_ << "#### " << md_text(rule.rule_id) << ' ' << md_code(rule.rule_name, false) << " ("
         << severity_name(rule.severity) << ")\n\n"
         << fmt::format("**{} occurrences in {} files**, impact {}.", rule.count, rule.files,
                        rule.impact);
    if (!rule.cost.empty()) out_ << ' ' << md_inline(rule.cost, false);
    if (report_.profile) {
      out_ << (rule.share > 0 ? " Measured: up to " + share_percent(rule.share) +
                                    " of the profile's samples in its functions."
                              : std::string(" Not seen in the profile."));
    }
    out_ << "\n\nWorst locations:\n\n";
    for (const Finding* finding : rule.worst) {
      out_ << "- **" << severity_name(finding->severity) << "** "
           << md_code(review_.location(*finding), false) << " "
           << md_inline(finding->message, false) << '\n';
    }
    out_ << '\n';
    if (!rule.before.empty() || !rule.after.empty()) {
      out_ << "<details><summary>Fix pattern</summary>\n\nBefore:\n\n"
           << md_fence(rule.before, "python") << "\nAfter:\n\n"
           << md_fence(rule.after, "python") << "\n</details>\n\n";
    }
  }

  // Impact × effort: the opportunities in the order to do them, quadrant by quadrant, each with
  // its findings as a checklist and the files it touches.
  void write_action_plan() {
    if (review_.action_plan.empty()) return;
    out_ << "## Action plan\n\nImpact from severity, occurrences"
         << (report_.profile ? " and measured share" : "")
         << "; effort from what the fix takes (mechanical, local refactor, design). High impact "
            "and low effort first.\n\n";
    int step = 0;
    for (const ActionQuadrant& quadrant : review_.action_plan) {
      out_ << "### " << md_text(quadrant.title) << "\n\n";
      for (const ActionItem& item : quadrant.items) {
        out_ << fmt::format("#### {}. ", ++step) << md_text(item.rule_id) << ' '
             << md_code(item.rule_name, false) << ": " << effort_name(item.effort) << ", impact "
             << item.impact << "\n\n"
             << item.findings.size() << (item.findings.size() == 1 ? " finding" : " findings")
             << " in " << item.files.size() << (item.files.size() == 1 ? " file" : " files")
             << ": ";
        for (std::size_t i = 0; i < item.files.size() && i < kPlanFiles; ++i) {
          out_ << (i == 0 ? "" : ", ") << md_code(review_.shown_path(item.files[i]), false);
        }
        if (item.files.size() > kPlanFiles) out_ << " and " << item.files.size() - kPlanFiles << " more";
        out_ << ".";
        if (report_.profile && item.share > 0) {
          out_ << " Measured: up to " << share_percent(item.share) << " of the samples.";
        }
        out_ << "\n\n";
        for (std::size_t i = 0; i < item.findings.size() && i < kPlanChecklist; ++i) {
          const Finding& finding = *item.findings[i];
          out_ << "- [ ] " << md_code(review_.location(finding), false) << ' '
               << md_inline(finding.message, false) << '\n';
        }
        if (item.findings.size() > kPlanChecklist) {
          out_ << "- _and " << item.findings.size() - kPlanChecklist << " more_\n";
        }
        out_ << '\n';
      }
    }
  }

  void write_index_statements() {
    if (review_.index_statements.empty()) return;
    out_ << "## Suggested indexes\n\nFrom the database-design findings; review them against "
            "your query plans before applying.\n\n";
    std::string sql;
    for (const std::string& statement : review_.index_statements) sql += statement + "\n";
    out_ << md_fence(sql, "sql") << '\n';
  }

  void write_details(std::size_t reserved) {
    out_ << "## Findings in detail\n\n";
    if (review_.files.empty()) {
      out_ << "No findings.\n\n";
      return;
    }
    const std::size_t used = static_cast<std::size_t>(out_.tellp()) + reserved + 400;
    const std::size_t budget = used < kCommentBudget ? kCommentBudget - used : 0;
    std::size_t written = 0;
    for (std::size_t i = 0; i < review_.files.size(); ++i) {
      std::ostringstream file;
      write_file(review_.files[i], file);
      if (written + file.str().size() > budget) {
        std::size_t findings = 0;
        for (std::size_t k = i; k < review_.files.size(); ++k) {
          if (review_.files[k].summary != nullptr) findings += review_.files[k].summary->findings;
        }
        out_ << "_" << findings << " more findings in " << review_.files.size() - i
             << " files are not detailed here to keep this comment short; the tables above "
                "count them, and `--format html` or `--format json` lists them all._\n\n";
        return;
      }
      written += file.str().size();
      out_ << file.str();
    }
  }

  void write_file(const FileDetail& file, std::ostream& out) {
    out << "### " << md_code(review_.shown_path(file.findings.front().finding->path), false);
    if (file.summary != nullptr) {
      out << " (" << file.summary->findings
          << (file.summary->findings == 1 ? " finding" : " findings") << ", score "
          << file.summary->score << ")";
    }
    out << "\n\n";
    bool in_rows = false;
    for (const FindingDetail& detail : file.findings) {
      const Finding& finding = *detail.finding;
      if (!detail.in_full) {
        if (!in_rows) {
          out << file.without_excerpt << " more findings, without excerpts:\n\n";
          in_rows = true;
        }
        out << "- " << md_code(line_and_column(finding), false)
            << " **" << severity_name(finding.severity) << "** " << md_text(finding.rule_id) << ' '
            << md_inline(finding.message, false) << '\n';
        continue;
      }
      out << "**" << md_text(finding.rule_id) << "** " << md_code(finding.rule_name, false)
          << " · **" << severity_name(finding.severity) << "** · "
          << line_and_column_words(finding) << "  \n"
          << md_inline(finding.message, false) << "\n\n";
      if (!detail.excerpt.empty()) out << excerpt_block(detail.excerpt) << '\n';
      if (!finding.suggestion.empty()) {
        out << "Fix: " << md_inline(finding.suggestion, false) << "\n\n";
      }
    }
    if (in_rows) out << '\n';
    if (file.omitted > 0) {
      out << "_" << file.omitted
          << " more findings in this file are not listed; the counts above include them._\n\n";
    }
  }

  void write_appendix() {
    out_
        << "## Appendix\n\n### Rules that ran\n\n| Rule | Name | Category | Severity | Findings |\n"
           "|---|---|---|---|---:|\n";
    for (const RuleRun& run : rules_that_ran(report_)) {
      out_ << "| " << md_text(run.info->id) << " | " << md_code(run.info->name, true) << " | "
           << md_text(category_id(run.info->category)) << " | " << severity_name(run.info->severity)
           << " | " << run.findings << " |\n";
    }
    out_ << "\n### Configuration in effect\n\n| Setting | Value |\n|---|---|\n";
    for (const Setting& setting : configuration_in_effect(report_)) {
      out_ << "| " << md_text(setting.name) << " | " << md_code(setting.value, true) << " |\n";
    }
    if (!report_.errors.empty()) {
      out_ << "\n"
           << report_.errors.size()
           << " files could not be scanned in full; the text or JSON report lists them.\n";
    }
    out_ << "\n_Generated by perfscan " << md_text(report_.tool_version) << "._\n";
  }

  const Report& report_;
  Review review_;
  std::ostringstream out_;
  int detailed_rules_ = 0;
};

}  // namespace

void write_markdown(const Report& report, std::ostream& out) { MarkdownReview(report).write(out); }

}  // namespace perfscan
