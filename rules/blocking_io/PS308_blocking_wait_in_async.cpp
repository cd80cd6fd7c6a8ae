// PS308 blocking-wait-in-async. Documentation: PS308.md beside this file.
// The matching is shared by every PS3xx rule (blocking_call_rule.cpp, knowledge table in
// blocking_calls.cpp); this rule keeps the `BlockingKind::wait` entries.
#include "blocking_io/blocking_call_rule.hpp"

namespace perfscan {

std::unique_ptr<Rule> make_ps308_blocking_wait_in_async() {
  return std::make_unique<BlockingCallRule>(
      RuleInfo{
          "PS308", "blocking-wait-in-async", Category::blocking_io, Severity::high,
          "Blocking wait (input, thread lock or queue, future, join) inside an async function"},
      BlockingKind::wait);
}

}  // namespace perfscan
