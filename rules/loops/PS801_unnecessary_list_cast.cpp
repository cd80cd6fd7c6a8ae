// PS801 unnecessary-list-cast: `for x in list(y)` where `y` can be iterated as it is.
// Documentation: PS801.md beside this file.
#include <fmt/format.h>

#include "fix_edits.hpp"
#include "loop_helpers.hpp"
#include "memory/call_shapes.hpp"
#include "perfscan/types.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class UnnecessaryListCast final : public Rule {
 public:
  UnnecessaryListCast()
      : Rule({"PS801", "unnecessary-list-cast", Category::loops, Severity::low,
              "`list()` copies an iterable that the for loop could iterate directly"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    Node cast = shapes::unparenthesised(loop.field("right"));
    if (!cast || !cast.is("call") || ctx.callee_name(cast) != "builtins.list") return;
    // `list(x)`, comments inside the call allowed.
    Node copied = shapes::sole_positional_argument(cast);
    if (!copied || copied.is("generator_expression")) return;
    // A handful of fixed items: nothing worth a finding.
    if (ctx.collection_size(copied) == CollectionSize::bounded) return;
    if (!is_fresh_value(ctx, copied) && !is_unchanged_collection(ctx, loop, copied)) return;
    Finding& finding =
        ctx.report(*this, cast,
                   fmt::format("`list()` copies `{}` only to iterate over it: an extra O(n) "
                               "allocation and copy before the loop starts",
                               short_text(ctx, copied)),
                   fmt::format("iterate `{}` directly", short_text(ctx, copied)));
    // `for x in list(y):` -> `for x in y:`. The finding already holds only when nothing can
    // see the copy differ from `y` (a fresh value, or a local the body never changes), so the
    // loop sees the same items in the same order. Comments inside the call would be lost.
    if (!fixes::contains_comment(cast) && !copied.is("list_splat") &&
        !copied.is("keyword_argument")) {
      finding.fix =
          fixes::make(FixSafety::safe, {fixes::replace(ctx, cast, std::string(ctx.text(copied)))});
    }
  }

 private:
  // A value nothing else refers to: a display, a string, a comprehension, or a call that
  // already returns a new list. Copying it again protects nothing.
  static bool is_fresh_value(const Context& ctx, Node value) {
    value = shapes::unparenthesised(value);
    std::string_view kind = value.kind();
    if (kind == "list" || kind == "tuple" || kind == "set" || kind == "string" ||
        kind == "list_comprehension" || kind == "set_comprehension") {
      return true;
    }
    if (kind != "call") return false;
    std::string callee = ctx.callee_name(value);
    return callee == "builtins.sorted" || callee == "builtins.list";
  }

  // What a binding made in this function (or this module's top level) holds, when the
  // assignment built it afresh: a display, a comprehension, or a call to a collection
  // constructor. Anything else (`pending = self.pending`, `rows = load()`) may be shared with
  // code the loop body calls.
  static bool made_fresh(const Context& ctx, const Binding& binding) {
    if (binding.kind != BindingKind::assignment || !binding.node || !binding.node.is("assignment")) {
      return false;
    }
    Node frame = ctx.frame().node;
    if (frame && !frame.contains(binding.node)) return false;
    Node value = binding.node;
    while (value && value.is("assignment")) value = value.field("right");
    value = shapes::unparenthesised(value);
    if (!value) return false;
    std::string_view kind = value.kind();
    if (kind == "list" || kind == "tuple" || kind == "set" || kind == "dictionary" ||
        kind == "string" || kind == "list_comprehension" || kind == "set_comprehension" ||
        kind == "dictionary_comprehension") {
      return true;
    }
    if (kind != "call") return false;
    std::string callee = ctx.callee_name(value);
    for (std::string_view constructor :
         {"builtins.list", "builtins.tuple", "builtins.set", "builtins.frozenset", "builtins.dict",
          "builtins.sorted", "collections.deque", "collections.OrderedDict",
          "collections.defaultdict", "collections.Counter"}) {
      if (callee == constructor) return true;
    }
    return false;
  }

  // A local collection of any kind, made afresh in this function, that the loop body never
  // changes. `for k in list(d)` while the body adds to or deletes from `d` needs the copy (a
  // dict or set changed during iteration raises RuntimeError; a list skips or repeats items),
  // so that stays quiet.
  static bool is_unchanged_collection(const Context& ctx, Node loop, Node copied) {
    if (!copied.is("identifier")) return false;
    std::string_view name = ctx.text(copied);
    const Binding* binding = ctx.lookup(name);
    if (binding == nullptr || !made_fresh(ctx, *binding)) return false;
    Value value = ctx.infer(copied);
    if (value.is(ValueKind::tuple) || value.is_text()) return true;  // immutable
    bool collection = value.is_collection() || is_mapping(value) ||
                      value.is_instance_of("collections.deque");
    return collection && !loops::may_change(ctx, loop.field("body"), name);
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps801_unnecessary_list_cast() {
  return std::make_unique<UnnecessaryListCast>();
}

}  // namespace perfscan
