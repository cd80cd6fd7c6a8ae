// The syntax tree the analysis reads: tree-sitter's tree copied once, right after parsing, into
// flat arrays (SyntaxTree), and Node, a small value handle into them.
//
// Why not tree-sitter's own TSNode: ts_node_parent descends from the root, and
// ts_node_child_by_field_id and ts_node_named_child rescan the children on every call (through
// hidden nodes). The rules ask these questions millions of times per scan; profiles showed the
// node API costing about as much as the rules themselves. One pass copies every visible node
// (what TSNode shows: hidden grammar nodes are flattened away, field names inherited) into
// arrays in document order, after which each question is an index: parent, the i-th (named)
// child, siblings, field children. The tree-sitter tree is freed as soon as it is copied.
#pragma once

#include <tree_sitter/api.h>

#include "perfscan/node_data.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace perfscan {

// The grammar's id for a field name (0 when the grammar has no such field). A hash lookup:
// tree-sitter's own by-name lookup compares the name against every field on each call.
TSFieldId field_id(std::string_view name);

// field_id for a string literal, remembered by the literal's address: rules and the semantic
// layer ask `node.field("function")` millions of times per scan, always with literals.
template <std::size_t N>
TSFieldId literal_field_id(const char (&name)[N]) {
  struct Entry {
    const char* name = nullptr;
    TSFieldId id = 0;
  };
  constexpr std::size_t kSlots = 64;
  thread_local Entry cache[kSlots];
  Entry& entry = cache[(reinterpret_cast<std::uintptr_t>(name) >> 3) % kSlots];
  if (entry.name != name) entry = Entry{name, field_id(std::string_view(name, N - 1))};
  return entry.id;
}

// The grammar's name for a node type ("for_statement"), as ts_node_type gives it. The views
// point into the grammar's static tables and outlive every tree.
std::string_view symbol_name(TSSymbol symbol);

// symbol_name for every symbol of the grammar's table, indexed by symbol.
const std::vector<std::string_view>& symbol_names();

inline constexpr std::uint32_t kNoNode = PERFSCAN_NO_NODE;

// One visible node (perfscan/node_data.h: C, for the walk that fills it).
using NodeData = PerfscanNodeData;
inline constexpr std::uint8_t kNamedNode = PERFSCAN_NODE_NAMED;
inline constexpr std::uint8_t kMissingNode = PERFSCAN_NODE_MISSING;
inline constexpr std::uint8_t kNodeHasError = PERFSCAN_NODE_HAS_ERROR;

class Node;

// What SyntaxTree::build returns when it stopped at TreeLimits::deadline.
inline constexpr std::string_view kPastDeadline = "past the deadline";

// How large a tree analysis accepts. Past these a file is reported as an error instead of
// analysed: the copy costs about 64 bytes per node, rules walk it several times, and the most
// nodes a 20 MB file of ordinary code has is about 4 million. Nesting is bounded for the same
// reason (the walk keeps a frame per open node); CPython itself refuses a few hundred levels.
struct TreeLimits {
  std::uint32_t max_nodes = 20'000'000;
  std::uint32_t max_depth = 100'000;
  // The copy of a huge tree takes seconds: it stops at the file's deadline too (none: no limit).
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

// A parsed file's visible nodes in document (pre-)order: index 0 is the root, and a node's
// descendants follow it contiguously.
class SyntaxTree {
 public:
  SyntaxTree() = default;
  SyntaxTree(const SyntaxTree&) = delete;  // Nodes point at their tree
  SyntaxTree& operator=(const SyntaxTree&) = delete;

  // Copies tree-sitter's tree (iteratively: no recursion on depth). Stops and returns why when
  // the tree has more nodes or deeper nesting than `limits` allow, or the deadline passes (""
  // when copied whole).
  // Reads tree-sitter's subtrees directly (src/syntax/subtree_walk.h).
  std::string build(const TSTree* tree, const TreeLimits& limits = {});
  // The same copy through tree-sitter's public cursor: several times slower, kept as the
  // reference the direct one is tested against (tests/test_syntax_copy.cpp).
  std::string build_with_cursor(const TSTree* tree, const TreeLimits& limits = {});

  [[nodiscard]] std::size_t size() const { return nodes_.size(); }
  [[nodiscard]] Node root() const;
  [[nodiscard]] Node at(std::uint32_t index) const;
  [[nodiscard]] const NodeData& data(std::uint32_t index) const { return nodes_[index]; }
  [[nodiscard]] std::uint32_t child_id(const NodeData& node, std::uint32_t i) const {
    return children_[node.first_child + i];
  }
  [[nodiscard]] std::uint32_t named_child_id(const NodeData& node, std::uint32_t i) const {
    return named_children_[node.first_named + i];
  }
  [[nodiscard]] std::string_view kind_name(TSSymbol symbol) const {
    return symbol < names_->size() ? (*names_)[symbol] : symbol_name(symbol);
  }

