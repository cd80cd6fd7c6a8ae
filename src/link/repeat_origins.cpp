// ProjectIndex::repeated_by: which functions run many times in one process, and why. The seeds
// are what a framework calls once per request or event (the handlers each file recorded) and
// what a loop calls once per item (the loop call-site collector's records, read from the fact
// store); a breadth-first walk along call edges gives each function the origin of the first
// seed that reaches it, and the caller it came through, so a rule can print the chain.
// Production seeds are walked before the seeds in test code, so a helper that both a view and a
// test loop call owes its finding to the view. (Handlers count as production wherever they are:
// a view defined in a test module is rare, and its findings are in that test module anyway.)
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "link/index_tables.hpp"
#include "perfscan/project.hpp"

namespace perfscan {

void ProjectIndex::resolve_repeats() const {
  Tables& t = *tables_;
  struct Seed {
    NameId function = kNoName;
    RepeatOrigin origin;
  };
  std::vector<Seed> production;
  std::vector<Seed> tests;
  for (const Tables::EntryPoint& handler : t.entry_points) {
    RepeatOrigin origin;
    origin.event = handler.event;
    origin.seed = t.text(handler.function);
    production.push_back({handler.function, std::move(origin)});
  }
  facts_.for_each_pending(kLoopCallSite, [&](const FileFacts& file, const PendingFinding& pending) {
    RepeatOrigin origin;
    origin.from_loop = true;
    origin.seed = pending.finding.scope;
    origin.path = file.path;
    origin.line = pending.finding.span.line;
    origin.in_test_code = pending.finding.in_test_code;
    origin.lowered_on = pending.finding.lowered_on;
    NameId callee = t.find(defining_function(resolve_type_expression(pending.subject)));
    (origin.in_test_code ? tests : production).push_back({callee, std::move(origin)});
  });
  // A function passes the repetition on to what it calls unless it is cached (its first
  // definition says).
  auto relays = [&](NameId function) {
    return t.is_function(function) && !t.definitions[t.definition_of[function]].cached;
  };
  // The function each callee name resolves to, worked out once per distinct name reached.
  constexpr NameId kUnresolved = kNoName - 1;
  std::vector<NameId> defining(t.names.size(), kUnresolved);
  auto defining_of = [&](NameId callee) {
    if (defining[callee] == kUnresolved)
      defining[callee] = t.find(defining_function(t.text(callee)));
    return defining[callee];
  };
  for (std::vector<Seed>* seeds : {&production, &tests}) {
    std::deque<NameId> queue;
    for (Seed& seed : *seeds) {
      if (!relays(seed.function)) continue;
      auto index = static_cast<std::uint32_t>(t.repeat_seeds.size());
      if (t.repeats.try_emplace(seed.function, Tables::Reached{index, kNoName}).second) {
        t.repeat_seeds.push_back(std::move(seed.origin));
        queue.push_back(seed.function);
      }
    }
    while (!queue.empty()) {
      NameId caller = queue.front();
      queue.pop_front();
      Tables::Reached inherited{t.repeats.at(caller).seed, caller};
      for (NameId callee : t.callees(t.definitions[t.definition_of[caller]])) {
        NameId target = defining_of(callee);
        if (target == caller || !relays(target)) continue;
        if (t.repeats.try_emplace(target, inherited).second) queue.push_back(target);
      }
    }
  }
}

std::optional<RepeatOrigin> ProjectIndex::repeated_by(std::string_view function) const {
  const Tables& t = *tables_;
  std::call_once(tables_->repeats_once, [this] { resolve_repeats(); });
  auto it = t.repeats.find(t.find(function));
  if (it == t.repeats.end()) it = t.repeats.find(t.find(defining_function(function)));
  if (it == t.repeats.end()) return std::nullopt;
  RepeatOrigin origin = t.repeat_seeds[it->second.seed];
  origin.next = t.text(it->second.next);
  return origin;
}

}  // namespace perfscan
