// PS809 range-len-indexing: `for i in range(len(x))` where `i` only ever reads `x[i]`.
// Documentation: PS809.md beside this file.
#include <fmt/format.h>

#include "loop_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class RangeLenIndexing final : public Rule {
 public:
  RangeLenIndexing()
      : Rule({"PS809", "range-len-indexing", Category::loops, Severity::low,
              "`for i in range(len(x))` where the index is only used to read `x[i]`"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    Node target = loop.field("left");
    Node sequence = indexed_sequence(ctx, loop.field("right"));
    if (!sequence || !target.is("identifier") || loop.field("alternative")) return;
    std::string_view index = ctx.text(target);
    std::string_view items = ctx.text(sequence);
    // `for i in range(len(self)): yield self[i]` is how __iter__ is written: `for item in
    // self` there would recurse, and elsewhere in the class iterating an instance runs that
    // very indexing. A dict is indexed by key, not position; a few items fixed by the program
    // text are not worth a finding.
    Value value = ctx.infer(sequence);
    std::string_view owner = ctx.enclosing_class();
    if ((!owner.empty() && value.is_instance_of(owner)) || value.is(ValueKind::dict) ||
        ctx.collection_size(sequence) == CollectionSize::bounded) {
      return;
    }
    Node body = loop.field("body");
    if (!only_reads_items(ctx, body, index, items)) return;
    if (loops::may_change(ctx, body, items) || loops::mentioned_after(ctx, loop, index)) return;
    ctx.report(*this, loop.field("right"),
               fmt::format("`{0}` is only used to read `{1}[{0}]`: indexing costs a lookup per "
                           "item that iterating `{1}` directly avoids",
                           index, short_text(ctx, sequence)),
               fmt::format("`for item in {}:` (or `enumerate({})` if the position is needed)",
                           short_text(ctx, sequence), short_text(ctx, sequence)));
  }

 private:
  // `range(len(x))` -> `x` when `x` is a name or an attribute chain (`self.items`).
  static Node indexed_sequence(const Context& ctx, Node iterable) {
    if (!iterable || !iterable.is("call") || ctx.callee_name(iterable) != "builtins.range") {
      return {};
    }
    Node length = first_argument(iterable);
    if (!length || iterable.field("arguments").named_child_count() != 1 || !length.is("call") ||
        ctx.callee_name(length) != "builtins.len" ||
        length.field("arguments").named_child_count() != 1) {
      return {};
    }
    Node sequence = first_argument(length);
    Node base = sequence;
    while (base && base.is("attribute")) base = base.field("object");
    return base && base.is("identifier") ? sequence : Node{};
  }

  // Every use of `index` in the body is the subscript of a read of `items[index]`.
  static bool only_reads_items(const Context& ctx, Node body, std::string_view index,
                               std::string_view items) {
    loops::Occurrences uses = loops::occurrences_of(ctx, body, index);
    if (!uses.complete || uses.items.empty()) return false;
    for (const loops::Occurrence& use : uses.items) {
      Node subscript = use.parent;
      if (use.in_store || !subscript.is("subscript") || !(subscript.field("subscript") == use.node) ||
          use.node.next_named_sibling() || ctx.text(subscript.field("value")) != items) {
        return false;
      }
      if (is_written(subscript, use.grandparent)) return false;
    }
    return true;
  }

  // `items[i] = v`, `items[i] += v` and `del items[i]` need the index.
  static bool is_written(Node subscript, Node parent) {
    if (!parent) return false;
    if (parent.is("assignment") || parent.is("augmented_assignment")) {
      return parent.field("left") == subscript;
    }
    return parent.is("delete_statement");
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps809_range_len_indexing() { return std::make_unique<RangeLenIndexing>(); }

}  // namespace perfscan
