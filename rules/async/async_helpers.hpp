// Small questions the PS5xx rules share about async code.
#pragma once

#include <initializer_list>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"

namespace perfscan {

// `asyncio.sleep(...)`, `anyio.sleep(...)`, `trio.sleep(...)` (and their `_until` forms).
bool is_async_sleep_call(const Context& ctx, Node call);

// The call an `await` waits on (`await (f(x))` -> `f(x)`), or null when it awaits something
// else (a task, a future, a name).
Node awaited_call(Node await_node);

// A cheap first test before resolving a callee: can `function` (a call's function node) name
// something whose last segment is one of `names`? An attribute must end in one of them; a
// bare name must be one of them or an import (it may be an alias: `from asyncio import run as
// go`). Anything else cannot, and is not worth a callee lookup.
bool may_be_named(const Context& ctx, Node function, std::initializer_list<std::string_view> names);

// `async for` / an `async for` comprehension clause: the loop awaits its iterator.
bool is_async_loop(Node for_node);

// The name of the function the walk stands in (`fetch` for `pkg.mod.Client.fetch`); empty at
// module or class level.
std::string_view enclosing_function_name(const Context& ctx);

// True inside `with self.assertRaises(...)` / `assertRaisesRegex` / `pytest.raises(...)`: the
// code there is expected to fail, so what it would have done (start a loop, spawn a task)
// does not happen.
bool expects_exception(const Context& ctx);

// The statements and expressions of `body` that run in the same frame as `body` itself: nested
// def, lambda and class bodies are skipped. Visited in source order, explicit stack, at most
// `max_nodes` nodes.
std::vector<Node> nodes_in_same_frame(Node body, std::size_t max_nodes = 20000);

}  // namespace perfscan
