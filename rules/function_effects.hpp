// The per-function summary every effect-recording rule writes into (FunctionEffectFact): one
// entry per function, made on first use, so the database collector, PS309's blocking summary
// and the constant-work summary of PS701/PS702 describe the same function in one fact.
#pragma once

#include "perfscan/context.hpp"
#include "perfscan/facts.hpp"

namespace perfscan {

// The summary of `function` in this file's facts, created with its async flag and whether a
// cache decorator makes repeated calls free. `created` (when given) says whether this call made it.
FunctionEffectFact& function_effect_fact(Context& ctx, const ExecutionFrame& function, bool* created = nullptr);

// `@cache`, `@lru_cache(...)`, `@cached_property`, `@memoize`...: repeated calls reuse the first
// result, so an effect inside runs once, not once per call.
bool has_cache_decorator(const Context& ctx, Node function);

}  // namespace perfscan
