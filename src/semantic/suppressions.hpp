// Parsing suppression directives out of comments.
#pragma once

#include <cstdint>
#include <string_view>

#include "perfscan/facts.hpp"

namespace perfscan {

// Records one comment's directives for `line` in `out`: `# noqa`, `# noqa: PS401,PS101`,
// `# perfscan: ignore`, `# perfscan: ignore[PS401]`, `# perfscan: skip-file`.
void parse_suppression_comment(std::string_view comment, std::uint32_t line, Suppressions& out);

}  // namespace perfscan
