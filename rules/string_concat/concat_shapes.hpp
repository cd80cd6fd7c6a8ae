// What the string-concat family (PS401, PS402, PS403) shares: recognising a statement that
// extends a text accumulator from one loop iteration to the next, and what that costs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "perfscan/context.hpp"

namespace perfscan::string_concat {

// What one step of the accumulation copies (measured by bench/string_accumulation.py).
enum class StepCost : std::uint8_t {
  // `s += piece` / `s = s + piece` on a plain function local that nothing else references:
  // CPython resizes the string in place, so the loop is linear there; PyPy and other
  // interpreters copy it, O(n²).
  in_place_on_cpython,
  // Everything built so far is copied on every step, on every interpreter: O(n²).
  copies_all,
};

struct Accumulation {
  ValueKind kind = ValueKind::unknown;  // str or bytes when the statement accumulates text
  Node target;                          // `s`, `self.buf`, `parts[0]`
  StepCost cost = StepCost::copies_all;
  // Why a str step copies everything (for messages): "`self.text` is an attribute", ...;
  // empty for in_place_on_cpython and for bytes.
  std::string why;
  // Some loop the accumulator outlives walks a collection known to be sized by the data.
  bool data_sized = false;
};

// `s += x`, `s = s + x`, `s = x + s`, `s = f"{s}{x}"` (also on attributes, `self.buf += x`, and
// container elements, `parts[0] += x`) inside a loop, where the accumulator outlives one
// iteration of the innermost loop and holds str or bytes: known from its binding (`s = ""`) or,
// when that says nothing, from what is added (`+= f"..."`). `kind` stays unknown for anything
// else (numbers, lists, values we cannot see) and for loops that run a bounded number of times.
Accumulation text_accumulation(const Context& ctx, Node statement);

// `name = name + x + ...` or `name = x + name` (prepending copies just the same).
bool concatenates_onto(const Context& ctx, Node value, std::string_view name);

}  // namespace perfscan::string_concat
