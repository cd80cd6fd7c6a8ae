// The CI output formats end to end: each is produced by the binary and parsed back (SARIF
// checked against the structure SARIF 2.1.0 requires), plus the escaping of hostile file
// names and messages on hand-built reports.
#include <catch2/catch.hpp>
#include <cstdio>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "report/ci_writers.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

// PS401 at 3:5: medium, lowered to low because the module's top level runs once.
constexpr std::string_view kConcat = "s = \"\"\nfor x in xs:\n    s += x\n";
// In a function: PS101 medium at 3:18 and high at 4:22.
constexpr std::string_view kNested3 =
    "def walk(xs, ys, zs):\n    for a in xs:\n        for b in ys:\n            for c in zs:\n"
    "                pass\n";

// A directory with three findings (low, medium, high) in two files (one of them in a
// sub-folder).
void write_sample(const TempDir& dir) {
  dir.write("app/views.py", std::string(kConcat));
  dir.write("jobs.py", std::string(kNested3));
}

bool is_object_with(const Json& json, std::initializer_list<const char*> keys) {
  if (!json.is_object()) return false;
  return std::all_of(keys.begin(), keys.end(), [&](const char* key) { return json.contains(key); });
}

// The SARIF 2.1.0 schema's requirements on what perfscan writes: required properties, types,
// enumerations and minimums (sarif-schema-2.1.0.json: sarifLog, run, tool, toolComponent,
// reportingDescriptor, result, location, physicalLocation, artifactLocation, region,
// multiformatMessageString, message, reportingConfiguration, invocation, notification).
void check_sarif_schema(const Json& log) {
  const std::set<std::string> levels = {"none", "note", "warning", "error"};
  REQUIRE(is_object_with(log, {"version", "runs"}));
  CHECK(log["version"] == "2.1.0");
  CHECK(log["$schema"].is_string());
  REQUIRE(log["runs"].is_array());
  for (const Json& run : log["runs"]) {
    REQUIRE(is_object_with(run, {"tool"}));
    const Json& driver = run["tool"]["driver"];
    REQUIRE(is_object_with(driver, {"name"}));
    CHECK(driver["name"].is_string());
    // format "uri": absolute, as GitHub's code scanning links it.
    const std::regex absolute_uri("https://[^ ]+");
    CHECK(std::regex_match(driver["informationUri"].get<std::string>(), absolute_uri));
    std::set<std::string> ids;
    for (const Json& rule : driver["rules"]) {
      REQUIRE(is_object_with(rule, {"id"}));
      ids.insert(rule["id"].get<std::string>());
      for (const char* message : {"shortDescription", "fullDescription", "help"}) {
        REQUIRE(is_object_with(rule[message], {"text"}));
        CHECK(rule[message]["text"].is_string());
      }
      CHECK(rule["help"]["markdown"].is_string());
      CHECK(std::regex_match(rule["helpUri"].get<std::string>(), absolute_uri));
      CHECK(levels.contains(rule["defaultConfiguration"]["level"].get<std::string>()));
      CHECK(rule["properties"]["tags"].is_array());
    }
    CHECK(ids.size() == driver["rules"].size());  // unique ids
    CHECK(run["columnKind"] == "unicodeCodePoints");
    for (const auto& [name, base] : run["originalUriBaseIds"].items()) {
      CHECK(std::regex_match(base["uri"].get<std::string>(), std::regex("file:///.*/")));
    }
    for (const Json& invocation : run["invocations"]) {
      REQUIRE(is_object_with(invocation, {"executionSuccessful"}));
      CHECK(invocation["executionSuccessful"].is_boolean());
      for (const Json& notification : invocation["toolExecutionNotifications"]) {
        REQUIRE(is_object_with(notification, {"message"}));
        CHECK(notification["message"]["text"].is_string());
      }
    }
    REQUIRE(run["results"].is_array());
    for (const Json& result : run["results"]) {
      REQUIRE(is_object_with(result, {"message", "ruleId", "ruleIndex", "level", "locations"}));
      CHECK(result["message"]["text"].is_string());
      CHECK(ids.contains(result["ruleId"].get<std::string>()));
      CHECK(driver["rules"][result["ruleIndex"].get<std::size_t>()]["id"] == result["ruleId"]);
      CHECK(levels.contains(result["level"].get<std::string>()));
      REQUIRE(result["locations"].size() == 1);
      const Json& physical = result["locations"][0]["physicalLocation"];
      CHECK(physical["artifactLocation"]["uri"].is_string());
      const Json& region = physical["region"];
      for (const char* key : {"startLine", "startColumn", "endLine", "endColumn"}) {
        CHECK(region[key].is_number_integer());
        CHECK(region[key].get<int>() >= 1);
      }
      CHECK(region["endLine"].get<int>() >= region["startLine"].get<int>());
      REQUIRE(result["partialFingerprints"].is_object());
      for (const auto& [key, value] : result["partialFingerprints"].items())
        CHECK(value.is_string());
    }
  }
}

