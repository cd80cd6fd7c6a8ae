// Stage 2: reading and parsing. RAII owners for tree-sitter's parser and trees.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "perfscan/node.hpp"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace perfscan {

class Tree {
 public:
  Tree() = default;
  explicit Tree(TSTree* raw) : raw_(raw) {}
  [[nodiscard]] bool valid() const { return raw_ != nullptr; }
  [[nodiscard]] Node root() const { return Node{ts_tree_root_node(raw_.get())}; }

 private:
  struct Deleter {
    void operator()(TSTree* tree) const { ts_tree_delete(tree); }
  };
  std::unique_ptr<TSTree, Deleter> raw_;
};

// Why this tree-sitter runtime cannot load the grammar, or "" when it can. Checked once per
// scan so a mismatched build fails with a message instead of parsing nothing.
std::string grammar_incompatibility();

// One per worker thread: tree-sitter parsers are not thread-safe but are cheap to reuse.
class Parser {
 public:
  Parser();
  // Returns an invalid Tree only if tree-sitter gives up (it does not for valid input sizes).
  [[nodiscard]] Tree parse(std::string_view source);

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
