// The rule plugin interface. A rule declares its metadata and the node kinds it wants to see;
// the walker calls `check` for every such node, with the semantic context positioned on it.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "perfscan/finding.hpp"
#include "perfscan/node.hpp"

namespace perfscan {

class Context;

struct RuleInfo {
  std::string_view id;       // "PS401"
  std::string_view name;     // "string-concat-in-loop"
  Category category = Category::loops;
  Severity severity = Severity::low;  // base severity; a rule may raise or lower it per finding
  std::string_view summary;  // one line, for --list-rules
};

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
// The rule's markdown documentation, embedded from rules/<category>/PSxxx.md.
std::string_view rule_doc(std::string_view id);

}  // namespace perfscan
