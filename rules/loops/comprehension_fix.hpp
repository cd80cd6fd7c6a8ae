// The fix PS804, PS805 and PS806 share: `out = []` (or `{}`) right before a loop that fills it
// becomes `out = <one expression>`, and the loop goes.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "perfscan/context.hpp"

namespace perfscan::loops {

// Edits that replace the empty display bound to `out` by the statement just before `loop`
// (same block, nothing between them, comments included) with `value`, and delete the loop's
// lines. nullopt when the shape is anything else: an earlier binding, a comment in the loop
// (it would be lost), code sharing the loop's lines, a walrus or a scope-sensitive call
// (`super()`, `locals()`, `eval`...) in `pieces`, which a comprehension's own scope would
// change.
//
// Safe when nothing can observe `out` half-filled, which the loop shows and the one expression
// does not: `out` is a local of a function, not declared global or nonlocal, and no `try`
// around the loop can catch an exception raised half-way and read it. At module level, where
// any called function can read `out`, safe only when `pieces` call nothing. Otherwise unsafe.
std::optional<Fix> replace_filling_loop(const Context& ctx, Node loop, std::string_view out,
                                        const std::string& value,
                                        std::initializer_list<Node> pieces);

// `[element for target in iterable if condition]` or with `{` `}`, spelled so that it parses
// whatever the pieces are (a conditional expression as the iterable is parenthesised).
std::string comprehension_text(const Context& ctx, Node loop, std::string_view element,
                               Node condition, char open, char close);

}  // namespace perfscan::loops
