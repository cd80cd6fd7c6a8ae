// The Markdown performance review: GitHub-flavoured structure, and text that never turns into
// markup (pipes, backticks, HTML in code, paths and messages).
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli_support.hpp"
#include "perfscan/report.hpp"
#include "report/writers.hpp"
#include "review_samples.hpp"

namespace perfscan {
namespace {

using testing::contains;

using testing::sample_finding;
using testing::sample_review_report;

std::string markdown_of(const Report& report) {
  std::ostringstream out;
  write_markdown(report, out);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Markdown with fenced blocks and code spans removed: what GitHub would read as prose/markup.
std::string prose_of(const std::string& markdown) {
  std::string prose;
  std::string fence;
  for (const std::string& line : lines_of(markdown)) {
    std::size_t ticks = line.find_first_not_of('`');
    if (line.starts_with("```")) {
      std::string run = line.substr(0, ticks);
      if (fence.empty()) {
        fence = run;
        continue;
      }
      if (run.size() >= fence.size() &&
          line.find_first_not_of('`', run.size()) == std::string::npos) {
        fence.clear();
        continue;
      }
    }
    if (!fence.empty()) continue;
    // Drop code spans: a run of n backticks up to the next run of exactly n.
    std::size_t pos = 0;
    while (pos < line.size()) {
      std::size_t open = line.find('`', pos);
      if (open == std::string::npos) {
        prose += line.substr(pos);
        break;
      }
      std::size_t run_end = line.find_first_not_of('`', open);
      std::string run = line.substr(open, run_end - open);
      std::size_t close = line.find(run, run_end);
      while (close != std::string::npos && close + run.size() < line.size() &&
             line[close + run.size()] == '`') {
        close = line.find(run, line.find_first_not_of('`', close));
      }
      prose += line.substr(pos, open - pos);
      if (close == std::string::npos) {
        prose += line.substr(open);
        break;
      }
      pos = close + run.size();
    }
    prose += '\n';
  }
  CHECK(fence.empty());  // every fence closed
  return prose;
}

}  // namespace

TEST_CASE("markdown: sections in the issue's order, GitHub tables and python fences") {
  const std::string md = markdown_of(sample_review_report());
  INFO(md);
  const std::vector<std::string_view> order = {"# Performance review: shop",
                                               "| Date | 2026-11-29 13:25 UTC |",
                                               "## Executive summary",
                                               "## Issues by severity",
                                               "## Issues by category",
                                               "## Most critical files",
                                               "## Prioritised optimisation opportunities",
                                               "## Findings in detail",
                                               "## Appendix",
                                               "### Rules that ran",
                                               "### Configuration in effect"};
  std::size_t last = 0;
  for (std::string_view piece : order) {
    std::size_t at = md.find(piece);
    INFO(piece);
    REQUIRE(at != std::string::npos);
    CHECK(at >= last);
    last = at;
  }
  CHECK(contains(md,
                 "**3 findings** in 2 of 12 files scanned: 0 critical, 1 high, 2 medium, 0 low."));
  CHECK(contains(md, "| Severity | Findings | Share |\n|---|---:|---:|\n| critical | 0 | 0.0% |"));
  CHECK(contains(md, "| 1 | `shop/a.py` | 7 | 0 | 1 | 1 | 0 | Nested Loop Issues |"));
  CHECK(contains(md, "```python\n    s += piece\n    ^^^^\n```"));
  // PS401's doc gives the fix pattern.
  CHECK(contains(md, "```python\nclass Report:\n"));
  // Every table row has as many cells as its header.
  for (const std::string& line : lines_of(md)) {
    if (!line.starts_with("| ")) continue;
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
    }
    INFO(line);
    CHECK(pipes >= 3);
  }
  prose_of(md);
}

TEST_CASE("markdown: pipes, backticks and HTML in paths and messages stay text") {
  Report report = sample_review_report();
  report.findings[0].path = "shop/we<ird&|`name`.py";
  report.findings[0].message = "call `a | b` then <b>bold</b> *not* [link](x)";
  report.findings[0].source_line = "    s = \"</script><img src=x onerror=alert(1)>\" + \"```\"";
  summarize_findings(report);
  const std::string md = markdown_of(report);
  INFO(md);
  const std::string prose = prose_of(md);
  CHECK_FALSE(contains(prose, "<img"));
  CHECK_FALSE(contains(prose, "<b>"));
  CHECK(contains(prose, "&lt;b&gt;bold&lt;/b&gt; \\*not\\* \\[link\\](x)"));
  // In a table cell the pipe is escaped even inside the code span; the span's fence outgrows
  // the backticks in the name.
  CHECK(contains(md, "| ``shop/we<ird&\\|`name`.py`` |"));
  // The excerpt's own ``` cannot close the fence around it.
  CHECK(contains(md, "````python\n    s = \"</script><img src=x onerror=alert(1)>\" + \"```\"\n"));
}

TEST_CASE("markdown: large reports stay comment-sized with exact counts") {
  Report report = sample_review_report();
  report.findings.clear();
  for (std::uint32_t line = 1; line <= 5000; ++line) {
    report.findings.push_back(
        sample_finding("PS401", "pkg/big.py", line, Severity::medium, Category::string_concat));
  }
  summarize_findings(report);
  const std::string md = markdown_of(report);
  CHECK(md.size() < 65536);
  CHECK(contains(md, "**5000 findings**"));
  CHECK(contains(md, "4970 more findings in this file are not listed"));
}

TEST_CASE("markdown: many files are fitted into a pull-request comment") {
  Report report = sample_review_report();
  report.findings.clear();
  for (int file = 0; file < 400; ++file) {
    for (std::uint32_t line = 1; line <= 5; ++line) {
      report.findings.push_back(sample_finding("PS401", fmt::format("pkg/module_{:03}.py", file),
                                               line, Severity::medium, Category::string_concat));
    }
  }
  report.summary.files_scanned = 400;
  summarize_findings(report);
  const std::string md = markdown_of(report);
  CHECK(md.size() < 65536);
  CHECK(contains(md, "**2000 findings** in 400 of 400 files"));
  CHECK(contains(md, "files are not detailed here to keep this comment short"));
  CHECK(contains(md, "### Configuration in effect"));  // the appendix survives the cut
  prose_of(md);
}

TEST_CASE("markdown: the CLI writes it, with --output too") {
  testing::TempDir dir;
  dir.write(
      "app.py",
      "def build(rows):\n    s = \"\"\n    for row in rows:\n        s += row\n    return s\n");
  testing::CommandResult result = testing::run_in(dir, "--format markdown app.py");
  CHECK(result.exit_code == 1);
  CHECK(contains(result.out, "# Performance review: app.py"));
  // The engine fills in the setup: rules that ran, with their counts, and the settings.
  CHECK(contains(result.out, "| PS401 | `string-concat-in-loop` | string-concat | medium | 1 |"));
  CHECK(contains(result.out, "| select | `the default tier` |"));
  CHECK(contains(result.out,
                 "```python\n    for row in rows:\n        s += row\n        ^^^^^^^^\n"));
  result = testing::run_in(dir, "--exit-zero --format markdown -o review.md app.py");
  CHECK(result.out.empty());
  CHECK(contains(testing::read_file(dir.path() / "review.md"), "## Findings in detail"));
}

TEST_CASE("markdown: the appendix shows the configuration file's settings and the gate") {
  testing::TempDir dir;
  dir.write("app.py", "def f(rows):\n    s = ''\n    for row in rows:\n        s += row\n    return s\n");
  dir.write("pyproject.toml",
            "[tool.perfscan]\nfail-on = \"high\"\nmin-severity = \"medium\"\n"
            "target-version = \"3.10\"\nextra-blocking-calls = [\"vendor.fetch:http\"]\n"
            "[tool.perfscan.severity]\nPS401 = \"high\"\n");
  testing::CommandResult result = testing::run_in(dir, "--format markdown app.py");
  CHECK(contains(result.out, "| configuration file | `pyproject.toml` |"));
  CHECK(contains(result.out, "| fail-on | `high` |"));
  // The engine runs with a floor of low; the floor in effect is the configuration's.
  CHECK(contains(result.out, "| min-severity | `medium` |"));
  CHECK(contains(result.out, "| target-version | `3.10` |"));
  CHECK(contains(result.out, "| extra-blocking-calls | `vendor.fetch:http` |"));
  CHECK(contains(result.out, "| severity PS401 | `high` |"));
}

}  // namespace perfscan
