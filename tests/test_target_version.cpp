// The --target-version option: parsing, validation (exit 2 on garbage) and its effect on the
// one rule that reads it (PS803 try-except-in-loop flags only targets below 3.11).
#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "cli_support.hpp"
#include "perfscan/engine.hpp"
#include "perfscan/options.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

// PS803 at 3:9 on `try` when the target is below 3.11.
constexpr std::string_view kTryInLoop =
    "def load(lines):\n"
    "    for line in lines:\n"
    "        try:\n"
    "            parse(line)\n"
    "        except ValueError:\n"
    "            raise\n";

int count_rule(const Json& report, std::string_view rule) {
  int count = 0;
  for (const Json& finding : report.at("findings")) {
    if (finding.at("rule").get<std::string>() == rule) ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("target version: 3.N parses, anything else does not") {
  using perfscan::parse_python_version;
  using perfscan::PythonVersion;
  CHECK(parse_python_version("3.10") == PythonVersion{3, 10});
  CHECK(parse_python_version("3.8") == PythonVersion{3, 8});
  CHECK(parse_python_version("3.0") == PythonVersion{3, 0});
  CHECK(*parse_python_version("3.9") < PythonVersion{3, 11});
  CHECK(*parse_python_version("3.10") < PythonVersion{3, 11});
  for (std::string_view bad : {"", "3", "3.", "3.x", "2.7", "4.0", "3.10.1", "py310", " 3.10",
                               "3.-1", "3.+1", "3.010", "3.100", "310"}) {
    INFO("value: '" << bad << "'");
    CHECK_FALSE(parse_python_version(bad).has_value());
  }
}

TEST_CASE("target version: the library rejects an invalid value with a UsageError") {
  perfscan::ScanOptions options;
  options.target_version = "three";
  CHECK_THROWS_AS(perfscan::rule_settings(options), perfscan::UsageError);
  options.target_version = "3.9";
  CHECK(perfscan::rule_settings(options).target_version == perfscan::PythonVersion{3, 9});
  options.target_version.clear();
  CHECK_FALSE(perfscan::rule_settings(options).target_version.has_value());
}

TEST_CASE("cli: --target-version with garbage exits 2 with a clear message") {
  TempDir dir;
  dir.write("a.py", kTryInLoop);
  for (std::string_view bad : {"banana", "3", "2.7", "3.10.1"}) {
    INFO("value: " << bad);
    auto result = run_in(dir, "--target-version " + q(bad) + " a.py");
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err.find("--target-version") != std::string::npos);
    CHECK(result.err.find("expected 3.N") != std::string::npos);
  }
  auto missing = run_in(dir, "a.py --target-version");
  CHECK(missing.exit_code == 2);
}

TEST_CASE("cli: PS803 runs only for --target-version below 3.11") {
  TempDir dir;
  dir.write("a.py", kTryInLoop);
  auto not_given = parse_json(run_in(dir, "--format json --select PS803 a.py"));
  CHECK(count_rule(not_given, "PS803") == 0);
  auto modern = parse_json(run_in(dir, "--format json --target-version 3.11 --select PS803 a.py"));
  CHECK(count_rule(modern, "PS803") == 0);
  auto newer = parse_json(run_in(dir, "--format json --target-version 3.13 a.py"));
  CHECK(count_rule(newer, "PS803") == 0);

  auto old = run_in(dir, "--format json --target-version 3.10 --select PS803 a.py");
  CHECK(old.exit_code == 1);
  Json report = parse_json(old);
  REQUIRE(count_rule(report, "PS803") == 1);
  const Json& finding = report.at("findings").at(0);
  CHECK(finding.at("line").get<int>() == 3);
  CHECK(finding.at("column").get<int>() == 9);
  CHECK(finding.at("message").get<std::string>().find("3.10") != std::string::npos);

  auto oldest = parse_json(run_in(dir, "--format json --target-version 3.8 a.py"));
  CHECK(count_rule(oldest, "PS803") == 1);
}
