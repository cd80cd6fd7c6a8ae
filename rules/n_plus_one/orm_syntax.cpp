#include "orm_syntax.hpp"

#include "perfscan/node_kinds.hpp"

namespace perfscan {

Node keyword_value(const Context& ctx, Node call, std::string_view name) {
  Node arguments = call.field("arguments");
  if (!arguments) return {};
  for (uint32_t i = 0, n = arguments.named_child_count(); i < n; ++i) {
    Node argument = arguments.named_child(i);
    if (kinds::keyword_argument.matches(argument) && ctx.text(argument.field("name")) == name) {
      return argument.field("value");
    }
  }
  return {};
}

bool string_literal(const Context& ctx, Node node, std::string& out) {
  if (!node || !node.is("string")) return false;
  std::string_view text = ctx.text(node);
  for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
    if (node.named_child(i).is("interpolation")) return false;
  }
  std::size_t start = text.find_first_of("\"'");
  if (start == std::string_view::npos) return false;
  char quote = text[start];
  std::size_t quotes = text.compare(start, 3, std::string(3, quote)) == 0 ? 3 : 1;
  if (text.size() < start + 2 * quotes) return false;
  out = std::string(text.substr(start + quotes, text.size() - start - 2 * quotes));
  return true;
}

std::vector<std::string> string_items(const Context& ctx, Node sequence) {
  std::vector<std::string> items;
  if (!sequence) return items;
  if (kinds::parenthesized_expression.matches(sequence)) sequence = sequence.named_child(0);
  std::string single;
  if (string_literal(ctx, sequence, single)) return {single};
  if (!sequence.is("list") && !sequence.is("tuple")) return items;
  for (uint32_t i = 0, n = sequence.named_child_count(); i < n; ++i) {
    std::string item;
    if (string_literal(ctx, sequence.named_child(i), item)) items.push_back(std::move(item));
  }
  return items;
}

bool is_true(const Context& ctx, Node node) { return node && ctx.text(node) == "True"; }

}  // namespace perfscan
