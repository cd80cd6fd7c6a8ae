#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <new>
#include <optional>
#include <vector>

#include "perfscan/node.hpp"
#include "syntax/parser.hpp"
#include "syntax/subtree_walk.h"

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

// Two copies of tree-sitter's tree: `build`, which reads its subtrees directly
// (src/syntax/subtree_walk.h), and `build_with_cursor`, through the public cursor, several times
// slower, kept as the reference the direct one is tested against (tests/test_syntax_copy.cpp)
// and as its fallback. Neither recurses on depth.

namespace {

// `may_have_error`: false when the parent has no error. A node that contains no syntax error
// contains no missing node either (ts_node_has_error), so most nodes skip both questions.
NodeData copy_node(const TSNode& raw, bool may_have_error) {
  NodeData node{};
  node.parent = kNoNode;
  node.named_index = kNoNode;
  node.start_byte = ts_node_start_byte(raw);
  node.end_byte = ts_node_end_byte(raw);
  node.start_point = ts_node_start_point(raw);
  node.end_point = ts_node_end_point(raw);
  node.symbol = ts_node_symbol(raw);
  if (ts_node_is_named(raw)) node.flags |= kNamedNode;
  if (may_have_error && ts_node_is_missing(raw)) node.flags |= kMissingNode;
  if (may_have_error && ts_node_has_error(raw)) node.flags |= kNodeHasError;
  return node;
}

// What the cursor copy keeps while adding nodes: the open path of visible ancestors, and the
// checks of TreeLimits. Each node records its parent and its position among the parent's
// children; the child lists are laid out from those at the end (lay_out_children).
class TreeCopy {
 public:
  TreeCopy(std::vector<NodeData>& nodes, const TreeLimits& limits) : nodes_(nodes), limits_(limits) {}

  // Adds a node whose parent is the open node `depth` levels down the path (the root: depth
  // 0), closing the deeper ones first. Returns false, with problem() set, past a limit.
  bool add(NodeData node, std::uint32_t depth) {
    if (depth > limits_.max_depth) {
      problem_ = fmt::format("nested deeper than {} levels", limits_.max_depth);
      return false;
    }
    if (nodes_.size() >= limits_.max_nodes) {
      problem_ = fmt::format("syntax tree larger than {} nodes", limits_.max_nodes);
      return false;
    }
    if (limits_.deadline && nodes_.size() % PERFSCAN_NODES_PER_DEADLINE_CHECK == 0 && nodes_.size() > 0 &&
        std::chrono::steady_clock::now() > *limits_.deadline) {
      problem_ = std::string(kPastDeadline);
      return false;
    }
    path_.resize(depth);
    if (depth > 0) {
      std::uint32_t parent = path_.back();
      NodeData& owner = nodes_[parent];
      node.parent = parent;
      node.index_in_parent = owner.child_count++;
      if ((node.flags & kNamedNode) != 0) node.named_index = owner.named_child_count++;
    }
    nodes_.push_back(node);
    path_.push_back(static_cast<std::uint32_t>(nodes_.size() - 1));
    return true;
  }

  [[nodiscard]] const std::string& problem() const { return problem_; }

 private:
  std::vector<NodeData>& nodes_;
  const TreeLimits& limits_;
  std::vector<std::uint32_t> path_;
  std::string problem_;
};

int past_deadline(void* context) {
  const auto& deadline = *static_cast<const std::chrono::steady_clock::time_point*>(context);
  return std::chrono::steady_clock::now() > deadline ? 1 : 0;
}

}  // namespace

std::string SyntaxTree::build(const TSTree* tree, const TreeLimits& limits) {
  nodes_.clear();
  children_.clear();
  named_children_.clear();
  std::uint32_t count = perfscan_visible_node_count(tree);
  if (count > limits.max_nodes) return fmt::format("syntax tree larger than {} nodes", limits.max_nodes);
  nodes_.resize(count);
  children_.resize(count - 1);
  named_children_.resize(count - 1);
  PerfscanFlatTree out{};
  out.nodes = nodes_.data();
  out.children = children_.data();
  out.named_children = named_children_.data();
  out.capacity = count;
  out.max_depth = limits.max_depth;
  std::optional<std::chrono::steady_clock::time_point> deadline = limits.deadline;
  if (deadline) {
    out.past_deadline = past_deadline;
    out.deadline_context = &*deadline;
  }
  PerfscanCopyOutcome outcome = perfscan_copy_tree(tree, &out);
  if (outcome == PERFSCAN_COPY_DONE) {
    named_children_.resize(out.named_size);
    return {};
  }
  nodes_ = {};
  children_ = {};
  named_children_ = {};
  switch (outcome) {
    case PERFSCAN_COPY_TOO_DEEP: return fmt::format("nested deeper than {} levels", limits.max_depth);
    case PERFSCAN_COPY_PAST_DEADLINE: return std::string(kPastDeadline);
    case PERFSCAN_COPY_OUT_OF_MEMORY: throw std::bad_alloc();
    // Never seen (tests/test_syntax_copy.cpp): the slow copy is still right.
    case PERFSCAN_COPY_COUNTS_DISAGREE:
    case PERFSCAN_COPY_DONE: break;
  }
  return build_with_cursor(tree, limits);
}

// tree-sitter counts a node's visible children (ts_node_child_count) the way the cursor visits
// them, so the pass moves to a first child or a next sibling only when one is there. Asking the
// cursor for a sibling past the last one is what it does slowest: it climbs through every hidden
// node above that child before it fails.
std::string SyntaxTree::build_with_cursor(const TSTree* tree, const TreeLimits& limits) {
  nodes_.clear();
  children_.clear();
  named_children_.clear();
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  TreeCopy copy(nodes_, limits);
  // The visible children of each open node, visited or not, along the path.
  std::vector<std::uint32_t> child_totals;
  auto add = [&](std::uint32_t depth, bool parent_has_error) {
    TSNode raw = ts_tree_cursor_current_node(&cursor);
    NodeData node = copy_node(raw, depth == 0 || parent_has_error);
    node.field = depth == 0 ? 0 : ts_tree_cursor_current_field_id(&cursor);
    if (!copy.add(node, depth)) return false;
    child_totals.resize(depth);
    child_totals.push_back(ts_node_child_count(raw));
    return true;
  };
  bool ok = add(0, true);
  std::uint32_t depth = 0;  // of the node just added
  while (ok) {
    std::uint32_t current = static_cast<std::uint32_t>(nodes_.size() - 1);
    if (child_totals[depth] > 0 && ts_tree_cursor_goto_first_child(&cursor)) {
      ok = add(++depth, (nodes_[current].flags & kNodeHasError) != 0);
      continue;
    }
    // Back up to the nearest open node with a child left to visit.
    bool moved = false;
    while (depth > 0) {
      std::uint32_t open = nodes_[current].parent;
      if (nodes_[open].child_count < child_totals[depth - 1] && ts_tree_cursor_goto_next_sibling(&cursor)) {
        ok = add(depth, (nodes_[open].flags & kNodeHasError) != 0);
        moved = true;
        break;
      }
      ts_tree_cursor_goto_parent(&cursor);
      current = open;
      --depth;
    }
    if (!moved) break;
  }
  ts_tree_cursor_delete(&cursor);
  if (!ok) {
    nodes_ = {};
    return copy.problem();
  }
  lay_out_children();
  return {};
}

void SyntaxTree::lay_out_children() {
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
