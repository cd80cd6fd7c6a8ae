// PS303 blocking-subprocess-in-async. Documentation: PS303.md beside this file.
// The matching is shared by every PS3xx rule (blocking_call_rule.cpp, knowledge table in
// blocking_calls.cpp); this rule keeps the `BlockingKind::subprocess` entries.
#include "blocking_io/blocking_call_rule.hpp"

namespace perfscan {

std::unique_ptr<Rule> make_ps303_blocking_subprocess_in_async() {
  return std::make_unique<BlockingCallRule>(
      RuleInfo{"PS303", "blocking-subprocess-in-async", Category::blocking_io, Severity::high,
               "Synchronous subprocess call inside an async function"},
      BlockingKind::subprocess);
}

}  // namespace perfscan
