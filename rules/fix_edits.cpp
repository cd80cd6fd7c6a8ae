#include "fix_edits.hpp"

#include <algorithm>

#include "memory/call_shapes.hpp"
#include "syntax/source.hpp"

namespace perfscan::fixes {
namespace {

// 1-based line and character column of a byte offset, as Finding spans count them.
void position_of(std::string_view source, std::uint32_t offset, std::uint32_t& line,
                 std::uint32_t& column) {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(source.size()));
  std::string_view before = source.substr(0, offset);
  line = 1 + static_cast<std::uint32_t>(std::count(before.begin(), before.end(), '\n'));
  std::size_t newline = before.rfind('\n');
  auto line_start =
      static_cast<std::uint32_t>(newline == std::string_view::npos ? 0 : newline + 1);
  column = char_column(source, line_start, offset - line_start);
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

}  // namespace

Edit edit(const Context& ctx, std::uint32_t start, std::uint32_t end, std::string content) {
  Edit result;
  result.start = start;
  result.end = end;
  result.content = std::move(content);
  position_of(ctx.source(), start, result.span.line, result.span.column);
  position_of(ctx.source(), end, result.span.end_line, result.span.end_column);
  return result;
}

Edit replace(const Context& ctx, Node node, std::string content) {
  return edit(ctx, node.start_byte(), node.end_byte(), std::move(content));
}

std::optional<Edit> delete_lines(const Context& ctx, Node statement) {
  std::string_view source = ctx.source();
  std::uint32_t start = statement.start_byte();
  std::uint32_t end = statement.end_byte();
  // Only indentation may precede the statement on its first line...
  while (start > 0 && is_blank(source[start - 1])) --start;
  if (start > 0 && source[start - 1] != '\n') return std::nullopt;
  // ...and only blanks follow it on its last one, up to the line break, which goes too.
  while (end < source.size() && is_blank(source[end])) ++end;
  if (end < source.size() && source[end] == '\r') ++end;
  if (end < source.size() && source[end] == '\n') {
    ++end;
  } else if (end < source.size()) {
    return std::nullopt;
  }
  return edit(ctx, start, end, "");
}

Fix make(FixSafety safety, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.start < b.start; });
  return Fix{safety, std::move(edits)};
}

bool contains_kind(Node node, std::string_view kind) {
  constexpr int kMaxNodes = 20000;
  std::vector<Node> pending{node};
  for (int visited = 0; !pending.empty(); ++visited) {
    if (visited > kMaxNodes) return true;  // too large to tell: assume the worst
    Node current = pending.back();
    pending.pop_back();
    if (current.is(kind)) return true;
    shapes::push_named_children(current, pending);
  }
  return false;
}

bool contains_comment(Node node) { return contains_kind(node, "comment"); }

bool is_builtin(const Context& ctx, std::string_view name) { return ctx.lookup(name) == nullptr; }

std::string as_primary(const Context& ctx, Node expr) {
  std::string text(ctx.text(expr));
  for (std::string_view atom : {"identifier", "attribute", "call", "subscript", "list", "tuple",
                                "dictionary", "set", "parenthesized_expression", "string",
                                "list_comprehension", "set_comprehension",
                                "dictionary_comprehension", "generator_expression"}) {
    if (expr.is(atom)) return text;
  }
  return "(" + text + ")";
}

std::string as_or_test(const Context& ctx, Node expr) {
  std::string text(ctx.text(expr));
  for (std::string_view loose : {"conditional_expression", "lambda", "named_expression",
                                 "expression_list", "list_splat", "yield"}) {
    if (expr.is(loose)) return "(" + text + ")";
  }
  return text;
}

}  // namespace perfscan::fixes
