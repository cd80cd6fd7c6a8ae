#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "perfscan/node.hpp"
#include "syntax/parser.hpp"

namespace perfscan {

const std::vector<std::string_view>& symbol_names() {
  static const std::vector<std::string_view> names = [] {
    const TSLanguage* language = tree_sitter_python();
    std::vector<std::string_view> table(ts_language_symbol_count(language));
    for (std::size_t index = 0; index < table.size(); ++index) {
      const char* name = ts_language_symbol_name(language, static_cast<TSSymbol>(index));
      table[index] = name != nullptr ? std::string_view{name} : std::string_view{};
    }
    return table;
  }();
  return names;
}

std::string_view symbol_name(TSSymbol symbol) {
  const std::vector<std::string_view>& names = symbol_names();
  if (symbol < names.size()) return names[symbol];
  // ERROR and its repeat are builtin symbols at the top of the range, outside the table.
  const char* name = ts_language_symbol_name(tree_sitter_python(), symbol);
  return name != nullptr ? std::string_view{name} : std::string_view{};
}

namespace {

// Reading the clock costs about as much as copying a few nodes.
constexpr std::size_t kNodesPerClockRead = 4096;

// `may_have_error`: false when the parent has no error. A node that contains no syntax error
// contains no missing node either (ts_node_has_error), so most nodes skip both questions.
NodeData copy_node(const TSNode& raw, bool may_have_error) {
  NodeData node;
  node.start_byte = ts_node_start_byte(raw);
  node.end_byte = ts_node_end_byte(raw);
  node.start_point = ts_node_start_point(raw);
  node.end_point = ts_node_end_point(raw);
  node.symbol = ts_node_symbol(raw);
  if (ts_node_is_named(raw)) node.flags |= NodeData::kNamed;
  if (may_have_error && ts_node_is_missing(raw)) node.flags |= NodeData::kMissing;
  if (may_have_error && ts_node_has_error(raw)) node.flags |= NodeData::kHasError;
  return node;
}

}  // namespace

// One cursor pass in document order records each node with its parent and its position among
// the parent's children; the child lists are then laid out from those positions. The cursor
// keeps its own path, and `path` holds only indices and counts, so depth costs no recursion.
//
// tree-sitter counts a node's visible children (ts_node_child_count) the way the cursor visits
// them, so the pass moves to a first child or a next sibling only when one is there. Asking the
// cursor for a sibling past the last one is what it does slowest: it climbs through every hidden
// node above that child before it fails.
std::string SyntaxTree::build(const TSTree* tree, const TreeLimits& limits) {
  nodes_.clear();
  children_.clear();
  named_children_.clear();
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  struct Open {
    std::uint32_t node;
    std::uint32_t child_total;  // the node's children, visited or not
  };
  std::vector<Open> path;
  std::uint32_t current_children = 0;  // the children of the node just added
  auto add = [&](std::uint32_t parent) {
    TSNode raw = ts_tree_cursor_current_node(&cursor);
    NodeData node = copy_node(raw, parent == kNoNode || (nodes_[parent].flags & NodeData::kHasError) != 0);
    current_children = ts_node_child_count(raw);
    if (parent != kNoNode) {
      NodeData& owner = nodes_[parent];
      node.parent = parent;
      node.field = ts_tree_cursor_current_field_id(&cursor);
      node.index_in_parent = owner.child_count++;
      if ((node.flags & NodeData::kNamed) != 0) node.named_index = owner.named_child_count++;
    }
    nodes_.push_back(node);
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  };
  std::uint32_t current = add(kNoNode);
  std::string problem;
  for (bool done = false; !done;) {
    if (nodes_.size() > limits.max_nodes) {
      problem = fmt::format("syntax tree larger than {} nodes", limits.max_nodes);
      break;
    }
    if (limits.deadline && nodes_.size() % kNodesPerClockRead == 0 &&
        std::chrono::steady_clock::now() > *limits.deadline) {
      problem = kPastDeadline;
      break;
    }
    if (current_children > 0 && ts_tree_cursor_goto_first_child(&cursor)) {
      if (path.size() >= limits.max_depth) {
        problem = fmt::format("nested deeper than {} levels", limits.max_depth);
        break;
      }
      path.push_back(Open{current, current_children});
      current = add(current);
      continue;
    }
    // Back up to the nearest open node with a child left to visit.
    for (;;) {
      if (path.empty()) {
        done = true;
        break;
      }
      const Open& open = path.back();
      if (nodes_[open.node].child_count < open.child_total && ts_tree_cursor_goto_next_sibling(&cursor)) {
        current = add(open.node);
        break;
      }
      ts_tree_cursor_goto_parent(&cursor);
      path.pop_back();
    }
  }
  ts_tree_cursor_delete(&cursor);
  if (!problem.empty()) {
    nodes_ = {};
    return problem;
  }

  std::uint32_t all = 0;
  std::uint32_t named = 0;
  for (NodeData& node : nodes_) {
    node.first_child = all;
    node.first_named = named;
    all += node.child_count;
    named += node.named_child_count;
  }
  children_.resize(all);
  named_children_.resize(named);
  for (std::uint32_t index = 1; index < nodes_.size(); ++index) {
    const NodeData& node = nodes_[index];
    const NodeData& owner = nodes_[node.parent];
    children_[owner.first_child + node.index_in_parent] = index;
    if (node.named_index != kNoNode) named_children_[owner.first_named + node.named_index] = index;
  }
  return {};
}

// Like tree-sitter's: the nearest named node after this one among the parent's children.
Node Node::next_named_sibling() const {
  Node owner = parent();
  if (!owner) return {};
  for (std::uint32_t i = data().index_in_parent + 1, n = owner.child_count(); i < n; ++i) {
    Node sibling = owner.child(i);
    if (sibling.is_named()) return sibling;
  }
  return {};
}

Node Node::prev_named_sibling() const {
  Node owner = parent();
  if (!owner) return {};
  for (std::uint32_t i = data().index_in_parent; i-- > 0;) {
    Node sibling = owner.child(i);
    if (sibling.is_named()) return sibling;
  }
  return {};
}

}  // namespace perfscan
