// End-to-end tests of the command line: each test writes a few Python files into a TempDir,
// runs the perfscan binary on them and checks exit codes, stdout and stderr exactly.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "cli_support.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

namespace fs = std::filesystem;

// PS401 at 3:5, spanning `s += x` (end column 11, exclusive): medium, lowered to low because
// the module's top level runs once.
constexpr std::string_view kConcat = "s = \"\"\nfor x in xs:\n    s += x\n";
// PS101 at 2:14, on `ys`: medium, lowered to low at module top level.
constexpr std::string_view kNested = "for a in xs:\n    for b in ys:\n        pass\n";
// In a function: PS101 medium at 3:18 and PS101 high at 4:22 (three independent levels).
constexpr std::string_view kNested3 =
    "def walk(xs, ys, zs):\n    for a in xs:\n        for b in ys:\n            for c in zs:\n"
    "                pass\n";
// PS000 (high) on line 1.
constexpr std::string_view kSyntaxError = "def broken(:\n    pass\n";
constexpr std::string_view kClean = "def add(a, b):\n    return a + b\n";

std::set<std::string> rule_ids(const Json& report) {
  std::set<std::string> ids;
  for (const Json& finding : report.at("findings"))
    ids.insert(finding.at("rule").get<std::string>());
  return ids;
}

std::vector<std::string> error_paths(const Json& report) {
  std::vector<std::string> paths;
  for (const Json& error : report.at("errors"))
    paths.push_back(error.at("path").get<std::string>());
  return paths;
}

// The text report with its "time: 0.01s" removed, so two runs can be compared.
std::string without_time(std::string text) {
  auto at = text.find("time: ");
  if (at == std::string::npos) return text;
  auto end = text.find('s', at + 6);
  return text.erase(at, end - at);
}

// The three rule files most tests scan: a.py (PS401), b.py (PS101), c.py (PS000).
void write_three_rules(const TempDir& dir) {
  dir.write("a.py", kConcat);
  dir.write("b.py", kNested);
  dir.write("c.py", kSyntaxError);
}

std::string fingerprint_of(const Json& report, int line) {
  for (const Json& finding : report.at("findings")) {
    if (finding.at("line").get<int>() == line) return finding.at("fingerprint").get<std::string>();
  }
  FAIL("no finding on line " << line);
  return {};
}

void git_init(const TempDir& dir) {
  std::string command = "cd " + q(dir.path().string()) + " && git init -q . >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Exit codes

TEST_CASE("cli: exit code 0 when there are no findings") {
  TempDir dir;
  dir.write("clean.py", kClean);
  auto result = run_in(dir, "clean.py");
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(contains(result.out, "No performance issues found"));
}

TEST_CASE("cli: exit code 1 when there are findings") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("clean.py", kClean);
  auto result = run_in(dir, "a.py clean.py");
  CHECK(result.exit_code == 1);
  CHECK(result.err.empty());
}

TEST_CASE("cli: --exit-zero exits 0 despite findings") {
  TempDir dir;
  write_three_rules(dir);
  auto result = run_in(dir, "a.py b.py c.py --exit-zero --format json");
  CHECK(result.exit_code == 0);
  CHECK(parse_json(result).at("findings").size() == 3);
}

TEST_CASE("cli: --fail-on high ignores medium findings but not high ones") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("b.py", kNested);
  dir.write("deep.py", kNested3);
  dir.write("c.py", kSyntaxError);

  SECTION("only medium findings: exit 0, but they are still reported") {
    auto result = run_in(dir, "a.py b.py --fail-on high --format json");
    CHECK(result.exit_code == 0);
    CHECK(hits(parse_json(result)) ==
          std::vector<std::string>{"PS401 a.py:3:5", "PS101 b.py:2:14"});
  }
  SECTION("a three-deep independent loop nest is high: exit 1") {
    auto result = run_in(dir, "a.py deep.py --fail-on high --format json");
    CHECK(result.exit_code == 1);
    auto report = parse_json(result);
    CHECK(hits(report) ==
          std::vector<std::string>{"PS401 a.py:3:5", "PS101 deep.py:3:18", "PS101 deep.py:4:22"});
    CHECK(report["findings"][2]["severity"] == "high");
  }
  SECTION("a syntax error is high: exit 1") {
    CHECK(run_in(dir, "a.py c.py --fail-on high").exit_code == 1);
  }
  SECTION("--fail-on critical with only high findings: exit 0") {
    CHECK(run_in(dir, "deep.py --fail-on critical").exit_code == 0);
  }
  SECTION("--fail-on medium with medium findings: exit 1") {
    CHECK(run_in(dir, "deep.py --fail-on medium").exit_code == 1);
  }
  SECTION("a concatenation lowered to low on the module's top level: --fail-on medium exits 0") {
    CHECK(run_in(dir, "a.py --fail-on medium").exit_code == 0);
  }
}

TEST_CASE("cli: usage errors exit 2 with a message on stderr") {
  TempDir dir;
  dir.write("a.py", kConcat);
  struct Case {
    std::string args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"--no-such-option a.py", "--no-such-option"},
      {"a.py --format xml", "xml"},
      {"a.py --select PS999", "unknown rule selector 'PS999'"},
      {"a.py --select not-a-rule", "unknown rule selector 'not-a-rule'"},
      {"a.py --ignore PS999", "unknown rule selector 'PS999'"},
      {"a.py --min-severity extreme", "extreme"},
      {"a.py --fail-on sometimes", "sometimes"},
      {"a.py --color purple", "purple"},
      {"a.py --jobs 0", "--jobs"},
  };
  for (const Case& c : cases) {
    INFO("perfscan " << c.args);
    auto result = run_in(dir, c.args);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err.rfind("perfscan: ", 0) == 0);
    CHECK(contains(result.err, c.message));
  }
}

