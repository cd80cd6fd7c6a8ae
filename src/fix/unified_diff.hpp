// `diff -u` output for a file `--fix-diff` would rewrite.
#pragma once

#include <string>
#include <string_view>

namespace perfscan {

// The unified diff from `before` to `after` (headers `--- a/PATH` and `+++ b/PATH`, hunks with
// three lines of context), "" when they are equal. Lines keep their own line breaks.
std::string unified_diff(std::string_view path, std::string_view before, std::string_view after);

}  // namespace perfscan
