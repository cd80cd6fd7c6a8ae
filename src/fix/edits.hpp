// Choosing and applying fixes on one file's text: pure functions, no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "perfscan/finding.hpp"

namespace perfscan {

// The fixes of `findings` that apply together, in source order: a fix whose edits overlap (or
// insert at the same point as) an edit already chosen waits for the next pass, when it is
// computed again on the rewritten text. Unsafe fixes only when `unsafe`. Pointers into
// `findings`.
std::vector<const Finding*> non_overlapping_fixes(const std::vector<const Finding*>& findings,
                                                  bool unsafe);

// `text` with every edit of `fixes` applied. Edits are applied from the end of the text to its
// start, so the offsets of those not yet applied stay right. Edits out of range are skipped.
// A bare LF an edit inserts is written as `line_break` ("\r\n" in a CRLF file): only the
// inserted text follows the file's style, the rest keeps its bytes.
std::string apply_fixes(std::string_view text, const std::vector<const Finding*>& fixes,
                        std::string_view line_break = "\n");

// The fix applies under this run's settings.
bool fix_applies(const Finding& finding, bool unsafe);

}  // namespace perfscan
