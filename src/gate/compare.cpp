// `--compare`: changes since an earlier JSON report.
#include "gate/compare.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "perfscan/errors.hpp"

namespace perfscan {
namespace {

using Json = nlohmann::json;
using Key = std::tuple<std::string, std::string, std::string>;  // path, rule, fingerprint

std::string string_field(const Json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// Past this an earlier report is not one perfscan wrote for a review.
constexpr std::uintmax_t kMaxPreviousBytes = std::uintmax_t{512} << 20;

}  // namespace

void compare_with_text(Report& report, std::string_view text, const std::string& name) {
  Json previous = Json::parse(text.begin(), text.end(), nullptr, false);
  if (previous.is_discarded() || !previous.is_object() || !previous.contains("findings") ||
      !previous["findings"].is_array()) {
    throw UsageError(fmt::format("--compare {}: not a perfscan JSON report (--format json)", name));
  }
  Comparison comparison;
  comparison.source = name;
  std::multimap<Key, PreviousFinding> before;
  for (const Json& finding : previous["findings"]) {
    if (!finding.is_object()) continue;
    PreviousFinding entry;
    entry.rule = string_field(finding, "rule");
    entry.path = string_field(finding, "path");
    entry.message = string_field(finding, "message");
    if (auto line = finding.find("line"); line != finding.end() && line->is_number_unsigned()) {
      entry.line = static_cast<std::uint32_t>(std::min<std::uint64_t>(line->get<std::uint64_t>(), UINT32_MAX));
    }
    if (auto severity = parse_severity(string_field(finding, "severity"))) {
      entry.severity = *severity;
      comparison.before_severity.at(static_cast<std::size_t>(*severity)) += 1;
    }
    if (auto category = parse_category(string_field(finding, "category"))) {
      entry.category = *category;
      comparison.before_category.at(static_cast<std::size_t>(*category)) += 1;
    }
    before.emplace(Key{entry.path, entry.rule, string_field(finding, "fingerprint")},
                   std::move(entry));
  }
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& finding = report.findings[i];
    comparison.after_severity.at(static_cast<std::size_t>(finding.severity)) += 1;
    comparison.after_category.at(static_cast<std::size_t>(finding.category)) += 1;
    auto found = before.find(Key{finding.path, finding.rule_id, finding.fingerprint});
    if (found == before.end()) {
      comparison.added.push_back(i);
    } else {
      before.erase(found);
      comparison.remaining += 1;
    }
  }
  for (auto& [key, entry] : before) comparison.fixed.push_back(std::move(entry));
  report.comparison = std::move(comparison);
}

void compare_with(Report& report, const std::filesystem::path& previous) {
  const std::string name = previous.string();
  std::error_code error;
  std::uintmax_t size = std::filesystem::file_size(previous, error);
  if (error || std::filesystem::is_directory(previous, error)) {
    throw UsageError(fmt::format("--compare {}: cannot read the previous report", name));
  }
  if (size > kMaxPreviousBytes) {
    throw UsageError(fmt::format("--compare {}: too large for a perfscan report", name));
  }
  std::ifstream in(previous, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw UsageError(fmt::format("--compare {}: cannot read the previous report", name));
  compare_with_text(report, text.str(), name);
}

}  // namespace perfscan
