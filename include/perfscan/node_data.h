/* One visible node of a parsed file, as perfscan's flat syntax tree keeps it (perfscan/node.hpp,
 * SyntaxTree). Plain C: the walk that fills these reads tree-sitter's internal C headers
 * (src/syntax/subtree_walk.c). */
#ifndef PERFSCAN_NODE_DATA_H
#define PERFSCAN_NODE_DATA_H

#include <stdint.h>
#include <tree_sitter/api.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PERFSCAN_NO_NODE UINT32_MAX

/* Bits of PerfscanNodeData.flags. */
#define PERFSCAN_NODE_NAMED 1u
#define PERFSCAN_NODE_MISSING 2u
#define PERFSCAN_NODE_HAS_ERROR 4u

/* Children of a node are listed, in order, in the tree's child list (all) and named-child list
 * (named ones only), from the offsets below. */
typedef struct PerfscanNodeData {
  uint32_t start_byte;
  uint32_t end_byte;
  TSPoint start_point;
  TSPoint end_point;
  uint32_t parent;            /* PERFSCAN_NO_NODE for the root */
  uint32_t first_child;       /* offset in the child list */
  uint32_t child_count;
  uint32_t first_named;       /* offset in the named-child list */
  uint32_t named_child_count;
  uint32_t index_in_parent;   /* position among the parent's children */
  uint32_t named_index;       /* position among the parent's named children, or PERFSCAN_NO_NODE */
  TSSymbol symbol;            /* public symbol, alias applied (ts_node_symbol) */
  TSFieldId field;            /* the field the parent holds this node under (0: none) */
  uint8_t flags;
} PerfscanNodeData;

#ifdef __cplusplus
}
#endif

#endif
