// PS301 blocking-http-in-async. Documentation: PS301.md beside this file.
// The matching is shared by every PS3xx rule (blocking_call_rule.cpp, knowledge table in
// blocking_calls.cpp); this rule keeps the `BlockingKind::http` entries.
#include "blocking_io/blocking_call_rule.hpp"

namespace perfscan {

std::unique_ptr<Rule> make_ps301_blocking_http_in_async() {
  return std::make_unique<BlockingCallRule>(
      RuleInfo{"PS301", "blocking-http-in-async", Category::blocking_io, Severity::high,
               "Blocking HTTP request inside an async function"},
      BlockingKind::http);
}

}  // namespace perfscan
