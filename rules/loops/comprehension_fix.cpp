#include "loops/comprehension_fix.hpp"

#include <fmt/format.h>

#include "async/async_helpers.hpp"
#include "fix_edits.hpp"

namespace perfscan::loops {
namespace {

// A comprehension runs in its own scope: these see a different one there (`super()` with no
// arguments fails before Python 3.12, `locals()` returns the comprehension's).
bool sensitive_to_scope(const Context& ctx, Node piece) {
  if (!piece) return false;
  std::vector<Node> pending{piece};
  constexpr int kMaxNodes = 20000;
  for (int visited = 0; !pending.empty(); ++visited) {
    if (visited > kMaxNodes) return true;
    Node node = pending.back();
    pending.pop_back();
    if (node.is("named_expression")) return true;
    if (node.is("identifier")) {
      std::string_view name = ctx.text(node);
      for (std::string_view scoped : {"super", "locals", "vars", "eval", "exec", "dir"}) {
        if (name == scoped) return true;
      }
    }
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
      pending.push_back(node.named_child(i));
    }
  }
  return false;
}

// `out = []`, `out: list[int] = {}`: the value node of that one assignment, else null.
Node empty_value_bound_by(const Context& ctx, Node statement, std::string_view out) {
  if (!statement || !statement.is("expression_statement") || statement.named_child_count() != 1) {
    return {};
  }
  Node assignment = statement.named_child(0);
  if (!assignment.is("assignment")) return {};
  Node left = assignment.field("left");
  Node right = assignment.field("right");
  if (!left || !left.is("identifier") || ctx.text(left) != out || !right) return {};
  std::string_view text = ctx.text(right);
  bool empty = text == "[]" || text == "{}" || text == "list()" || text == "dict()";
  return empty ? right : Node{};
}

}  // namespace

std::optional<Fix> replace_filling_loop(const Context& ctx, Node loop, std::string_view out,
                                        const std::string& value,
                                        std::initializer_list<Node> pieces) {
  if (fixes::contains_comment(loop)) return std::nullopt;
  for (Node piece : pieces) {
    if (sensitive_to_scope(ctx, piece)) return std::nullopt;
  }
  Node empty = empty_value_bound_by(ctx, loop.prev_named_sibling(), out);
  if (!empty) return std::nullopt;
  std::optional<Edit> removal = fixes::delete_lines(ctx, loop);
  if (!removal) return std::nullopt;
  bool safe = ctx.function() != nullptr && !ctx.declared_outer(out) && ctx.try_statements().empty();
  if (ctx.function() == nullptr && ctx.try_statements().empty()) {
    safe = true;
    for (Node piece : pieces) {
      if (piece && fixes::contains_kind(piece, "call")) safe = false;
    }
  }
  return fixes::make(safe ? FixSafety::safe : FixSafety::unsafe,
                     {fixes::replace(ctx, empty, value), std::move(*removal)});
}

std::string comprehension_text(const Context& ctx, Node loop, std::string_view element,
                               Node condition, char open, char close) {
  std::string clause =
      condition ? fmt::format(" if {}", fixes::as_or_test(ctx, condition)) : std::string{};
  return fmt::format("{}{} {}for {} in {}{}{}", open, element, is_async_loop(loop) ? "async " : "",
                     ctx.text(loop.field("left")), fixes::as_or_test(ctx, loop.field("right")),
                     clause, close);
}

}  // namespace perfscan::loops
