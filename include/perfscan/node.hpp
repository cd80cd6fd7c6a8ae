// A thin value wrapper over tree-sitter's TSNode. It owns nothing: a Node is valid while the
// Tree it came from lives, which in perfscan is the duration of one file's analysis.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <string_view>

namespace perfscan {

// The grammar's id for a field name (0 when the grammar has no such field). A hash lookup:
// tree-sitter's own by-name lookup compares the name against every field on each call.
TSFieldId field_id(std::string_view name);

class Node {
 public:
  Node() : raw_{} {}
  explicit Node(TSNode raw) : raw_(raw) {}

  [[nodiscard]] bool is_null() const { return ts_node_is_null(raw_); }
  explicit operator bool() const { return !is_null(); }
  [[nodiscard]] TSNode raw() const { return raw_; }

  // The grammar's node type name, e.g. "for_statement". Interned by the grammar: comparing
  // string_views is cheap, and the view outlives every tree.
  [[nodiscard]] std::string_view kind() const {
    return is_null() ? std::string_view{} : std::string_view{ts_node_type(raw_)};
  }
  [[nodiscard]] bool is(std::string_view kind_name) const { return kind() == kind_name; }
  [[nodiscard]] TSSymbol symbol() const { return ts_node_symbol(raw_); }
  [[nodiscard]] bool is_named() const { return ts_node_is_named(raw_); }
  [[nodiscard]] bool is_missing() const { return ts_node_is_missing(raw_); }
  [[nodiscard]] bool has_error() const { return ts_node_has_error(raw_); }

  [[nodiscard]] Node field(std::string_view name) const {
    TSFieldId id = field_id(name);
    return id == 0 ? Node{} : Node{ts_node_child_by_field_id(raw_, id)};
  }
  [[nodiscard]] uint32_t child_count() const { return ts_node_child_count(raw_); }
  [[nodiscard]] Node child(uint32_t index) const { return Node{ts_node_child(raw_, index)}; }
  [[nodiscard]] uint32_t named_child_count() const { return ts_node_named_child_count(raw_); }
  [[nodiscard]] Node named_child(uint32_t index) const {
    return Node{ts_node_named_child(raw_, index)};
  }
  // Note: tree-sitter finds the parent by descending from the root; avoid in hot loops.
  [[nodiscard]] Node parent() const { return Node{ts_node_parent(raw_)}; }
  [[nodiscard]] Node next_named_sibling() const { return Node{ts_node_next_named_sibling(raw_)}; }
  [[nodiscard]] Node prev_named_sibling() const { return Node{ts_node_prev_named_sibling(raw_)}; }

  [[nodiscard]] uint32_t start_byte() const { return ts_node_start_byte(raw_); }
  [[nodiscard]] uint32_t end_byte() const { return ts_node_end_byte(raw_); }
  // 0-based rows; columns in bytes (the report converts to characters).
  [[nodiscard]] TSPoint start_point() const { return ts_node_start_point(raw_); }
  [[nodiscard]] TSPoint end_point() const { return ts_node_end_point(raw_); }
  [[nodiscard]] uint32_t line() const { return start_point().row + 1; }

  [[nodiscard]] bool contains(Node other) const {
    return start_byte() <= other.start_byte() && other.end_byte() <= end_byte();
  }

  friend bool operator==(Node a, Node b) { return ts_node_eq(a.raw_, b.raw_); }

 private:
  TSNode raw_;
};

}  // namespace perfscan
