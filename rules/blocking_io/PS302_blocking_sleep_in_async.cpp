// PS302 blocking-sleep-in-async. Documentation: PS302.md beside this file.
// The matching is shared by every PS3xx rule (blocking_call_rule.cpp, knowledge table in
// blocking_calls.cpp); this rule keeps the `BlockingKind::sleep` entries.
#include "blocking_io/blocking_call_rule.hpp"

namespace perfscan {

std::unique_ptr<Rule> make_ps302_blocking_sleep_in_async() {
  return std::make_unique<BlockingCallRule>(
      RuleInfo{"PS302", "blocking-sleep-in-async", Category::blocking_io, Severity::high,
               "time.sleep inside an async function"},
      BlockingKind::sleep);
}

}  // namespace perfscan
