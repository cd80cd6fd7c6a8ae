// Rule selection: `--select` / `--ignore` selectors (ids, id prefixes, categories, names, ALL)
// resolved against the registry. Shared by the engine and by configuration, which checks the
// selectors it reads before any scan starts.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "perfscan/errors.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

bool selector_matches(std::string_view selector, const RuleInfo& info) {
  if (selector == "ALL") return true;
  if (selector == info.id || selector == info.name) return true;
  if (selector == category_id(info.category)) return true;
  return selector.size() >= 2 && selector.substr(0, 2) == "PS" && info.id.starts_with(selector);
}

std::set<const Rule*> rules_matching(const std::vector<std::string>& selectors) {
  std::set<const Rule*> matched;
  for (const std::string& selector : selectors) {
    bool any = false;
    for (const auto& rule : all_rules()) {
      if (selector_matches(selector, rule->info())) {
        matched.insert(rule.get());
        any = true;
      }
    }
    if (!any) {
      throw UsageError("unknown rule selector '" + selector +
                       "' (use a rule id like PS401, a prefix like PS4, a category like "
                       "string-concat, a rule name, or ALL; see --list-rules)");
    }
  }
  return matched;
}

}  // namespace

std::vector<const Rule*> select_rules(const std::vector<std::string>& select,
                                      const std::vector<std::string>& ignore) {
  std::set<const Rule*> selected;
  if (select.empty()) {
    for (const auto& rule : all_rules()) selected.insert(rule.get());
  } else {
    selected = rules_matching(select);
  }
  for (const Rule* rule : rules_matching(ignore)) selected.erase(rule);
  std::vector<const Rule*> ordered(selected.begin(), selected.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const Rule* a, const Rule* b) { return a->info().id < b->info().id; });
  return ordered;
}

std::vector<std::string_view> rule_ids(const std::vector<const Rule*>& rules) {
  std::vector<std::string_view> ids;
  ids.reserve(rules.size());
  for (const Rule* rule : rules) ids.push_back(rule->info().id);
  return ids;
}

}  // namespace perfscan
