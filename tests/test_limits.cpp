// What one file may cost (issue 17): a wall-clock budget (--file-timeout, `file-timeout`), a
// ceiling on tree-sitter's memory while parsing, and limits on the syntax tree's size and
// nesting. Past any of them the file is one error, on one line, naming it and the limit, and the
// scan goes on with the other files.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "engine/analyse.hpp"
#include "engine/budget.hpp"
#include "perfscan/engine.hpp"
#include "semantic/walker.hpp"
#include "syntax/parser.hpp"

namespace perfscan {
namespace {

using testing::contains;
using testing::hits;
using testing::parse_json;
using testing::q;
using testing::run_in;
using testing::TempDir;

constexpr std::string_view kConcat = "s = \"\"\nfor x in xs:\n    s += x\n";

// A list literal of `elements` ones: about one syntax node per source byte, and the densest
// work for tree-sitter (about 2 µs and 250 bytes per element).
std::string dense_list(std::size_t elements) {
  std::string text = "x = [";
  text.reserve(elements * 2 + 8);
  for (std::size_t i = 0; i < elements; ++i) text += "1,";
  return text + "]\n";
}

std::string nested_parentheses(std::size_t depth) {
  return "x = " + std::string(depth, '(') + "1" + std::string(depth, ')') + "\n";
}

FileResult analyse(const std::string& source, const AnalysisLimits& limits) {
  static const std::vector<const Rule*> rules = select_rules({"ALL"}, {});
  static const BudgetCheck budget(rules);
  static const RuleDispatch dispatch(with_budget_check(budget, rules));
  Parser parser;
  return analyse_text("limited.py", "limited", false, source, parser, dispatch, limits,
                      deadline_for(limits));
}

// The one error of a file that was skipped, and that it has nothing else.
std::string skipped_because(const FileResult& result) {
  CHECK_FALSE(result.scanned);
  CHECK(result.findings.empty());
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].path == "limited.py");
  CHECK_FALSE(result.errors[0].analysed);
  CHECK_FALSE(contains(result.errors[0].message, "\n"));
  return result.errors[0].message;
}

}  // namespace

TEST_CASE("limits: a tree with more nodes than allowed is skipped with the limit named") {
  AnalysisLimits limits;
  limits.tree.max_nodes = 1000;
  CHECK(skipped_because(analyse(dense_list(1000), limits)) ==
        "skipped: syntax tree larger than 1000 nodes");
  // Below the limit the same kind of file is analysed as usual.
  FileResult small = analyse(std::string(kConcat) + dense_list(100), limits);
  CHECK(small.scanned);
  CHECK(small.errors.empty());
  REQUIRE(small.findings.size() == 1);
  CHECK(small.findings[0].rule_id == "PS401");
}

TEST_CASE("limits: nesting deeper than allowed is skipped with the limit named") {
  AnalysisLimits limits;
  limits.tree.max_depth = 50;
  CHECK(skipped_because(analyse(nested_parentheses(60), limits)) ==
        "skipped: nested deeper than 50 levels");
  CHECK(analyse(nested_parentheses(20), limits).errors.empty());
}

TEST_CASE("limits: a parse that needs more memory than allowed is cancelled") {
  AnalysisLimits limits;
  limits.parse_memory = std::size_t{1} << 20;
  CHECK(skipped_because(analyse(dense_list(100000), limits)) ==
        "skipped: parsing it needs more than 1 MiB (generated data, not code?)");
  // The parser is reset after a cancelled parse: the next file parses from its own start.
  FileResult next = analyse(std::string(kConcat), AnalysisLimits{});
  CHECK(next.errors.empty());
  CHECK(next.findings.size() == 1);
}

TEST_CASE("limits: a parser that was stopped parses the next file from its start") {
  static const std::vector<const Rule*> rules = select_rules({"PS401"}, {});
  static const RuleDispatch dispatch(rules);
  Parser parser;
  AnalysisLimits tiny;
  tiny.parse_memory = std::size_t{1} << 20;
  FileResult stopped =
      analyse_text("big.py", "big", false, dense_list(100000), parser, dispatch, tiny);
  CHECK_FALSE(stopped.scanned);
  FileResult next =
      analyse_text("next.py", "next", false, std::string(kConcat), parser, dispatch, {});
  CHECK(next.scanned);
  REQUIRE(next.findings.size() == 1);
  CHECK(next.findings[0].span.line == 3);
}

TEST_CASE("limits: past the time budget the file is one error and the walk stops") {
  AnalysisLimits limits;
  limits.timeout_seconds = 0.05;
  // Parsing this file alone takes seconds; the budget stops it in the parse or the copy.
  auto started = std::chrono::steady_clock::now();
  std::string message = skipped_because(analyse(dense_list(2000000), limits));
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK((message == "analysis stopped while parsing: over the 0.05 s budget for one file "
                    "(--file-timeout)" ||
         message == "analysis stopped while analysing: over the 0.05 s budget for one file "
                    "(--file-timeout)"));
  CHECK(seconds < 3.0);
}