perfscan::Finding hostile_finding() {
  perfscan::Finding finding;
  finding.rule_id = "PS401";
  finding.rule_name = "string-concat-in-loop";
  finding.category = perfscan::Category::string_concat;
  finding.severity = perfscan::Severity::high;
  finding.path = "we,ird:na%me\n::error::x.py";
  finding.span = {3, 5, 3, 11};
  finding.message = "100% slow,\r\n::error file=evil.py::injected & <b>\"quoted\"</b>\x01";
  finding.fingerprint = "0123456789abcdef";
  return finding;
}

}  // namespace

TEST_CASE("formats: sarif has every rule, the findings and repository-relative locations") {
  TempDir dir;
  write_sample(dir);
  auto result = run_in(dir, ". --format sarif");
  CHECK(result.exit_code == 1);
  Json log = parse_json(result);
  check_sarif_schema(log);
  const Json& run = log["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "perfscan");
  const Json& rules = run["tool"]["driver"]["rules"];
  Json report = parse_json(run_in(dir, "--list-rules --format json"));
  CHECK(rules.size() == report.size());
  const Json& ps401 =
      *std::find_if(rules.begin(), rules.end(), [](const Json& r) { return r["id"] == "PS401"; });
  CHECK(ps401["name"] == "string-concat-in-loop");
  CHECK(ps401["defaultConfiguration"]["level"] == "warning");
  CHECK(ps401["properties"]["tags"] == Json::array({"performance", "string-concat"}));
  CHECK(contains(ps401["help"]["markdown"].get<std::string>(), "## Why is it slow"));
  CHECK(contains(ps401["fullDescription"]["text"].get<std::string>(), "Flags a `str` accumulator"));
  // Both addresses come from CMake's HOMEPAGE_URL; helpUri is the doc beside the rule.
  std::string home = run["tool"]["driver"]["informationUri"].get<std::string>();
  CHECK(ps401["helpUri"] == home + "/blob/main/rules/string_concat/PS401.md");

  REQUIRE(run["results"].size() == 3);
  const Json& first = run["results"][0];
  CHECK(first["ruleId"] == "PS401");
  CHECK(first["level"] == "note");
  const Json& location = first["locations"][0]["physicalLocation"];
  CHECK(location["artifactLocation"] == Json{{"uri", "app/views.py"}, {"uriBaseId", "%SRCROOT%"}});
  CHECK(location["region"] ==
        Json{{"startLine", 3}, {"startColumn", 5}, {"endLine", 3}, {"endColumn", 11}});
  CHECK(first["partialFingerprints"]["perfscan/v1"].get<std::string>().size() == 16);
  // critical/high -> error, medium -> warning, low -> note.
  std::multiset<std::string> levels;
  for (const Json& r : run["results"]) levels.insert(r["level"].get<std::string>());
  CHECK(levels == std::multiset<std::string>{"error", "warning", "note"});
  // Rule metadata carries the tier and the measured precision from the rule table.
  CHECK((ps401["properties"]["tier"] == "default" || ps401["properties"]["tier"] == "extended"));
  CHECK(ps401["properties"]["precision"].is_string());
  CHECK(contains(ps401["help"]["markdown"].get<std::string>(), "\n## Tier and precision\n"));

  SECTION("paths are relative to the repository root, wherever perfscan runs") {
    git_in(dir, "init -q .");
    auto from_sub = parse_json(run_perfscan("views.py --format sarif", dir.path() / "app"));
    CHECK(from_sub["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
                  ["uri"] == "app/views.py");
  }
}

TEST_CASE("formats: sarif percent-encodes file names into URIs") {
  TempDir dir;
  dir.write("a b#1%.py", std::string(kConcat));
  Json log = parse_json(run_in(dir, ". --format sarif"));
  check_sarif_schema(log);
  CHECK(
      log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
      "a%20b%231%25.py");
}

TEST_CASE("formats: github workflow commands") {
  TempDir dir;
  write_sample(dir);
  auto result = run_in(dir, ". --format github");
  CHECK(result.exit_code == 1);
  auto lines = lines_of(result.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].starts_with(
      "::notice file=app/views.py,line=3,col=5,endLine=3,endColumn=11,title=PS401::"));
  CHECK(lines[1].starts_with(
      "::warning file=jobs.py,line=3,col=18,endLine=3,endColumn=20,title=PS101::"));
  CHECK(lines[2].starts_with("::error file=jobs.py,line=4,col=22,"));

  SECTION("a hostile file name stays inside its property") {
    dir.write("odd/a,b:50%\n::error::x.py", std::string(kConcat));
    auto odd = run_in(dir, "odd --format github");
    auto odd_lines = lines_of(odd.out);
    REQUIRE(odd_lines.size() == 1);
    CHECK(odd_lines[0].starts_with(
        "::notice file=odd/a%2Cb%3A50%25%0A%3A%3Aerror%3A%3Ax.py,line=3,col=5,endLine=3,"
        "endColumn=11,title=PS401::String `s` is built by concatenation inside a loop"));
    // The suggestion follows on an escaped second line of the same command.
    CHECK(contains(odd_lines[0], "%0Ahelp: append the pieces"));
  }
}

TEST_CASE("formats: github escaping keeps hostile names and messages inside one command") {
  perfscan::Report report;
  report.findings.push_back(hostile_finding());
  std::ostringstream out;
  perfscan::write_github(report, out, std::filesystem::current_path());
  CHECK(out.str() ==
        "::error file=we%2Cird%3Ana%25me%0A%3A%3Aerror%3A%3Ax.py,line=3,col=5,endLine=3,"
        "endColumn=11,title=PS401::100%25 slow,%0D%0A::error file=evil.py::injected & "
        "<b>\"quoted\"</b>\x01\n");
  CHECK(lines_of(out.str()).size() == 1);
}

TEST_CASE("formats: gitlab code quality") {
  TempDir dir;
  write_sample(dir);
  Json issues = parse_json(run_in(dir, ". --format gitlab"));
  REQUIRE(issues.is_array());
  REQUIRE(issues.size() == 3);
  std::set<std::string> fingerprints;
  for (const Json& issue : issues) {
    CHECK(issue["description"].is_string());
    CHECK(issue["check_name"].is_string());
    CHECK(issue["location"]["path"].is_string());
    CHECK(issue["location"]["lines"]["begin"].is_number_integer());
    fingerprints.insert(issue["fingerprint"].get<std::string>());
  }
  CHECK(fingerprints.size() == 3);
  CHECK(issues[0]["check_name"] == "PS401");
  CHECK(issues[0]["severity"] == "info");
  CHECK(issues[0]["location"] ==
        Json{{"path", "app/views.py"}, {"lines", {{"begin", 3}, {"end", 3}}}});
  CHECK(issues[2]["severity"] == "major");
}

TEST_CASE("formats: junit XML parses and escapes") {
  TempDir dir;
  write_sample(dir);
  dir.write("clean.py", "def f(xs):\n    return sum(xs)\n");
  auto result = run_in(dir, ". --format junit -o report.xml");
  CHECK(result.exit_code == 1);
  // Parsed by a real XML parser (Python's expat), which rejects anything malformed.
  std::string script =
      "import sys, xml.etree.ElementTree as E\n"
      "root = E.parse(sys.argv[1]).getroot()\n"
      "print(root.tag, root.get('tests'), root.get('failures'))\n"
      "for case in root.iter('testcase'):\n"
      "    print(case.get('name'), [f.get('type') for f in case.findall('failure')])\n";
  dir.write("parse.py", script);
  std::string command =
      "cd " + q(dir.path().string()) + " && python3 parse.py report.xml > parsed.txt 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  CHECK(read_file(dir.path() / "parsed.txt") ==
        "testsuites 3 3\napp/views.py ['PS401']\nclean.py []\njobs.py ['PS101', 'PS101']\n");

  SECTION("hostile text") {
    perfscan::Report report;
    report.findings.push_back(hostile_finding());
    report.findings.back().path = "a&b<c>\"d\"\x02.py";
    std::ostringstream out;
    perfscan::write_junit(report, out);
    dir.write("hostile.xml", out.str());
    std::string hostile =
        "cd " + q(dir.path().string()) +
        " && python3 -c \"import xml.etree.ElementTree as E; r = E.parse('hostile.xml')"
        ".getroot(); c = next(r.iter('testcase')); print(c.get('name')); "
        "print(repr(c.find('failure').get('message')))\" > h.txt";
    REQUIRE(std::system(hostile.c_str()) == 0);
    CHECK(read_file(dir.path() / "h.txt") ==
          "a&b<c>\"d\"\xEF\xBF\xBD.py\n'3:5: 100% slow,\\r\\n::error file=evil.py::injected & "
          "<b>\"quoted\"</b>\xEF\xBF\xBD'\n");
  }
}

TEST_CASE("formats: json-lines is one finding object per line") {
  TempDir dir;
  write_sample(dir);
  auto result = run_in(dir, ". --format json-lines");
  auto lines = lines_of(result.out);
  REQUIRE(lines.size() == 3);
  Json full = parse_json(run_in(dir, ". --format json"));
  for (std::size_t i = 0; i < lines.size(); ++i)
    CHECK(Json::parse(lines[i]) == full["findings"][i]);
}

TEST_CASE("formats: grouped text") {
  TempDir dir;
  write_sample(dir);
  auto result = run_in(dir, ". --format grouped");
  CHECK(result.exit_code == 1);
  auto lines = lines_of(result.out);
  REQUIRE(lines.size() == 8);
  CHECK(lines[0] == "app/views.py:");
  CHECK(lines[1].starts_with("      3:5    PS401 [low] "));
  CHECK(lines[2].empty());
  CHECK(lines[3] == "jobs.py:");
  CHECK(lines[4].starts_with("      3:18   PS101 [medium] "));
  CHECK(lines[5].starts_with("      4:22   PS101 [high] "));
  CHECK(lines[7] == "Found 3 findings in 2 files (2 files scanned).");
}
