// Terminal output: one diagnostic per finding with the flagged source line and a caret under
// the flagged characters, then errors, then a summary that reads like a performance review.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/writers.hpp"
#include "syntax/utf8.hpp"

namespace perfscan {
namespace {

// ---------------------------------------------------------------------------------------------
// Colours

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kGutter = "\x1b[1;34m";
constexpr std::string_view kErrorRed = "\x1b[1;31m";

std::string_view severity_color(Severity severity) {
  switch (severity) {
    case Severity::critical: return "\x1b[1;31m";
    case Severity::high: return "\x1b[31m";
    case Severity::medium: return "\x1b[33m";
    case Severity::low: return "\x1b[36m";
  }
  return kBold;
}

// Wraps text in an ANSI colour when colours are on; the identity otherwise, so every line is
// built the same way in both modes.
class Painter {
 public:
  explicit Painter(bool enabled) : enabled_(enabled) {}

  [[nodiscard]] std::string paint(std::string_view color, std::string_view text) const {
    if (!enabled_ || text.empty()) return std::string(text);
    return fmt::format("{}{}{}", color, text, kReset);
  }

 private:
  bool enabled_;
};

// ---------------------------------------------------------------------------------------------
// Characters as a terminal shows them

constexpr char32_t kInvalid = 0xFFFFFFFF;
constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";  // U+FFFD

struct Decoded {
  char32_t code_point = kInvalid;
  std::size_t length = 1;
};

// Decodes one code point at `pos`. A malformed sequence yields kInvalid for its first byte
// only, so each bad byte counts as one character (the way a lossy decoder would show it).
Decoded decode_for_display(std::string_view text, std::size_t pos) {
  Utf8Char decoded = decode_utf8(text, pos);
  if (decoded.length == 0) return {};
  return {decoded.code_point, decoded.length};
}

struct Range {
  char32_t first;
  char32_t last;
};

bool in_ranges(char32_t code_point, const auto& ranges) {
  return std::any_of(ranges.begin(), ranges.end(), [code_point](const Range& range) {
    return code_point >= range.first && code_point <= range.last;
  });
}

// Marks that draw on the previous character, so a caret must not move past them.
constexpr std::array<Range, 6> kZeroWidth = {{{0x0300, 0x036F},
                                              {0x200B, 0x200F},
                                              {0x20D0, 0x20FF},
                                              {0xFE00, 0xFE0F},
                                              {0xFE20, 0xFE2F},
                                              {0xE0100, 0xE01EF}}};

// East Asian wide and fullwidth blocks plus emoji: two terminal cells each. Columns still
// count them as one character; only the drawing of the caret line needs the width.
constexpr std::array<Range, 12> kWide = {{{0x1100, 0x115F},
                                          {0x2E80, 0x303E},
                                          {0x3041, 0x33FF},
                                          {0x3400, 0x4DBF},
                                          {0x4E00, 0x9FFF},
                                          {0xA000, 0xA4CF},
                                          {0xAC00, 0xD7A3},
                                          {0xF900, 0xFAFF},
                                          {0xFE30, 0xFE4F},
                                          {0xFF00, 0xFF60},
                                          {0xFFE0, 0xFFE6},
                                          {0x1F300, 0x1FAFF}}};

bool is_control(char32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

// One character of the displayed text: the bytes to print and the cells they take.
struct Glyph {
  std::string_view text;
  int width = 1;
};

// Source text comes from the user's files and may hold anything. Tabs become one space so a
// column is one cell whatever the terminal's tab stops; other control characters (which could
// drive the terminal) and invalid bytes become U+FFFD, keeping one glyph per character.
Glyph to_glyph(std::string_view text, const Decoded& decoded, std::size_t pos) {
  if (decoded.code_point == U'\t') return {" ", 1};
  if (decoded.code_point == kInvalid || is_control(decoded.code_point)) {
    return {kReplacementUtf8, 1};
  }
  const std::string_view bytes = text.substr(pos, decoded.length);
  if (in_ranges(decoded.code_point, kZeroWidth)) return {bytes, 0};
  if (in_ranges(decoded.code_point, kWide)) return {bytes, 2};
  return {bytes, 1};
}

std::vector<Glyph> to_glyphs(std::string_view text) {
  std::vector<Glyph> glyphs;
  glyphs.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const Decoded decoded = decode_for_display(text, pos);
    glyphs.push_back(to_glyph(text, decoded, pos));
    pos += decoded.length;
  }
  return glyphs;
}

std::string join_glyphs(const std::vector<Glyph>& glyphs) {
  std::string text;
  for (const Glyph& glyph : glyphs) text += glyph.text;
  return text;
}

// Text safe to print: user data (paths, messages quoting code) never reaches the terminal raw.
std::string printable(std::string_view text) { return join_glyphs(to_glyphs(text)); }

std::size_t width_of(std::string_view text) {
  std::size_t width = 0;
  for (const Glyph& glyph : to_glyphs(text)) width += static_cast<std::size_t>(glyph.width);
  return width;
}

std::string pad_right(std::string_view text, std::size_t width) {
  const std::size_t used = width_of(text);
  return printable(text) + std::string(width > used ? width - used : 0, ' ');
}

// ---------------------------------------------------------------------------------------------
// Numbers

std::string with_thousands(std::uint64_t number) {
  const std::string digits = std::to_string(number);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  return grouped;
}

std::string with_thousands(int number) {
  return with_thousands(static_cast<std::uint64_t>(std::max(number, 0)));
}

std::string plural(std::uint64_t count, std::string_view singular, std::string_view many) {
  return fmt::format("{} {}", with_thousands(count), count == 1 ? singular : many);
}

std::size_t digit_count(std::uint64_t number) { return std::to_string(number).size(); }

// ---------------------------------------------------------------------------------------------
// One finding

constexpr std::size_t kMinGutterDigits = 4;

// The flagged line as shown, and where the caret goes, both in terminal cells.
struct Excerpt {
  std::string line;
  std::size_t caret_offset = 0;
  std::size_t caret_length = 1;
};

std::string_view without_line_end(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

bool is_blank(const Glyph& glyph) { return glyph.text == " "; }

// End (exclusive, in characters) of the flagged characters on the first line.
std::size_t caret_end(const Span& span, const std::vector<Glyph>& glyphs, std::size_t first) {
  if (span.end_line == span.line && span.end_column > span.column) {
    return std::min<std::size_t>(span.end_column - 1, glyphs.size());
  }
  if (span.end_line > span.line) {
    // The span runs on to later lines: underline the rest of this one, minus trailing blanks.
    std::size_t end = glyphs.size();
    while (end > first + 1 && is_blank(glyphs[end - 1])) --end;
    return std::max(end, first);
  }
  return first + 1;
}

std::size_t cells(const std::vector<Glyph>& glyphs, std::size_t first, std::size_t last) {
  std::size_t width = 0;
  for (std::size_t i = first; i < std::min(last, glyphs.size()); ++i) {
    width += static_cast<std::size_t>(glyphs[i].width);
  }
  return width;
}

Excerpt make_excerpt(const Finding& finding) {
  const std::vector<Glyph> glyphs = to_glyphs(without_line_end(finding.source_line));
  // A column past the end (e.g. "unexpected end of line") points just after the last character.
  const std::size_t first =
      std::min<std::size_t>(finding.span.column > 0 ? finding.span.column - 1 : 0, glyphs.size());
  const std::size_t last = caret_end(finding.span, glyphs, first);
  Excerpt excerpt;
  excerpt.line = join_glyphs(glyphs);
  excerpt.caret_offset = cells(glyphs, 0, first);
  excerpt.caret_length = std::max<std::size_t>(cells(glyphs, first, last), 1);
  return excerpt;
}

bool fixable_here(const Finding& finding, bool unsafe) {
  return finding.fix && (finding.fix->safety == FixSafety::safe || unsafe);
}

// "Fixed 3 findings in 2 files." after --fix, and how many of the remaining ones --fix (or
// --unsafe-fixes) would rewrite; "" when there is nothing to say.
std::string fix_note(const Report& report) {
  std::size_t safe = 0;
  std::size_t unsafe = 0;
  for (const Finding& finding : report.findings) {
    if (!finding.fix) continue;
    (finding.fix->safety == FixSafety::safe ? safe : unsafe) += 1;
  }
  std::string note;
  if (report.fixes.ran) {
    note += fmt::format("Fixed {} in {}; {} remain{}.\n",
                        plural(static_cast<std::size_t>(report.fixes.fixed), "finding", "findings"),
                        plural(static_cast<std::size_t>(report.fixes.files), "file", "files"),
                        report.findings.size(), report.findings.size() == 1 ? "s" : "");
  }
  std::size_t fixable = safe + (report.fixes.unsafe ? unsafe : 0);
  if (fixable > 0) {
    note += fmt::format("{} fixable with {} ([*]).\n", plural(fixable, "finding", "findings"),
                        report.fixes.unsafe ? "--fix --unsafe-fixes" : "--fix");
  }
  if (!report.fixes.unsafe && unsafe > 0) {
    note += fmt::format("{} more with --unsafe-fixes (may change behaviour: see each rule's doc).\n",
                        unsafe);
  }
  return note;
}

// `path:line:col`, or `path:cell N:line:col` in a notebook (the line within the cell).
std::string place(const Finding& finding) {
  if (finding.cell != 0) {
    return fmt::format("{}:cell {}:{}:{}", printable(finding.path), finding.cell,
                       finding.cell_line, finding.span.column);
  }
  return fmt::format("{}:{}:{}", printable(finding.path), finding.span.line, finding.span.column);
}

std::string location_line(const Finding& finding, const Painter& painter, bool unsafe) {
  const std::string location = place(finding) + ":";
  const std::string tag = fmt::format("[{}]", severity_name(finding.severity));
  // `[*]`: --fix (or --unsafe-fixes, when the run has it) rewrites this one.
  const std::string fixable = fixable_here(finding, unsafe) ? " [*]" : "";
  return fmt::format("{} {}{} {} {}\n", painter.paint(kBold, location), printable(finding.rule_id),
                     fixable, painter.paint(severity_color(finding.severity), tag),
                     printable(finding.message));
}

std::string source_lines(const Finding& finding, const Painter& painter) {
  const Excerpt excerpt = make_excerpt(finding);
  const std::uint32_t line = finding.cell != 0 ? finding.cell_line : finding.span.line;
  const std::size_t digits = std::max(kMinGutterDigits, digit_count(line));
  const std::string numbered = fmt::format("{:>{}} |", line, digits + 1);
  const std::string blank = fmt::format("{:>{}} |", "", digits + 1);
  const std::string carets(excerpt.caret_length, '^');
  return fmt::format("{} {}\n{} {}{}\n", painter.paint(kGutter, numbered), excerpt.line,
                     painter.paint(kGutter, blank), std::string(excerpt.caret_offset, ' '),
                     painter.paint(severity_color(finding.severity), carets));
}

std::string share_text(double share) { return fmt::format("{:.1f}%", share * 100.0); }

std::string finding_block(const Finding& finding, const Painter& painter, bool unsafe,
                          const std::optional<FindingMeasure>& measure = std::nullopt) {
  std::string block = location_line(finding, painter, unsafe);
  if (!finding.source_line.empty()) block += source_lines(finding, painter);
  if (!finding.suggestion.empty()) {
    block += fmt::format("  {}\n", painter.paint(kGreen, "help: " + printable(finding.suggestion)));
  }
  if (measure) {
    block += fmt::format("  measured: its function is on {} of the profile's samples ({})\n",
                         share_text(measure->share), measure->samples);
  }
  return block;
}

std::string errors_block(const std::vector<FileError>& errors, const Painter& painter) {
  std::string block = painter.paint(kErrorRed, "errors:") + "\n";
  for (const FileError& error : errors) {
    block += fmt::format("  {} {}\n", painter.paint(kBold, printable(error.path) + ":"),
                         printable(error.message));
  }
  return block;
}

// ---------------------------------------------------------------------------------------------
// Summary

constexpr std::string_view kSummaryTitle = "== perfscan summary ==";
constexpr std::size_t kTopFiles = 10;
constexpr std::size_t kMaxPathColumn = 60;
constexpr std::size_t kMinCountColumn = 4;

std::string heading(std::string_view title, const Painter& painter) {
  return painter.paint(kBold, title) + "\n";
}

std::string scan_statistics(const Report& report) {
  std::string text =
      fmt::format("files scanned: {}, lines scanned: {}, time: {:.2f}s",
                  with_thousands(report.summary.files_scanned),
                  with_thousands(report.summary.lines_scanned), report.stats.seconds);
  if (!report.errors.empty()) text += fmt::format(", errors: {}", report.errors.size());
  return text;
}

std::string total_issues(const Report& report) {
  return fmt::format("Total issues: {} in {}", with_thousands(report.summary.total),
                     plural(report.summary.files.size(), "file", "files"));
}

// Width of a right-aligned count column: the widest number plus a gap.
std::size_t count_column(std::span<const int> counts) {
  std::size_t widest = 0;
  for (int count : counts) widest = std::max(widest, with_thousands(count).size());
  return std::max(kMinCountColumn, widest + 1);
}

std::string severity_table(const Summary& summary, const Painter& painter) {
  std::size_t name_column = 0;
  for (Severity severity : kAllSeverities) {
    name_column = std::max(name_column, severity_name(severity).size() + 1);
  }
  const std::size_t count_width = count_column(summary.by_severity);
  std::string block = heading("ISSUES BY SEVERITY", painter);
  for (Severity severity : kAllSeverities) {
    const int count = summary.by_severity.at(static_cast<std::size_t>(severity));
    block += fmt::format(
        "  {}{:>{}}\n",
        painter.paint(severity_color(severity), pad_right(severity_name(severity), name_column)),
        with_thousands(count), count_width);
  }
  return block;
}

// Categories with findings, most frequent first; ties keep the enum (rule id) order.
std::vector<Category> categories_by_count(const Summary& summary) {
  std::vector<Category> categories;
  for (Category category : kAllCategories) {
    if (summary.by_category.at(static_cast<std::size_t>(category)) > 0) {
      categories.push_back(category);
    }
  }
  std::stable_sort(categories.begin(), categories.end(), [&summary](Category a, Category b) {
    return summary.by_category.at(static_cast<std::size_t>(a)) >
           summary.by_category.at(static_cast<std::size_t>(b));
  });
  return categories;
}

// Sized for every category, not just the ones shown, so the table keeps its shape run to run.
std::size_t category_name_column() {
  std::size_t widest = 0;
  for (Category category : kAllCategories) {
    widest = std::max(widest, category_display_name(category).size());
  }
  return widest + 3;
}

std::string category_table(const Summary& summary, const Painter& painter) {
  const std::size_t name_column = category_name_column();
  const std::size_t count_width = count_column(summary.by_category);
  std::string block = heading("ISSUES BY CATEGORY", painter);
  for (Category category : categories_by_count(summary)) {
    const int count = summary.by_category.at(static_cast<std::size_t>(category));
    const double percent = summary.total > 0 ? 100.0 * count / summary.total : 0.0;
    block +=
        fmt::format("  {}{:>{}}{:>8}\n", pad_right(category_display_name(category), name_column),
                    with_thousands(count), count_width, fmt::format("{:.1f}%", percent));
  }
  return block;
}

// "2 critical, 5 high, 1 medium": only the severities the file has.
std::string severity_breakdown(const FileSummary& file) {
  std::string text;
  for (Severity severity : kAllSeverities) {
    const int count = file.by_severity.at(static_cast<std::size_t>(severity));
    if (count == 0) continue;
    if (!text.empty()) text += ", ";
    text += fmt::format("{} {}", with_thousands(count), severity_name(severity));
  }
  return text;
}

std::string file_row(std::size_t rank, const FileSummary& file, std::size_t path_column,
                     std::size_t score_width, const Painter& painter, bool profiled) {
  std::string measured;
  if (profiled) measured = file.share > 0 ? "  measured " + share_text(file.share) : "  not measured";
  return fmt::format("  {:>2}. {}  score {:>{}}  ({})  mostly {}{}\n", rank,
                     painter.paint(kBold, pad_right(file.path, path_column)),
                     with_thousands(file.score), score_width, severity_breakdown(file),
                     category_display_name(file.dominant_category), measured);
}

std::string files_table(const Summary& summary, const Painter& painter, bool profiled) {
  const std::size_t shown = std::min(summary.files.size(), kTopFiles);
  std::size_t path_column = 0;
  std::size_t score_width = 0;
  for (std::size_t i = 0; i < shown; ++i) {
    path_column = std::max(path_column, std::min(width_of(summary.files[i].path), kMaxPathColumn));
    score_width = std::max(score_width, with_thousands(summary.files[i].score).size());
  }
  std::string block = heading(
      profiled ? "MOST CRITICAL FILES (by severity and measured share)" : "MOST CRITICAL FILES",
      painter);
  for (std::size_t i = 0; i < shown; ++i) {
    block += file_row(i + 1, summary.files[i], path_column, score_width, painter, profiled);
  }
  if (summary.files.size() > shown) {
    const std::size_t hidden = summary.files.size() - shown;
    block += fmt::format("  ... and {} more {}\n", with_thousands(std::uint64_t{hidden}),
                         hidden == 1 ? "file" : "files");
  }
  return block;
}

struct RuleRow {
  std::string id;
  std::string name;
  int count = 0;
};

// Names are not in the summary; any finding of the rule carries it.
std::vector<RuleRow> rule_rows(const Report& report) {
  std::map<std::string, std::string> names;
  for (const Finding& finding : report.findings) names.emplace(finding.rule_id, finding.rule_name);
  std::vector<RuleRow> rows;
  for (const auto& [id, count] : report.summary.by_rule) rows.push_back({id, names[id], count});
  std::stable_sort(rows.begin(), rows.end(),
                   [](const RuleRow& a, const RuleRow& b) { return a.count > b.count; });
  return rows;
}

std::string rule_table(const Report& report, const Painter& painter) {
  const std::vector<RuleRow> rows = rule_rows(report);
  std::size_t id_column = 0;
  std::size_t name_column = 0;
  std::vector<int> counts;
  for (const RuleRow& row : rows) {
    id_column = std::max(id_column, width_of(row.id) + 2);
    name_column = std::max(name_column, width_of(row.name) + 1);
    counts.push_back(row.count);
  }
  const std::size_t count_width = count_column(counts);
  std::string block = heading("FINDINGS BY RULE", painter);
  for (const RuleRow& row : rows) {
    block += fmt::format("  {}{}{:>{}}\n", pad_right(row.id, id_column),
                         pad_right(row.name, name_column), with_thousands(row.count), count_width);
  }
  return block;
}

// What the test profile left out, so a quiet run over tests never looks cleaner than it is:
// "12 findings in test code hidden by the relaxed test profile (--tests full shows them)".
std::string hidden_in_tests(const Report& report) {
  int hidden = report.summary.hidden_in_tests;
  if (hidden == 0) return {};
  return fmt::format("{} in test code hidden by the {} test profile (--tests full shows them)\n",
                     plural(static_cast<std::size_t>(hidden), "finding", "findings"),
                     test_profile_name(report.setup.options.tests));
}

std::string clean_result(const Report& report, const Painter& painter) {
  return fmt::format("{}{}  ({})\n{}{}", heading(kSummaryTitle, painter),
                     painter.paint(kGreen, "No performance issues found"), scan_statistics(report),
                     hidden_in_tests(report), fix_note(report));
}

// `--compare`: one block of new, fixed and remaining findings and the change per severity.
std::string comparison_block(const Report& report, const Painter& painter) {
  const Comparison& c = *report.comparison;
  std::string block = heading("CHANGES SINCE THE LAST REVIEW", painter);
  block += fmt::format("  compared with {}: {} new, {} fixed, {} remaining\n",
                       printable(c.source), c.added.size(), c.fixed.size(), c.remaining);
  for (Severity severity : kAllSeverities) {
    auto i = static_cast<std::size_t>(severity);
    block += fmt::format("  {:<9}{:>6} -> {:<6}({:+})\n", severity_name(severity),
                         c.before_severity.at(i), c.after_severity.at(i),
                         c.after_severity.at(i) - c.before_severity.at(i));
  }
  for (std::size_t k = 0; k < c.fixed.size() && k < 10; ++k) {
    block += fmt::format("  fixed: {}:{} {}\n", printable(c.fixed[k].path), c.fixed[k].line,
                         printable(c.fixed[k].rule));
  }
  return block;
}

std::vector<std::string> summary_blocks(const Report& report, const TextStyle& style,
                                        const Painter& painter) {
  if (report.findings.empty()) return {clean_result(report, painter)};
  std::vector<std::string> blocks;
  blocks.push_back(fmt::format("{}{}  ({})\n{}{}", heading(kSummaryTitle, painter),
                               total_issues(report), scan_statistics(report),
                               hidden_in_tests(report), fix_note(report)));
  blocks.push_back(severity_table(report.summary, painter));
  blocks.push_back(category_table(report.summary, painter));
  blocks.push_back(files_table(report.summary, painter, report.profile.has_value()));
  if (style.statistics) blocks.push_back(rule_table(report, painter));
  if (report.comparison) blocks.push_back(comparison_block(report, painter));
  return blocks;
}

// --quiet keeps the findings (and errors: a scan that failed must never look clean) and one
// line of totals. An explicit --statistics still gets its table.
std::vector<std::string> quiet_blocks(const Report& report, const TextStyle& style,
                                      const Painter& painter) {
  std::string total =
      report.findings.empty() ? std::string("No performance issues found") : total_issues(report);
  if (!report.errors.empty()) total += fmt::format("  (errors: {})", report.errors.size());
  if (report.summary.hidden_in_tests > 0) {
    total += fmt::format("  ({} hidden in test code)", report.summary.hidden_in_tests);
  }
  std::vector<std::string> blocks = {total + "\n" + fix_note(report)};
  if (style.statistics && !report.findings.empty()) blocks.push_back(rule_table(report, painter));
  return blocks;
}

// The profile's hottest functions of the scanned code, each with its findings (or a note that
// it has none), then what the profile holds outside the scanned code.
std::string hot_spots_block(const Report& report, const Painter& painter) {
  const ProfileMeasures& profile = *report.profile;
  std::string sources;
  for (const std::string& source : profile.sources) {
    sources += (sources.empty() ? "" : ", ") + printable(source);
  }
  std::string block = heading("== Measured hot spots ==", painter);
  block += fmt::format("profile: {}: {}\n", sources,
                       plural(profile.total_samples, "sample", "samples"));
  if (profile.hot.empty()) {
    block += "  no function of the scanned code is in the profile\n";
  }
  for (std::size_t rank = 0; rank < profile.hot.size(); ++rank) {
    const HotFunction& hot = profile.hot[rank];
    block += fmt::format("  {:>2}. {:>6}  {}  {} ({})\n", rank + 1, share_text(hot.share),
                         painter.paint(kBold, printable(hot.name)),
                         fmt::format("{}:{}", printable(hot.path), hot.line),
                         plural(hot.samples, "sample", "samples"));
    if (hot.findings.empty()) {
      block += "        no findings here: the time goes to the work itself or to what it calls\n";
    }
    for (std::size_t i : hot.findings) {
      const Finding& finding = report.findings[i];
      block += fmt::format("        {} {} {} {}\n", printable(finding.rule_id),
                           painter.paint(severity_color(finding.severity),
                                         fmt::format("[{}]", severity_name(finding.severity))),
                           place(finding), printable(finding.message));
    }
  }
  if (profile.unmatched_frames > 0) {
    std::string named;
    for (const UnmatchedFrame& frame : profile.top_unmatched) {
      named += fmt::format("\n    {} ({})", printable(frame.frame),
                           plural(frame.samples, "sample", "samples"));
    }
    block += fmt::format("frames outside the scanned code: {}; samples with none of it: {}; the "
                         "most sampled:{}\n",
                         with_thousands(profile.unmatched_frames),
                         with_thousands(profile.unmatched_samples), named);
  }
  return block;
}

}  // namespace

void write_text(const Report& report, std::ostream& out, const TextStyle& style) {
  const Painter painter(style.color);
  // Each block ends with a newline; blocks are separated by one blank line.
  std::vector<std::string> blocks;
  if (report.profile) {
    // Measured hot spots first, then the findings by rank (severity and share together).
    if (!style.quiet) blocks.push_back(hot_spots_block(report, painter));
    for (std::size_t i : report.profile->ranked) {
      blocks.push_back(
          finding_block(report.findings[i], painter, report.fixes.unsafe, report.profile->findings[i]));
    }
  } else {
    for (const Finding& finding : report.findings) {
      blocks.push_back(finding_block(finding, painter, report.fixes.unsafe));
    }
  }
  if (!report.errors.empty()) blocks.push_back(errors_block(report.errors, painter));
  std::vector<std::string> tail =
      style.quiet ? quiet_blocks(report, style, painter) : summary_blocks(report, style, painter);
  std::move(tail.begin(), tail.end(), std::back_inserter(blocks));
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (i > 0) out << '\n';
    out << blocks[i];
  }
}

}  // namespace perfscan
