// PS305 blocking-fs-metadata-in-async. Documentation: PS305.md beside this file.
// The matching is shared by every PS3xx rule (blocking_call_rule.cpp, knowledge table in
// blocking_calls.cpp); this rule keeps the `BlockingKind::fs_metadata` entries.
#include "blocking_io/blocking_call_rule.hpp"

namespace perfscan {

std::unique_ptr<Rule> make_ps305_blocking_fs_metadata_in_async() {
  return std::make_unique<BlockingCallRule>(
      RuleInfo{"PS305", "blocking-fs-metadata-in-async", Category::blocking_io, Severity::medium,
               "Blocking filesystem metadata call inside an async function"},
      BlockingKind::fs_metadata);
}

}  // namespace perfscan
