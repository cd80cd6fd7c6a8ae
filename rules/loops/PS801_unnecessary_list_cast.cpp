// PS801 unnecessary-list-cast: `for x in list(y)` where `y` can be iterated as it is.
// Documentation: PS801.md beside this file.
#include <fmt/format.h>

#include "loop_helpers.hpp"
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
    Node cast = loop.field("right");
    if (!cast || !cast.is("call") || ctx.callee_name(cast) != "builtins.list") return;
    Node arguments = cast.field("arguments");
    Node copied = first_argument(cast);
    if (!copied || arguments.named_child_count() != 1) return;
    if (!is_fresh_value(ctx, copied) && !is_unchanged_collection(ctx, loop, copied)) return;
    ctx.report(*this, cast,
               fmt::format("`list()` copies `{}` only to iterate over it: an extra O(n) "
                           "allocation and copy before the loop starts",
                           short_text(ctx, copied)),
               fmt::format("iterate `{}` directly", short_text(ctx, copied)));
  }

 private:
  // A value nothing else refers to: a display, a string, a comprehension, or a call that
  // already returns a new list. Copying it again protects nothing.
  static bool is_fresh_value(const Context& ctx, Node value) {
    std::string_view kind = value.kind();
    if (kind == "list" || kind == "tuple" || kind == "set" || kind == "string" ||
        kind == "list_comprehension" || kind == "set_comprehension") {
      return true;
    }
    if (kind != "call") return false;
    std::string callee = ctx.callee_name(value);
    return callee == "builtins.sorted" || callee == "builtins.list";
  }

  // A local list, tuple, set, dict or str the loop body never changes. `for k in list(d)`
  // while the body adds to or deletes from `d` needs the copy (a dict or set changed during
  // iteration raises RuntimeError; a list skips or repeats items), so that stays quiet.
  static bool is_unchanged_collection(const Context& ctx, Node loop, Node copied) {
    if (!copied.is("identifier")) return false;
    std::string_view name = ctx.text(copied);
    const Binding* binding = ctx.lookup(name);
    if (binding == nullptr || binding->kind != BindingKind::assignment || !binding->node) {
      return false;
    }
    // Bound in this function (or this module's top level): a call elsewhere cannot reach it
    // through a global.
    Node frame = ctx.frame().node;
    if (frame && !frame.contains(binding->node)) return false;
    switch (binding->value.kind) {
      case ValueKind::tuple:
      case ValueKind::str:
      case ValueKind::bytes:
        return true;  // immutable: only a rebinding could differ, and that cannot reach the loop
      case ValueKind::list:
      case ValueKind::set:
      case ValueKind::dict:
        return !loops::may_change(ctx, loop.field("body"), name);
      default:
        return false;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps801_unnecessary_list_cast() {
  return std::make_unique<UnnecessaryListCast>();
}

}  // namespace perfscan
