// The HTML performance review: one self-contained, well-formed file (inline CSS and SVG, no
// script, no external assets) that reads on screen, printed and in dark mode. Every piece of
// text from the scanned code, its paths or the findings goes through `escape`.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
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

// Text and attribute values alike: the five XML specials become entities, and control
// characters (a form feed in old code, a stray NUL in a string) become their visible Unicode
// pictures, so the document stays well-formed whatever the source held.
std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((byte < 0x20 && c != '\t' && c != '\n') || byte == 0x7F) {
          out += fmt::format("&#x{:X};", 0x2400 + (byte == 0x7F ? 0x21 : byte));
        } else {
          out += c;
        }
    }
  }
  return out;
}

// [text](url) -> text: the doc links are references, and the report is meant to be read
// offline. Works on escaped text (the brackets and parentheses survive escaping).
std::string strip_links(std::string text) {
  std::string result;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t open = text.find('[', i);
    std::size_t mid = open == std::string::npos ? open : text.find("](", open);
    std::size_t end = mid == std::string::npos ? mid : text.find(')', mid);
    if (open == std::string::npos) {
      result += text.substr(i);
      break;
    }
    if (end == std::string::npos || text.find('[', open + 1) < mid) {
      result += text.substr(i, open + 1 - i);
      i = open + 1;
      continue;
    }
    result += text.substr(i, open - i) + text.substr(open + 1, mid - open - 1);
    i = end + 1;
  }
  return result;
}

// Messages, suggestions and doc paragraphs use Markdown code spans (`x`) and links: render
// the spans as <code> and links as their text; everything else escaped.
std::string inline_markup(std::string_view text) {
  std::string out;
  for (const TextPiece& piece : split_code_spans(text)) {
    out += piece.code ? "<code>" + escape(piece.text) + "</code>" : strip_links(escape(piece.text));
  }
  return out;
}

std::string css_id(std::string_view prefix, std::string_view name) {
  std::string id(prefix);
  for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '-';
  return id;
}

// ---------------------------------------------------------------------------------------------
// Style: light by default, dark when the reader's system asks, plain when printed.

