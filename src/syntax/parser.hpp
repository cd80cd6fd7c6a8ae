// Stage 2: reading and parsing. RAII owners for tree-sitter's parser and trees.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "perfscan/node.hpp"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace perfscan {

// A parsed file, as the flat SyntaxTree (node.hpp); tree-sitter's own tree is already freed.
// Held through a pointer so Nodes stay valid when the Tree is moved.
class Tree {
 public:
  Tree() = default;
  explicit Tree(std::unique_ptr<SyntaxTree> nodes) : nodes_(std::move(nodes)) {}
  [[nodiscard]] bool valid() const { return nodes_ != nullptr; }
  [[nodiscard]] Node root() const { return nodes_->root(); }

 private:
  std::unique_ptr<SyntaxTree> nodes_;
};

// Copies a tree-sitter tree into a Tree and deletes it (takes ownership; not null).
Tree flatten(TSTree* parsed);

// Why this tree-sitter runtime cannot load the grammar, or "" when it can. Checked once per
// scan so a mismatched build fails with a message instead of parsing nothing.
std::string grammar_incompatibility();

// One per worker thread: tree-sitter parsers are not thread-safe but are cheap to reuse.
class Parser {
 public:
  Parser();
  // Returns an invalid Tree only if tree-sitter gives up (it does not for valid input sizes).
  [[nodiscard]] Tree parse(std::string_view source);
  // tree-sitter's tree alone, not copied (the parse-only benchmark); the caller deletes it.
  [[nodiscard]] TSTree* parse_raw(std::string_view source);

 private:
  struct Deleter {
    void operator()(TSParser* parser) const { ts_parser_delete(parser); }
  };
  std::unique_ptr<TSParser, Deleter> raw_;
};

// Where and what the first syntax error of a tree is, if any.
struct SyntaxError {
  bool found = false;
  Node node;
  std::string message;
};

SyntaxError first_syntax_error(Node root, std::string_view source);

}  // namespace perfscan