TEST_CASE("cli: a nonexistent path alone exits 2") {
  TempDir dir;
  auto result = run_in(dir, "missing.py");
  CHECK(result.exit_code == 2);
  CHECK(contains(result.out, "missing.py: No such file or directory"));

  auto json = run_in(dir, "missing.py --format json");
  CHECK(json.exit_code == 2);
  auto report = parse_json(json);
  CHECK(report["summary"]["files_scanned"] == 0);
  CHECK(error_paths(report) == std::vector<std::string>{"missing.py"});
}

TEST_CASE("cli: a nonexistent path next to a good file still scans the good file") {
  TempDir dir;
  dir.write("good.py", kConcat);
  auto result = run_in(dir, "missing.py good.py --format json");
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(report["summary"]["files_scanned"] == 1);
  CHECK(hits(report) == std::vector<std::string>{"PS401 good.py:3:5"});
  REQUIRE(report["errors"].size() == 1);
  CHECK(report["errors"][0]["path"] == "missing.py");
  CHECK(report["errors"][0]["message"] == "No such file or directory");

  SECTION("a clean good file exits 0: the missing path alone does not fail the scan") {
    dir.write("clean.py", kClean);
    CHECK(run_in(dir, "missing.py clean.py").exit_code == 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Rule selection

TEST_CASE("cli: --select by id, prefix, category and rule name") {
  TempDir dir;
  write_three_rules(dir);
  for (const char* selector : {"PS401", "PS4", "string-concat", "string-concat-in-loop"}) {
    INFO("--select " << selector);
    auto result = run_in(dir, std::string("a.py b.py c.py --format json --select ") + selector);
    CHECK(result.exit_code == 1);
    CHECK(hits(parse_json(result)) == std::vector<std::string>{"PS401 a.py:3:5"});
  }
  SECTION("nested-loops selects PS101 only") {
    auto result = run_in(dir, "a.py b.py c.py --format json --select nested-loops");
    CHECK(hits(parse_json(result)) == std::vector<std::string>{"PS101 b.py:2:14"});
  }
  SECTION("ALL selects every rule") {
    auto result = run_in(dir, "a.py b.py c.py --format json --select ALL");
    CHECK(rule_ids(parse_json(result)) == std::set<std::string>{"PS000", "PS101", "PS401"});
  }
  SECTION("selecting a rule that finds nothing exits 0") {
    CHECK(run_in(dir, "a.py --select PS101").exit_code == 0);
  }
}

TEST_CASE("cli: --select is comma-separated and repeatable") {
  TempDir dir;
  write_three_rules(dir);
  const std::vector<std::string> expected = {"PS401 a.py:3:5", "PS101 b.py:2:14"};
  CHECK(hits(parse_json(run_in(dir, "a.py b.py c.py --format json --select PS401,PS101"))) ==
        expected);
  CHECK(hits(parse_json(run_in(dir, "a.py b.py c.py --format json --select PS401 --select PS1"))) ==
        expected);
  CHECK(hits(parse_json(run_in(
            dir, "a.py b.py c.py --format json --select string-concat,nested-loop"))) == expected);
}

TEST_CASE("cli: --ignore by id, prefix, category and rule name") {
  TempDir dir;
  write_three_rules(dir);
  for (const char* selector : {"PS401", "PS4", "string-concat", "string-concat-in-loop"}) {
    INFO("--ignore " << selector);
    // Both tiers, so that the ignored rule would otherwise be reported whatever its tier.
    auto result = run_in(
        dir, std::string("a.py b.py c.py --format json --extend-select ALL --ignore ") + selector);
    CHECK(hits(parse_json(result)) ==
          std::vector<std::string>{"PS101 b.py:2:14", "PS000 c.py:1:12"});
  }
}

TEST_CASE("cli: --ignore is comma-separated and repeatable, and wins over --select") {
  TempDir dir;
  write_three_rules(dir);
  const std::vector<std::string> only_syntax = {"PS000 c.py:1:12"};
  CHECK(hits(parse_json(run_in(dir, "a.py b.py c.py --format json --ignore PS401,PS101"))) ==
        only_syntax);
  CHECK(hits(parse_json(run_in(dir, "a.py b.py c.py --format json --ignore PS401 --ignore PS1"))) ==
        only_syntax);
  auto both = run_in(dir, "a.py b.py c.py --format json --select PS4,PS1 --ignore string-concat");
  CHECK(hits(parse_json(both)) == std::vector<std::string>{"PS101 b.py:2:14"});
  auto nothing = run_in(dir, "a.py b.py c.py --select PS401 --ignore PS401");
  CHECK(nothing.exit_code == 0);
}

TEST_CASE("cli: --min-severity hides lower findings") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("deep.py", kNested3);

  auto all = parse_json(run_in(dir, "a.py deep.py --format json"));
  CHECK(all["findings"].size() == 3);

  auto high = run_in(dir, "a.py deep.py --format json --min-severity high");
  CHECK(high.exit_code == 1);
  auto report = parse_json(high);
  CHECK(hits(report) == std::vector<std::string>{"PS101 deep.py:4:22"});
  CHECK(report["summary"]["total"] == 1);
  CHECK(report["summary"]["by_severity"]["medium"] == 0);
  CHECK(report["summary"]["by_severity"]["high"] == 1);

  auto critical = run_in(dir, "a.py deep.py --min-severity critical");
  CHECK(critical.exit_code == 0);
  CHECK(contains(critical.out, "No performance issues found"));

  CHECK(
      parse_json(run_in(dir, "a.py deep.py --format json --min-severity low"))["findings"].size() ==
      3);
}

// CLI11 lets a list option take every following word: `--select PS401 src/` reads src/ as a
// selector (exit 2) and `--exclude 'gen*' src/` silently turns src/ into a glob and scans "."
// instead. Putting the options first is the natural order, so it has to work.
TEST_CASE("cli: list options before the paths do not swallow the paths") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("other/b.py", kNested);

  auto select = run_in(dir, "--format json --select PS401 a.py");
  CHECK(select.exit_code == 1);
  CHECK(select.err.empty());
  if (select.exit_code == 1)
    CHECK(hits(parse_json(select)) == std::vector<std::string>{"PS401 a.py:3:5"});

  auto ignore = run_in(dir, "--format json --extend-select ALL --ignore PS101 a.py");
  CHECK(ignore.exit_code == 1);
  if (ignore.exit_code == 1)
    CHECK(hits(parse_json(ignore)) == std::vector<std::string>{"PS401 a.py:3:5"});

  auto exclude = run_in(dir, "--format json --exclude 'gen*' a.py");
  CHECK(exclude.exit_code == 1);
  if (exclude.exit_code == 1)
    CHECK(hits(parse_json(exclude)) == std::vector<std::string>{"PS401 a.py:3:5"});
}

// ---------------------------------------------------------------------------------------------
// Suppressions

TEST_CASE("cli: # noqa on the flagged line suppresses the finding") {
  TempDir dir;
  dir.write("a.py", "s = \"\"\nfor x in xs:\n    s += x  # noqa\n");
  dir.write("b.py", "for a in xs:\n    for b in ys:  # NOQA\n        pass\n");
  auto result = run_in(dir, "a.py b.py --format json");
  CHECK(result.exit_code == 0);
  auto report = parse_json(result);
  CHECK(report["findings"].empty());
  CHECK(report["summary"]["files_scanned"] == 2);
}

TEST_CASE("cli: # noqa: PS401 suppresses that rule only") {
  TempDir dir;
  dir.write("a.py", "s = \"\"\nfor x in xs:\n    s += x  # noqa: PS401\n");
  dir.write("b.py", "s = \"\"\nfor x in xs:\n    s += x  # noqa: PS101\n");
  dir.write("c.py", "s = \"\"\nfor x in xs:\n    s += x  # noqa:PS101,PS401\n");
  auto report = parse_json(run_in(dir, "a.py b.py c.py --format json"));
  CHECK(hits(report) == std::vector<std::string>{"PS401 b.py:3:5"});
}

TEST_CASE("cli: # noqa: E501 names another tool's code and suppresses nothing") {
  TempDir dir;
  dir.write("a.py", "s = \"\"\nfor x in xs:\n    s += x  # noqa: E501\n");
  auto result = run_in(dir, "a.py --format json");
  CHECK(result.exit_code == 1);
  CHECK(hits(parse_json(result)) == std::vector<std::string>{"PS401 a.py:3:5"});
}

TEST_CASE("cli: # perfscan: ignore[...] suppresses the rules it names only") {
  TempDir dir;
  dir.write("a.py", "s = \"\"\nfor x in xs:\n    s += x  # perfscan: ignore[PS401]\n");
  dir.write("b.py", "s = \"\"\nfor x in xs:\n    s += x  # perfscan: ignore[PS101]\n");
  dir.write("c.py", "s = \"\"\nfor x in xs:\n    s += x  # perfscan: ignore\n");
  auto report = parse_json(run_in(dir, "a.py b.py c.py --format json"));
  CHECK(hits(report) == std::vector<std::string>{"PS401 b.py:3:5"});
}

TEST_CASE("cli: a suppression on the first line of a multi-line statement covers later lines") {
  TempDir dir;
  // The PS101 finding is the second `for` clause, on line 4; the statement starts on line 1.
  const std::string body = "    (a, b)\n    for a in xs\n    for b in ys\n]\n";
  dir.write("plain.py", "pairs = [\n" + body);
  dir.write("noqa.py", "pairs = [  # noqa: PS101\n" + body);
  dir.write("ignore.py", "pairs = [  # perfscan: ignore[PS101]\n" + body);
  dir.write("other.py", "pairs = [  # perfscan: ignore[PS401]\n" + body);
  auto report = parse_json(run_in(dir, "plain.py noqa.py ignore.py other.py --format json"));
  CHECK(hits(report) == std::vector<std::string>{"PS101 other.py:4:5", "PS101 plain.py:4:5"});
}

TEST_CASE("cli: # perfscan: skip-file drops every finding of the file") {
  TempDir dir;
  dir.write("skipped.py", "# perfscan: skip-file\n" + std::string(kConcat) + std::string(kNested));
  dir.write("at_end.py", std::string(kConcat) + "# perfscan: skip-file\n");
  dir.write("kept.py", kNested);
  auto result = run_in(dir, "skipped.py at_end.py kept.py --format json");
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS101 kept.py:2:14"});
  CHECK(report["summary"]["files_scanned"] == 3);
}

// ---------------------------------------------------------------------------------------------
// JSON

TEST_CASE("cli: JSON report, field by field") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("deep.py", kNested3);
  dir.write("clean.py", kClean);
  auto result = run_in(dir, "a.py deep.py clean.py missing.py --format json");
  CHECK(result.exit_code == 1);
  // JSON goes to stdout; the person at the terminal still hears about the missing file.
  CHECK(result.err == "perfscan: missing.py: No such file or directory\n");
  auto report = parse_json(result);

  auto version = run_in(dir, "--version");
  REQUIRE(version.exit_code == 0);
  REQUIRE(version.out.rfind("perfscan ", 0) == 0);
  std::string version_number = version.out.substr(std::string("perfscan ").size());
  while (!version_number.empty() && version_number.back() == '\n') version_number.pop_back();

  CHECK(report["tool"]["name"] == "perfscan");
  CHECK(report["tool"]["version"] == version_number);
  CHECK(report["schema_version"] == 1);

  const Json& summary = report.at("summary");
  CHECK(summary["files_scanned"] == 3);
  CHECK(summary["lines_scanned"] == 3 + 5 + 2);
  CHECK(summary["total"] == 3);
  CHECK(summary["by_severity"] == Json{{"critical", 0}, {"high", 1}, {"medium", 1}, {"low", 1}});
  const Json& categories = summary.at("by_category");
  for (const char* category : {"nested-loops", "n-plus-one", "blocking-io", "string-concat",
                               "async", "memory", "caching", "loops", "database"}) {
    INFO(category);
    REQUIRE(categories.contains(category));
    CHECK(categories[category].is_number_integer());
  }
  CHECK(categories["nested-loops"] == 2);
  CHECK(categories["string-concat"] == 1);
  CHECK(categories["n-plus-one"] == 0);
  CHECK(summary["by_rule"] == Json{{"PS101", 2}, {"PS401", 1}});

  // Files with findings, highest score first: deep.py has a high (5) and a medium (2).
  REQUIRE(summary["files"].size() == 2);
  CHECK(summary["files"][0] == Json{{"path", "deep.py"}, {"findings", 2}, {"score", 7}});
  CHECK(summary["files"][1] == Json{{"path", "a.py"}, {"findings", 1}, {"score", 1}});
  CHECK(summary["test_profile"] == "relaxed");
  CHECK(summary["hidden_in_tests"] == 0);

  const Json& findings = report.at("findings");
  REQUIRE(findings.size() == 3);
  const std::set<std::string> keys = {
      "rule",     "name",       "category", "severity",   "path",        "line", "column",
      "end_line", "end_column", "message",  "suggestion", "fingerprint", "tier",
      "effort"};
  for (const Json& finding : findings) {
    std::set<std::string> actual;
    for (const auto& item : finding.items()) actual.insert(item.key());
    CHECK(actual == keys);
    const std::string fingerprint = finding["fingerprint"];
    CHECK(fingerprint.size() == 16);
    CHECK(fingerprint.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK_FALSE(finding["message"].get<std::string>().empty());
    CHECK_FALSE(finding["suggestion"].get<std::string>().empty());
    // PS101 and PS401 are in the extended tier (rules/traits.def); the harness selects ALL.
    CHECK(finding["tier"] == "extended");
  }

  const Json& concat = findings[0];
  CHECK(concat["rule"] == "PS401");
  CHECK(concat["name"] == "string-concat-in-loop");
  CHECK(concat["category"] == "string-concat");
  CHECK(concat["severity"] == "low");  // medium, lowered: the module's top level runs once
  CHECK(concat["path"] == "a.py");
  CHECK(concat["line"] == 3);
  CHECK(concat["column"] == 5);
  CHECK(concat["end_line"] == 3);
  CHECK(concat["end_column"] == 11);
  CHECK(contains(concat["message"].get<std::string>(), "`s`"));
  CHECK(concat["message"].get<std::string>().ends_with(
      " (lowered one step: runs once, at module top level)"));
  CHECK(contains(concat["suggestion"].get<std::string>(), "join"));
  CHECK(concat["effort"] == "mechanical");  // rules/effort.def

  const Json& outer = findings[1];
  CHECK(outer["rule"] == "PS101");
  CHECK(outer["name"] == "nested-loop");
  CHECK(outer["category"] == "nested-loops");
  CHECK(outer["severity"] == "medium");
  CHECK(outer["effort"] == "local refactor");
  CHECK(outer["path"] == "deep.py");
  CHECK(outer["line"] == 3);
  CHECK(outer["column"] == 18);
  CHECK(outer["end_line"] == 3);
  CHECK(outer["end_column"] == 20);
  CHECK_FALSE(contains(outer["message"].get<std::string>(), "lowered"));

  const Json& inner = findings[2];
  CHECK(inner["severity"] == "high");
  CHECK(inner["line"] == 4);
  CHECK(inner["column"] == 22);
  CHECK(inner["end_line"] == 4);
  CHECK(inner["end_column"] == 24);
  CHECK(contains(inner["message"].get<std::string>(), "zs"));

  REQUIRE(report["errors"].size() == 1);
  CHECK(report["errors"][0] ==
        Json{{"path", "missing.py"}, {"message", "No such file or directory"}});

  CHECK(report["stats"]["jobs"].is_number_integer());
  CHECK(report["stats"]["seconds"].is_number());
}

TEST_CASE("cli: JSON report of a clean scan has empty lists and zero counts") {
  TempDir dir;
  dir.write("clean.py", kClean);
  auto report = parse_json(run_in(dir, "clean.py --format json"));
  CHECK(report["findings"] == Json::array());
  CHECK(report["errors"] == Json::array());
  CHECK(report["summary"]["files"] == Json::array());
  CHECK(report["summary"]["by_rule"] == Json::object());
  CHECK(report["summary"]["total"] == 0);
  CHECK(report["summary"]["files_scanned"] == 1);
  CHECK(report["summary"]["lines_scanned"] == 2);
  for (const auto& item : report["summary"]["by_category"].items()) CHECK(item.value() == 0);
  for (const auto& item : report["summary"]["by_severity"].items()) CHECK(item.value() == 0);
}

TEST_CASE("cli: columns count characters, not bytes") {
  TempDir dir;
  // Three 3-byte characters before the flagged `s += x`: byte column 22, character column 16.
  dir.write("wide.py", "s = \"\"\nfor x in xs:\n    t = \"日本語\"; s += x\n");
  dir.write("ascii.py", "s = \"\"\nfor x in xs:\n    t = \"abc\"; s += x\n");
  // Two 2-byte characters before a comprehension's second `for` clause.
  dir.write("accents.py", "pairs = [\"éé\" for a in xs for b in ys]\n");
  auto report = parse_json(run_in(dir, "wide.py ascii.py accents.py --format json"));
  CHECK(hits(report) == std::vector<std::string>{"PS101 accents.py:1:27", "PS401 ascii.py:3:16",
                                                 "PS401 wide.py:3:16"});
  for (const Json& finding : report["findings"]) {
    if (finding["rule"] == "PS401") CHECK(finding["end_column"] == 22);
    if (finding["rule"] == "PS101") CHECK(finding["end_column"] == 38);
  }

  SECTION("the caret lines up under the flagged characters in the text report") {
    auto text = run_in(dir, "wide.py");
    // Each CJK character takes two terminal cells: 4 + 5 + 6 + 4 cells before `s`.
    CHECK(contains(text.out,
                   "    3 |     t = \"日本語\"; s += x\n      |                   ^^^^^^\n"));
  }
}

// ---------------------------------------------------------------------------------------------
// Text

TEST_CASE("cli: text report shows location, source line, caret, help and summary") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("b.py", kNested);
  auto result = run_in(dir, "a.py b.py");
  CHECK(result.exit_code == 1);
  CHECK(result.err.empty());
  const std::vector<std::string> lines = lines_of(result.out);
  REQUIRE(lines.size() > 10);
  CHECK(lines[0].rfind("a.py:3:5: PS401 [low] String `s` is built by concatenation", 0) == 0);
  CHECK(lines[0].ends_with(" (lowered one step: runs once, at module top level)"));
  CHECK(lines[1] == "    3 |     s += x");
  CHECK(lines[2] == "      |     ^^^^^^");
  CHECK(lines[3].rfind("  help: append the pieces to a list", 0) == 0);
  CHECK(lines[4].empty());
  CHECK(lines[5].rfind("b.py:2:14: PS101 [low] ", 0) == 0);
  CHECK(lines[6] == "    2 |     for b in ys:");
  CHECK(lines[7] == "      |              ^^");
  CHECK(lines[8].rfind("  help: ", 0) == 0);

  CHECK(contains(result.out,
                 "== perfscan summary ==\nTotal issues: 2 in 2 files  (files scanned: 2, lines "
                 "scanned: 6, time: "));
  CHECK(contains(result.out,
                 "\nISSUES BY SEVERITY\n  critical    0\n  high        0\n  medium      0\n  low   "
                 "      2\n"));
  CHECK(contains(result.out, "\nISSUES BY CATEGORY\n"));
  CHECK(contains(result.out, "  String Concatenation "));
  CHECK(contains(result.out, "  Nested Loop Issues "));
  CHECK(contains(
      result.out,
      "\nMOST CRITICAL FILES\n   1. a.py  score 1  (1 low)  mostly String Concatenation\n"));
  CHECK_FALSE(contains(result.out, "FINDINGS BY RULE"));
  CHECK_FALSE(contains(result.out, "errors:"));
}

