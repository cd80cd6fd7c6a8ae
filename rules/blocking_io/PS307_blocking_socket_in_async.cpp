// PS307 blocking-socket-in-async. Documentation: PS307.md beside this file.
// The matching is shared by every PS3xx rule (blocking_call_rule.cpp, knowledge table in
// blocking_calls.cpp); this rule keeps the `BlockingKind::socket` entries.
#include "blocking_io/blocking_call_rule.hpp"

namespace perfscan {

std::unique_ptr<Rule> make_ps307_blocking_socket_in_async() {
  return std::make_unique<BlockingCallRule>(
      RuleInfo{"PS307", "blocking-socket-in-async", Category::blocking_io, Severity::high,
               "Blocking socket or DNS call inside an async function"},
      BlockingKind::socket);
}

}  // namespace perfscan
