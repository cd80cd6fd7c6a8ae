// `--compare PREVIOUS.json`: new, fixed and remaining findings in text, JSON, Markdown and HTML.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// PS602 over parsed data, whose safe fix --fix applies: sum([...]) -> sum(...).
constexpr std::string_view kFixable =
    "import json\n\n\n"
    "def main(path):\n"
    "    rows = json.loads(open(path).read())\n"
    "    print(sum([r * 2 for r in rows]))\n";

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

TEST_CASE("compare: a missing or invalid file fails fast with one line and exit 2") {
  TempDir dir;
  dir.write("app.py", kBefore);
  dir.write("fixable.py", kFixable);
  dir.write("bad.json", "[1, 2");
  dir.write("array.json", "[]");
  dir.write("no_findings.json", R"({"findings": 3})");
  std::filesystem::create_directory(dir.path() / "folder.json");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"missing.json",
       "perfscan: --compare missing.json: cannot read the previous report: No such file or "
       "directory\n"},
      {"bad.json", "perfscan: --compare bad.json: not a perfscan JSON report (--format json)\n"},
      {"array.json", "perfscan: --compare array.json: not a perfscan JSON report (--format json)\n"},
      {"no_findings.json",
       "perfscan: --compare no_findings.json: not a perfscan JSON report (--format json)\n"},
      {"folder.json", "perfscan: --compare folder.json: a directory, not a perfscan JSON report\n"},
  };
  for (const auto& [file, error] : cases) {
    INFO(file);
    for (const char* format : {"text", "json", "html"}) {
      auto result = run_in(dir, fmt::format("--compare {} --format {} app.py", file, format));
      CHECK(result.exit_code == 2);  // kExitError, as for a bad --baseline
      CHECK(result.err == error);
      CHECK(result.out.empty());
    }
    // Before the scan: it never ran, so it left no result cache (on by default, in the
    // working folder), and --fix rewrote nothing.
    CHECK_FALSE(std::filesystem::exists(dir.path() / ".perfscan_cache"));
    CHECK(run_in(dir, fmt::format("--fix --compare {} fixable.py", file)).exit_code == 2);
    CHECK(testing::read_file(dir.path() / "fixable.py") == kFixable);
  }
  // The controls: a good previous report scans (and writes the cache), --fix rewrites.
  REQUIRE(run_in(dir, "--no-cache --format json -o before.json app.py").exit_code == 1);
  CHECK(run_in(dir, "--compare before.json app.py").exit_code == 1);
  CHECK(std::filesystem::exists(dir.path() / ".perfscan_cache"));
  CHECK(run_in(dir, "--fix fixable.py").exit_code != 2);
  CHECK(testing::read_file(dir.path() / "fixable.py") != kFixable);
}

}  // namespace
}  // namespace perfscan
