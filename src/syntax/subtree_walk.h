/* Walks a tree-sitter tree's subtrees directly, in C, to hand each visible node to perfscan's
 * flat copy (SyntaxTree::build).
 *
 * Why not the public cursor: per node it costs several calls that each redo work (a child
 * iterator rebuilt at every step, the field climbed for again through the hidden nodes above
 * every child, a TSNode built and taken apart); measured, the copy took about 940 instructions a
 * node, a fifth of the parse. Reading the subtrees the way the cursor does but in one pass, with
 * the field and the alias carried down, takes a small fraction of that (bench/README.md).
 *
 * It reads the runtime's internal layout (src/subtree.h), so it is compiled against the very
 * runtime perfscan links (cmake/TreeSitterRuntime.cmake). The nodes it gives, their order,
 * positions, symbols, fields and flags, are exactly the cursor's: tests/test_syntax_copy.cpp
 * compares the two copies on every fixture. Written in C because the runtime's internal headers
 * are C. */
#ifndef PERFSCAN_SUBTREE_WALK_H
#define PERFSCAN_SUBTREE_WALK_H

#include <stdint.h>
#include <tree_sitter/api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One visible node, as ts_tree_cursor_current_node and ts_tree_cursor_current_field_id give it. */
typedef struct PerfscanVisibleNode {
  uint32_t start_byte;
  uint32_t end_byte;
  TSPoint start_point;
  TSPoint end_point;
  TSSymbol symbol;  /* public symbol, alias applied (ts_node_symbol) */
  TSFieldId field;  /* the field the parent holds it under, 0 for none */
  uint32_t depth;   /* visible ancestors: 0 for the root */
  uint8_t named;
  uint8_t missing;
  uint8_t has_error;
} PerfscanVisibleNode;

/* Called for each visible node in document (pre-)order. Returns 0 to go on, anything else to
 * stop the walk. */
typedef int (*PerfscanVisitNode)(void *context, const PerfscanVisibleNode *node);

/* Hands every visible node of `tree` to `visit`, root first. Returns 0 when the walk ran to the
 * end, 1 when `visit` stopped it, 2 when memory for the walk's own stack ran out. */
int perfscan_walk_visible_nodes(const TSTree *tree, PerfscanVisitNode visit, void *context);

/* How many visible nodes `tree` has (ts_node_descendant_count of its root): what the walk will
 * hand over, known before it starts. */
uint32_t perfscan_visible_node_count(const TSTree *tree);

#ifdef __cplusplus
}
#endif

#endif
