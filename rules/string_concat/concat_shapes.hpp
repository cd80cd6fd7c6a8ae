// What the string-concat family (PS401, PS402, PS403) shares: recognising a statement that
// extends a text accumulator from one loop iteration to the next.
#pragma once

#include <string_view>

#include "perfscan/context.hpp"

namespace perfscan::string_concat {

struct Accumulation {
  ValueKind kind = ValueKind::unknown;  // str or bytes when the statement accumulates text
  Node target;                          // `s`, `self.buf`
};

// `s += x`, `s = s + x`, `s = x + s` (also on attributes, `self.buf += x`) inside a loop, where
// the accumulator outlives one iteration of the innermost loop and holds str or bytes: known
// from its binding (`s = ""`) or, when that says nothing, from what is added (`+= f"..."`).
// `kind` stays unknown for anything else (numbers, lists, values we cannot see).
Accumulation text_accumulation(const Context& ctx, Node statement);

// `name = name + x + ...` or `name = x + name` (prepending copies just the same).
bool concatenates_onto(const Context& ctx, Node value, std::string_view name);

}  // namespace perfscan::string_concat
