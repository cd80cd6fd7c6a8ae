// Runs every rule over tests/fixtures/**/*.py and checks the findings against the file's own
// `# expect: PS101, PS401` annotations, as an exact multiset of (line, rule): a missing finding
// and an unexpected one both fail. Each file is a full scan (link step included) of its own;
// each directory under tests/fixtures/projects/ is scanned as ONE project instead, and the
// annotations of all its files are checked together, so cross-file findings can be pinned.
// A fixture file may set the target Python version of its scan with a line
// `# fixture: target-version 3.10`. An id may carry the finding's severity, `# expect:
// PS101[low]`: then the severity is checked too (one-time paths lower it, for instance).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "perfscan/engine.hpp"
#include "test_support.hpp"

namespace perfscan {
namespace {

// Project fixtures: (file, line, rule).
using ProjectExpectation = std::multiset<std::tuple<std::string, std::uint32_t, std::string>>;
// Severities pinned with `PS101[low]`: (file, line, rule) -> severity.
using SeverityExpectation =
    std::map<std::tuple<std::string, std::uint32_t, std::string>, std::string>;

// `# expect: PS101, PS401[low]` on each line: the ids, and the severities some of them pin.
template <typename Found>
void scan_expectations(const std::string& source, Found found) {
  static const std::regex kExpect(R"(#\s*expect:\s*([A-Z0-9 ,\[\]a-z]+))");
  static const std::regex kRuleId(R"((PS\d{3})(\[(critical|high|medium|low)\])?)");
  std::istringstream lines(source);
  std::string line;
  for (std::uint32_t number = 1; std::getline(lines, line); ++number) {
    std::smatch match;
    if (!std::regex_search(line, match, kExpect)) continue;
    std::string ids = match[1];
    for (std::sregex_iterator it(ids.begin(), ids.end(), kRuleId), end; it != end; ++it) {
      found(number, (*it)[1].str(), (*it)[3].str());
    }
  }
}

std::filesystem::path fixtures_root() { return std::filesystem::path(PERFSCAN_SOURCE_DIR) / "tests" / "fixtures"; }

bool in_project_fixture(const std::filesystem::path& path) {
  auto relative = std::filesystem::relative(path, fixtures_root());
  return !relative.empty() && *relative.begin() == "projects";
}

std::vector<std::filesystem::path> fixture_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(fixtures_root())) {
    if (entry.is_regular_file() && entry.path().extension() == ".py" && !in_project_fixture(entry.path())) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::filesystem::path> project_fixtures() {
  std::vector<std::filesystem::path> projects;
  auto root = fixtures_root() / "projects";
  if (!std::filesystem::is_directory(root)) return projects;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (entry.is_directory()) projects.push_back(entry.path());
  }
  std::sort(projects.begin(), projects.end());
  return projects;
}

// The file's `# fixture: target-version 3.N` setting; empty when it has none.
std::string fixture_target_version(const std::filesystem::path& file) {
  static const std::regex kTarget(R"(#\s*fixture:\s*target-version\s+(\S+))");
  std::string source = testing::read_file(file);
  std::smatch match;
  return std::regex_search(source, match, kTarget) ? match[1].str() : std::string{};
}

// Every rule of both tiers, link step included, over `path` as one project. Fixtures live
// under tests/, so every file is test code: the `full` test profile keeps their findings.
Report scan_fixture(const std::string& path, const std::string& target_version = {}) {
  ScanOptions options;
  options.paths = {path};
  options.jobs = 1;
  options.target_version = target_version;
  options.select = {"ALL"};
  options.tests = TestProfile::full;
  return scan(options);
}

// The findings of `report` as (file relative to `root`, line, rule), checked against
// `expected` exactly: missing and unexpected findings both fail; and the severities that
// `severities` pins.
void check_exactly(const ProjectExpectation& expected, const SeverityExpectation& severities,
                   const Report& report, const std::filesystem::path& root) {
  ProjectExpectation actual;
  std::map<std::tuple<std::string, std::uint32_t, std::string>, std::string> messages;
  for (const Finding& finding : report.findings) {
    std::string file = std::filesystem::relative(finding.path, root).generic_string();
    actual.emplace(file, finding.span.line, finding.rule_id);
    messages[{file, finding.span.line, finding.rule_id}] = finding.message;
    auto pinned = severities.find({file, finding.span.line, finding.rule_id});
    if (pinned != severities.end()) {
      INFO(fmt::format("{}:{}: {} {}", file, finding.span.line, finding.rule_id, finding.message));
      CHECK(std::string(severity_name(finding.severity)) == pinned->second);
    }
  }
  ProjectExpectation missing;
  ProjectExpectation unexpected;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::inserter(missing, missing.end()));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::inserter(unexpected, unexpected.end()));
  std::string missing_detail;
  for (const auto& [file, line, rule] : missing) missing_detail += fmt::format("  {}:{}: {}\n", file, line, rule);
  std::string unexpected_detail;
  for (const auto& item : unexpected) {
    unexpected_detail += fmt::format("  {}:{}: {} {}\n", std::get<0>(item), std::get<1>(item), std::get<2>(item),
                                     messages[item]);
  }
  INFO("missing (expected but not reported):\n" << (missing_detail.empty() ? "  (none)\n" : missing_detail));
  INFO("unexpected (reported but not expected):\n" << unexpected_detail);
  CHECK(missing.empty());
  CHECK(unexpected.empty());
}

void add_expectations(ProjectExpectation& expected, SeverityExpectation& severities,
                      const std::filesystem::path& file, const std::filesystem::path& root) {
  std::string name = std::filesystem::relative(file, root).generic_string();
  scan_expectations(testing::read_file(file),
                    [&](std::uint32_t line, const std::string& rule, const std::string& severity) {
                      expected.emplace(name, line, rule);
                      if (!severity.empty()) severities[{name, line, rule}] = severity;
                    });
}

}  // namespace

TEST_CASE("fixtures: findings match the inline expectations exactly") {
  auto files = fixture_files();
  REQUIRE(!files.empty());
  for (const auto& path : files) {
    DYNAMIC_SECTION(path.filename().string()) {
      ProjectExpectation expected;
      SeverityExpectation severities;
      add_expectations(expected, severities, path, path.parent_path());
      check_exactly(expected, severities, scan_fixture(path.string(), fixture_target_version(path)),
                    path.parent_path());
    }
  }
}

TEST_CASE("project fixtures: one scan per directory, expectations of all files as one set") {
  for (const auto& project : project_fixtures()) {
    DYNAMIC_SECTION(project.filename().string()) {
      ProjectExpectation expected;
      SeverityExpectation severities;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(project)) {
        if (entry.is_regular_file() && entry.path().extension() == ".py") {
          add_expectations(expected, severities, entry.path(), project);
        }
      }
      check_exactly(expected, severities, scan_fixture(project.string()), project);
    }
  }
}

}  // namespace perfscan
