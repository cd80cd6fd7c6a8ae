// The rule registry: builds every rule listed in rules.def once, and serves their docs.
#include <algorithm>
#include <memory>
#include <vector>

#include "perfscan/rule.hpp"

namespace perfscan {

#define PERFSCAN_RULE(factory) std::unique_ptr<Rule> factory();
#include "rules.def"
#undef PERFSCAN_RULE

namespace generated {
extern const std::pair<std::string_view, std::string_view> kRuleDocs[];
extern const std::size_t kRuleDocCount;
}  // namespace generated

const std::vector<std::unique_ptr<Rule>>& all_rules() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> built;
#define PERFSCAN_RULE(factory) built.push_back(factory());
#include "rules.def"
#undef PERFSCAN_RULE
    std::sort(built.begin(), built.end(),
              [](const auto& a, const auto& b) { return a->info().id < b->info().id; });
    return built;
  }();
  return rules;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& rule : all_rules()) {
    if (rule->info().id == id) return rule.get();
  }
  return nullptr;
}

std::string_view rule_doc(std::string_view id) {
  for (std::size_t i = 0; i < generated::kRuleDocCount; ++i) {
    if (generated::kRuleDocs[i].first == id) return generated::kRuleDocs[i].second;
  }
  return {};
}

}  // namespace perfscan