TEST_CASE("cli: text report lists errors") {
  TempDir dir;
  dir.write("a.py", kConcat);
  auto result = run_in(dir, "a.py missing.py");
  CHECK(result.exit_code == 1);
  CHECK(contains(result.out, "\nerrors:\n  missing.py: No such file or directory\n"));
  CHECK(contains(result.out, ", errors: 1)"));
}

TEST_CASE("cli: colours: none when stdout is not a terminal, ANSI with --color always") {
  TempDir dir;
  dir.write("a.py", kConcat);
  auto automatic = run_in(dir, "a.py");
  CHECK(automatic.exit_code == 1);
  CHECK_FALSE(contains(automatic.out, "\x1b["));

  auto never = run_in(dir, "a.py --color never");
  CHECK_FALSE(contains(never.out, "\x1b["));
  CHECK(without_time(never.out) == without_time(automatic.out));

  auto always = run_in(dir, "a.py --color always");
  CHECK(always.exit_code == 1);
  CHECK(contains(always.out, "\x1b["));
  CHECK(contains(always.out, "\x1b[0m"));
  CHECK(contains(always.out, "\x1b[36m[low]\x1b[0m"));

  SECTION("--color always does not leak into JSON") {
    CHECK_FALSE(contains(run_in(dir, "a.py --color always --format json").out, "\x1b"));
  }
  SECTION("--color always applies to a report written with --output too") {
    auto to_file = run_in(dir, "a.py --color always -o report.txt");
    CHECK(to_file.exit_code == 1);
    // Explicit "always" wins even for a file: the user asked for it.
    CHECK(contains(read_file(dir.path() / "report.txt"), "\x1b["));
  }
}

