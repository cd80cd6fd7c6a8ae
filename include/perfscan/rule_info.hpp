// A rule's metadata: what every part may know about a rule without its code (reports, the
// cache key, configuration).
#pragma once

#include <string_view>

#include "perfscan/finding.hpp"

namespace perfscan {

struct RuleInfo {
  std::string_view id;       // "PS401"
  std::string_view name;     // "string-concat-in-loop"
  Category category = Category::loops;
  Severity severity = Severity::low;  // base severity; a rule may raise or lower it per finding
  std::string_view summary;  // one line, for --list-rules
};

}  // namespace perfscan
