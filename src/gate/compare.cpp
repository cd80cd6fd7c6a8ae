// `--compare`: changes since an earlier JSON report.
#include "gate/compare.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "perfscan/errors.hpp"

namespace perfscan {
namespace {

using Json = nlohmann::json;

std::string string_field(const Json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// Past this an earlier report is not one perfscan wrote for a review.
constexpr std::uintmax_t kMaxPreviousBytes = std::uintmax_t{512} << 20;

// One finding of the previous report, counted in its severity and category when it names known
// ones (a report from a later perfscan may name a category this one does not know).
void add_previous(PreviousReport& previous, const Json& finding) {
  PreviousFinding entry;
  entry.rule = string_field(finding, "rule");
  entry.path = string_field(finding, "path");
  entry.message = string_field(finding, "message");
  if (auto line = finding.find("line"); line != finding.end() && line->is_number_unsigned()) {
    entry.line = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(line->get<std::uint64_t>(), UINT32_MAX));
  }
  if (auto severity = parse_severity(string_field(finding, "severity"))) {
    entry.severity = *severity;
    previous.by_severity.at(static_cast<std::size_t>(*severity)) += 1;
  }
  if (auto category = parse_category(string_field(finding, "category"))) {
    entry.category = *category;
    previous.by_category.at(static_cast<std::size_t>(*category)) += 1;
  }
  previous.findings.emplace(
      PreviousReport::Key{entry.path, entry.rule, string_field(finding, "fingerprint")},
      std::move(entry));
}

}  // namespace

PreviousReport parse_previous_report(std::string_view text, const std::string& name) {
  Json document = Json::parse(text.begin(), text.end(), nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("findings") ||
      !document["findings"].is_array()) {
    throw UsageError(fmt::format("--compare {}: not a perfscan JSON report (--format json)", name));
  }
  PreviousReport previous;
  previous.source = name;
  for (const Json& finding : document["findings"]) {
    if (finding.is_object()) add_previous(previous, finding);
  }
  return previous;
}

PreviousReport read_previous_report(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code error;
  if (std::filesystem::is_directory(file, error)) {
    throw UsageError(fmt::format("--compare {}: a directory, not a perfscan JSON report", name));
  }
  std::uintmax_t size = std::filesystem::file_size(file, error);
  if (error) {
    throw UsageError(
        fmt::format("--compare {}: cannot read the previous report: {}", name, error.message()));
  }
  if (size > kMaxPreviousBytes) {
    throw UsageError(fmt::format("--compare {}: too large for a perfscan report", name));
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw UsageError(fmt::format("--compare {}: cannot read the previous report", name));
  return parse_previous_report(text.str(), name);
}

void compare_with(Report& report, PreviousReport previous) {
  Comparison comparison;
  comparison.source = std::move(previous.source);
  comparison.before_severity = previous.by_severity;
  comparison.before_category = previous.by_category;
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& finding = report.findings[i];
    comparison.after_severity.at(static_cast<std::size_t>(finding.severity)) += 1;
    comparison.after_category.at(static_cast<std::size_t>(finding.category)) += 1;
    auto found =
        previous.findings.find(PreviousReport::Key{finding.path, finding.rule_id, finding.fingerprint});
    if (found == previous.findings.end()) {
      comparison.added.push_back(i);
    } else {
      previous.findings.erase(found);
      comparison.remaining += 1;
    }
  }
  for (auto& [key, entry] : previous.findings) comparison.fixed.push_back(std::move(entry));
  report.comparison = std::move(comparison);
}

}  // namespace perfscan
