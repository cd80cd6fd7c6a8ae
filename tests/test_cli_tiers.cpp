// End-to-end tests of what the rule table shows on the command line: tiers and precision in
// --list-rules and --explain, extend-select, and the one-time-path note through the cache.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cli_support.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

// PS401 at 3:5 on the module's top level: lowered from medium to low.
constexpr std::string_view kConcat = "s = \"\"\nfor x in xs:\n    s += x\n";

// Rule id -> one field (tier, effort), as --list-rules --format json says.
std::map<std::string, std::string> rule_field(const TempDir& dir, const char* field) {
  std::map<std::string, std::string> by_id;
  for (const Json& rule : parse_json(run_in(dir, "--list-rules --format json"))) {
    by_id[rule["id"].get<std::string>()] = rule[field].get<std::string>();
  }
  return by_id;
}

std::map<std::string, std::string> tiers(const TempDir& dir) {
  return rule_field(dir, "tier");
}

}  // namespace

TEST_CASE("tiers: --list-rules shows each rule's tier, measured precision and effort") {
  TempDir dir;
  auto text = run_in(dir, "--list-rules");
  CHECK(text.exit_code == 0);
  auto lines = lines_of(text.out);
  REQUIRE(lines.size() > 40);
  CHECK(lines[0].starts_with("ID     NAME "));
  CHECK(contains(lines[0], " SEVERITY  TIER      PRECISION     EFFORT          SUMMARY"));
  auto by_id = tiers(dir);
  auto effort = rule_field(dir, "effort");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::string id = lines[i].substr(0, 5);
    INFO(lines[i]);
    REQUIRE(by_id.contains(id));
    CHECK(lines[i].substr(66, 10).starts_with(by_id[id]));
    // The effort column (16 wide, after the 14 of precision), padded: the text and JSON agree.
    CHECK(lines[i].substr(90, 16) == fmt::format("{:<16}", effort[id]));
  }
  Json rules = parse_json(run_in(dir, "--list-rules --format json"));
  for (const Json& rule : rules) {
    INFO(rule.dump());
    CHECK((rule["precision"].is_null() || rule["precision"]["sample"].is_number_integer()));
    CHECK((rule["in_tests"] == "applies" || rule["in_tests"] == "exempt"));
    CHECK(
        (rule["cost"] == "per-iteration" || rule["cost"] == "per-call" || rule["cost"] == "fixed"));
  }
}

TEST_CASE("tiers: --explain appends the tier, precision and cost traits from the rule table") {
  TempDir dir;
  auto by_id = tiers(dir);
  auto ps302 = run_in(dir, "--explain PS302");
  CHECK(ps302.exit_code == 0);
  CHECK(contains(ps302.out, "\n## Tier and precision\n\n- **Tier:** " + by_id["PS302"]));
  CHECK(contains(ps302.out, "- **Measured precision:** "));
  CHECK(contains(ps302.out,
                 "the `relaxed` test profile (the default) hides its findings in test code"));
  CHECK(contains(ps302.out,
                 "its cost is paid per call; inside a `for` loop on a path that runs once"));
  // By name too, and the doc itself comes first.
  auto by_name = run_in(dir, "--explain string-concat-in-loop");
  CHECK(by_name.out.starts_with("# PS401"));
  CHECK(contains(by_name.out,
                 "its cost is paid per iteration, so a finding on a path that runs once"));
  auto cache = run_in(dir, "--explain lru-cache-on-method");
  CHECK(contains(cache.out, "- **Test code:** its cost model holds in tests too"));
}

TEST_CASE(
    "tiers: extend-select adds to the default run, from the command line or the configuration") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("b.py", "for a in xs:\n    for b in ys:\n        pass\n");
  auto only_concat =
      parse_json(run_in(dir, ". --format json --no-cache --select PS401 --extend-select PS101"));
  CHECK(hits(only_concat) == std::vector<std::string>{"PS401 a.py:3:5", "PS101 b.py:2:14"});
  // With no --select, extend-select no longer disappears: it adds to the default tier.
  auto extended = run_in(dir, ". --format json --no-cache --extend-select ALL");
  CHECK(extended.exit_code == 1);
  CHECK(parse_json(extended)["findings"].size() == 2);
  dir.write(".perfscan.toml", "extend-select = [\"ALL\"]\n");
  auto markdown = run_in(dir, ". --no-cache --format markdown", {}, Tiers::as_given);
  CHECK(contains(markdown.out, "| extend-select | `ALL` |"));
  dir.write(".perfscan.toml", "extend-select = [\"PS9999\"]\n");
  auto unknown = run_in(dir, ". --no-cache", {}, Tiers::as_given);
  CHECK(unknown.exit_code == 2);
  CHECK(contains(unknown.err, "names no rule: 'PS9999'"));
}

TEST_CASE("one-time paths: a lowered finding keeps its severity and note through the cache",
          "[cache]") {
  TempDir dir;
  dir.write("a.py", kConcat);
  Json cold = parse_json(run_in(dir, "a.py --select PS401 --format json"));
  Json warm = parse_json(run_in(dir, "a.py --select PS401 --format json"));
  CHECK(warm["stats"]["cache"]["hits"] == 1);
  REQUIRE(cold["findings"].size() == 1);
  CHECK(cold["findings"] == warm["findings"]);
  CHECK(warm["findings"][0]["severity"] == "low");
  CHECK(warm["findings"][0]["message"].get<std::string>().ends_with(
      "(lowered one step: runs once, at module top level)"));
}
