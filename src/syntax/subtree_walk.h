/* Copies a tree-sitter tree into perfscan's flat arrays (SyntaxTree::build) by walking its
 * subtrees directly, in C.
 *
 * Why not the public cursor: per node it costs several calls that each redo work (a child
 * iterator rebuilt at every step, the field climbed for again through the hidden nodes above
 * every child, a TSNode built and taken apart); measured, the copy took about 940 instructions a
 * node, a fifth of the parse. Reading the subtrees the way the cursor does but in one pass, with
 * the field and the alias carried down and each node's child lists reserved from the counts the
 * subtree already holds, takes a fraction of that (bench/README.md).
 *
 * It reads the runtime's internal layout (src/subtree.h), so it is compiled against the very
 * runtime perfscan links (cmake/TreeSitterRuntime.cmake). The nodes it gives, their order,
 * positions, symbols, fields, flags and child lists, are exactly the cursor's:
 * tests/test_syntax_copy.cpp compares the two copies. Written in C because the runtime's
 * internal headers are C. */
#ifndef PERFSCAN_SUBTREE_WALK_H
#define PERFSCAN_SUBTREE_WALK_H

#include <stdint.h>
#include <tree_sitter/api.h>

#include "perfscan/node_data.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How often either copy (this one and SyntaxTree::build_with_cursor) asks whether the file's
 * time budget is spent: reading the clock costs about as much as copying a few nodes. */
#define PERFSCAN_NODES_PER_DEADLINE_CHECK 4096u

/* Where the copy goes. `nodes` holds perfscan_visible_node_count(tree) records; `children` and
 * `named_children` one fewer (every visible node but the root is some node's child). */
typedef struct PerfscanFlatTree {
  PerfscanNodeData *nodes;
  uint32_t *children;
  uint32_t *named_children;
  uint32_t capacity;       /* records in `nodes` */
  uint32_t size;           /* out: nodes copied */
  uint32_t named_size;     /* out: entries of `named_children` used */
  uint32_t max_depth;      /* nesting of visible nodes allowed below the root */
  /* Asked every few thousand nodes; nonzero stops the copy (a file's time budget). */
  int (*past_deadline)(void *context);
  void *deadline_context;
} PerfscanFlatTree;

typedef enum PerfscanCopyOutcome {
  PERFSCAN_COPY_DONE = 0,
  PERFSCAN_COPY_TOO_DEEP = 1,
  PERFSCAN_COPY_PAST_DEADLINE = 2,
  PERFSCAN_COPY_OUT_OF_MEMORY = 3,
  /* The subtrees' own counts disagreed with what the walk found: nothing was written out of
   * bounds, and the copy is incomplete (the caller copies through the cursor instead). */
  PERFSCAN_COPY_COUNTS_DISAGREE = 4,
} PerfscanCopyOutcome;

/* How many visible nodes `tree` has (ts_node_descendant_count of its root). */
uint32_t perfscan_visible_node_count(const TSTree *tree);

/* Copies every visible node of `tree` in document (pre-)order, root first. */
PerfscanCopyOutcome perfscan_copy_tree(const TSTree *tree, PerfscanFlatTree *out);

#ifdef __cplusplus
}
#endif

#endif