TEST_CASE("cli: --quiet prints findings and a one-line total only") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("clean.py", kClean);
  auto result = run_in(dir, "a.py --quiet");
  CHECK(result.exit_code == 1);
  CHECK(result.out.rfind("a.py:3:5: PS401 [low] ", 0) == 0);
  CHECK(contains(result.out, "    3 |     s += x\n"));
  CHECK(result.out.ends_with("\n\nTotal issues: 1 in 1 file\n"));
  CHECK_FALSE(contains(result.out, "perfscan summary"));
  CHECK_FALSE(contains(result.out, "ISSUES BY SEVERITY"));
  CHECK_FALSE(contains(result.out, "MOST CRITICAL FILES"));

  auto clean = run_in(dir, "clean.py -q");
  CHECK(clean.exit_code == 0);
  CHECK(clean.out == "No performance issues found\n");

  auto with_error = run_in(dir, "clean.py missing.py -q");
  CHECK(with_error.out ==
        "errors:\n  missing.py: No such file or directory\n\n"
        "No performance issues found  (errors: 1)\n");

  auto with_stats = run_in(dir, "a.py -q --statistics");
  CHECK(contains(with_stats.out,
                 "Total issues: 1 in 1 file\n\nFINDINGS BY RULE\n  PS401  string-concat-in-loop"));
}

