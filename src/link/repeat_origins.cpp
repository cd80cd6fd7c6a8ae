// ProjectIndex::repeated_by: which functions run many times in one process, and why. The seeds
// are what a framework calls once per request or event (the handlers each file recorded) and
// what a loop calls once per item (the loop call-site collector's records); a breadth-first
// walk along call edges gives each function the origin of the first seed that reaches it, and
// the caller it came through, so a rule can print the chain. Production seeds are walked before
// the seeds in test code, so a helper that both a view and a test loop call owes its finding to
// the view. (Handlers count as production wherever they are: a view defined in a test module
// is rare, and its findings are in that test module anyway.)
#include <deque>
#include <string>
#include <vector>

#include "perfscan/project.hpp"

namespace perfscan {

void ProjectIndex::resolve_repeats() const {
  struct Seed {
    std::string function;
    RepeatOrigin origin;
  };
  std::vector<Seed> production;
  std::vector<Seed> tests;
  for (const FileFacts* file : files_) {
    for (std::string_view handler : file->database.request_handlers) {
      RepeatOrigin origin;
      origin.seed = std::string(handler);
      production.push_back({std::string(handler), origin});
    }
    for (std::string_view handler : file->database.event_handlers) {
      RepeatOrigin origin;
      origin.event = true;
      origin.seed = std::string(handler);
      production.push_back({std::string(handler), origin});
    }
  }
  for (const FileFacts* file : files_) {
    for (const PendingFinding& pending : file->database.pending) {
      if (pending.finding.rule_id != kLoopCallSite) continue;
      RepeatOrigin origin;
      origin.from_loop = true;
      origin.seed = pending.finding.scope;
      origin.path = file->path;
      origin.line = pending.finding.span.line;
      origin.in_test_code = pending.finding.in_test_code;
      origin.lowered_on = pending.finding.lowered_on;
      std::string callee = defining_function(resolve_type_expression(pending.subject));
      (origin.in_test_code ? tests : production).push_back({std::move(callee), std::move(origin)});
    }
  }
  auto relays = [&](std::string_view function) -> const FunctionEffectFact* {
    auto found = functions_.find(function);
    return found == functions_.end() || found->second->cached ? nullptr : found->second;
  };
  for (std::vector<Seed>* seeds : {&production, &tests}) {
    std::deque<std::string_view> queue;
    for (Seed& seed : *seeds) {
      const FunctionEffectFact* fact = relays(seed.function);
      if (fact == nullptr) continue;
      if (repeats_.try_emplace(fact->function, std::move(seed.origin)).second) queue.push_back(fact->function);
    }
    while (!queue.empty()) {
      std::string_view caller = queue.front();
      queue.pop_front();
      const FunctionEffectFact* fact = functions_.at(caller);
      RepeatOrigin inherited = repeats_.at(std::string(caller));
      inherited.next = std::string(caller);
      for (std::string_view callee : fact->callees) {
        const FunctionEffectFact* target = relays(defining_function(callee));
        if (target == nullptr || target == fact) continue;
        if (repeats_.try_emplace(target->function, inherited).second) queue.push_back(target->function);
      }
    }
  }
}

const RepeatOrigin* ProjectIndex::repeated_by(std::string_view function) const {
  std::call_once(repeats_once_, [this] { resolve_repeats(); });
  auto it = repeats_.find(std::string(function));
  if (it == repeats_.end()) it = repeats_.find(defining_function(function));
  return it == repeats_.end() ? nullptr : &it->second;
}

}  // namespace perfscan
