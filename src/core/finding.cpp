#include "perfscan/finding.hpp"

#include "perfscan/facts.hpp"

#include <algorithm>

namespace perfscan {
namespace {

struct CategoryInfo {
  std::string_view id;
  std::string_view display_name;
};

// Indexed by Category; the order is the rule-id digit order of the contract.
constexpr std::array<CategoryInfo, kAllCategories.size()> kCategoryInfo = {{
    {"nested-loops", "Nested Loop Issues"},
    {"n-plus-one", "N+1 Query Problems"},
    {"blocking-io", "Blocking I/O"},
    {"string-concat", "String Concatenation"},
    {"async", "Async Optimization"},
    {"memory", "Memory Usage Issues"},
    {"caching", "Caching Opportunities"},
    {"loops", "Loop Efficiency"},
    {"database", "Database Design"},
    {"syntax", "Syntax Errors"},
}};

constexpr std::array<std::string_view, kAllSeverities.size()> kSeverityNames = {
    "critical", "high", "medium", "low"};

}  // namespace

std::string_view severity_name(Severity severity) {
  return kSeverityNames.at(static_cast<std::size_t>(severity));
}

std::string_view fix_safety_name(FixSafety safety) {
  return safety == FixSafety::safe ? "safe" : "unsafe";
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (Severity severity : kAllSeverities) {
    if (severity_name(severity) == text) return severity;
  }
  return std::nullopt;
}

int severity_weight(Severity severity) {
  switch (severity) {
    case Severity::critical: return 10;
    case Severity::high: return 5;
    case Severity::medium: return 2;
    case Severity::low: return 1;
  }
  return 0;
}

std::string_view category_id(Category category) {
  return kCategoryInfo.at(static_cast<std::size_t>(category)).id;
}

std::string_view category_display_name(Category category) {
  return kCategoryInfo.at(static_cast<std::size_t>(category)).display_name;
}

std::optional<Category> parse_category(std::string_view id) {
  for (Category category : kAllCategories) {
    if (category_id(category) == id) return category;
  }
  return std::nullopt;
}

bool Suppressions::suppresses(std::uint32_t line, const std::string& rule_id) const {
  auto it = by_line.find(line);
  if (it == by_line.end()) return false;
  return it->second.empty() || it->second.count(rule_id) > 0;
}

std::size_t NameList::size() const {
  if (joined_.empty()) return 0;
  return static_cast<std::size_t>(std::count(joined_.begin(), joined_.end(), '\n')) + 1;
}

bool NameList::contains(std::string_view name) const {
  return std::find(begin(), end(), name) != end();
}

void NameList::add(std::string_view name) {
  if (name.empty() || name.find('\n') != std::string_view::npos || contains(name)) return;
  if (!joined_.empty()) joined_ += '\n';
  joined_ += name;
}

}  // namespace perfscan
