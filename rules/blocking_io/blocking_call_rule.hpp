// The engine shared by the eight PS3xx rules: decides whether a call made directly by an
// async function blocks the event loop, and reports it. Each rule is a BlockingCallRule that
// keeps only its own BlockingKind, so a user can select HTTP, sleep, file I/O ... separately.
#pragma once

#include <optional>
#include <string>

#include "blocking_io/blocking_calls.hpp"
#include "perfscan/context.hpp"
#include "perfscan/project.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {

struct BlockingMatch {
  BlockingCall entry;
  std::string callee;       // as the user's code names it: "requests.Session.get"
  std::string alternative;  // overrides entry.alternative when not empty (Django)
};

// The blocking call `call` makes when it runs, if the knowledge table (or the Django ORM
// pattern) knows it and the conditions hold. Does not look at where the call is.
std::optional<BlockingMatch> match_blocking_call(const Context& ctx, Node call);

// Checks calls in the walk, and at link time the calls whose receiver only the project's types
// name (`s = make_session()` imported from another module, `self.session` assigned in a base
// class elsewhere), recorded by the async call-site collector.
class BlockingCallRule : public Rule, public ProjectRule {
 public:
  BlockingCallRule(RuleInfo info, BlockingKind kind) : Rule(info), kind_(kind) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override;
  void check(Node node, Context& ctx) const override;
  void link(const ProjectIndex& index, std::vector<Finding>& findings) const override;

 private:
  void report(Context& ctx, Node node, const BlockingMatch& match) const;
  [[nodiscard]] std::string message(std::string_view callee, const BlockingCall& entry, std::string_view function,
                                    bool in_loop) const;

  BlockingKind kind_;
};

}  // namespace perfscan
