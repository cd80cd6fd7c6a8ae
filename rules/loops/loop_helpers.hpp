// Questions the PS8xx loop rules share: the statements of a loop body, where a name is
// rebound or possibly mutated, and whether a list or dict was created empty just before a loop.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"

namespace perfscan::loops {

// The statements of a block (a loop or if body), comments left out.
std::vector<Node> statements_of(Node block);

// The single statement of a block, or null when it has none or several.
Node only_statement(Node block);

// One place where an expression (a name, or an attribute chain such as `self.items`) occurs.
struct Occurrence {
  Node node;
  Node parent;
  Node grandparent;
  Node great_grandparent;
  // Inside an assignment target, `del`, a `for` target, `with ... as`, a walrus name, an
  // import or a global/nonlocal declaration (an index inside a target, `out[k] = v`'s `k`,
  // is a read).
  bool in_store = false;
};

struct Occurrences {
  std::vector<Occurrence> items;
  bool complete = true;  // false when the region was too large to search: assume the worst
};

// Every occurrence of `expr_text` in `region` (attribute names and keyword names excluded).
Occurrences occurrences_of(const Context& ctx, Node region, std::string_view expr_text);

// True when `region` may rebind or mutate what `expr_text` names: it is assigned, deleted,
// a method that is not known to be read-only is called on it, an item or attribute of it is
// assigned, or it is passed to a function other than a known read-only builtin. `skip` (may
// be null) is a subtree left out of the search.
bool may_change(const Context& ctx, Node region, std::string_view expr_text, Node skip = {});

// True when `region` assigns, deletes or otherwise rebinds `expr_text` (outside `skip`).
bool is_rebound(const Context& ctx, Node region, std::string_view expr_text, Node skip = {});

// True when `expr_text` occurs anywhere in `region`.
bool mentions(const Context& ctx, Node region, std::string_view expr_text);

// True when code after `statement` in the same function (or module) reads `name`, other than
// inside a later `for` that binds it again: a loop variable read after the loop would no
// longer exist if the loop became a comprehension.
bool mentioned_after(const Context& ctx, Node statement, std::string_view name);

// The names a `for` target binds (`x`, `k, v`, `(i, (a, b))`); empty when it binds
// something other than plain names (attributes, subscripts, starred).
std::vector<std::string_view> target_names(const Context& ctx, Node target);

enum class EmptyKind { list, dict };

// True when `name = []` / `name = list()` (or `{}` / `dict()` for EmptyKind::dict), possibly
// annotated, with comments allowed inside, is the last binding of `name` before `loop` and
// nothing between them mentions it: earlier in the loop's block, or in an enclosing block
// reached through `if`/`elif`/`else` branches and `with` bodies (whose conditions and items
// must not mention it either), never across another loop, a `try`, a def or a class. The loop
// is then the only thing filling it.
bool bound_empty_before(const Context& ctx, Node loop, std::string_view name, EmptyKind kind);

// A comprehension-shaped loop (see comprehension_shaped_body) whose one statement is
// `out.append(element)` on a plain name `out`.
struct AppendLoop {
  Node statement;  // the `out.append(...)` expression statement
  Node condition;  // the lone `if`'s test, or null
  Node receiver;   // `out`
  Node element;
};
std::optional<AppendLoop> append_loop(const Context& ctx, Node loop);

// The one statement a `for` (or `async for`) loop runs per item, looking through a lone `if`
// without elif or else (whose test goes to `condition`): the shape a comprehension can
// express. Null when the loop has an else clause or its body is anything else.
Node comprehension_shaped_body(Node loop, Node& condition);

// The loop walks a collection sized by the data (query results, a file's lines, split or
// parsed text, a collection the code grows: ctx.collection_size), or is an `async for`, whose
// items arrive from I/O. Rules whose cost is a constant per item fire only there.
bool loop_over_data(const Context& ctx, Node loop);

// Every loop enclosing the current node (in its frame) walks a collection the program text
// fixes (ctx.collection_size is bounded): the code runs a fixed, small number of times.
bool runs_fixed_number_of_times(const Context& ctx);

// True when the expression makes a call somewhere (lambdas aside), or is too large to tell.
bool contains_call(Node expr);

// Whether a comprehension-shaped loop filling `out` can be rewritten as one: its target binds
// plain names that are not read after the loop (a comprehension's variables do not leak), and
// neither the iterable nor `pieces` (element, key, condition; null ones ignored) read `out`
// itself (`if x not in out: out.append(x)` depends on what was added so far), `yield` or `await`,
// and the loop is not in a class body.
bool can_become_comprehension(const Context& ctx, Node loop, std::string_view out,
                              std::initializer_list<Node> pieces);

}  // namespace perfscan::loops