TEST_CASE("cli: --statistics adds FINDINGS BY RULE") {
  TempDir dir;
  dir.write("a.py", std::string(kConcat) + "t = \"\"\nfor y in ys:\n    t += y\n");
  dir.write("b.py", kNested);
  auto result = run_in(dir, "a.py b.py --statistics");
  CHECK(result.exit_code == 1);
  auto at = result.out.find("\nFINDINGS BY RULE\n");
  REQUIRE(at != std::string::npos);
  const std::vector<std::string> rows = lines_of(result.out.substr(at + 1));
  REQUIRE(rows.size() == 3);
  // Most frequent first.
  CHECK(rows[1].rfind("  PS401  string-concat-in-loop", 0) == 0);
  CHECK(rows[1].ends_with(" 2"));
  CHECK(rows[2].rfind("  PS101  nested-loop", 0) == 0);
  CHECK(rows[2].ends_with(" 1"));
}

TEST_CASE("cli: --output writes the report to the file and nothing to stdout") {
  TempDir dir;
  dir.write("a.py", kConcat);

  SECTION("text") {
    auto result = run_in(dir, "a.py --output report.txt");
    CHECK(result.exit_code == 1);
    CHECK(result.out.empty());
    CHECK(result.err.empty());
    std::string written = read_file(dir.path() / "report.txt");
    CHECK(written.rfind("a.py:3:5: PS401 [low] ", 0) == 0);
    CHECK(contains(written, "MOST CRITICAL FILES"));
    CHECK_FALSE(contains(written, "\x1b["));
  }
  SECTION("json, with -o") {
    auto result = run_in(dir, "a.py --format json -o report.json");
    CHECK(result.exit_code == 1);
    CHECK(result.out.empty());
    CommandResult as_read{0, read_file(dir.path() / "report.json"), {}};
    CHECK(hits(parse_json(as_read)) == std::vector<std::string>{"PS401 a.py:3:5"});
  }
  SECTION("an existing file is replaced") {
    dir.write("report.txt", std::string(100000, 'x'));
    CHECK(run_in(dir, "a.py -o report.txt --quiet").exit_code == 1);
    CHECK_FALSE(contains(read_file(dir.path() / "report.txt"), "xxx"));
  }
  SECTION("an unwritable destination exits 2 with a message") {
    auto result = run_in(dir, "a.py -o no/such/folder/report.txt");
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(contains(result.err, "perfscan: cannot write no/such/folder/report.txt"));
  }
}

