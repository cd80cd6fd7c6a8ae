// End-to-end tests of `--stats`: a block on stderr with time per stage, volume, findings per
// rule and peak memory, whatever the report format, and the report itself untouched.
#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "cli_support.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

// PS401 at 3:5.
constexpr std::string_view kConcat = "s = \"\"\nfor x in xs:\n    s += x\n";
// PS101 at 2:14.
constexpr std::string_view kNested = "for a in xs:\n    for b in ys:\n        pass\n";

// The report minus its timing, which differs from run to run.
Json without_timing(Json report) {
  report.erase("stats");
  return report;
}

// Checks the block's layout line by line; returns the rows of "findings by rule".
std::vector<std::string> check_stats_block(const std::string& err, std::string_view files_line) {
  INFO("stderr: " << err);
  const std::vector<std::string> rows = lines_of(err);
  REQUIRE(rows.size() >= 14);
  CHECK(rows[0] == "perfscan stats");
  CHECK(std::regex_match(rows[1], std::regex(R"(  stage +wall s +cpu s)")));
  const std::vector<std::string> stages = {"discover", "read", "parse",  "analyse",
                                           "link",     "report", "process"};
  for (std::size_t i = 0; i < stages.size(); ++i) {
    INFO(rows[2 + i]);
    CHECK(std::regex_match(rows[2 + i],
                           std::regex("  " + stages[i] + R"( +\d+\.\d{3} +\d+\.\d{3})")));
  }
  CHECK(std::regex_match(
      rows[9], std::regex(R"(  read, parse and analyse are summed over 2 workers: \d+\.\d{3} s elapsed)")));
  CHECK(rows[10] == files_line);
  // The result cache is on by default (tests/test_cli_cache.cpp checks the counts).
  CHECK(std::regex_match(rows[11],
                         std::regex(R"(  cache hits \d+  misses \d+  write failures 0)")));
  std::smatch memory;
  REQUIRE(std::regex_match(rows[12], memory, std::regex(R"(  peak memory (\d+\.\d) MB \(ru_maxrss\))")));
  CHECK(std::stod(memory[1].str()) > 0.0);
  CHECK(rows[13] == "  findings by rule");
  return {rows.begin() + 14, rows.end()};
}

}  // namespace

TEST_CASE("cli: --stats prints a block on stderr and leaves the JSON report alone") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("b.py", kNested);
  auto plain = run_in(dir, "a.py b.py --format json -j 2");
  auto with_stats = run_in(dir, "a.py b.py --format json -j 2 --stats");
  CHECK(plain.exit_code == 1);
  CHECK(with_stats.exit_code == plain.exit_code);
  CHECK(plain.err.empty());
  CHECK(without_timing(parse_json(with_stats)) == without_timing(parse_json(plain)));

  std::string files_line = "  files 2  bytes " + std::to_string(kConcat.size() + kNested.size()) +
                           "  lines 6  findings 2";
  CHECK(check_stats_block(with_stats.err, files_line) ==
        std::vector<std::string>{"    PS101 1", "    PS401 1"});
}

TEST_CASE("cli: --stats goes to stderr with the text report, and counts what is reported") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("clean.py", "x = 1\n");
  auto result = run_in(dir, "a.py clean.py --stats -j 2 --color never");
  CHECK(result.exit_code == 1);
  CHECK_FALSE(contains(result.out, "perfscan stats"));
  CHECK(contains(result.out, "PS401"));
  std::string files_line =
      "  files 2  bytes " + std::to_string(kConcat.size() + 6) + "  lines 4  findings 1";
  CHECK(check_stats_block(result.err, files_line) == std::vector<std::string>{"    PS401 1"});

  // Findings the command line hides are not counted: the block describes the report.
  auto ignored = run_in(dir, "a.py clean.py --stats -j 2 --ignore PS401");
  CHECK(ignored.exit_code == 0);
  CHECK(check_stats_block(ignored.err, "  files 2  bytes " + std::to_string(kConcat.size() + 6) +
                                           "  lines 4  findings 0")
            .empty());
}
