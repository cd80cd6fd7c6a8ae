/* The direct copy of tree-sitter's tree: see subtree_walk.h. Each step mirrors the public cursor
 * and node API of tree-sitter 0.25 (lib/src/tree_cursor.c, node.c, language.c), cited by
 * function, so that a runtime upgrade can be checked against it line by line. */
#include "syntax/subtree_walk.h"

#include <stdbool.h>
#include <stdlib.h>

/* The runtime's internal headers (cmake/TreeSitterRuntime.cmake puts them on the path). */
#include "language.h"
#include "length.h"
#include "subtree.h"
#include "tree.h"


/* The children of one subtree being visited: a visible node's, or a hidden node's, whose
 * visible children count as its nearest visible ancestor's (the owner). As tree_cursor.c's
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
  bool hidden;
  uint32_t depth;            /* visible ancestors of the children */
  uint32_t owner;            /* the nearest visible node: the children's parent in the copy */
  uint32_t owner_children;   /* its visible children, as its subtree counts them */
  uint32_t owner_named;      /* and its named ones */
} Frame;

typedef struct Copy {
  const TSLanguage *language;
  PerfscanFlatTree *out;
  Frame *frames;
  uint32_t frame_count;
  uint32_t frame_capacity;
  uint32_t next_child_slot; /* the first entry of `children` not reserved yet */
  uint32_t next_named_slot;
} Copy;

/* language.c: ts_language_public_symbol and ts_language_symbol_metadata, inline. */
static inline TSSymbol public_symbol(const TSLanguage *language, TSSymbol symbol) {
  return symbol == ts_builtin_sym_error ? symbol : language->public_symbol_map[symbol];
}

static inline bool symbol_is_named(const TSLanguage *language, TSSymbol symbol) {
  if (symbol == ts_builtin_sym_error) return true;
  if (symbol == ts_builtin_sym_error_repeat) return false;
  return language->symbol_metadata[symbol].named;
}

/* ts_tree_cursor_current_field_id, one level: the first field entry of the parent's production
 * for this structural child that is not inherited. */
static inline TSFieldId field_at(const Frame *frame, uint32_t structural_child_index) {
  for (const TSFieldMapEntry *entry = frame->fields; entry < frame->fields_end; ++entry) {
    if (!entry->inherited && entry->child_index == structural_child_index) return entry->field_id;
  }
  return 0;
}

static bool push_frame(Copy *copy, Subtree parent, Length position, TSFieldId inherited_field,
                       bool hidden, uint32_t depth, uint32_t owner, uint32_t owner_children,
                       uint32_t owner_named) {
  if (copy->frame_count == copy->frame_capacity) {
    uint32_t capacity = copy->frame_capacity ? copy->frame_capacity * 2 : 64;
    Frame *frames = realloc(copy->frames, (size_t)capacity * sizeof(Frame));
    if (frames == NULL) return false;
    copy->frames = frames;
    copy->frame_capacity = capacity;
  }
  Frame *frame = &copy->frames[copy->frame_count++];
  uint16_t production_id = parent.ptr->production_id;
  frame->parent = parent;
  frame->position = position;
  frame->child_index = 0;
  frame->structural_child_index = 0;
  frame->alias_sequence = ts_language_alias_sequence(copy->language, production_id);
  ts_language_field_map(copy->language, production_id, &frame->fields, &frame->fields_end);
  frame->inherited_field = inherited_field;
  frame->hidden = hidden;
  frame->depth = depth;
  frame->owner = owner;
  frame->owner_children = owner_children;
  frame->owner_named = owner_named;
  return true;
}

/* The named children a subtree with `visible_children` visible ones shows (an inline subtree
 * has none, and no named_child_count to read). */
static inline uint32_t named_child_count(Subtree subtree, uint32_t visible_children) {
  return visible_children > 0 ? subtree.ptr->named_child_count : 0;
}

/* node.c: what ts_node_start_byte, _end_byte, _start_point, _end_point, _symbol, _is_named,
 * _is_missing and _has_error say of the node ts_tree_cursor_current_node builds; and the slots
 * of its child lists, reserved from the counts its subtree holds (`children` and
 * `named_children`, which the caller has read for its frame too). Returns false when they do
 * not fit. */
static bool describe(Copy *copy, PerfscanNodeData *node, Subtree subtree, Length position,
                     TSSymbol alias, TSFieldId field, uint32_t children, uint32_t named_children) {
  Length size = ts_subtree_size(subtree);
  node->start_byte = position.bytes;
  node->end_byte = position.bytes + size.bytes;
  node->start_point = position.extent;
  node->end_point = point_add(position.extent, size.extent);
  node->symbol = public_symbol(copy->language, alias ? alias : ts_subtree_symbol(subtree));
  node->field = field;
  bool named = alias ? symbol_is_named(copy->language, alias) : ts_subtree_named(subtree);
  node->flags = (named ? PERFSCAN_NODE_NAMED : 0u) |
                (ts_subtree_missing(subtree) ? PERFSCAN_NODE_MISSING : 0u) |
                (ts_subtree_error_cost(subtree) > 0 ? PERFSCAN_NODE_HAS_ERROR : 0u);
  node->child_count = 0;
  node->named_child_count = 0;
  node->first_child = copy->next_child_slot;
  node->first_named = copy->next_named_slot;
  uint32_t slots = copy->out->capacity - 1;
  if (children > slots - copy->next_child_slot || named_children > slots - copy->next_named_slot) {
    return false;
  }
  copy->next_child_slot += children;
  copy->next_named_slot += named_children;
  return true;
}