constexpr std::string_view kStyle = R"css(
:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;--mark:#fff1a8;
--flag:#fff8c5;--critical:#b3261e;--high:#d9480f;--medium:#b08800;--low:#0969da;--link:#0969da;
--bar:#8250df;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;
--line:#3d444d;--panel:#161b22;--mark:#6e5a00;--flag:#2d2a12;--critical:#ff6b63;--high:#ff9b57;
--medium:#e3b341;--low:#58a6ff;--link:#58a6ff;--bar:#b58cff}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:24px;background:var(--bg);color:var(--fg);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;margin:36px 0 12px;padding-bottom:4px;
border-bottom:1px solid var(--line)}h3{font-size:17px;margin:24px 0 8px}h4{margin:16px 0 6px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
code{background:var(--panel);padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 12px;
overflow-x:auto;margin:6px 0}pre.excerpt{padding:8px 0}
pre code{background:none;padding:0;display:block}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:12px 0;
color:var(--muted)}.meta dd{margin:0;color:var(--fg);overflow-wrap:anywhere}
nav.toc{margin:12px 0;font-size:14px}nav.toc a{margin-right:14px}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
th,td{border:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:var(--panel)}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.path{overflow-wrap:anywhere;max-width:560px;min-width:16ch}
.sev{display:inline-block;min-width:64px;text-align:center;border-radius:10px;padding:0 8px;
font-size:12px;font-weight:600;color:#fff}
.sev-critical{background:var(--critical)}.sev-high{background:var(--high)}
.sev-medium{background:var(--medium)}.sev-low{background:var(--low)}
@media (prefers-color-scheme:dark){.sev{color:#0d1117}}
.charts{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.chart{max-width:560px;width:100%}svg text{fill:currentColor;font:12px system-ui,sans-serif}
.bar{fill:var(--bar)}.bar.critical{fill:var(--critical)}.bar.high{fill:var(--high)}
.bar.medium{fill:var(--medium)}.bar.low{fill:var(--low)}
.summary-list li{margin:4px 0}
.opportunity{border:1px solid var(--line);border-radius:8px;padding:4px 16px 12px;margin:12px 0}
.fix{display:grid;grid-template-columns:1fr 1fr;gap:12px}.fix>div{min-width:0}
.fix h5{margin:6px 0 0;font-size:13px;color:var(--muted)}
.worst{margin:6px 0;padding-left:20px}.checklist{list-style:none;margin:6px 0;padding-left:8px}
.effort{font-size:.8em;border:1px solid var(--line);border-radius:4px;padding:0 6px}.muted{color:var(--muted)}
.filters{position:sticky;top:0;background:var(--bg);padding:8px 0;border-bottom:1px solid
var(--line);font-size:14px;z-index:1}.filters a{margin-right:10px;white-space:nowrap}
.filter-target{display:block;position:relative;top:-60px}
details.file{border:1px solid var(--line);border-radius:8px;margin:6px 0}
details.file>summary{cursor:pointer;padding:6px 12px;background:var(--panel);border-radius:8px;
overflow-wrap:anywhere}
details.file[open]>summary{border-bottom:1px solid var(--line);border-radius:8px 8px 0 0}
.counts{color:var(--muted);font-size:13px;margin-left:8px}
.finding{padding:8px 14px;border-bottom:1px dashed var(--line)}.finding:last-child{border:0}
.finding .where{font-size:13px;color:var(--muted)}.finding p{margin:4px 0}
.excerpt .ln{display:inline-block;width:calc(6ch + 12px);text-align:right;padding-right:12px;
color:var(--muted);user-select:none;white-space:pre;overflow-wrap:normal}
.excerpt .line{display:block;padding-right:12px;white-space:pre}
.excerpt .hit{background:var(--flag)}
mark{background:var(--mark);color:inherit;border-bottom:2px solid var(--critical)}
.note{color:var(--muted);font-style:italic;padding:8px 14px}
.rows{margin:0;padding:4px 14px 8px;font-size:13px;list-style:none}
.rows .finding{padding:1px 0;border:0}.rows .mono{display:inline-block;min-width:9ch}
@media print{body{max-width:none;padding:0;font-size:11pt}.filters,nav.toc{display:none}
details.file{break-inside:auto}details.file>summary{list-style:none}
details::details-content{content-visibility:visible;display:block;height:auto}
pre{white-space:pre-wrap}.excerpt .line{white-space:pre-wrap}
.opportunity,.finding,tr{break-inside:avoid}h2{break-after:avoid}a{color:inherit}}
)css";

// Findings hidden by an active filter: the filter links target empty anchors placed before the
// file list, so `:target` does the filtering without any script.
// Finding classes the filters match: "s-high" for a severity, "c-database" for a category
// (kept apart from the badge classes, which carry colours).
std::string severity_class(Severity severity) { return css_id("s-", severity_name(severity)); }
std::string category_class(Category category) { return css_id("c-", category_id(category)); }

std::string filter_rule(std::string_view anchor, std::string_view cls) {
  return fmt::format(
      "#{0}:target~.file-list .finding:not(.{1}),"
      "#{0}:target~.file-list details.file:not(:has(.{1})){{display:none}}\n"
      "#{0}:target~.filters a[href=\"#{0}\"]{{font-weight:700;text-decoration:none;"
      "background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:0 6px}}\n",
      anchor, cls);
}

std::string filter_rules(const Review& review, const Report& report) {
  std::string css;
  for (Severity severity : kAllSeverities) {
    if (report.summary.by_severity.at(static_cast<std::size_t>(severity)) == 0) continue;
    css += filter_rule(css_id("only-sev-", severity_name(severity)), severity_class(severity));
  }
  for (const CategoryCount& category : review.categories) {
    css += filter_rule(css_id("only-cat-", category_id(category.category)),
                       category_class(category.category));
  }
  return css;
}

// ---------------------------------------------------------------------------------------------
// Pieces

std::string severity_badge(Severity severity) {
  return fmt::format(R"(<span class="sev sev-{0}">{0}</span>)", severity_name(severity));
}

std::string file_anchor(std::size_t index) { return fmt::format("file-{}", index + 1); }

struct Bar {
  std::string label;
  int value = 0;
  std::string css_class;  // "critical", ... or "" for the neutral colour
};

// A horizontal bar chart in inline SVG: labels left, bars scaled to the largest value.
std::string bar_chart(std::string_view title, const std::vector<Bar>& bars) {
  constexpr int kRow = 26;
  constexpr int kBarMax = 300;
  int largest = 1;
  std::size_t longest_label = 4;
  for (const Bar& bar : bars) {
    largest = std::max(largest, bar.value);
    longest_label = std::max(longest_label, bar.label.size());
  }
  // About 7 px per character at 12 px, plus the gap before the bar.
  const int label_width = static_cast<int>(std::min<std::size_t>(longest_label, 32)) * 7 + 14;
  const int height = static_cast<int>(bars.size()) * kRow + 8;
  std::string svg = fmt::format(
      R"(<svg class="chart" viewBox="0 0 {2} {0}" width="{2}" height="{0}" role="img" aria-label="{1}">)"
      "<title>{1}</title>\n",
      height, escape(title), label_width + kBarMax + 60);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& bar = bars[i];
    const int y = static_cast<int>(i) * kRow + 4;
    const int width = bar.value == 0 ? 0 : std::max(2, bar.value * kBarMax / largest);
    svg += fmt::format(R"(<text x="{0}" y="{1}" text-anchor="end">{2}</text>)"
                       R"(<rect class="bar {3}" x="{4}" y="{5}" width="{6}" height="18" rx="3"/>)"
                       R"(<text x="{7}" y="{1}">{8}</text>)"
                       "\n",
                       label_width - 8, y + 14, escape(bar.label), bar.css_class, label_width, y,
                       width, label_width + width + 6, bar.value);
  }
  return svg + "</svg>\n";
}

// ---------------------------------------------------------------------------------------------
// Sections, in the order the issue lists them

class HtmlReview {
 public:
  HtmlReview(const Report& report, std::ostream& out)
      : report_(report), review_(build_review(report, ReviewLimits{})), out_(out) {
    for (std::size_t i = 0; i < review_.files.size(); ++i) {
      file_index_.emplace(review_.files[i].findings.front().finding->path, i);
    }
  }

  void write() {
    write_head();
    write_header();
    write_executive_summary();
    write_hot_spots();
    write_comparison();
    write_distribution();
    write_critical_files();
    write_opportunities();
    write_action_plan();
    write_index_statements();
    write_details();
    write_appendix();
    out_ << "</body>\n</html>\n";
  }

 private:
  // The action plan's files named and findings checked off per step.
  static constexpr std::size_t kPlanFiles = 8;
  static constexpr std::size_t kPlanChecklist = 30;

  const Summary& summary() const { return report_.summary; }
  int severity_count(Severity severity) const {
    return summary().by_severity.at(static_cast<std::size_t>(severity));
  }

  void write_head() {
    out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
         // Nothing in this file may load or run anything: a last line of defence should a
         // piece of scanned code ever slip through unescaped.
         << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\"/>\n"
         << "<meta name=\"color-scheme\" content=\"light dark\"/>\n"
         << "<title>perfscan review: " << escape(report_.setup.project) << "</title>\n"
         << "<style>" << kStyle << filter_rules(review_, report_) << "</style>\n</head>\n<body>\n";
  }

  void write_header() {
    const ScanSetup& setup = report_.setup;
    std::string roots;
    for (const std::string& root : setup.roots) {
      roots += (roots.empty() ? "" : ", ") + std::string("<code>") + escape(root) + "</code>";
    }
    out_ << "<header>\n<h1>Performance review: " << escape(setup.project) << "</h1>\n"
         << "<dl class=\"meta\">\n"
         << "<dt>Project</dt><dd>" << roots << "</dd>\n"
         << "<dt>Date</dt><dd>" << escape(readable_timestamp(setup.started_at)) << "</dd>\n"
         << "<dt>perfscan</dt><dd>" << escape(report_.tool_version) << "</dd>\n"
         << fmt::format("<dt>Scanned</dt><dd>{} files, {} lines</dd>\n", summary().files_scanned,
                        summary().lines_scanned)
         << "<dt>Scan time</dt><dd>" << format_seconds(report_.stats.seconds) << " ("
         << report_.stats.jobs << (report_.stats.jobs == 1 ? " thread" : " threads")
         << ")</dd>\n</dl>\n"
         << "<nav class=\"toc\"><a href=\"#summary\">Summary</a>"
         << (report_.profile ? "<a href=\"#hot-spots\">Hot spots</a>" : "")
         << (report_.comparison ? "<a href=\"#changes\">Changes</a>" : "")
         << "<a href=\"#distribution\">By "
            "severity and category</a><a href=\"#critical-files\">Critical files</a>"
            "<a href=\"#opportunities\">Opportunities</a>"
         << (review_.action_plan.empty() ? "" : "<a href=\"#action-plan\">Action plan</a>")
         << ""
         << (review_.index_statements.empty() ? "" : "<a href=\"#indexes\">Indexes</a>")
         << "<a href=\"#details\">Findings</a><a href=\"#appendix\">Appendix</a></nav>\n"
         << "</header>\n";
  }

  void write_executive_summary() {
    out_ << "<section id=\"summary\">\n<h2>Executive summary</h2>\n";
    if (std::string hidden = hidden_in_tests_sentence(report_); !hidden.empty()) {
      out_ << "<p>" << escape(hidden) << "</p>\n";
    }
    if (summary().total == 0) {
      out_ << fmt::format("<p>No findings in {} files scanned.</p>\n", summary().files_scanned);
      if (!report_.errors.empty()) {
        out_ << fmt::format("<p>{} files could not be scanned in full (see the appendix).</p>\n",
                            report_.errors.size());
      }
      out_ << "</section>\n";
      return;
    }
    out_ << fmt::format("<p><strong>{} findings</strong> in {} of {} files scanned: ",
                        summary().total, summary().files.size(), summary().files_scanned);
    bool first = true;
    for (Severity severity : kAllSeverities) {
      out_ << (first ? "" : ", ") << severity_count(severity) << ' ' << severity_badge(severity);
      first = false;
    }
    out_ << ".</p>\n<ul class=\"summary-list\">\n";
    for (const CategoryCount& category : review_.severe_categories) {
      out_ << "<li><strong>" << escape(category_display_name(category.category))
           << "</strong>: " << escape(severe_findings_phrase(category));
      if (!category.top_rule.empty()) {
        out_ << ", mostly <a href=\"#rule-" << escape(category.top_rule) << "\">"
             << escape(category.top_rule) << "</a> " << escape(rule_name(category.top_rule));
      }
      out_ << ".</li>\n";
    }
    if (review_.severe_categories.empty()) {
      out_ << "<li>No critical or high findings: what is left is medium or low.</li>\n";
    }
    out_ << fmt::format(
        "<li>{} of {} files with findings ({}) hold 80% of the severity-weighted score: start "
        "there.</li>\n</ul>\n</section>\n",
        review_.files_for_80_percent, summary().files.size(),
        percent(static_cast<int>(review_.files_for_80_percent),
                static_cast<int>(summary().files.size())));
  }

  static std::string rule_name(const std::string& id) {
    const Rule* rule = find_rule(id);
    return rule == nullptr ? std::string() : std::string(rule->info().name);
  }

  // `--compare`: new, fixed and remaining findings, and the trend per severity and category.
  void write_comparison() {
    if (!report_.comparison) return;
    const Comparison& c = *report_.comparison;
    out_ << "<section id=\"changes\">\n<h2>Changes since the last review</h2>\n<p>Compared with <code>"
         << escape(c.source) << "</code>: <strong>" << c.added.size() << " new</strong>, "
         << c.fixed.size() << " fixed, " << c.remaining << " remaining.</p>\n"
         << "<table>\n<tr><th>Severity</th><th class=\"num\">Before</th><th class=\"num\">Now"
            "</th><th class=\"num\">Change</th></tr>\n";
    std::vector<Bar> bars;
    for (Severity severity : kAllSeverities) {
      auto i = static_cast<std::size_t>(severity);
      out_ << "<tr><td>" << severity_name(severity) << "</td><td class=\"num\">"
           << c.before_severity.at(i) << "</td><td class=\"num\">" << c.after_severity.at(i)
           << "</td><td class=\"num\">" << fmt::format("{:+}", c.after_severity.at(i) - c.before_severity.at(i))
           << "</td></tr>\n";
    }
    out_ << "<tr><th>Category</th><th></th><th></th><th></th></tr>\n";
    for (Category category : kAllCategories) {
      auto i = static_cast<std::size_t>(category);
      if (c.before_category.at(i) == 0 && c.after_category.at(i) == 0) continue;
      out_ << "<tr><td>" << escape(category_display_name(category)) << "</td><td class=\"num\">"
           << c.before_category.at(i) << "</td><td class=\"num\">" << c.after_category.at(i)
           << "</td><td class=\"num\">" << fmt::format("{:+}", c.after_category.at(i) - c.before_category.at(i))
           << "</td></tr>\n";
    }
    out_ << "</table>\n";
    bars.push_back({"new", static_cast<int>(c.added.size()), "high"});
    bars.push_back({"fixed", static_cast<int>(c.fixed.size()), "low"});
    bars.push_back({"remaining", static_cast<int>(c.remaining), ""});
    out_ << bar_chart("Findings since the last review", bars);
    if (!c.added.empty()) {
      out_ << "<h3>New</h3>\n<ul class=\"worst\">\n";
      for (std::size_t k = 0; k < c.added.size() && k < 50; ++k) {
        const Finding& finding = report_.findings[c.added[k]];
        out_ << "<li>" << severity_badge(finding.severity) << " <span class=\"mono\">"
             << escape(review_.location(finding)) << "</span> " << escape(finding.rule_id) << ' '
             << inline_markup(finding.message) << "</li>\n";
      }
      out_ << "</ul>\n";
    }
    if (!c.fixed.empty()) {
      out_ << "<h3>Fixed</h3>\n<ul class=\"worst\">\n";
      for (std::size_t k = 0; k < c.fixed.size() && k < 50; ++k) {
        const PreviousFinding& finding = c.fixed[k];
        out_ << "<li>" << severity_badge(finding.severity) << " <span class=\"mono\">"
             << escape(review_.shown_path(finding.path)) << ':' << finding.line << "</span> "
             << escape(finding.rule) << ' ' << inline_markup(finding.message) << "</li>\n";
      }
      out_ << "</ul>\n";
    }
    out_ << "</section>\n";
  }

  void write_distribution() {
    out_ << "<section id=\"distribution\">\n<h2>Issues by severity and category</h2>\n"
         << "<div class=\"charts\">\n<div>\n<h3>By severity</h3>\n<table>\n"
         << "<tr><th>Severity</th><th class=\"num\">Findings</th><th "
            "class=\"num\">Share</th></tr>\n";
    std::vector<Bar> severity_bars;
    for (Severity severity : kAllSeverities) {
      const int count = severity_count(severity);
      out_ << "<tr><td>" << severity_badge(severity) << "</td><td class=\"num\">" << count
           << "</td><td class=\"num\">" << percent(count, summary().total) << "</td></tr>\n";
      severity_bars.push_back(
          {std::string(severity_name(severity)), count, std::string(severity_name(severity))});
    }
    out_ << "</table>\n" << bar_chart("Findings by severity", severity_bars) << "</div>\n";
    out_
        << "<div>\n<h3>By category</h3>\n<table>\n<tr><th>Category</th><th class=\"num\">"
           "Findings</th><th class=\"num\">Share</th><th class=\"num\">Critical + high</th></tr>\n";
    std::vector<Bar> category_bars;
    for (const CategoryCount& category : review_.categories) {
      out_ << "<tr><td>" << escape(category_display_name(category.category))
           << "</td><td class=\"num\">" << category.count << "</td><td class=\"num\">"
           << percent(category.count, summary().total) << "</td><td class=\"num\">"
           << category.severe << "</td></tr>\n";
      category_bars.push_back(
          {std::string(category_display_name(category.category)), category.count, ""});
    }
    if (review_.categories.empty()) out_ << "<tr><td colspan=\"4\">No findings</td></tr>\n";
    out_ << "</table>\n";
    if (!category_bars.empty()) out_ << bar_chart("Findings by category", category_bars);
    out_ << "</div>\n</div>\n</section>\n";
  }

  // The profile's hottest functions of the scanned code with their findings, or a note that a
  // hot function has none; the sample count and the frames outside the scanned code.
  void write_hot_spots() {
    if (!report_.profile) return;
    const ProfileMeasures& profile = *report_.profile;
    std::string sources;
    for (const std::string& source : profile.sources) {
      sources += (sources.empty() ? "" : ", ") + std::string("<code>") + escape(source) + "</code>";
    }
    out_ << "<section id=\"hot-spots\">\n<h2>Measured hot spots</h2>\n<p class=\"muted\">From "
         << sources << ": " << profile.total_samples
         << " samples. Findings are ranked by severity and measured share together; those the "
            "profile never saw are ranked down.</p>\n";
    if (profile.hot.empty()) {
      out_ << "<p>No function of the scanned code is in the profile.</p>\n";
    } else {
      out_ << "<table>\n<tr><th>#</th><th>Function</th><th>Location</th><th class=\"num\">Share"
              "</th><th class=\"num\">Samples</th><th>Findings</th></tr>\n";
      for (std::size_t rank = 0; rank < profile.hot.size(); ++rank) {
        const HotFunction& hot = profile.hot[rank];
        out_ << "<tr><td class=\"num\">" << rank + 1 << "</td><td class=\"mono\">"
             << escape(hot.name) << "</td><td class=\"path\"><a href=\"#" << anchor_of(hot.path)
             << "\">" << escape(review_.shown_path(hot.path)) << ':' << hot.line
             << "</a></td><td class=\"num\">" << share_percent(hot.share)
             << "</td><td class=\"num\">" << hot.samples << "</td><td>";
        if (hot.findings.empty()) {
          out_ << "<span class=\"muted\">none: the time goes to the work itself or what it "
                  "calls</span>";
        }
        for (std::size_t k = 0; k < hot.findings.size(); ++k) {
          const Finding& finding = report_.findings[hot.findings[k]];
          out_ << (k == 0 ? "" : "<br/>") << severity_badge(finding.severity) << ' '
               << escape(finding.rule_id) << " <span class=\"mono\">"
               << escape(line_and_column(finding)) << "</span> " << inline_markup(finding.message);
        }
        out_ << "</td></tr>\n";
      }
      out_ << "</table>\n";
    }
    if (profile.unmatched_frames > 0) {
      out_ << "<p class=\"muted\">" << profile.unmatched_frames
           << " frames of the profile are outside the scanned code (" << profile.unmatched_samples
           << " samples hold none of it); the most sampled:</p>\n<ul>\n";
      for (const UnmatchedFrame& frame : profile.top_unmatched) {
        out_ << "<li><code>" << escape(frame.frame) << "</code>: " << frame.samples
             << " samples</li>\n";
      }
      out_ << "</ul>\n";
    }
    out_ << "</section>\n";
  }

  void write_critical_files() {
    out_ << "<section id=\"critical-files\">\n<h2>Most critical files</h2>\n";
    if (summary().files.empty()) {
      out_ << "<p>No file has findings.</p>\n</section>\n";
      return;
    }
    out_ << "<p class=\"muted\">Top 10 by severity-weighted score (critical "
         << severity_weight(Severity::critical) << ", high " << severity_weight(Severity::high)
         << ", medium " << severity_weight(Severity::medium) << ", low "
         << severity_weight(Severity::low)
         << ").</p>\n<table>\n<tr><th>#</th><th>File</th><th class=\"num\">Score</th>";
    for (Severity severity : kAllSeverities) {
      out_ << "<th class=\"num\">" << severity_name(severity) << "</th>";
    }
    out_ << "<th>Dominant category</th>"
         << (report_.profile ? "<th class=\"num\">Measured</th>" : "") << "</tr>\n";
    const std::size_t shown = std::min<std::size_t>(10, summary().files.size());
    for (std::size_t i = 0; i < shown; ++i) {
      const FileSummary& file = summary().files[i];
      out_ << "<tr><td class=\"num\">" << i + 1 << "</td><td class=\"path\"><a href=\"#"
           << anchor_of(file.path) << "\">" << escape(review_.shown_path(file.path))
           << "</a></td><td class=\"num\">" << file.score << "</td>";
      for (int count : file.by_severity) out_ << "<td class=\"num\">" << count << "</td>";
      out_ << "<td>" << escape(category_display_name(file.dominant_category)) << "</td>";
      if (report_.profile) {
        out_ << "<td class=\"num\">" << (file.share > 0 ? share_percent(file.share) : "not seen")
             << "</td>";
      }
      out_ << "</tr>\n";
    }
    out_ << "</table>\n</section>\n";
  }

  // The id of a file's section in "Findings in detail".
  std::string anchor_of(const std::string& path) const {
    auto found = file_index_.find(path);
    return found == file_index_.end() ? "details" : file_anchor(found->second);
  }

  void write_opportunities() {
    out_ << "<section id=\"opportunities\">\n<h2>Prioritised optimisation opportunities</h2>\n";
    if (review_.opportunities.empty()) out_ << "<p>Nothing to optimise: no findings.</p>\n";
    int rank = 0;
    for (const CategoryOpportunity& category : review_.opportunities) {
      out_ << fmt::format(
          "<h3>{}. {}</h3>\n<p class=\"muted\">Impact {} (severity weight &#215; count{}): {} "
          "occurrences in {} files.</p>\n",
          ++rank, escape(category_display_name(category.category)), category.impact,
          report_.profile ? ", scaled by measured share" : "", category.count,
          category.files);
      for (const RuleOpportunity& rule : category.rules) write_rule_opportunity(rule);
    }
    out_ << "</section>\n";
  }

  void write_rule_opportunity(const RuleOpportunity& rule) {
    out_ << "<div class=\"opportunity\" id=\"rule-" << escape(rule.rule_id) << "\">\n<h4>"
         << escape(rule.rule_id) << ' ' << escape(rule.rule_name) << ' '
         << severity_badge(rule.severity) << "</h4>\n"
         << fmt::format("<p><strong>{} occurrences in {} files</strong>, impact {}.", rule.count,
                        rule.files, rule.impact);
    if (!rule.cost.empty()) out_ << ' ' << inline_markup(rule.cost);
    if (report_.profile) {
      out_ << (rule.share > 0 ? " Measured: up to " + share_percent(rule.share) +
                                    " of the profile's samples in its functions."
                              : std::string(" Not seen in the profile."));
    }
    out_ << "</p>\n<p>Worst locations:</p>\n<ul class=\"worst\">\n";
    for (const Finding* finding : rule.worst) {
      out_ << "<li>" << severity_badge(finding->severity) << " <a class=\"mono\" href=\"#"
           << anchor_of(finding->path) << "\">" << escape(review_.location(*finding)) << "</a> "
           << inline_markup(finding->message) << "</li>\n";
    }
    out_ << "</ul>\n";
    if (!rule.before.empty() || !rule.after.empty()) {
      out_ << "<div class=\"fix\">\n<div><h5>Before</h5><pre><code>" << escape(rule.before)
           << "</code></pre></div>\n<div><h5>After</h5><pre><code>" << escape(rule.after)
           << "</code></pre></div>\n</div>\n";
    }
    out_ << "</div>\n";
  }

  // Impact × effort: the opportunities in the order to do them, quadrant by quadrant, each with
  // its findings as a checklist and the files it touches.
  void write_action_plan() {
    if (review_.action_plan.empty()) return;
    out_ << "<section id=\"action-plan\">\n<h2>Action plan</h2>\n<p class=\"muted\">Impact from "
            "severity, occurrences"
         << (report_.profile ? " and measured share" : "")
         << "; effort from what the fix takes (mechanical, local refactor, design). High impact "
            "and low effort first.</p>\n";
    int step = 0;
    for (const ActionQuadrant& quadrant : review_.action_plan) {
      out_ << "<h3>" << escape(quadrant.title) << "</h3>\n";
      for (const ActionItem& item : quadrant.items) {
        out_ << "<div class=\"opportunity\">\n<h4>" << ++step << ". " << escape(item.rule_id)
             << ' ' << escape(item.rule_name) << " <span class=\"effort\">"
             << effort_name(item.effort) << "</span> impact " << item.impact << "</h4>\n<p>"
             << item.findings.size() << (item.findings.size() == 1 ? " finding" : " findings")
             << " in " << item.files.size() << (item.files.size() == 1 ? " file" : " files")
             << ": ";
        for (std::size_t i = 0; i < item.files.size() && i < kPlanFiles; ++i) {
          out_ << (i == 0 ? "" : ", ") << "<a class=\"mono\" href=\"#" << anchor_of(item.files[i])
               << "\">" << escape(review_.shown_path(item.files[i])) << "</a>";
        }
        if (item.files.size() > kPlanFiles) out_ << " and " << item.files.size() - kPlanFiles << " more";
        out_ << '.';
        if (report_.profile && item.share > 0) {
          out_ << " Measured: up to " << share_percent(item.share) << " of the samples.";
        }
        out_ << "</p>\n<ul class=\"checklist\">\n";
        for (std::size_t i = 0; i < item.findings.size() && i < kPlanChecklist; ++i) {
          const Finding& finding = *item.findings[i];
          out_ << "<li>&#9744; " << severity_badge(finding.severity) << " <span class=\"mono\">"
               << escape(review_.location(finding)) << "</span> "
               << inline_markup(finding.message) << "</li>\n";
        }
        if (item.findings.size() > kPlanChecklist) {
          out_ << "<li class=\"muted\">and " << item.findings.size() - kPlanChecklist
               << " more</li>\n";
        }
        out_ << "</ul>\n</div>\n";
      }
    }
    out_ << "</section>\n";
  }

  void write_index_statements() {
    if (review_.index_statements.empty()) return;
    out_ << "<section id=\"indexes\">\n<h2>Suggested indexes</h2>\n<p class=\"muted\">From the "
            "database-design findings; review them against your query plans before applying."
            "</p>\n<pre><code>";
    for (const std::string& statement : review_.index_statements) out_ << escape(statement) << '\n';
    out_ << "</code></pre>\n</section>\n";
  }

  // The empty anchors come first so that both the filter bar (to show which filter is on) and
  // the file list (to hide what does not match) can follow a `:target` sibling.
  void write_filters() {
    std::vector<std::pair<std::string, std::string>> filters;  // anchor, label
    for (Severity severity : kAllSeverities) {
      if (severity_count(severity) == 0) continue;
      filters.emplace_back(
          css_id("only-sev-", severity_name(severity)),
          fmt::format("{} ({})", severity_name(severity), severity_count(severity)));
    }
    for (const CategoryCount& category : review_.categories) {
      filters.emplace_back(
          css_id("only-cat-", category_id(category.category)),
          fmt::format("{} ({})", category_display_name(category.category), category.count));
    }
    for (const auto& [anchor, label] : filters) {
      out_ << "<span class=\"filter-target\" id=\"" << anchor << "\"></span>\n";
    }
    out_ << "<div class=\"filters\">Show: <a href=\"#details\">all</a>";
    for (const auto& [anchor, label] : filters) {
      out_ << "<a href=\"#" << anchor << "\">" << escape(label) << "</a>";
    }
    out_ << "</div>\n";
  }

  void write_details() {
    out_ << "<section id=\"details\">\n<h2>Findings in detail</h2>\n";
    if (review_.files.empty()) {
      out_ << "<p>No findings.</p>\n</section>\n";
      return;
    }
    // Small reports open every file; large ones start folded so the page stays navigable.
    const bool open = review_.files.size() <= 12;
    if (!open) {
      out_ << "<p class=\"muted\">Files start folded: open one to read its findings. The "
              "filters below hide the files and findings that do not match.</p>\n";
    }
    write_filters();
    out_ << "<div class=\"file-list\">\n";
    for (std::size_t i = 0; i < review_.files.size(); ++i) write_file(i, open);
    out_ << "</div>\n</section>\n";
  }

  void write_file(std::size_t index, bool open) {
    const FileDetail& file = review_.files[index];
    const std::string& path = file.findings.front().finding->path;
    out_ << "<details class=\"file\" id=\"" << file_anchor(index) << "\""
         << (open ? " open=\"open\"" : "") << ">\n<summary><strong class=\"mono\">"
         << escape(review_.shown_path(path)) << "</strong><span class=\"counts\">";
    if (file.summary != nullptr) {
      out_ << file.summary->findings << (file.summary->findings == 1 ? " finding" : " findings");
      for (Severity severity : kAllSeverities) {
        const int count = file.summary->by_severity.at(static_cast<std::size_t>(severity));
        if (count > 0) out_ << " &#183; " << count << ' ' << severity_name(severity);
      }
      out_ << " &#183; score " << file.summary->score;
    }
    out_ << "</span></summary>\n";
    bool in_rows = false;
    for (const FindingDetail& detail : file.findings) {
      if (!detail.in_full && !in_rows) {
        out_ << "<div class=\"note\">" << file.without_excerpt
             << " more findings listed without their source excerpt:</div>\n<ul class=\"rows\">\n";
        in_rows = true;
      }
      if (in_rows) {
        write_row(*detail.finding);
      } else {
        write_finding(detail);
      }
    }
    if (in_rows) out_ << "</ul>\n";
    if (file.omitted > 0) {
      out_ << "<div class=\"note\">" << file.omitted
           << " more findings in this file are not listed (the counts above include them; "
              "the JSON report lists them all).</div>\n";
    }
    out_ << "</details>\n";
  }

  static std::string finding_classes(const Finding& finding) {
    return severity_class(finding.severity) + " " + category_class(finding.category);
  }

  void write_row(const Finding& finding) {
    out_ << "<li class=\"finding " << finding_classes(finding) << "\"><span class=\"mono\">"
         << escape(line_and_column(finding)) << "</span> "
         << severity_badge(finding.severity) << ' ' << escape(finding.rule_id) << ' '
         << inline_markup(finding.message) << "</li>\n";
  }

  void write_finding(const FindingDetail& detail) {
    const Finding& finding = *detail.finding;
    out_ << "<div class=\"finding " << finding_classes(finding) << "\">\n<div class=\"where\">"
         << severity_badge(finding.severity) << " <a href=\"#rule-" << escape(finding.rule_id)
         << "\">" << escape(finding.rule_id) << "</a> " << escape(finding.rule_name)
         << " &#183; <span class=\"mono\">" << escape(line_and_column_words(finding))
         << "</span>";
    if (!finding.scope.empty()) out_ << " &#183; in <code>" << escape(finding.scope) << "</code>";
    out_ << "</div>\n<p>" << inline_markup(finding.message) << "</p>\n";
    if (!detail.excerpt.empty()) write_excerpt(detail.excerpt);
    if (!finding.suggestion.empty()) {
      out_ << "<p><strong>Fix:</strong> " << inline_markup(finding.suggestion) << "</p>\n";
    }
    out_ << "</div>\n";
  }

  void write_excerpt(const std::vector<ExcerptLine>& excerpt) {
    out_ << "<pre class=\"excerpt\"><code>";
    for (const ExcerptLine& line : excerpt) {
      const bool hit = line.mark_end > line.mark_begin || (line.mark_begin > 0);
      out_ << "<span class=\"line" << (hit ? " hit" : "") << "\"><span class=\"ln\">" << line.number
           << "</span>";
      if (line.mark_end > line.mark_begin) {
        std::string_view text = line.text;
        out_ << escape(text.substr(0, line.mark_begin)) << "<mark>"
             << escape(text.substr(line.mark_begin, line.mark_end - line.mark_begin)) << "</mark>"
             << escape(text.substr(line.mark_end));
      } else {
        out_ << escape(line.text);
      }
      out_ << "</span>";
    }
    out_ << "</code></pre>\n";
  }

  void write_appendix() {
    out_ << "<section id=\"appendix\">\n<h2>Appendix</h2>\n<h3>Rules that ran</h3>\n<table>\n"
            "<tr><th>Rule</th><th>Name</th><th>Category</th><th>Severity</th><th class=\"num\">"
            "Findings</th></tr>\n";
    for (const RuleRun& run : rules_that_ran(report_)) {
      out_ << "<tr><td>" << escape(run.info->id) << "</td><td>" << escape(run.info->name)
           << "</td><td>" << escape(category_id(run.info->category)) << "</td><td>"
           << severity_badge(run.info->severity) << "</td><td class=\"num\">" << run.findings
           << "</td></tr>\n";
    }
    out_ << "</table>\n<h3>Configuration in effect</h3>\n<table>\n";
    for (const Setting& setting : configuration_in_effect(report_)) {
      out_ << "<tr><th>" << escape(setting.name) << "</th><td><code>" << escape(setting.value)
           << "</code></td></tr>\n";
    }
    out_ << "</table>\n";
    if (!report_.errors.empty()) {
      out_ << "<h3>Files not scanned in "
              "full</h3>\n<table>\n<tr><th>Path</th><th>Problem</th></tr>\n";
      const std::size_t shown = std::min<std::size_t>(report_.errors.size(), 500);
      for (std::size_t i = 0; i < shown; ++i) {
        const FileError& error = report_.errors[i];
        out_ << "<tr><td class=\"path\">" << escape(error.path) << "</td><td>"
             << escape(error.message) << (error.analysed ? " (analysed)" : " (skipped)")
             << "</td></tr>\n";
      }
      out_ << "</table>\n";
      if (shown < report_.errors.size()) {
        out_ << "<p class=\"note\">" << report_.errors.size() - shown << " more not listed.</p>\n";
      }
    }
    out_ << "<p class=\"muted\">Generated by perfscan " << escape(report_.tool_version)
         << ".</p>\n</section>\n";
  }

  const Report& report_;
  Review review_;
  std::ostream& out_;
  std::map<std::string_view, std::size_t> file_index_;  // path -> position in review_.files
};

}  // namespace

void write_html(const Report& report, std::ostream& out) { HtmlReview(report, out).write(); }

}  // namespace perfscan
