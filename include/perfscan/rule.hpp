// The rule plugin interface. A rule declares its metadata and the node kinds it wants to see;
// the walker calls `check` for every such node, with the semantic context positioned on it.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/finding.hpp"
#include "perfscan/rule_info.hpp"
#include "perfscan/node.hpp"

namespace perfscan {

class Context;

class Rule {
 public:
  // `traits` is for rules made outside the registry (tests); the registry replaces it with
  // the rule's row of the rule table.
  explicit Rule(RuleInfo info, RuleTraits traits = {}) : info_(info), traits_(traits) {}
  virtual ~Rule() = default;
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;

  [[nodiscard]] const RuleInfo& info() const { return info_; }
  // Tier, measured precision and cost-model traits: the rule's row of rules/traits.def.
  [[nodiscard]] const RuleTraits& traits() const { return traits_; }
  // Node kinds (grammar type names) this rule wants to be called for.
  [[nodiscard]] virtual std::vector<std::string_view> node_kinds() const = 0;
  // Called on entering a subscribed node. Rules are shared by all worker threads: `check`
  // must not mutate the rule; per-file state belongs in the context.
  virtual void check(Node node, Context& ctx) const = 0;

 private:
  // The registry attaches each built-in rule's row of the rule table once, before any scan.
  friend const std::vector<std::unique_ptr<Rule>>& all_rules();
  RuleInfo info_;
  RuleTraits traits_;
};

// A row of the rule table (rules/traits.def): a rule's tier, measured precision and
// cost-model traits. The registry attaches each row to its rule.
struct RuleTableRow {
  std::string_view id;
  RuleTraits traits;
};
// Every row, in file order (tests check: one per rule, sorted by id).
std::span<const RuleTableRow> rule_table();
// The row of `id`, or null: a rule without a row keeps RuleTraits' defaults (extended, not
// measured).
const RuleTableRow* rule_table_row(std::string_view id);

// Every rule built into perfscan, sorted by id, traits attached. Built once, immutable
// afterwards.
const std::vector<std::unique_ptr<Rule>>& all_rules();
const Rule* find_rule(std::string_view id);
// The rules a scan runs, sorted by id. Selectors are ids ("PS401"), id prefixes ("PS4"),
// categories ("string-concat"), rule names ("string-concat-in-loop") or "ALL", and tiers
// (rule_info.hpp) decide what the broad ones take:
// - `select` empty: every rule of the default tier;
// - in `select`, "ALL" takes every rule, an id or a name takes that rule whatever its tier, a
//   prefix or a category takes its default-tier rules;
// - every selector of `extend_select` takes its rules of both tiers (`extend-select = ["ALL"]`
//   turns the extended tier on), added to what `select` took;
// - `ignore` removes the rules its selectors match, of both tiers.
// Throws UsageError naming a selector that matches no rule at all.
std::vector<const Rule*> select_rules(const std::vector<std::string>& select,
                                      const std::vector<std::string>& ignore,
                                      const std::vector<std::string>& extend_select = {});
// The same over `candidates` instead of the registry (tests: rules of chosen tiers).
std::vector<const Rule*> select_rules_from(const std::vector<const Rule*>& candidates,
                                           const std::vector<std::string>& select,
                                           const std::vector<std::string>& ignore,
                                           const std::vector<std::string>& extend_select);
// Every rule the selectors match, whatever its tier, sorted by id: what an ignore list or a
// per-file-ignores entry stands for. Throws UsageError for a selector that matches nothing.
std::vector<const Rule*> rules_matching(const std::vector<std::string>& selectors);
// The ids of `rules`, in the same order.
std::vector<std::string_view> rule_ids(const std::vector<const Rule*>& rules);
// The rule's markdown documentation, embedded from rules/<category>/PSxxx.md.
std::string_view rule_doc(std::string_view id);
// Where that documentation sits in the source tree ("rules/loops/PS801.md"), and so in the
// repository and under the installed docs; empty for an unknown id.
std::string_view rule_doc_path(std::string_view id);

}  // namespace perfscan