// ---------------------------------------------------------------------------------------------
// Determinism and paths

TEST_CASE("cli: the report does not depend on the number of jobs") {
  TempDir dir;
  // ~30 files in a few folders, a mix of findings, syntax errors, clean files and one error.
  for (int i = 0; i < 30; ++i) {
    std::string name =
        "pkg" + std::to_string(i % 4) + "/mod_" + std::to_string((i * 7) % 30) + ".py";
    std::string body = "# file " + std::to_string(i) + "\n";
    for (int k = 0; k <= i % 5; ++k) body += "\n";  // shift lines from file to file
    switch (i % 5) {
      case 0:
        body += std::string(kConcat) + std::string(kNested);
        break;
      case 1:
        body += kNested3;
        break;
      case 2:
        body += std::string(kClean);
        break;
      case 3:
        body += std::string(kSyntaxError) + std::string(kConcat);
        break;
      case 4:
        body +=
            "def f(xs, ys):\n    s = ''\n    for x in xs:\n        s += x\n        s += x\n    "
            "return [(a, b) for a in xs for b in ys]\n";
        break;
    }
    dir.write(name, body);
  }
  dir.write("pkg1/nul.py", std::string("x = 1\n\0\n", 8));

  auto strip_stats = [](const std::string& out) {
    auto at = out.find(",\n  \"stats\": {");
    REQUIRE(at != std::string::npos);
    return out.substr(0, at);
  };
  auto one = run_in(dir, ". --format json --jobs 1");
  auto two = run_in(dir, ". --format json --jobs 2");
  auto seven = run_in(dir, ". --format json -j 7");
  CHECK(one.exit_code == 1);
  CHECK(two.exit_code == 1);
  CHECK(seven.exit_code == 1);
  CHECK(strip_stats(one.out) == strip_stats(two.out));
  CHECK(strip_stats(one.out) == strip_stats(seven.out));
  CHECK(parse_json(one)["stats"]["jobs"] == 1);
  CHECK(parse_json(two)["stats"]["jobs"] == 2);
  CHECK(parse_json(seven)["stats"]["jobs"] == 7);

  auto report = parse_json(one);
  CHECK(report["summary"]["files_scanned"] == 30);
  CHECK(error_paths(report) == std::vector<std::string>{"pkg1/nul.py"});
  const Json& findings = report["findings"];
  CHECK(findings.size() > 40);
  for (std::size_t i = 1; i < findings.size(); ++i) {
    const Json& a = findings[i - 1];
    const Json& b = findings[i];
    auto key = [](const Json& f) {
      return std::make_tuple(f["path"].get<std::string>(), f["line"].get<int>(),
                             f["column"].get<int>(), f["rule"].get<std::string>());
    };
    INFO(a.dump() << "\nbefore\n" << b.dump());
    CHECK(key(a) <= key(b));
  }

  SECTION("the text report is identical too, apart from the time") {
    auto text_one = run_in(dir, ". --jobs 1 --statistics");
    auto text_seven = run_in(dir, ". --jobs 7 --statistics");
    CHECK(without_time(text_one.out) == without_time(text_seven.out));
  }
}