/* Adds a visible child of the frame's owner. Returns its index, or PERFSCAN_NO_NODE when the
 * counts disagree. */
static uint32_t add_child(Copy *copy, const Frame *frame, Subtree child, Length position,
                          TSSymbol alias, TSFieldId field, uint32_t children, uint32_t named_children) {
  PerfscanFlatTree *out = copy->out;
  PerfscanNodeData *owner = &out->nodes[frame->owner];
  if (out->size == out->capacity || owner->child_count == frame->owner_children) return PERFSCAN_NO_NODE;
  uint32_t index = out->size;
  PerfscanNodeData *node = &out->nodes[index];
  if (!describe(copy, node, child, position, alias, field, children, named_children)) return PERFSCAN_NO_NODE;
  node->parent = frame->owner;
  node->index_in_parent = owner->child_count;
  out->children[owner->first_child + owner->child_count++] = index;
  node->named_index = PERFSCAN_NO_NODE;
  if (node->flags & PERFSCAN_NODE_NAMED) {
    if (owner->named_child_count == frame->owner_named) return PERFSCAN_NO_NODE;
    node->named_index = owner->named_child_count;
    out->named_children[owner->first_named + owner->named_child_count++] = index;
  }
  out->size++;
  return index;
}

/* A visible node's frame is done: every child its subtree counted must have been copied. */
static bool owner_complete(const Copy *copy, const Frame *frame) {
  const PerfscanNodeData *owner = &copy->out->nodes[frame->owner];
  return owner->child_count == frame->owner_children && owner->named_child_count == frame->owner_named;
}

uint32_t perfscan_visible_node_count(const TSTree *tree) {
  return ts_subtree_visible_descendant_count(tree->root) + 1;
}

static PerfscanCopyOutcome copy_children(Copy *copy) {
  PerfscanFlatTree *out = copy->out;
  while (copy->frame_count > 0) {
    Frame *frame = &copy->frames[copy->frame_count - 1];
    uint32_t child_count = frame->parent.ptr->child_count;
    if (frame->child_index == child_count) {
      if (!frame->hidden && !owner_complete(copy, frame)) return PERFSCAN_COPY_COUNTS_DISAGREE;
      --copy->frame_count;
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
    uint32_t visible_children = ts_subtree_visible_child_count(child);
    if (visible) {
      if (frame->depth > out->max_depth) return PERFSCAN_COPY_TOO_DEEP;
      if ((out->size % PERFSCAN_NODES_PER_DEADLINE_CHECK) == 0 && out->past_deadline != NULL &&
          out->past_deadline(out->deadline_context)) {
        return PERFSCAN_COPY_PAST_DEADLINE;
      }
      uint32_t named_children = named_child_count(child, visible_children);
      uint32_t index = add_child(copy, frame, child, position, alias, field, visible_children, named_children);
      if (index == PERFSCAN_NO_NODE) return PERFSCAN_COPY_COUNTS_DISAGREE;
      if (visible_children > 0) {
        /* `frame` may move when the stack grows: not used past here. */
        uint32_t depth = frame->depth + 1;
        if (!push_frame(copy, child, position, 0, false, depth, index, visible_children, named_children)) {
          return PERFSCAN_COPY_OUT_OF_MEMORY;
        }
      }
    } else if (visible_children > 0) {
      /* ts_tree_cursor_goto_first_child_internal's TreeCursorStepHidden: a hidden node with
       * visible nodes inside; they are its owner's children. */
      Frame parent_frame = *frame;
      if (!push_frame(copy, child, position, field, true, parent_frame.depth, parent_frame.owner,
                      parent_frame.owner_children, parent_frame.owner_named)) {
        return PERFSCAN_COPY_OUT_OF_MEMORY;
      }
    }
  }
  return PERFSCAN_COPY_DONE;
}

PerfscanCopyOutcome perfscan_copy_tree(const TSTree *tree, PerfscanFlatTree *out) {
  Copy copy = {tree->language, out, NULL, 0, 0, 0, 0};
  out->size = 0;
  out->named_size = 0;
  if (out->capacity == 0) return PERFSCAN_COPY_COUNTS_DISAGREE;
  /* ts_tree_root_node: the root starts after its padding and has no alias or field. */
  Subtree root = tree->root;
  Length root_position = ts_subtree_padding(root);
  uint32_t root_children = ts_subtree_visible_child_count(root);
  uint32_t root_named = named_child_count(root, root_children);
  PerfscanNodeData *node = &out->nodes[0];
  if (!describe(&copy, node, root, root_position, 0, 0, root_children, root_named)) {
    return PERFSCAN_COPY_COUNTS_DISAGREE;
  }
  node->parent = PERFSCAN_NO_NODE;
  node->index_in_parent = 0;
  node->named_index = PERFSCAN_NO_NODE;
  out->size = 1;
  PerfscanCopyOutcome outcome = PERFSCAN_COPY_DONE;
  if (root_children > 0) {
    if (!push_frame(&copy, root, root_position, 0, false, 1, 0, root_children, root_named)) {
      return PERFSCAN_COPY_OUT_OF_MEMORY;
    }
    outcome = copy_children(&copy);
  }
  free(copy.frames);
  out->named_size = copy.next_named_slot;
  if (outcome == PERFSCAN_COPY_DONE && out->size != out->capacity) outcome = PERFSCAN_COPY_COUNTS_DISAGREE;
  return outcome;
}
