// Small readers for the literal shapes ORM declarations use: keyword arguments, string
// literals, lists of strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"

namespace perfscan {

// The value of `name=` in a call's arguments, or null.
Node keyword_value(const Context& ctx, Node call, std::string_view name);
// The text of a plain string literal without prefix and quotes; nullopt-like empty when the
// node is not one (f-strings and concatenations included).
bool string_literal(const Context& ctx, Node node, std::string& out);
// `["a", "-b"]`, `("a", "b")` -> {"a", "-b"}; non-strings are skipped.
std::vector<std::string> string_items(const Context& ctx, Node sequence);
bool is_true(const Context& ctx, Node node);

}  // namespace perfscan
