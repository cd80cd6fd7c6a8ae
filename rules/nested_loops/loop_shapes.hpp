// What the nested-loops family (PS101, PS102, PS105, PS106) shares: one classification of a
// loop by the loops around it, so that each nest is reported once, by the most specific rule,
// and the loop-local questions PS103/PS104 ask about a list that persists across iterations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"

namespace perfscan::nested_loops {

enum class NestShape : std::uint8_t {
  none,             // not nested, or bounded by the source, or linear in the data
  independent,      // PS101: a cross product of two independent collections
  same_collection,  // PS102: a pairwise walk of one collection
  index_join,       // PS105: `a[i] == b[j]` over `range(len(a))` x `range(len(b))`
  linear_search,    // PS106: the inner loop looks for the outer item by equality
};

struct NestedLoop {
  NestShape shape = NestShape::none;
  // The enclosing loops that multiply this one's cost, outermost first.
  std::vector<const LoopFrame*> outer;
  // The comparison that makes the nest a join or a search (index_join, linear_search).
  Node comparison;
  // linear_search: the side of the comparison about the inner item (`y.id`) and the side
  // about the outer one (`x.id`).
  Node inner_key;
  Node outer_key;
  // For messages (filled by nest_of_shape): what this loop and the innermost outer loop walk.
  std::string inner_name;
  std::string outer_name;
};

// Classifies a `for` statement or a comprehension's `for_in_clause` by the loops enclosing it.
// Checks in order of specificity: same collection, index join, linear search, independent.
NestedLoop classify_nested_loop(const Context& ctx, Node loop);

// The nest around `loop` when the classification gives `shape`, with its collections named.
std::optional<NestedLoop> nest_of_shape(const Context& ctx, Node loop, NestShape shape);

// The part of a loop worth underlining: `xs` of `for x in xs` without the body.
Node loop_header(Node loop);

// The collection a loop walks, for messages: `enumerate(xs)` -> "xs".
std::string collection_name(const Context& ctx, Node iterable);

// A collection whose size the program text fixes (a display, a constant, `range(3)`, a class
// hierarchy, ...), as the semantic layer answers it: loops over it run a constant number of
// times, so nesting them multiplies the cost by a constant, not by the data.
bool is_bounded(const Context& ctx, Node iterable);

// True when the semantic layer knows every collection of the nest (the outer loops and
// `inner_iterable`) to be sized by the data: query results, a file's lines, parsed input,
// collections that grow.
bool all_data_sized(const Context& ctx, const NestedLoop& nest, Node inner_iterable);

// The severity policy of the nest rules: medium for two levels, high once three or more loops
// multiply, and high as well when every collection of the nest is known to grow with the data
// (all_data_sized): then the cost is surely quadratic in the data, while a collection of
// unknown size may hold a few fields.
Severity nest_severity(const Context& ctx, const NestedLoop& nest, Node inner_iterable);

// ---- a list that lives across iterations (PS103, PS104) -----------------------------------

// The binding of `name` when it was made outside the innermost enclosing loop, so the object
// persists from one iteration to the next; null otherwise (or when not in a loop).
const Binding* persisting_binding(const Context& ctx, std::string_view name);

// True when the innermost loop body grows the list `name`: `name.append/extend/insert(...)`,
// `name += ...`.
bool grows_in_loop(const Context& ctx, std::string_view name);

// How large a list (or tuple) that persists across iterations is, for the cost of scanning it.
enum class ListSize : std::uint8_t {
  bounded,    // fixed by the program text (a display nothing grows): a constant per scan
  grows,      // the innermost loop appends to it: the scans add up to O(n²)
  unbounded,  // sized by the data, or by a collection of unknown size: O(n × m)
};
ListSize list_size(const Context& ctx, Node list);

}  // namespace perfscan::nested_loops
