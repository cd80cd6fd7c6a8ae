// Stage 2: reading and parsing. RAII owners for tree-sitter's parser and trees.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
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

// Copies a tree-sitter tree into a Tree and deletes it (takes ownership; not null). When the
// tree is larger or deeper than `limits` allow, returns an invalid Tree and sets `problem`.
Tree flatten(TSTree* parsed, const TreeLimits& limits = {}, std::string* problem = nullptr);

// Memory tree-sitter may hold on one thread while it parses one file. The parse is cancelled
// past it: a pathological file (a list literal of millions of elements costs tree-sitter about
// 250 bytes per source byte) must not take the machine's memory.
inline constexpr std::size_t kMaxParseMemory = std::size_t{2} << 30;

// What may stop a parse before it completes.
struct ParseLimits {
  // Give up at this time (none: no deadline).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::size_t max_memory = kMaxParseMemory;
};

enum class ParseFailure { none, deadline, memory };

// Why this tree-sitter runtime cannot load the grammar, or "" when it can. Checked once per
// scan so a mismatched build fails with a message instead of parsing nothing.
std::string grammar_incompatibility();

// One per worker thread: tree-sitter parsers are not thread-safe but are cheap to reuse. A Parser
// must parse on the thread that created it (its memory limit reads that thread's allocations).
class Parser {
 public:
  Parser();
  // Returns an invalid Tree only if tree-sitter gives up (it does not for valid input sizes).
  [[nodiscard]] Tree parse(std::string_view source);
  // tree-sitter's tree alone, not copied (the parse-only benchmark); the caller deletes it.
  // Null when tree-sitter gives up or a limit stops it; `failure` then says which limit.
  [[nodiscard]] TSTree* parse_raw(std::string_view source, const ParseLimits& limits = {},
                                  ParseFailure* failure = nullptr);

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
