// PS304 blocking-file-io-in-async. Documentation: PS304.md beside this file.
// The matching is shared by every PS3xx rule (blocking_call_rule.cpp, knowledge table in
// blocking_calls.cpp); this rule keeps the `BlockingKind::file_io` entries.
#include "blocking_io/blocking_call_rule.hpp"

namespace perfscan {

std::unique_ptr<Rule> make_ps304_blocking_file_io_in_async() {
  return std::make_unique<BlockingCallRule>(
      RuleInfo{"PS304", "blocking-file-io-in-async", Category::blocking_io, Severity::high,
               "Blocking file I/O inside an async function"},
      BlockingKind::file_io);
}

}  // namespace perfscan