 private:
  // Sets each node's first_child / first_named and fills the child lists from the positions
  // recorded while copying.
  void lay_out_children();

  std::vector<NodeData> nodes_;
  std::vector<std::uint32_t> children_;
  std::vector<std::uint32_t> named_children_;
  const std::vector<std::string_view>* names_ = &symbol_names();
};

class Node {
 public:
  Node() = default;
  Node(const SyntaxTree* tree, std::uint32_t index) : tree_(tree), index_(index) {}

  [[nodiscard]] bool is_null() const { return tree_ == nullptr; }
  explicit operator bool() const { return tree_ != nullptr; }
  // Position in the tree's document order: a stable key for per-node tables.
  [[nodiscard]] std::uint32_t id() const { return index_; }
  [[nodiscard]] const SyntaxTree* tree() const { return tree_; }

  // The grammar's node type name, e.g. "for_statement". Comparing string_views is cheap.
  [[nodiscard]] std::string_view kind() const {
    return is_null() ? std::string_view{} : tree_->kind_name(data().symbol);
  }
  [[nodiscard]] bool is(std::string_view kind_name) const { return kind() == kind_name; }
  [[nodiscard]] TSSymbol symbol() const { return is_null() ? TSSymbol{0} : data().symbol; }
  [[nodiscard]] bool is_named() const { return flag(kNamedNode); }
  [[nodiscard]] bool is_missing() const { return flag(kMissingNode); }
  [[nodiscard]] bool has_error() const { return flag(kNodeHasError); }
  // The field this node's parent holds it under (0: none).
  [[nodiscard]] TSFieldId field_in_parent() const { return is_null() ? TSFieldId{0} : data().field; }

  // The first child held under `name` / `id`, like ts_node_child_by_field_name.
  template <std::size_t N>
  [[nodiscard]] Node field(const char (&name)[N]) const {
    return field(literal_field_id(name));
  }
  [[nodiscard]] Node field(std::string_view name) const { return field(field_id(name)); }
  [[nodiscard]] Node field(TSFieldId id) const;
  [[nodiscard]] uint32_t child_count() const { return is_null() ? 0 : data().child_count; }
  [[nodiscard]] Node child(uint32_t index) const {
    if (index >= child_count()) return {};
    return Node{tree_, tree_->child_id(data(), index)};
  }
  [[nodiscard]] uint32_t named_child_count() const {
    return is_null() ? 0 : data().named_child_count;
  }
  [[nodiscard]] Node named_child(uint32_t index) const {
    if (index >= named_child_count()) return {};
    return Node{tree_, tree_->named_child_id(data(), index)};
  }
  [[nodiscard]] Node parent() const {
    if (is_null() || data().parent == kNoNode) return {};
    return Node{tree_, data().parent};
  }
  [[nodiscard]] Node next_named_sibling() const;
  [[nodiscard]] Node prev_named_sibling() const;
  // The root of the tree this node belongs to (the module).
  [[nodiscard]] Node root() const { return is_null() ? Node{} : Node{tree_, 0}; }

  [[nodiscard]] uint32_t start_byte() const { return is_null() ? 0 : data().start_byte; }
  [[nodiscard]] uint32_t end_byte() const { return is_null() ? 0 : data().end_byte; }
  // 0-based rows; columns in bytes (the report converts to characters).
  [[nodiscard]] TSPoint start_point() const { return is_null() ? TSPoint{} : data().start_point; }
  [[nodiscard]] TSPoint end_point() const { return is_null() ? TSPoint{} : data().end_point; }
  [[nodiscard]] uint32_t line() const { return start_point().row + 1; }

  [[nodiscard]] bool contains(Node other) const {
    return start_byte() <= other.start_byte() && other.end_byte() <= end_byte();
  }

  friend bool operator==(Node a, Node b) { return a.tree_ == b.tree_ && a.index_ == b.index_; }

 private:
  [[nodiscard]] const NodeData& data() const { return tree_->data(index_); }
  [[nodiscard]] bool flag(std::uint8_t bit) const { return !is_null() && (data().flags & bit) != 0; }

  const SyntaxTree* tree_ = nullptr;
  std::uint32_t index_ = 0;
};

// Inline: rules ask for fields about a million times a scan, mostly of nodes with a few children.
inline Node Node::field(TSFieldId id) const {
  if (is_null() || id == 0) return {};
  const NodeData& node = data();
  for (std::uint32_t i = 0; i < node.child_count; ++i) {
    std::uint32_t child = tree_->child_id(node, i);
    if (tree_->data(child).field == id) return Node{tree_, child};
  }
  return {};
}

inline Node SyntaxTree::root() const { return nodes_.empty() ? Node{} : Node{this, 0}; }
inline Node SyntaxTree::at(std::uint32_t index) const { return Node{this, index}; }

}  // namespace perfscan
