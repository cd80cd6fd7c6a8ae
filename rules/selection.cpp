// Rule selection: `--select` / `--extend-select` / `--ignore` selectors (ids, id prefixes,
// categories, names, ALL) resolved against the registry and the rules' tiers. Shared by the
// engine and by configuration, which checks the selectors it reads before any scan starts.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "perfscan/errors.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

// A selector that names one rule: picking it is asking for that rule, whatever its tier.
bool names_rule(std::string_view selector, const RuleInfo& info) {
  return selector == info.id || selector == info.name;
}

bool selector_matches(std::string_view selector, const Rule& rule) {
  const RuleInfo& info = rule.info();
  if (selector == "ALL" || names_rule(selector, info)) return true;
  if (selector == category_id(info.category)) return true;
  return selector.size() >= 2 && selector.substr(0, 2) == "PS" && info.id.starts_with(selector);
}

// Every selector in `select` (a rule, a prefix, a category, ALL) takes the rules it matches in
// both tiers: choosing rules is asking for them. The tiers decide only the run that chooses
// nothing. (Taking only a group's default-tier rules, as before the blind reads, made `--select
// string-concat` select nothing once those rules measured below 90%.)
bool select_takes(std::string_view selector, const Rule& rule) { return selector_matches(selector, rule); }

[[noreturn]] void unknown_selector(const std::string& selector) {
  throw UsageError("unknown rule selector '" + selector +
                   "' (use a rule id like PS401, a prefix like PS4, a category like "
                   "string-concat, a rule name, or ALL; see --list-rules)");
}

// Rules the selectors match (`takes` decides per rule); every selector must match some rule
// of `candidates`, of any tier, or it is a typo.
template <typename Takes>
std::set<const Rule*> matching(const std::vector<const Rule*>& candidates,
                               const std::vector<std::string>& selectors, Takes takes) {
  std::set<const Rule*> matched;
  for (const std::string& selector : selectors) {
    bool known = false;
    for (const Rule* rule : candidates) {
      known = known || selector_matches(selector, *rule);
      if (takes(selector, *rule)) matched.insert(rule);
    }
    if (!known) unknown_selector(selector);
  }
  return matched;
}

std::vector<const Rule*> registered() {
  std::vector<const Rule*> rules;
  rules.reserve(all_rules().size());
  for (const auto& rule : all_rules()) rules.push_back(rule.get());
  return rules;
}

std::vector<const Rule*> sorted_by_id(const std::set<const Rule*>& rules) {
  std::vector<const Rule*> ordered(rules.begin(), rules.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const Rule* a, const Rule* b) { return a->info().id < b->info().id; });
  return ordered;
}

}  // namespace

std::vector<const Rule*> select_rules_from(const std::vector<const Rule*>& candidates,
                                           const std::vector<std::string>& select,
                                           const std::vector<std::string>& ignore,
                                           const std::vector<std::string>& extend_select) {
  std::set<const Rule*> selected;
  if (select.empty()) {
    for (const Rule* rule : candidates) {
      if (rule->traits().tier == Tier::standard) selected.insert(rule);
    }
  } else {
    selected = matching(candidates, select, select_takes);
  }
  for (const Rule* rule : matching(candidates, extend_select, selector_matches))
    selected.insert(rule);
  for (const Rule* rule : matching(candidates, ignore, selector_matches)) selected.erase(rule);
  return sorted_by_id(selected);
}

std::vector<const Rule*> select_rules(const std::vector<std::string>& select,
                                      const std::vector<std::string>& ignore,
                                      const std::vector<std::string>& extend_select) {
  return select_rules_from(registered(), select, ignore, extend_select);
}

std::vector<const Rule*> rules_matching(const std::vector<std::string>& selectors) {
  return sorted_by_id(matching(registered(), selectors, selector_matches));
}

std::vector<std::string_view> rule_ids(const std::vector<const Rule*>& rules) {
  std::vector<std::string_view> ids;
  ids.reserve(rules.size());
  for (const Rule* rule : rules) ids.push_back(rule->info().id);
  return ids;
}

}  // namespace perfscan
