// Runs every rule over tests/fixtures/**/*.py and checks the findings against the file's own
// `# expect: PS101, PS401` annotations, as an exact multiset of (line, rule): a missing finding
// and an unexpected one both fail. A fixture may set the target Python version for the whole
// file with a line `# fixture: target-version 3.10`.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "engine/analyse.hpp"
#include "perfscan/engine.hpp"
#include "test_support.hpp"

namespace perfscan {
namespace {

using Expectation = std::multiset<std::pair<std::uint32_t, std::string>>;

Expectation expected_findings(const std::string& source) {
  static const std::regex kExpect(R"(#\s*expect:\s*([A-Z0-9 ,]+))");
  static const std::regex kRuleId(R"(PS\d{3})");
  Expectation expected;
  std::istringstream lines(source);
  std::string line;
  for (std::uint32_t number = 1; std::getline(lines, line); ++number) {
    std::smatch match;
    if (!std::regex_search(line, match, kExpect)) continue;
    std::string ids = match[1];
    for (std::sregex_iterator it(ids.begin(), ids.end(), kRuleId), end; it != end; ++it) {
      expected.emplace(number, it->str());
    }
  }
  return expected;
}

// The file's `# fixture: target-version 3.N` setting, if any.
RuleSettings fixture_settings(const std::string& source) {
  static const std::regex kTarget(R"(#\s*fixture:\s*target-version\s+(\S+))");
  RuleSettings settings;
  std::smatch match;
  if (std::regex_search(source, match, kTarget)) {
    settings.target_version = parse_python_version(match[1].str());
    REQUIRE(settings.target_version.has_value());
  }
  return settings;
}

std::string describe(const Expectation& items) {
  std::string out;
  for (const auto& [line, rule] : items) out += fmt::format("  line {}: {}\n", line, rule);
  return out.empty() ? "  (none)\n" : out;
}

std::vector<std::filesystem::path> fixture_files() {
  std::vector<std::filesystem::path> files;
  auto root = std::filesystem::path(PERFSCAN_SOURCE_DIR) / "tests" / "fixtures";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".py") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("fixtures: findings match the inline expectations exactly") {
  std::vector<const Rule*> rules = select_rules({}, {});
  Parser parser;
  auto files = fixture_files();
  REQUIRE(!files.empty());
  for (const auto& path : files) {
    DYNAMIC_SECTION(path.filename().string()) {
      std::string source = testing::read_file(path);
      RuleDispatch dispatch(rules, fixture_settings(source));
      FileResult result = analyse_text(path.string(), "fixture", false, source, parser, dispatch);
      Expectation actual;
      std::map<std::pair<std::uint32_t, std::string>, std::string> messages;
      for (const Finding& finding : result.findings) {
        actual.emplace(finding.span.line, finding.rule_id);
        messages[{finding.span.line, finding.rule_id}] = finding.message;
      }
      Expectation expected = expected_findings(source);
      Expectation missing;
      Expectation unexpected;
      std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                          std::inserter(missing, missing.end()));
      std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                          std::inserter(unexpected, unexpected.end()));
      std::string unexpected_detail;
      for (const auto& item : unexpected) {
        unexpected_detail += fmt::format("  line {}: {} {}\n", item.first, item.second, messages[item]);
      }
      INFO("missing (expected but not reported):\n" << describe(missing));
      INFO("unexpected (reported but not expected):\n" << unexpected_detail);
      CHECK(missing.empty());
      CHECK(unexpected.empty());
    }
  }
}

}  // namespace perfscan
