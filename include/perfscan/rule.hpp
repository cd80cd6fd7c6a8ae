// The rule plugin interface. A rule declares its metadata and the node kinds it wants to see;
// the walker calls `check` for every such node, with the semantic context positioned on it.
#pragma once

#include <memory>
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
  explicit Rule(RuleInfo info) : info_(info) {}
  virtual ~Rule() = default;
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;

  [[nodiscard]] const RuleInfo& info() const { return info_; }
  // Node kinds (grammar type names) this rule wants to be called for.
  [[nodiscard]] virtual std::vector<std::string_view> node_kinds() const = 0;
  // Called on entering a subscribed node. Rules are shared by all worker threads: `check`
  // must not mutate the rule; per-file state belongs in the context.
  virtual void check(Node node, Context& ctx) const = 0;

 private:
  RuleInfo info_;
};

// Every rule built into perfscan, sorted by id. Built once, immutable afterwards.
const std::vector<std::unique_ptr<Rule>>& all_rules();
const Rule* find_rule(std::string_view id);
// Resolves selectors to rules (sorted by id): ids ("PS401"), id prefixes ("PS4"), categories
// ("string-concat"), rule names or "ALL"; an empty `select` means every rule. Throws
// UsageError naming an unknown selector.
std::vector<const Rule*> select_rules(const std::vector<std::string>& select,
                                      const std::vector<std::string>& ignore);
// The ids of `rules`, in the same order.
std::vector<std::string_view> rule_ids(const std::vector<const Rule*>& rules);
// The rule's markdown documentation, embedded from rules/<category>/PSxxx.md.
std::string_view rule_doc(std::string_view id);

}  // namespace perfscan
