// The report stage: summary counts, the text writer and the JSON writer, on hand-built reports.
#include <catch2/catch.hpp>
#include <cstdint>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "perfscan/report.hpp"
#include "report/writers.hpp"

namespace perfscan {
namespace {

struct FindingSpec {
  std::string rule_id = "PS301";
  std::string path = "app/views.py";
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  std::uint32_t end_column = 2;
  Severity severity = Severity::high;
  Category category = Category::blocking_io;
};

Finding make_finding(const FindingSpec& spec) {
  Finding finding;
  finding.rule_id = spec.rule_id;
  finding.rule_name = "rule-" + spec.rule_id;
  finding.category = spec.category;
  finding.severity = spec.severity;
  finding.path = spec.path;
  finding.span = {spec.line, spec.column, spec.line, spec.end_column};
  finding.message = "message of " + spec.rule_id;
  finding.fingerprint = "fp-" + spec.rule_id;
  return finding;
}

// The example of the brief: a blocking call in an async function, with its source line.
Finding blocking_call_finding() {
  Finding finding = make_finding({.rule_id = "PS301", .line = 12, .column = 12, .end_column = 29});
  finding.rule_name = "blocking-call-in-async-function";
  finding.message = "Blocking call requests.get() inside async function 'fetch'";
  finding.source_line = "    data = requests.get(url)";
  finding.suggestion =
      "use an async client: `async with httpx.AsyncClient() as c: await c.get(url)`";
  return finding;
}

// Four findings in two files: views.py scores 10 + 5 = 15, models.py 10 + 2 = 12.
Report sample_report() {
  Report report;
  report.tool_version = "0.1.0";
  report.findings = {
      make_finding({.rule_id = "PS201",
                    .path = "app/models.py",
                    .line = 3,
                    .severity = Severity::critical,
                    .category = Category::n_plus_one}),
      make_finding({.rule_id = "PS101",
                    .path = "app/models.py",
                    .line = 9,
                    .severity = Severity::medium,
                    .category = Category::nested_loops}),
      make_finding({.rule_id = "PS201",
                    .path = "app/views.py",
                    .line = 4,
                    .severity = Severity::critical,
                    .category = Category::n_plus_one}),
      make_finding({.rule_id = "PS301",
                    .path = "app/views.py",
                    .line = 8,
                    .severity = Severity::high,
                    .category = Category::blocking_io}),
  };
  report.summary.files_scanned = 120;
  report.summary.lines_scanned = 15234;
  report.stats.seconds = 0.31;
  report.stats.jobs = 2;
  summarize_findings(report);
  return report;
}

std::string text_of(const Report& report, TextStyle style = {}) {
  std::ostringstream out;
  write_text(report, out, style);
  return out.str();
}

std::string json_of(const Report& report) {
  std::ostringstream out;
  write_json(report, out);
  return out.str();
}

Report report_with(std::vector<Finding> findings) {
  Report report;
  report.findings = std::move(findings);
  summarize_findings(report);
  return report;
}

std::size_t severity_index(Severity severity) { return static_cast<std::size_t>(severity); }
std::size_t category_index(Category category) { return static_cast<std::size_t>(category); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// summarize_findings

TEST_CASE("report: summarize_findings counts by severity, category and rule") {
  const Report report = sample_report();
  const Summary& summary = report.summary;
  CHECK(summary.total == 4);
  CHECK(summary.by_severity[severity_index(Severity::critical)] == 2);
  CHECK(summary.by_severity[severity_index(Severity::high)] == 1);
  CHECK(summary.by_severity[severity_index(Severity::medium)] == 1);
  CHECK(summary.by_severity[severity_index(Severity::low)] == 0);
  CHECK(summary.by_category[category_index(Category::n_plus_one)] == 2);
  CHECK(summary.by_category[category_index(Category::nested_loops)] == 1);
  CHECK(summary.by_category[category_index(Category::blocking_io)] == 1);
  CHECK(summary.by_category[category_index(Category::syntax)] == 0);
  CHECK(summary.by_rule == std::map<std::string, int>{{"PS101", 1}, {"PS201", 2}, {"PS301", 1}});
}

TEST_CASE("report: summarize_findings scores files and ranks them by score then path") {
  Report report = report_with({
      make_finding({.path = "b.py", .severity = Severity::low}),
      make_finding({.path = "b.py", .severity = Severity::low}),
      make_finding({.path = "c.py", .severity = Severity::critical}),
      make_finding({.path = "a.py", .severity = Severity::medium}),
  });
  const std::vector<FileSummary>& files = report.summary.files;
  REQUIRE(files.size() == 3);
  CHECK(files[0].path == "c.py");
  CHECK(files[0].score == 10);
  CHECK(files[0].findings == 1);
  // a.py and b.py both score 2: the path breaks the tie.
  CHECK(files[1].path == "a.py");
  CHECK(files[1].score == 2);
  CHECK(files[2].path == "b.py");
  CHECK(files[2].score == 2);
  CHECK(files[2].findings == 2);
  CHECK(files[2].by_severity[severity_index(Severity::low)] == 2);
  CHECK(files[2].by_severity[severity_index(Severity::critical)] == 0);
}

TEST_CASE("report: summarize_findings picks the heaviest category, ties to the lower enum") {
  SECTION("weight beats count") {
    Report report = report_with({
        make_finding({.severity = Severity::low, .category = Category::loops}),
        make_finding({.severity = Severity::low, .category = Category::loops}),
        make_finding({.severity = Severity::low, .category = Category::loops}),
        make_finding({.severity = Severity::high, .category = Category::memory}),
    });
    REQUIRE(report.summary.files.size() == 1);
    CHECK(report.summary.files[0].dominant_category == Category::memory);
  }
  SECTION("a tie goes to the lower enum value, whatever the order") {
    Report report = report_with({
        make_finding({.severity = Severity::medium, .category = Category::database}),
        make_finding({.severity = Severity::medium, .category = Category::string_concat}),
    });
    REQUIRE(report.summary.files.size() == 1);
    CHECK(report.summary.files[0].dominant_category == Category::string_concat);
  }
}

TEST_CASE("report: summarize_findings keeps the scan counters and does not double count") {
  Report report = sample_report();
  report.summary.bytes_scanned = 4096;
  summarize_findings(report);
  CHECK(report.summary.files_scanned == 120);
  CHECK(report.summary.lines_scanned == 15234);
  CHECK(report.summary.bytes_scanned == 4096);
  CHECK(report.summary.total == 4);
  CHECK(report.summary.by_rule.at("PS201") == 2);
  CHECK(report.summary.files.size() == 2);
  CHECK(report.summary.by_severity[severity_index(Severity::critical)] == 2);
}

TEST_CASE("report: summarize_findings on no findings leaves everything at zero") {
  Report report = report_with({});
  CHECK(report.summary.total == 0);
  CHECK(report.summary.files.empty());
  CHECK(report.summary.by_rule.empty());
}

// ---------------------------------------------------------------------------------------------
// Text writer: findings

TEST_CASE("report: text shows location, source line, caret and help") {
  const std::string text = text_of(report_with({blocking_call_finding()}));
  const std::string expected =
      "app/views.py:12:12: PS301 [high] Blocking call requests.get() inside async function "
      "'fetch'\n"
      "   12 |     data = requests.get(url)\n"
      "      |            ^^^^^^^^^^^^^^^^^\n"
      "  help: use an async client: `async with httpx.AsyncClient() as c: await c.get(url)`\n";
  CHECK(text.rfind(expected, 0) == 0);
}

TEST_CASE("report: text caret counts characters after a multibyte prefix and a tab") {
  Finding finding = make_finding({.line = 7, .column = 13, .end_column = 17});
  // Characters: tab(1) s(2) ' '(3) =(4) ' '(5) "(6) é(7) €(8) "(9) ' '(10) +(11) ' '(12), then
  // "name" at 13..16. The tab is shown as one space in both lines.
  finding.source_line = "\ts = \"\xC3\xA9\xE2\x82\xAC\" + name";
  const std::string text = text_of(report_with({finding}));
  CHECK_THAT(text, Catch::Contains("    7 |  s = \"\xC3\xA9\xE2\x82\xAC\" + name\n"
                                   "      |             ^^^^\n"));
}

TEST_CASE("report: text caret accounts for wide characters") {
  Finding finding = make_finding({.line = 3, .column = 12, .end_column = 13});
  // 日 and 本 are one character each but two terminal cells.
  finding.source_line = "x = '\xE6\x97\xA5\xE6\x9C\xAC' + y";
  const std::string text = text_of(report_with({finding}));
  // Eleven characters before "y", two of them wide: thirteen cells.
  CHECK_THAT(text, Catch::Contains("      | " + std::string(13, ' ') + "^\n"));
}

TEST_CASE("report: text caret length rules") {
  SECTION("a span running past the line underlines the rest of it") {
    Finding finding = make_finding({.line = 5, .column = 5});
    finding.span.end_line = 9;
    finding.span.end_column = 1;
    finding.source_line = "for x in items:  ";
    CHECK_THAT(text_of(report_with({finding})), Catch::Contains("      |     ^^^^^^^^^^^\n"));
  }
  SECTION("an empty span still gets one caret") {
    Finding finding = make_finding({.line = 5, .column = 3, .end_column = 3});
    finding.source_line = "abcdef";
    CHECK_THAT(text_of(report_with({finding})), Catch::Contains("      |   ^\n"));
  }
  SECTION("a column past the end points just after the line") {
    Finding finding = make_finding({.line = 5, .column = 40, .end_column = 41});
    finding.source_line = "abc";
    CHECK_THAT(text_of(report_with({finding})), Catch::Contains("      |    ^\n"));
  }
  SECTION("a span ending past the line is cut at its end") {
    Finding finding = make_finding({.line = 5, .column = 2, .end_column = 90});
    finding.source_line = "abc\r";
    const std::string text = text_of(report_with({finding}));
    CHECK_THAT(text, Catch::Contains("    5 | abc\n      |  ^^\n"));
  }
}

TEST_CASE("report: text omits the source and help lines when there is nothing to show") {
  Finding first = make_finding({.line = 2});
  Finding second = make_finding({.line = 4});
  const std::string text = text_of(report_with({first, second}), {.quiet = true});
  CHECK(text ==
        "app/views.py:2:1: PS301 [high] message of PS301\n"
        "\n"
        "app/views.py:4:1: PS301 [high] message of PS301\n"
        "\n"
        "Total issues: 2 in 1 file\n");
}

TEST_CASE("report: text neutralises control characters and invalid UTF-8 from the source") {
  Finding finding = make_finding({.line = 1, .column = 3, .end_column = 4});
  finding.source_line =
      "a\x1b"
      "b\xFF"
      "c";
  finding.message = "bad \xFE byte";
  const std::string text = text_of(report_with({finding}));
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK_THAT(text, Catch::Contains("    1 | a\xEF\xBF\xBD"
                                   "b\xEF\xBF\xBD"
                                   "c\n"
                                   "      |   ^\n"));
  CHECK_THAT(text, Catch::Contains("bad \xEF\xBF\xBD byte"));
}

TEST_CASE("report: text lists errors under a heading") {
  Report report = report_with({});
  report.errors = {{"lib/broken.py", "invalid UTF-8 at byte 12", true},
                   {"lib/secret", "permission denied", false}};
  const std::string text = text_of(report);
  CHECK_THAT(text, Catch::Contains("errors:\n"
                                   "  lib/broken.py: invalid UTF-8 at byte 12\n"
                                   "  lib/secret: permission denied\n"));
  CHECK_THAT(text, Catch::Contains("errors: 2"));
}

// ---------------------------------------------------------------------------------------------
// Text writer: summary

TEST_CASE("report: text summary shows totals, severities, categories and files") {
  const std::string text = text_of(sample_report());
  CHECK_THAT(text, Catch::Contains("== perfscan summary ==\n"
                                   "Total issues: 4 in 2 files  (files scanned: 120, lines "
                                   "scanned: 15,234, time: 0.31s)\n"));
  CHECK_THAT(text, Catch::Contains("ISSUES BY SEVERITY\n"
                                   "  critical    2\n"
                                   "  high        1\n"
                                   "  medium      1\n"
                                   "  low         0\n"));
  // Most frequent first; equal counts keep the enum order (nested loops before blocking I/O).
  CHECK_THAT(text, Catch::Contains("ISSUES BY CATEGORY\n"
                                   "  N+1 Query Problems         2   50.0%\n"
                                   "  Nested Loop Issues         1   25.0%\n"
                                   "  Blocking I/O               1   25.0%\n"
                                   "\n"));
  CHECK_THAT(text, Catch::Contains(
                       "MOST CRITICAL FILES\n"
                       "   1. app/views.py   score 15  (1 critical, 1 high)  mostly N+1 Query "
                       "Problems\n"
                       "   2. app/models.py  score 12  (1 critical, 1 medium)  mostly N+1 Query "
                       "Problems\n"));
  CHECK_THAT(text, !Catch::Contains("FINDINGS BY RULE"));
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("report: text summary shows only the top ten files") {
  std::vector<Finding> findings;
  findings.reserve(12);
  for (int i = 0; i < 12; ++i) {
    findings.push_back(make_finding({.path = fmt::format("m{}.py", 10 + i)}));
  }
  const std::string text = text_of(report_with(findings));
  CHECK_THAT(text, Catch::Contains("  10. m19.py"));
  CHECK_THAT(text, !Catch::Contains("m20.py  score"));
  CHECK_THAT(text, !Catch::Contains("m21.py  score"));
  CHECK_THAT(text, Catch::Contains("  ... and 2 more files\n"));
}

TEST_CASE("report: text statistics adds the findings by rule table") {
  const std::string text = text_of(sample_report(), {.statistics = true});
  CHECK_THAT(text, Catch::Contains("FINDINGS BY RULE\n"
                                   "  PS201  rule-PS201    2\n"
                                   "  PS101  rule-PS101    1\n"
                                   "  PS301  rule-PS301    1\n"));
}

TEST_CASE("report: text quiet mode prints the findings and a one-line total") {
  const std::string text = text_of(sample_report(), {.quiet = true});
  CHECK_THAT(text, Catch::Contains("app/models.py:3:1: PS201 [critical] message of PS201\n"));
  CHECK_THAT(text, Catch::EndsWith("\nTotal issues: 4 in 2 files\n"));
  CHECK_THAT(text, !Catch::Contains("ISSUES BY SEVERITY"));
  CHECK_THAT(text, !Catch::Contains("perfscan summary"));
}

TEST_CASE("report: text with no findings says so with the scan statistics") {
  Report report = report_with({});
  report.summary.files_scanned = 1234;
  report.summary.lines_scanned = 1234567;
  report.stats.seconds = 1.5;
  CHECK(text_of(report) ==
        "== perfscan summary ==\n"
        "No performance issues found  (files scanned: 1,234, lines scanned: 1,234,567, time: "
        "1.50s)\n");
  CHECK(text_of(report, {.quiet = true}) == "No performance issues found\n");
}

TEST_CASE("report: text colours only when asked") {
  Report report = report_with({blocking_call_finding()});
  report.findings[0].severity = Severity::critical;
  summarize_findings(report);
  const std::string plain = text_of(report);
  CHECK(plain.find('\x1b') == std::string::npos);
  const std::string colored = text_of(report, {.color = true});
  CHECK_THAT(colored, Catch::Contains("\x1b[1mapp/views.py:12:12:\x1b[0m"));
  CHECK_THAT(colored, Catch::Contains("\x1b[1;31m[critical]\x1b[0m"));
  CHECK_THAT(colored, Catch::Contains("\x1b[1;31m^^^^^^^^^^^^^^^^^\x1b[0m"));
  CHECK_THAT(colored, Catch::Contains("\x1b[32mhelp: use an async client"));
}

// ---------------------------------------------------------------------------------------------
// JSON writer

TEST_CASE("report: json has the schema_version 1 shape") {
  Report report = sample_report();
  report.findings[0].suggestion = "prefetch_related";
  report.errors = {{"lib/broken.py", "permission denied", false}};
  const std::string text = json_of(report);
  CHECK_THAT(text, Catch::EndsWith("}\n"));
  CHECK_THAT(text, Catch::StartsWith("{\n  \"tool\": {\n    \"name\": \"perfscan\""));

  const auto json = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"tool", "schema_version", "summary", "findings", "errors",
                                         "stats"});
  CHECK(json["tool"]["version"] == "0.1.0");
  CHECK(json["schema_version"] == 1);

  const auto& summary = json["summary"];
  CHECK(summary["files_scanned"] == 120);
  CHECK(summary["lines_scanned"] == 15234);
  CHECK(summary["total"] == 4);
  CHECK(summary["by_severity"] ==
        nlohmann::ordered_json{{"critical", 2}, {"high", 1}, {"medium", 1}, {"low", 0}});
  std::vector<std::string> categories;
  for (const auto& item : summary["by_category"].items()) categories.push_back(item.key());
  CHECK(categories == std::vector<std::string>{"nested-loops", "n-plus-one", "blocking-io",
                                               "string-concat", "async", "memory", "caching",
                                               "loops", "database", "syntax"});
  CHECK(summary["by_category"]["n-plus-one"] == 2);
  CHECK(summary["by_category"]["syntax"] == 0);
  CHECK(summary["by_rule"] == nlohmann::ordered_json{{"PS101", 1}, {"PS201", 2}, {"PS301", 1}});
  REQUIRE(summary["files"].size() == 2);
  CHECK(summary["files"][0] ==
        nlohmann::ordered_json{{"path", "app/views.py"}, {"findings", 2}, {"score", 15}});

  REQUIRE(json["findings"].size() == 4);
  const auto& finding = json["findings"][0];
  CHECK(finding == nlohmann::ordered_json{{"rule", "PS201"},
                                          {"name", "rule-PS201"},
                                          {"category", "n-plus-one"},
                                          {"severity", "critical"},
                                          {"path", "app/models.py"},
                                          {"line", 3},
                                          {"column", 1},
                                          {"end_line", 3},
                                          {"end_column", 2},
                                          {"message", "message of PS201"},
                                          {"suggestion", "prefetch_related"},
                                          {"fingerprint", "fp-PS201"},
                                          {"tier", "extended"},
                                          {"effort", "local refactor"}});
  CHECK(json["errors"] == nlohmann::ordered_json::array(
                              {{{"path", "lib/broken.py"}, {"message", "permission denied"}}}));
  CHECK(json["stats"]["seconds"] == Approx(0.31));
  CHECK(json["stats"]["jobs"] == 2);
}

TEST_CASE("report: json of an empty report keeps every key") {
  const auto json = nlohmann::json::parse(json_of(report_with({})));
  CHECK(json["summary"]["total"] == 0);
  CHECK(json["summary"]["by_category"].size() == 10);
  CHECK(json["summary"]["by_rule"].is_object());
  CHECK(json["summary"]["files"].is_array());
  CHECK(json["findings"].is_array());
  CHECK(json["findings"].empty());
  CHECK(json["errors"].is_array());
}

TEST_CASE("report: json replaces invalid UTF-8 instead of throwing") {
  Finding finding = make_finding({});
  finding.message = "bad \xFF\xFE bytes";
  finding.path = "caf\xE9.py";
  Report report = report_with({finding});
  report.errors = {{"caf\xE9.py", "invalid UTF-8 \xC3", true}};
  std::string text;
  REQUIRE_NOTHROW(text = json_of(report));
  const auto json = nlohmann::json::parse(text);
  CHECK(json["findings"][0]["message"] == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
  CHECK(json["findings"][0]["path"] == "caf\xEF\xBF\xBD.py");
  CHECK(json["errors"][0]["message"] == "invalid UTF-8 \xEF\xBF\xBD");
}

}  // namespace perfscan
