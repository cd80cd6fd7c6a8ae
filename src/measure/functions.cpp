// The functions of a scanned file by line range, from its syntax tree: what profile frames and
// findings are matched against.
#include <string>
#include <vector>

#include "measure/profile.hpp"
#include "syntax/parser.hpp"
#include "syntax/source.hpp"

namespace perfscan {

std::vector<FunctionSpan> functions_in(std::string_view source) {
  std::vector<FunctionSpan> functions;
  Parser parser;
  Tree tree = parser.parse(source);
  if (!tree.valid()) return functions;
  const SyntaxTree* nodes = tree.root().tree();
  auto text = [&](Node node) {
    return std::string(source.substr(node.start_byte(), node.end_byte() - node.start_byte()));
  };
  // Document order: a def comes before the defs nested in it.
  for (std::uint32_t i = 0; i < nodes->size(); ++i) {
    Node node = nodes->at(i);
    if (!node.is("function_definition")) continue;
    Node name = node.field("name");
    if (!name) continue;
    FunctionSpan span;
    span.name = text(name);
    span.qualified = span.name;
    for (Node up = node.parent(); up; up = up.parent()) {
      if (up.is("function_definition") || up.is("class_definition")) {
        if (Node outer = up.field("name")) span.qualified = text(outer) + "." + span.qualified;
      }
    }
    span.line = node.line();
    span.end_line = node.end_point().row + 1;
    functions.push_back(std::move(span));
  }
  return functions;
}

std::optional<std::string> load_source(const std::string& path) {
  std::string bytes;
  std::string error;
  if (!read_file_bytes(path, bytes, error)) return std::nullopt;
  SourceText decoded = decode_source(std::move(bytes));
  if (!decoded.fatal.empty()) return std::nullopt;
  return std::move(decoded.text);
}

}  // namespace perfscan
