// Syntactic shapes of calls that the memory (PS6xx) and caching (PS7xx) rules share. Names are
// still resolved through the Context; these helpers only look at the tree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"

namespace perfscan::shapes {

// Arguments of a call, keyword and splat arguments included (0 for `f()`); a bare generator
// argument `f(x for x in y)` counts as one.
std::size_t argument_count(Node call);

// The call's single argument when it has exactly one and it is positional, else null.
Node sole_positional_argument(Node call);

// `receiver.method(...)` with `method` spelled as given: the receiver, else null.
Node method_receiver(const Context& ctx, Node call, std::string_view method);

// The callee expression `function` (`re.compile`, `compile`) ends in the name `name`: a cheap
// test before resolving the callee.
bool names_method(const Context& ctx, Node function, std::string_view name);

// The call's result is stored where it outlives the call: an attribute (`self._re = ...`,
// `cls.PATTERN = ...`), a subscript (`_cache[key] = ...`) or a `global` / `nonlocal` name: the
// lazy-initialisation idiom, which does its work once, not once per call.
bool result_is_memoised(const Context& ctx, Node call);

// `open`, `io.open`, `codecs.open`, `gzip.open`, `bz2.open`, `lzma.open`: calls that return a
// file object to read lines from.
bool is_file_open(std::string_view callee);

// A string literal without interpolation, or an implicit concatenation of such literals.
bool is_literal_string(Node expr);

// A string fixed for the whole run: a literal, or a name bound (outside `loop`, when given) by a
// plain assignment to a literal.
bool is_constant_string(const Context& ctx, Node expr, Node loop = {});

// Every line of a file read at once: `f.readlines()`, `f.read().splitlines()`,
// `f.read().split("\n")`, `p.read_text().splitlines()`. Returns the file (or path) expression,
// else null. `readlines(hint)` reads a bounded chunk and does not count.
Node whole_file_lines_receiver(const Context& ctx, Node call);

// Mentions of the variable `name` in `root` (attribute names excluded), or -1 past a size cap.
int count_mentions(const Context& ctx, Node root, std::string_view name);

// `name` is mentioned exactly twice in `root`: once where `assignment` binds it and once as the
// iterable of a `for` or a comprehension clause, so the list it holds is only iterated once.
bool only_iterated_once(const Context& ctx, Node root, std::string_view name);

// "the loop over `rows`", or "the `while` loop": how messages name a loop.
std::string loop_description(const Context& ctx, const LoopFrame& loop);

// Appends the named children of `node` to `out`, last child first (so that popping from the back
// visits them in source order). Reads through a cursor: indexing children one by one is linear
// per index in tree-sitter, quadratic over a body of thousands of statements.
void push_named_children(Node node, std::vector<Node>& out);

// True when a length test on the path to `node` bounds `collection` by a literal:
// `if len(x) == 1: <node>`, `<node> if len(x) < 2 else ...`, `if len(x) > 1: ... else: <node>`
// (also through `and` in the taken branch). The search stops at the enclosing def or lambda.
bool guarded_by_length_literal(const Context& ctx, Node node, Node collection);

// Skips parentheses around an expression.
Node unparenthesised(Node expr);

}  // namespace perfscan::shapes
