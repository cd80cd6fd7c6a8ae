/* The direct walk over tree-sitter's subtrees: see subtree_walk.h. Each step below mirrors the
 * public cursor of tree-sitter 0.25 (lib/src/tree_cursor.c and node.c), cited by function, so
 * that a runtime upgrade can be checked against it line by line. */
#include "syntax/subtree_walk.h"

#include <stdbool.h>
#include <stdlib.h>

/* The runtime's internal headers (cmake/TreeSitterRuntime.cmake puts them on the path). */
#include "language.h"
#include "length.h"
#include "subtree.h"
#include "tree.h"

/* The children of one subtree being visited: a visible node's, or a hidden node's, whose
 * visible children count as its nearest visible ancestor's. As ts_tree_cursor's
 * CursorChildIterator, with what the cursor climbs back up for kept here instead. */
typedef struct Frame {
  Subtree parent;
  Length position; /* where the next child starts, its padding skipped */
  uint32_t child_index;
  uint32_t structural_child_index; /* counts only the children that are not extras */
  const TSSymbol *alias_sequence;
  const TSFieldMapEntry *fields;
  const TSFieldMapEntry *fields_end;
  /* For a hidden subtree: the field its own place in its parent gives it, which a child of it
   * without a field of its own is held under (ts_tree_cursor_current_field_id climbs through
   * hidden nodes for it). 0 for a visible one: the climb stops at a visible node. */
  TSFieldId inherited_field;
  uint32_t depth; /* visible ancestors of the children */
} Frame;

typedef struct Stack {
  Frame *frames;
  uint32_t size;
  uint32_t capacity;
} Stack;

static bool push_frame(Stack *stack, const TSLanguage *language, Subtree parent, Length position,
                       TSFieldId inherited_field, uint32_t depth) {
  if (stack->size == stack->capacity) {
    uint32_t capacity = stack->capacity ? stack->capacity * 2 : 64;
    Frame *frames = realloc(stack->frames, (size_t)capacity * sizeof(Frame));
    if (frames == NULL) return false;
    stack->frames = frames;
    stack->capacity = capacity;
  }
  Frame *frame = &stack->frames[stack->size++];
  uint16_t production_id = parent.ptr->production_id;
  frame->parent = parent;
  frame->position = position;
  frame->child_index = 0;
  frame->structural_child_index = 0;
  frame->alias_sequence = ts_language_alias_sequence(language, production_id);
  ts_language_field_map(language, production_id, &frame->fields, &frame->fields_end);
  frame->inherited_field = inherited_field;
  frame->depth = depth;
  return true;
}

/* ts_tree_cursor_current_field_id, one level: the first field entry of the parent's production
 * for this structural child that is not inherited. */
static TSFieldId field_at(const Frame *frame, uint32_t structural_child_index) {
  for (const TSFieldMapEntry *entry = frame->fields; entry < frame->fields_end; ++entry) {
    if (!entry->inherited && entry->child_index == structural_child_index) return entry->field_id;
  }
  return 0;
}

/* ts_node_start_byte / _end_byte / _start_point / _end_point / _symbol / _is_named /
 * _is_missing / _has_error of the node ts_tree_cursor_current_node would build. */
static PerfscanVisibleNode describe(const TSLanguage *language, Subtree subtree, Length position,
                                    TSSymbol alias, TSFieldId field, uint32_t depth) {
  Length size = ts_subtree_size(subtree);
  PerfscanVisibleNode node;
  node.start_byte = position.bytes;
  node.end_byte = position.bytes + size.bytes;
  node.start_point = position.extent;
  node.end_point = point_add(position.extent, size.extent);
  node.symbol = ts_language_public_symbol(language, alias ? alias : ts_subtree_symbol(subtree));
  node.field = field;
  node.depth = depth;
  node.named = alias ? ts_language_symbol_metadata(language, alias).named : ts_subtree_named(subtree);
  node.missing = ts_subtree_missing(subtree);
  node.has_error = ts_subtree_error_cost(subtree) > 0;
  return node;
}

uint32_t perfscan_visible_node_count(const TSTree *tree) {
  return ts_subtree_visible_descendant_count(tree->root) + 1;
}

int perfscan_walk_visible_nodes(const TSTree *tree, PerfscanVisitNode visit, void *context) {
  const TSLanguage *language = tree->language;
  /* ts_tree_root_node: the root starts after its padding and has no alias. */
  Length root_position = ts_subtree_padding(tree->root);
  PerfscanVisibleNode root = describe(language, tree->root, root_position, 0, 0, 0);
  if (visit(context, &root) != 0) return 1;
  if (ts_subtree_visible_child_count(tree->root) == 0) return 0;

  Stack stack = {NULL, 0, 0};
  int outcome = 0;
  if (!push_frame(&stack, language, tree->root, root_position, 0, 1)) return 2;
  while (stack.size > 0) {
    Frame *frame = &stack.frames[stack.size - 1];
    uint32_t child_count = frame->parent.ptr->child_count;
    if (frame->child_index == child_count) {
      --stack.size;
      continue;
    }
    /* ts_tree_cursor_child_iterator_next: the child, whether it shows (itself or by an alias),
     * and the position moved on to the next child. */
    const Subtree *children = ts_subtree_children(frame->parent);
    Subtree child = children[frame->child_index];
    Length position = frame->position;
    bool extra = ts_subtree_extra(child);
    uint32_t structural_child_index = frame->structural_child_index;
    TSSymbol alias = 0;
    if (!extra) {
      if (frame->alias_sequence) alias = frame->alias_sequence[structural_child_index];
      frame->structural_child_index++;
    }
    bool visible = ts_subtree_visible(child) || alias != 0;
    frame->position = length_add(position, ts_subtree_size(child));
    frame->child_index++;
    if (frame->child_index < child_count) {
      frame->position = length_add(frame->position, ts_subtree_padding(children[frame->child_index]));
    }
    /* ts_tree_cursor_current_field_id: an extra has none; otherwise this level's, else the one
     * the hidden nodes above it give. */
    TSFieldId field = 0;
    if (!extra) {
      field = field_at(frame, structural_child_index);
      if (field == 0) field = frame->inherited_field;
    }
    uint32_t depth = frame->depth;
    /* `frame` may move when the stack grows: not used past here. */
    if (visible) {
      PerfscanVisibleNode node = describe(language, child, position, alias, field, depth);
      if (visit(context, &node) != 0) {
        outcome = 1;
        break;
      }
      if (ts_subtree_visible_child_count(child) > 0 &&
          !push_frame(&stack, language, child, position, 0, depth + 1)) {
        outcome = 2;
        break;
      }
    } else if (ts_subtree_visible_child_count(child) > 0) {
      /* ts_tree_cursor_goto_first_child_internal's TreeCursorStepHidden: a hidden node with
       * visible nodes inside; they are its visible ancestor's children. */
      if (!push_frame(&stack, language, child, position, field, depth)) {
        outcome = 2;
        break;
      }
    }
  }
  free(stack.frames);
  return outcome;
}
