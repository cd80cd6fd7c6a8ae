// Small syntactic questions several rules ask. Anything about names and values belongs to the
// semantic Context instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"

namespace perfscan {

// True when an iterable has a size fixed by the source: a literal display, a string literal,
// `range()` of integer literals, a tuple or UPPER_CASE constant bound to a display, or a
// wrapper such as enumerate()/sorted()/zip() over one of these.
bool is_constant_bounded(const Context& ctx, Node iterable);

// What an iterable walks, without wrappers that keep its size: `enumerate(xs)`, `sorted(xs)`,
// `d.items()`, `range(len(xs))` -> `xs`, `d`, `xs`.
Node underlying_collection(const Context& ctx, Node iterable);

// Every identifier mentioned in an expression (attribute names excluded), in source order.
std::vector<std::string_view> identifiers_in(const Context& ctx, Node expr);

// The expression's text on one line, shortened for messages.
std::string short_text(const Context& ctx, Node expr, std::size_t max_chars = 40);

// `f(x)` -> the first positional argument node, or null.
Node first_argument(Node call);

// True when the statement holding `node` is followed, in its block or an enclosing block
// within the innermost loop, by `break`, `return` or `raise`, or is itself part of a `return`
// or `raise`: it runs once, not per iteration.
bool leaves_loop_after(const Context& ctx, Node node);

// True when every loop enclosing the current node (in its frame) is a `for` over an iterable
// whose size the program text bounds (Context::collection_size): the loops run a constant
// number of times.
bool only_in_constant_loops(const Context& ctx);

}  // namespace perfscan
