// Questions the pandas and numpy rules share (PS607, PS608, PS810-PS813): what a loop body does
// with the rows it walks, and whether an assignment in a loop rebuilds an accumulator from
// itself. The types (is this a DataFrame? an ndarray?) come from the semantic layer: the
// library tables in src/semantic/library_types.cpp, asked through Context::infer and
// Context::callee_name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"

namespace perfscan::data {

// What the body of a loop over rows does with them (`names`: the loop's target names).
struct RowWork {
  bool computes = false;     // arithmetic, a comparison or a condition over a row's values
  bool writes_back = false;  // `df.at[i, c] = ...` / `df.loc[...] = ...` / `.iat` / `.iloc`
  bool leaves = false;       // `break`, `return` or `yield`: a search or a stream, not a map
  bool suspends = false;     // `await`: the rows wait on I/O, not on the interpreter
};
RowWork row_work(const Context& ctx, Node body, const std::vector<std::string_view>& names);

// `x` when `node` is `df.loc[...]`, `df.at[...]`, `df.iloc[...]` or `df.iat[...]` on a
// DataFrame or Series (as the semantic layer types `df`); null otherwise. `accessor` gets
// the accessor's name.
Node scalar_accessor_frame(const Context& ctx, Node subscript, std::string_view* accessor = nullptr);

// The statement `acc = f(..., acc, ...)` rebuilds `acc` from itself through `call` (the right
// side), inside a loop that may run many times: the name and the call's argument holding the
// old value. `in_list` asks for the old value inside a list or tuple display (`pd.concat([acc,
// part])`, `np.vstack((acc, row))`); otherwise it is the first argument (`np.append(acc, x)`)
// or the receiver (`acc.append(part)`). False when the loop body binds `acc` anywhere else:
// it then starts afresh every iteration.
bool rebuilds_from_itself(const Context& ctx, Node assignment, bool in_list, bool receiver = false);

}  // namespace perfscan::data