TEST_CASE("limits: the budget check stops a walk that is past its deadline") {
  std::vector<const Rule*> rules = select_rules({"PS401"}, {});
  BudgetCheck budget(rules);
  std::vector<std::string_view> wanted = rules[0]->node_kinds();
  std::sort(wanted.begin(), wanted.end());
  CHECK(budget.node_kinds() == wanted);  // every kind the rules want, once, sorted
  RuleDispatch dispatch(with_budget_check(budget, rules));
  Parser parser;
  // A deadline already past: parsing gets a microsecond, so this source must parse whole in
  // it for the walk to be reached, which is not certain; either stage may report it.
  AnalysisLimits limits;
  limits.timeout_seconds = 1;
  Deadline past = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  FileResult result = analyse_text("late.py", "late", false, std::string(kConcat), parser,
                                   dispatch, limits, past);
  CHECK_FALSE(result.scanned);
  REQUIRE(result.errors.size() == 1);
  CHECK(contains(result.errors[0].message, "over the 1 s budget for one file"));
  {
    ScopedDeadline guard(past);
    CHECK_THROWS_AS(check_deadline(), BudgetExceeded);
  }
  CHECK_NOTHROW(check_deadline());  // the guard restored "no deadline"
}

// ---------------------------------------------------------------------------------------------
// End to end

TEST_CASE("limits: --file-timeout names the slow file and the scan goes on") {
  TempDir dir;
  dir.write("good.py", kConcat);
  dir.write("slow.py", dense_list(4000000));
  auto started = std::chrono::steady_clock::now();
  auto result = run_in(dir, "good.py slow.py --file-timeout 0.2 --no-cache --format json");
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS401 good.py:3:5"});
  CHECK(report["summary"]["files_scanned"] == 1);
  REQUIRE(report["errors"].size() == 1);
  CHECK(report["errors"][0]["path"] == "slow.py");
  CHECK(contains(report["errors"][0]["message"].get<std::string>(),
                 "over the 0.2 s budget for one file (--file-timeout)"));
  // Stopped near its budget, not after the seconds the whole file would take.
  CHECK(seconds < 20.0);
  // stderr has the same error on one line, naming the file.
  CHECK(contains(result.err, "perfscan: slow.py: analysis stopped while "));

  SECTION("the text report lists it under errors") {
    auto text = run_in(dir, "good.py slow.py --file-timeout 0.2 --no-cache");
    CHECK(contains(text.out, "errors:\n  slow.py: analysis stopped while "));
  }
  SECTION("a file stopped by the budget is not cached: the next run tries it again") {
    auto first = run_in(dir, "slow.py --file-timeout 0.2");
    auto second = parse_json(run_in(dir, "slow.py --file-timeout 0.2 --format json"));
    CHECK(first.exit_code == 2);
    CHECK(second["stats"]["cache"]["hits"] == 0);
    CHECK(second["errors"].size() == 1);
  }
}

TEST_CASE("limits: file-timeout from the configuration, and the command line wins") {
  TempDir dir;
  dir.write("slow.py", dense_list(4000000));
  dir.write(".perfscan.toml", "file-timeout = 0.2\n");
  auto from_config = parse_json(run_in(dir, "slow.py --no-cache --format json"));
  REQUIRE(from_config["errors"].size() == 1);
  CHECK(contains(from_config["errors"][0]["message"].get<std::string>(), "over the 0.2 s budget"));
  auto from_cli = parse_json(run_in(dir, "slow.py --no-cache --file-timeout 0.3 --format json"));
  REQUIRE(from_cli["errors"].size() == 1);
  CHECK(contains(from_cli["errors"][0]["message"].get<std::string>(), "over the 0.3 s budget"));
}

TEST_CASE("limits: a bad file-timeout or --file-timeout is a usage error naming it") {
  TempDir dir;
  dir.write("good.py", kConcat);
  dir.write("wrong-type.toml", "file-timeout = \"ten\"\n");
  dir.write("negative.toml", "\n\nfile-timeout = -1\n");
  auto wrong = run_in(dir, "good.py --config wrong-type.toml");
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err ==
        "perfscan: wrong-type.toml:1: key 'file-timeout' must be a number of seconds, not a "
        "string\n");
  auto negative = run_in(dir, "good.py --config negative.toml");
  CHECK(negative.exit_code == 2);
  CHECK(negative.err ==
        "perfscan: negative.toml:3: key 'file-timeout' must be from 0 to 86400 seconds, not -1\n");
  auto cli = run_in(dir, "good.py --file-timeout -1");
  CHECK(cli.exit_code == 2);
  CHECK(contains(cli.err, "--file-timeout"));
  auto zero = run_in(dir, "good.py --file-timeout 0 --format json");
  CHECK(zero.exit_code == 1);
  CHECK(parse_json(zero)["errors"].empty());
}

TEST_CASE("limits: nesting past the limit is one error naming the file, the rest is scanned") {
  TempDir dir;
  dir.write("good.py", kConcat);
  dir.write("deep.py", nested_parentheses(110000));
  auto result = run_in(dir, "good.py deep.py --no-cache --file-timeout 0 --format json");
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS401 good.py:3:5"});
  REQUIRE(report["errors"].size() == 1);
  CHECK(report["errors"][0]["path"] == "deep.py");
  CHECK(report["errors"][0]["message"] == "skipped: nested deeper than 100000 levels");
}

}  // namespace perfscan
