// The HTML performance review: well-formed, in the order, escaped, and bounded in size.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli_support.hpp"
#include "html_check.hpp"
#include "perfscan/report.hpp"
#include "report/review.hpp"
#include "report/writers.hpp"
#include "review_samples.hpp"

namespace perfscan {
namespace {

using testing::check_well_formed;
using testing::contains;

// ---------------------------------------------------------------------------------------------
// Reports built by hand

using testing::sample_finding;

// The shared sample plus a database finding that proposes an index (models.py scores 2).
Report review_report() {
  Report report = testing::sample_review_report();
  Finding index =
      sample_finding("PS901", "shop/models.py", 7, Severity::medium, Category::database);
  index.suggestion = "add an index: `CREATE INDEX ix_order_customer ON shop_order (customer_id);`";
  report.findings.push_back(index);
  summarize_findings(report);
  return report;
}

std::string html_of(const Report& report) {
  std::ostringstream out;
  write_html(report, out);
  return out.str();
}

std::size_t count_of(std::string_view haystack, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("html: the well-formedness checker catches what it is for") {
  CHECK(check_well_formed("<!DOCTYPE html><p>a &amp; b</p>").empty());
  CHECK_FALSE(check_well_formed("<!DOCTYPE html><p>a & b</p>").empty());
  CHECK_FALSE(check_well_formed("<!DOCTYPE html><p><b>x</p></b>").empty());
  CHECK_FALSE(check_well_formed("<!DOCTYPE html><p class=x>y</p>").empty());
  CHECK_FALSE(check_well_formed("<!DOCTYPE html><script>1</script>").empty());
  CHECK_FALSE(check_well_formed("<!DOCTYPE html><p>a > b</p>").empty());
}

TEST_CASE("html: the review is well-formed and has its sections in the issue's order") {
  const std::string html = html_of(review_report());
  INFO(html.substr(0, 3000));
  CHECK(check_well_formed(html).empty());
  const std::vector<std::string_view> order = {"<h1>Performance review: shop</h1>",
                                               "2026-11-29 13:25 UTC",
                                               "3456 lines",
                                               "id=\"summary\"",
                                               "id=\"distribution\"",
                                               "id=\"critical-files\"",
                                               "id=\"opportunities\"",
                                               "id=\"indexes\"",
                                               "id=\"details\"",
                                               "id=\"appendix\""};
  std::size_t last = 0;
  for (std::string_view piece : order) {
    std::size_t at = html.find(piece);
    INFO(piece);
    REQUIRE(at != std::string::npos);
    CHECK(at >= last);
    last = at;
  }
  // Two bar charts, one collapsible section per file, a CSS-only filter per severity present.
  CHECK(count_of(html, "<svg ") == 2);
  CHECK(count_of(html, "<details class=\"file\"") == 3);
  CHECK(contains(html, "id=\"only-sev-medium\""));
  CHECK(contains(html, "#only-sev-medium:target~.file-list .finding:not(.s-medium)"));
  CHECK_FALSE(contains(html, "id=\"only-sev-low\""));  // no low findings: no filter for them
  // Dark mode and print styles, and nothing loaded from outside.
  CHECK(contains(html, "prefers-color-scheme:dark"));
  CHECK(contains(html, "@media print"));
  CHECK_FALSE(contains(html, "http://"));
  CHECK_FALSE(contains(html, "https://"));
}

TEST_CASE("html: opportunities carry the rule doc's fix pattern and the index statements") {
  const std::string html = html_of(review_report());
  // PS401's doc: "## Example" and "## Use instead" are a Report class; the fix keeps self.lines = [].
  CHECK(contains(html, "self.csv = &quot;&quot;"));
  CHECK(contains(html, "self.lines = []"));
  CHECK(contains(html, "CREATE INDEX ix_order_customer ON shop_order (customer_id);"));
  // Code spans in messages become <code>.
  CHECK(contains(html, "<code>s</code> grows by concatenation"));
}

TEST_CASE("html: hostile source and file names render as text") {
  testing::TempDir dir;
  const std::string payload = "</script><img src=x onerror=alert(1)>";
  dir.write("we<ird&\"name.py",
            "def build(rows):\n    s = \"\"\n    for row in rows:\n        s += \"" + payload +
                "\" + row\n    return s\n");
  testing::CommandResult result =
      testing::run_in(dir, "--exit-zero --format html --output report.html .");
  REQUIRE(result.exit_code == 0);
  const std::string html = testing::read_file(dir.path() / "report.html");
  INFO(result.err);
  CHECK(check_well_formed(html).empty());
  CHECK_FALSE(contains(html, "<img"));
  CHECK_FALSE(contains(html, "</script>"));
  CHECK(contains(html, "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
  CHECK(contains(html, "we&lt;ird&amp;&quot;name.py"));
  CHECK_FALSE(contains(html, "we<ird"));
}

TEST_CASE("html: source excerpts show context with the flagged span marked") {
  testing::TempDir dir;
  dir.write(
      "app.py",
      "def build(rows):\n    s = \"\"\n    for row in rows:\n        s += row\n    return s\n");
  testing::CommandResult result = testing::run_in(dir, "--exit-zero --format html app.py");
  const std::string& html = result.out;
  CHECK(check_well_formed(html).empty());
  CHECK(contains(html, "<span class=\"ln\">3</span>    for row in rows:"));
  CHECK(contains(
      html, "<span class=\"line hit\"><span class=\"ln\">4</span>        <mark>s += row</mark>"));
  CHECK(contains(html, "<span class=\"ln\">5</span>    return s"));
}

TEST_CASE("html: 10,000 findings stay under 10 MB with exact counts and notes of what is omitted") {
  testing::TempDir dir;
  Report report = review_report();
  report.findings.clear();
  // 40 real files of 250 flagged lines each, so excerpts are read from disk as in a real scan.
  std::string source;
  for (int line = 1; line <= 250; ++line) {
    source += fmt::format("    total += compute_something_expensive(row, column, {})  # {}\n", line,
                          std::string(40, 'x'));
  }
  for (int file = 0; file < 40; ++file) {
    const std::string path = (dir.path() / fmt::format("module_{:02}.py", file)).string();
    dir.write(fmt::format("module_{:02}.py", file), source);
    for (std::uint32_t line = 1; line <= 250; ++line) {
      Finding finding =
          sample_finding("PS401", path, line, Severity::medium, Category::string_concat);
      finding.source_line =
          fmt::format("    total += compute_something_expensive(row, column, {})  # {}", line,
                      std::string(40, 'x'));
      report.findings.push_back(std::move(finding));
    }
  }
  summarize_findings(report);
  REQUIRE(report.summary.total == 10000);
  const std::string html = html_of(report);
  CHECK(html.size() < 10u * 1024 * 1024);
  CHECK(check_well_formed(html).empty());
  CHECK(contains(html, "<strong>10000 findings</strong>"));
  CHECK(contains(html, "50 more findings in this file are not listed"));
  CHECK(contains(html, "more findings listed without their source excerpt"));
  // Every file is still there, with its exact count.
  CHECK(count_of(html, "<details class=\"file\"") == 40);
  CHECK(count_of(html, "250 findings &#183; 250 medium") == 40);
}

TEST_CASE("html: an empty report still makes a complete page") {
  Report report;
  report.tool_version = "0.1.0";
  report.setup.project = "empty";
  summarize_findings(report);
  const std::string html = html_of(report);
  CHECK(check_well_formed(html).empty());
  CHECK(contains(html, "No findings in 0 files scanned."));
}

TEST_CASE("review: doc sections, index statements and the 80% share") {
  const std::string doc =
      "# PS1\n\n## Why is it slow\nIt copies\n`everything`.\n\nMore.\n\n## Example\n"
      "```python\nbad()\n```\n\n## Use instead\ntext\n```python\ngood()\n```\n";
  CHECK(doc_first_paragraph(doc, "Why is it slow") == "It copies `everything`.");
  CHECK(doc_code_block(doc, "Example") == "bad()\n");
  CHECK(doc_code_block(doc, "Use instead") == "good()\n");
  CHECK(doc_code_block(doc, "Options").empty());
  CHECK(index_statements_in("run `CREATE INDEX a ON t (x);` and CREATE UNIQUE INDEX b ON t (y)") ==
        std::vector<std::string>{"CREATE INDEX a ON t (x);", "CREATE UNIQUE INDEX b ON t (y);"});
  CHECK(index_statements_in("CREATE TABLE t (x int);").empty());

  const Review review = build_review(review_report(), ReviewLimits{});
  // Scores: a.py 5 + 2, b.py 2, models.py 2 (total 11): a.py and b.py hold 9/11 = 82%.
  CHECK(review.total_score == 11);
  CHECK(review.files_for_80_percent == 2);
  REQUIRE(review.severe_categories.size() == 1);
  CHECK(review.severe_categories[0].category == Category::nested_loops);
  REQUIRE_FALSE(review.opportunities.empty());
  CHECK(review.opportunities[0].category == Category::nested_loops);
}

}  // namespace perfscan