TEST_CASE("cli: paths are reported as the user gave them") {
  TempDir dir;
  dir.write("dir/pkg/a.py", kConcat);
  const fs::path inside = dir.path() / "dir";

  auto dot = run_perfscan(". --format json", inside);
  CHECK(hits(parse_json(dot)) == std::vector<std::string>{"PS401 pkg/a.py:3:5"});
  auto none = run_perfscan("--format json", inside);
  CHECK(hits(parse_json(none)) == std::vector<std::string>{"PS401 pkg/a.py:3:5"});
  auto dot_slash = run_perfscan("./ --format json", inside);
  CHECK(hits(parse_json(dot_slash)) == std::vector<std::string>{"PS401 pkg/a.py:3:5"});
  auto sub = run_perfscan("./pkg --format json", inside);
  CHECK(hits(parse_json(sub)) == std::vector<std::string>{"PS401 ./pkg/a.py:3:5"});

  CHECK(hits(parse_json(run_in(dir, "dir/ --format json"))) ==
        std::vector<std::string>{"PS401 dir/pkg/a.py:3:5"});
  CHECK(hits(parse_json(run_in(dir, "dir --format json"))) ==
        std::vector<std::string>{"PS401 dir/pkg/a.py:3:5"});
  CHECK(hits(parse_json(run_in(dir, "dir/pkg/a.py --format json"))) ==
        std::vector<std::string>{"PS401 dir/pkg/a.py:3:5"});

  const std::string absolute = (dir.path() / "dir").string();
  CHECK(hits(parse_json(run_perfscan(q(absolute) + " --format json"))) ==
        std::vector<std::string>{"PS401 " + absolute + "/pkg/a.py:3:5"});

  SECTION("a file named twice is reported once") {
    CHECK(hits(parse_json(run_in(dir, "dir dir/pkg/a.py --format json"))) ==
          std::vector<std::string>{"PS401 dir/pkg/a.py:3:5"});
  }
}

TEST_CASE("cli: '-' reads stdin, reported as --stdin-filename or '-'") {
  TempDir dir;
  auto named = run_in(dir, "- --stdin-filename app/x.py --format json", std::string(kConcat));
  CHECK(named.exit_code == 1);
  auto report = parse_json(named);
  CHECK(hits(report) == std::vector<std::string>{"PS401 app/x.py:3:5"});
  CHECK(report["summary"]["files_scanned"] == 1);
  CHECK(report["summary"]["lines_scanned"] == 3);

  auto anonymous = run_in(dir, "- --format json", std::string(kConcat));
  CHECK(anonymous.exit_code == 1);
  CHECK(hits(parse_json(anonymous)) == std::vector<std::string>{"PS401 -:3:5"});

  auto text = run_in(dir, "-", std::string(kConcat));
  CHECK(text.out.rfind("-:3:5: PS401 [low] ", 0) == 0);

  auto clean = run_in(dir, "-", std::string(kClean));
  CHECK(clean.exit_code == 0);

  SECTION("stdin next to files") {
    dir.write("b.py", kNested);
    auto both = run_in(dir, "b.py - --stdin-filename a.py --format json", std::string(kConcat));
    CHECK(hits(parse_json(both)) == std::vector<std::string>{"PS401 a.py:3:5", "PS101 b.py:2:14"});
  }
}

// ---------------------------------------------------------------------------------------------
// Rules, docs, version

TEST_CASE("cli: --list-rules prints a table of every rule") {
  TempDir dir;
  auto result = run_in(dir, "--list-rules");
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  const std::vector<std::string> lines = lines_of(result.out);
  REQUIRE(lines.size() >= 4);
  CHECK(lines[0].rfind("ID     NAME", 0) == 0);
  bool ps000 = false;
  bool ps101 = false;
  bool ps401 = false;
  for (const std::string& line : lines) {
    ps000 = ps000 || (line.rfind("PS000  syntax-error ", 0) == 0 && contains(line, " syntax "));
    ps101 =
        ps101 || (line.rfind("PS101  nested-loop ", 0) == 0 && contains(line, " nested-loops "));
    ps401 = ps401 || (line.rfind("PS401  string-concat-in-loop ", 0) == 0 &&
                      contains(line, " string-concat ") && contains(line, " medium "));
  }
  CHECK(ps000);
  CHECK(ps101);
  CHECK(ps401);
}

TEST_CASE("cli: --list-rules --format json is an array of rule objects") {
  TempDir dir;
  auto result = run_in(dir, "--list-rules --format json");
  CHECK(result.exit_code == 0);
  auto rules = parse_json(result);
  REQUIRE(rules.is_array());
  REQUIRE(rules.size() >= 3);
  std::vector<std::string> ids;
  for (const Json& rule : rules) {
    std::set<std::string> keys;
    for (const auto& item : rule.items()) keys.insert(item.key());
    CHECK(keys == std::set<std::string>{"id", "name", "category", "severity", "summary", "tier",
                                        "precision", "in_tests", "cost", "effort"});
    CHECK((rule["effort"] == "mechanical" || rule["effort"] == "local refactor" ||
           rule["effort"] == "design"));
    CHECK((rule["tier"] == "default" || rule["tier"] == "extended"));
    ids.push_back(rule["id"]);
    CHECK_FALSE(rule["summary"].get<std::string>().empty());
  }
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  Json ps401;
  for (const Json& rule : rules) {
    if (rule["id"] == "PS401") ps401 = rule;
  }
  CHECK(ps401["name"] == "string-concat-in-loop");
  CHECK(ps401["category"] == "string-concat");
  CHECK(ps401["severity"] == "medium");
  CHECK(ps401["effort"] == "mechanical");
  CHECK(std::find(ids.begin(), ids.end(), "PS000") != ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "PS101") != ids.end());
}

