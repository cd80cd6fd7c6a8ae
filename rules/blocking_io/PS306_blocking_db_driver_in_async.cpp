// PS306 blocking-db-driver-in-async. Documentation: PS306.md beside this file.
// The matching is shared by every PS3xx rule (blocking_call_rule.cpp, knowledge table in
// blocking_calls.cpp); this rule keeps the `BlockingKind::db_driver` entries.
#include "blocking_io/blocking_call_rule.hpp"

namespace perfscan {

std::unique_ptr<Rule> make_ps306_blocking_db_driver_in_async() {
  return std::make_unique<BlockingCallRule>(
      RuleInfo{"PS306", "blocking-db-driver-in-async", Category::blocking_io, Severity::high,
               "Sync database or cache driver (or Django ORM) used inside an async function"},
      BlockingKind::db_driver);
}

}  // namespace perfscan
