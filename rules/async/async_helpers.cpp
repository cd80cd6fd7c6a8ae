#include "async/async_helpers.hpp"

namespace perfscan {

bool is_async_sleep_call(const Context& ctx, Node call) {
  if (!call || !call.is("call")) return false;
  std::string name = ctx.callee_name(call);
  return name == "asyncio.sleep" || name == "anyio.sleep" || name == "trio.sleep" ||
         name == "anyio.sleep_until" || name == "trio.sleep_until";
}

Node awaited_call(Node await_node) {
  Node operand = await_node.named_child(0);
  while (operand && operand.is("parenthesized_expression")) operand = operand.named_child(0);
  return operand && operand.is("call") ? operand : Node{};
}

bool may_be_named(const Context& ctx, Node function,
                  std::initializer_list<std::string_view> names) {
  if (!function) return false;
  bool is_attribute = function.is("attribute");
  if (!is_attribute && !function.is("identifier")) return false;
  std::string_view last = is_attribute ? ctx.text(function.field("attribute")) : ctx.text(function);
  for (std::string_view name : names) {
    if (last == name) return true;
  }
  if (is_attribute) return false;
  const Binding* binding = ctx.lookup(last);
  return binding != nullptr && binding->kind == BindingKind::import;
}

bool is_async_loop(Node for_node) {
  Node first = for_node.child(0);
  return first && !first.is_named() && first.kind() == "async";
}

std::string_view enclosing_function_name(const Context& ctx) {
  const ExecutionFrame* function = ctx.function();
  if (function == nullptr) return {};
  std::string_view name = function->qualified_name;
  auto dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

bool expects_exception(const Context& ctx) {
  for (Node with_statement : ctx.with_statements()) {
    Node clause = with_statement.named_child(0);
    if (!clause || !clause.is("with_clause")) continue;
    for (uint32_t i = 0, n = clause.named_child_count(); i < n; ++i) {
      Node value = clause.named_child(i).field("value");
      if (value && value.is("as_pattern")) value = value.named_child(0);
      if (!value || !value.is("call")) continue;
      Node function = value.field("function");
      if (function.is("attribute") &&
          ctx.text(function.field("attribute")).starts_with("assertRaises")) {
        return true;
      }
      if (ctx.callee_name(value) == "pytest.raises") return true;
    }
  }
  return false;
}

std::vector<Node> nodes_in_same_frame(Node body, std::size_t max_nodes) {
  std::vector<Node> visited;
  std::vector<Node> pending{body};
  while (!pending.empty() && visited.size() < max_nodes) {
    Node node = pending.back();
    pending.pop_back();
    if (!node) continue;
    visited.push_back(node);
    std::string_view kind = node.kind();
    if (kind == "function_definition" || kind == "lambda" || kind == "class_definition") {
      continue;
    }
    for (uint32_t i = node.named_child_count(); i-- > 0;) pending.push_back(node.named_child(i));
  }
  return visited;
}

}  // namespace perfscan
