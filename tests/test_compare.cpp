// `--compare PREVIOUS.json`: new, fixed and remaining findings in text, JSON, Markdown and HTML.
#include <catch2/catch.hpp>
#include <string>

#include "cli_support.hpp"
#include "html_check.hpp"

namespace perfscan {
namespace {

using testing::contains;
using testing::parse_json;
using testing::run_in;
using testing::TempDir;

constexpr const char* kBefore =
    "def a(xs, ys):\n"
    "    out = ''\n"
    "    for x in xs:\n"
    "        out += x\n"
    "    return out\n";
constexpr const char* kAfter =
    "def a(xs, ys):\n"
    "    for x in xs:\n"
    "        for y in ys:\n"
    "            if x == y:\n"
    "                print(x)\n";

TEST_CASE("compare: new, fixed and remaining findings, by fingerprint") {
  TempDir dir;
  dir.write("app.py", kBefore);
  dir.write("other.py", "def b(xs):\n    out = ''\n    for x in xs:\n        out += x\n    return out\n");
  auto before = run_in(dir, "--format json -o before.json app.py other.py");
  REQUIRE(before.exit_code == 1);
  dir.write("app.py", kAfter);
  testing::Json report = parse_json(run_in(dir, "--compare before.json --format json app.py other.py"));
  REQUIRE(report.contains("comparison"));
  const testing::Json& c = report.at("comparison");
  CHECK(c.at("previous") == "before.json");
  CHECK(c.at("new").get<int>() >= 1);
  CHECK(c.at("fixed").get<int>() >= 1);
  CHECK(c.at("remaining").get<int>() >= 1);  // other.py did not change
  CHECK(c.at("fixed_findings").at(0).at("path") == "app.py");
  CHECK(c.at("by_severity").contains("medium"));

  auto text = run_in(dir, "--compare before.json app.py other.py");
  CHECK(contains(text.out, "CHANGES SINCE THE LAST REVIEW"));
  CHECK(contains(text.out, "compared with before.json:"));
  auto markdown = run_in(dir, "--compare before.json --format markdown app.py other.py");
  CHECK(contains(markdown.out, "## Changes since the last review"));
  CHECK(contains(markdown.out, "- fixed: "));
  auto html = run_in(dir, "--compare before.json --format html app.py other.py");
  CHECK(contains(html.out, "<section id=\"changes\">"));
  CHECK(contains(html.out, "<svg"));
  CHECK(testing::check_well_formed(html.out).empty());
}

TEST_CASE("compare: a file that is not a JSON report is a one-line error") {
  TempDir dir;
  dir.write("app.py", kBefore);
  dir.write("bad.json", "[1, 2");
  for (const char* bad : {"bad.json", "missing.json"}) {
    auto result = run_in(dir, std::string("--compare ") + bad + " app.py");
    CHECK(result.exit_code == 2);
    CHECK(testing::lines_of(result.err).size() == 1);
    CHECK(contains(result.err, std::string("--compare ") + bad));
  }
}

}  // namespace
}  // namespace perfscan
