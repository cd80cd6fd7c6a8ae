// The rule registry: builds every rule listed in rules.def once, attaches its row of the rule
// table (traits.def), and serves their docs.
#include <algorithm>
#include <memory>
#include <vector>

#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

// The vocabulary of traits.def's rows.
constexpr Tier standard = Tier::standard;
constexpr Tier extended = Tier::extended;
constexpr Precision not_measured{};
constexpr Precision measured(std::uint16_t right, std::uint16_t wrong, std::uint16_t unclear,
                             std::string_view where) {
  return Precision{right, wrong, unclear, where};
}
constexpr InTests applies = InTests::applies;
constexpr InTests exempt = InTests::exempt;
constexpr CostScale fixed = CostScale::fixed;
constexpr CostScale per_iteration = CostScale::per_iteration;
constexpr CostScale per_call = CostScale::per_call;

constexpr RuleTableRow kRuleTable[] = {
#define PERFSCAN_TRAITS(id, tier, precision, tests, cost) \
  RuleTableRow{#id, RuleTraits{tier, precision, tests, cost}},
#include "traits.def"
#undef PERFSCAN_TRAITS
};

}  // namespace

#define PERFSCAN_RULE(factory) std::unique_ptr<Rule> factory();
#include "rules.def"
#undef PERFSCAN_RULE

namespace generated {
// Written by cmake/EmbedDocs.cmake, one row per rules/**/PS*.md.
struct RuleDoc {
  std::string_view id;
  std::string_view path;
  std::string_view text;
};
extern const RuleDoc kRuleDocs[];
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
    for (auto& rule : built) {
      const RuleTableRow* row = rule_table_row(rule->info_.id);
      rule->traits_ = row != nullptr ? row->traits : RuleTraits{};
    }
    return built;
  }();
  return rules;
}

std::span<const RuleTableRow> rule_table() { return kRuleTable; }

const RuleTableRow* rule_table_row(std::string_view id) {
  for (const RuleTableRow& row : kRuleTable) {
    if (row.id == id) return &row;
  }
  return nullptr;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& rule : all_rules()) {
    if (rule->info().id == id) return rule.get();
  }
  return nullptr;
}

namespace {

const generated::RuleDoc* find_doc(std::string_view id) {
  for (std::size_t i = 0; i < generated::kRuleDocCount; ++i) {
    if (generated::kRuleDocs[i].id == id) return &generated::kRuleDocs[i];
  }
  return nullptr;
}

}  // namespace

std::string_view rule_doc(std::string_view id) {
  const generated::RuleDoc* doc = find_doc(id);
  return doc != nullptr ? doc->text : std::string_view{};
}

std::string_view rule_doc_path(std::string_view id) {
  const generated::RuleDoc* doc = find_doc(id);
  return doc != nullptr ? doc->path : std::string_view{};
}

}  // namespace perfscan
