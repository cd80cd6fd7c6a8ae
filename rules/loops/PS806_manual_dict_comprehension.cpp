// PS806 manual-dict-comprehension: `out = {}` then `for x in y: if c: out[k(x)] = v(x)`.
// Documentation: PS806.md beside this file.
#include <fmt/format.h>

#include "async/async_helpers.hpp"
#include "loop_helpers.hpp"
#include "loops/comprehension_fix.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class ManualDictComprehension final : public Rule {
 public:
  ManualDictComprehension()
      : Rule({"PS806", "manual-dict-comprehension", Category::loops, Severity::low,
              "A dict filled by a for loop that a dict comprehension could build"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    Node condition;
    Node statement = loops::comprehension_shaped_body(loop, condition);
    if (!statement || !statement.is("expression_statement") || statement.named_child_count() != 1) {
      return;
    }
    Node assignment = statement.named_child(0);
    if (!assignment.is("assignment") || assignment.field("type")) return;
    Node slot = assignment.field("left");
    Node value = assignment.field("right");
    if (!slot || !slot.is("subscript") || !value || value.is("assignment")) return;
    Node receiver = slot.field("value");
    Node key = slot.field("subscript");
    if (!receiver.is("identifier") || !key || key.next_named_sibling()) return;
    // The loop evaluates the value before the key, a comprehension the key first: with calls
    // on both sides (`d[random()] = random()`) the rewrite would reorder side effects.
    if (loops::contains_call(key) && loops::contains_call(value)) return;
    std::string_view out = ctx.text(receiver);
    if (!loops::loop_over_data(ctx, loop)) return;
    if (!loops::bound_empty_before(ctx, loop, out, loops::EmptyKind::dict)) return;
    if (!loops::can_become_comprehension(ctx, loop, out, {key, value, condition})) return;
    std::string clause = condition ? fmt::format(" if {}", short_text(ctx, condition, 30)) : "";
    Finding& finding = ctx.report(*this, statement,
               fmt::format("`{}` is filled item by item in a for loop: a dict comprehension "
                           "builds it in one expression, without the per-item store statement",
                           out),
               fmt::format("`{} = {{{}: {} {}for {} in {}{}}}`", out, short_text(ctx, key, 25),
                           short_text(ctx, value, 25), is_async_loop(loop) ? "async " : "",
                           short_text(ctx, loop.field("left"), 20),
                           short_text(ctx, loop.field("right"), 30), clause));
    // `out = {}` + the loop -> `out = {key: value for target in iterable if condition}`. The
    // comprehension computes the key before the value; the check above made sure at most one
    // of them calls anything, so no side effect changes order.
    std::string pair = fmt::format("{}: {}", ctx.text(key), ctx.text(value));
    finding.fix = loops::replace_filling_loop(
        ctx, loop, out, loops::comprehension_text(ctx, loop, pair, condition, '{', '}'),
        {key, value, condition});
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps806_manual_dict_comprehension() {
  return std::make_unique<ManualDictComprehension>();
}

}  // namespace perfscan
