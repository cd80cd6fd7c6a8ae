// Building fixes (finding.hpp, Fix) from the syntax tree: edits addressed in the decoded
// source's bytes, with the positions reports print. Rules decide what to rewrite; these
// helpers only know how to say it as edits.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"

namespace perfscan::fixes {

// Replace bytes [start, end) of the file's source with `content`.
Edit edit(const Context& ctx, std::uint32_t start, std::uint32_t end, std::string content);
// Replace the text of `node` with `content`.
Edit replace(const Context& ctx, Node node, std::string content);
// Delete `statement` with its whole lines (indentation and line break included), when nothing
// else shares those lines; nullopt otherwise (`x = 1; for ...`, a comment after the statement),
// where deleting only the node would leave a blank or dangling line behind.
std::optional<Edit> delete_lines(const Context& ctx, Node statement);

// A fix of the edits, sorted by position. Edits must not overlap (the rule builds them so).
Fix make(FixSafety safety, std::vector<Edit> edits);

// The subtree holds a comment: a rewrite that rebuilds it from its parts would drop the comment.
bool contains_comment(Node node);
// The subtree holds a node of this kind.
bool contains_kind(Node node, std::string_view kind);

// `name` means the builtin here: no binding in scope shadows it (`list`, `next`, `iter`).
bool is_builtin(const Context& ctx, std::string_view name);

// The expression's text, safe to put where Python's grammar wants a primary (before `[0]`,
// `.attr`) : parenthesised unless it already is an atom, a call, an attribute or a subscript.
std::string as_primary(const Context& ctx, Node expr);
// The expression's text, safe as a comprehension's iterable or condition (an `or_test`):
// parenthesised when it is a conditional expression, a lambda, a walrus, a bare tuple or a
// starred item.
std::string as_or_test(const Context& ctx, Node expr);

}  // namespace perfscan::fixes
