// A FileFacts with every member the link step reads set away from its default, shared by the
// facts codec's tests and the result cache's (which stores the encoded facts).
#pragma once

#include <cstdint>
#include <string>

#include "perfscan/facts.hpp"

namespace perfscan::testing {

// A pending finding of `rule_id` at `line` about `subject`, every member set.
PendingFinding pending_for(const std::string& rule_id, std::uint32_t line, const std::string& subject);

// Every linked member set away from its default, each enum at its last value, pending findings
// of three rules interleaved.
FileFacts every_linked_fact();

}  // namespace perfscan::testing