TEST_CASE("cli: --explain prints the rule's markdown documentation") {
  TempDir dir;
  auto by_id = run_in(dir, "--explain PS401");
  CHECK(by_id.exit_code == 0);
  CHECK(by_id.err.empty());
  CHECK(by_id.out.rfind("# PS401 string-concat-in-loop\n", 0) == 0);
  CHECK(contains(by_id.out, "## What it does"));

  auto by_name = run_in(dir, "--explain string-concat-in-loop");
  CHECK(by_name.exit_code == 0);
  CHECK(by_name.out == by_id.out);

  auto ps101 = run_in(dir, "--explain nested-loop");
  CHECK(ps101.exit_code == 0);
  CHECK(ps101.out.rfind("# PS101", 0) == 0);
}

TEST_CASE("cli: --explain of an unknown rule exits 2") {
  TempDir dir;
  auto result = run_in(dir, "--explain UNKNOWN");
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(contains(result.err, "UNKNOWN"));
}

TEST_CASE("cli: --version and --help") {
  TempDir dir;
  auto version = run_in(dir, "--version");
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("perfscan ", 0) == 0);
  CHECK(version.out.ends_with("\n"));
  CHECK(std::count(version.out.begin(), version.out.end(), '\n') == 1);

  auto help = run_in(dir, "--help");
  CHECK(help.exit_code == 0);
  CHECK(contains(help.out, "--select"));
  CHECK(contains(help.out, "--format"));
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

TEST_CASE("cli: fingerprints survive lines inserted above the finding") {
  TempDir dir;
  const std::string function =
      "def f(xs):\n    s = \"\"\n    for x in xs:\n        s += x\n    return s\n";
  dir.write("m.py", function);
  auto before = parse_json(run_in(dir, "m.py --format json"));
  REQUIRE(hits(before) == std::vector<std::string>{"PS401 m.py:4:9"});

  dir.write("m.py", "import os\nimport sys\n\n\n" + function);
  auto after = parse_json(run_in(dir, "m.py --format json"));
  REQUIRE(hits(after) == std::vector<std::string>{"PS401 m.py:8:9"});
  CHECK(fingerprint_of(before, 4) == fingerprint_of(after, 8));

  SECTION("and whitespace changes inside the flagged line") {
    dir.write("m.py",
              "def f(xs):\n    s = \"\"\n    for x in xs:\n        s  +=   x\n    return s\n");
    CHECK(fingerprint_of(parse_json(run_in(dir, "m.py --format json")), 4) ==
          fingerprint_of(before, 4));
  }
}

TEST_CASE("cli: fingerprints change when the flagged line changes") {
  TempDir dir;
  dir.write("m.py", "def f(xs):\n    s = \"\"\n    for x in xs:\n        s += x\n    return s\n");
  auto before = parse_json(run_in(dir, "m.py --format json"));
  dir.write("m.py",
            "def f(xs):\n    s = \"\"\n    for x in xs:\n        s += x + \"!\"\n    return s\n");
  auto after = parse_json(run_in(dir, "m.py --format json"));
  CHECK(fingerprint_of(before, 4) != fingerprint_of(after, 4));

  SECTION("and between files with the same content") {
    dir.write("n.py", "def f(xs):\n    s = \"\"\n    for x in xs:\n        s += x\n    return s\n");
    auto other = parse_json(run_in(dir, "n.py --format json"));
    CHECK(fingerprint_of(before, 4) != fingerprint_of(other, 4));
  }
}

TEST_CASE("cli: identical flagged lines in one function get different fingerprints") {
  TempDir dir;
  dir.write(
      "m.py",
      "def f(xs):\n    s = \"\"\n    for x in xs:\n        s += x\n        s += x\n    return s\n");
  auto report = parse_json(run_in(dir, "m.py --format json"));
  REQUIRE(hits(report) == std::vector<std::string>{"PS401 m.py:4:9", "PS401 m.py:5:9"});
  CHECK(fingerprint_of(report, 4) != fingerprint_of(report, 5));
  // Stable from run to run.
  CHECK(fingerprint_of(parse_json(run_in(dir, "m.py --format json")), 5) ==
        fingerprint_of(report, 5));
}

// ---------------------------------------------------------------------------------------------
// .gitignore

TEST_CASE("cli: files ignored by .gitignore are skipped unless named explicitly") {
  TempDir dir;
  git_init(dir);
  dir.write(".gitignore", "ignored.py\ngenerated/\n");
  dir.write("ignored.py", kConcat);
  dir.write("generated/g.py", kConcat);
  dir.write("kept.py", kNested);

  auto walked = run_in(dir, ". --format json");
  CHECK(walked.exit_code == 1);
  auto report = parse_json(walked);
  CHECK(hits(report) == std::vector<std::string>{"PS101 kept.py:2:14"});
  CHECK(report["summary"]["files_scanned"] == 1);

  auto named = run_in(dir, "ignored.py --format json");
  CHECK(named.exit_code == 1);
  CHECK(hits(parse_json(named)) == std::vector<std::string>{"PS401 ignored.py:3:5"});

  auto all = run_in(dir, ". --no-gitignore --format json");
  CHECK(hits(parse_json(all)) == std::vector<std::string>{"PS401 generated/g.py:3:5",
                                                          "PS401 ignored.py:3:5",
                                                          "PS101 kept.py:2:14"});
}
