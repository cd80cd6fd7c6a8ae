#include "syntax/parser.hpp"

#include <fmt/format.h>

#include <unordered_map>

namespace perfscan {

TSFieldId field_id(std::string_view name) {
  static const std::unordered_map<std::string_view, TSFieldId> ids = [] {
    std::unordered_map<std::string_view, TSFieldId> table;
    const TSLanguage* language = tree_sitter_python();
    for (TSFieldId id = 1, count = static_cast<TSFieldId>(ts_language_field_count(language));
         id <= count; ++id) {
      table.emplace(ts_language_field_name_for_id(language, id), id);
    }
    return table;
  }();
  auto it = ids.find(name);
  return it == ids.end() ? TSFieldId{0} : it->second;
}

std::string grammar_incompatibility() {
  uint32_t version = ts_language_version(tree_sitter_python());
  if (version >= TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION &&
      version <= TREE_SITTER_LANGUAGE_VERSION) {
    return {};
  }
  return fmt::format(
      "the tree-sitter runtime loads grammar ABI {} to {}, but tree-sitter-python was generated "
      "for ABI {}: rebuild against a matching runtime or grammar",
      TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION, TREE_SITTER_LANGUAGE_VERSION, version);
}

Parser::Parser() : raw_(ts_parser_new()) { ts_parser_set_language(raw_.get(), tree_sitter_python()); }

Tree Parser::parse(std::string_view source) {
  return Tree{ts_parser_parse_string(raw_.get(), nullptr, source.data(),
                                     static_cast<uint32_t>(source.size()))};
}

namespace {

std::string describe_error(Node node, std::string_view source) {
  if (node.is_missing()) return fmt::format("syntax error: missing `{}`", node.kind());
  auto begin = node.start_byte();
  auto end = std::min<std::size_t>(node.end_byte(), source.size());
  std::string_view token = source.substr(begin, end - begin);
  token = token.substr(0, token.find_first_of("\r\n"));
  if (token.size() > 40) token = token.substr(0, 40);
  if (token.empty()) return "syntax error: unexpected end of input";
  return fmt::format("syntax error: unexpected `{}`", token);
}

bool is_complete_unit(Node node) {
  std::string_view kind = node.kind();
  return node.is_named() && !node.has_error() &&
         (kind.ends_with("_statement") || kind.ends_with("_definition") || kind == "comment");
}

// An ERROR node often starts at the first statement of a region tree-sitter could not fit
// together (for a whole-file failure, at line 1). Inside it, statements that parsed whole
// are fine; the first piece that is not one is where the trouble starts.
Node narrow_error(Node error) {
  Node node = error;
  for (;;) {
    Node culprit;
    for (uint32_t i = 0, n = node.child_count(); i < n && !culprit; ++i) {
      Node child = node.child(i);
      if (child.is_missing()) return child;
      if (!is_complete_unit(child)) culprit = child;
    }
    if (!culprit) return node;
    bool broken_inside = culprit.is("ERROR") || culprit.has_error();
    if (culprit.child_count() == 0 || !broken_inside) return culprit;
    node = culprit;
  }
}

}  // namespace

// Descends towards the first ERROR or MISSING node in document order. Each step goes one level
// deeper, so the loop is bounded by the tree depth without using the call stack.
SyntaxError first_syntax_error(Node root, std::string_view source) {
  SyntaxError result;
  if (!root.has_error()) return result;
  Node node = root;
  while (!node.is("ERROR") && !node.is_missing()) {
    Node next;
    for (uint32_t i = 0, n = node.child_count(); i < n && !next; ++i) {
      Node child = node.child(i);
      if (child.has_error() || child.is_missing()) next = child;
    }
    if (!next) break;  // the error is this node itself
    node = next;
  }
  if (node.is("ERROR")) node = narrow_error(node);
  result.found = true;
  result.node = node;
  result.message = describe_error(node, source);
  return result;
}

}  // namespace perfscan
