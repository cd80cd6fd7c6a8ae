// PS805 manual-list-copy: `for x in y: out.append(x)` copies `y` one item at a time.
// Documentation: PS805.md beside this file.
#include <fmt/format.h>

#include "async/async_helpers.hpp"
#include "fix_edits.hpp"
#include "loop_helpers.hpp"
#include "loops/comprehension_fix.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class ManualListCopy final : public Rule {
 public:
  ManualListCopy()
      : Rule({"PS805", "manual-list-copy", Category::loops, Severity::low,
              "A for loop appending every item of an iterable to a list, one call per item"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    std::optional<loops::AppendLoop> found = loops::append_loop(ctx, loop);
    // `async for`: there is no `list()` of an async iterator to suggest.
    if (!found || found->condition || is_async_loop(loop) || !loops::loop_over_data(ctx, loop)) {
      return;
    }
    auto [statement, condition, receiver, element] = *found;
    Node target = loop.field("left");
    if (!target.is("identifier") || !element.is("identifier") ||
        ctx.text(element) != ctx.text(target)) {
      return;
    }
    std::string_view out = ctx.text(receiver);
    // Only a name known to hold a list: `.append` on anything else may do more than store.
    const Binding* binding = ctx.lookup(out);
    if (binding == nullptr || binding->value.kind != ValueKind::list) return;
    if (!loops::can_become_comprehension(ctx, loop, out, {})) return;
    std::string source = short_text(ctx, loop.field("right"));
    bool fresh = loops::bound_empty_before(ctx, loop, out, loops::EmptyKind::list);
    Finding& finding = ctx.report(*this, statement,
               fmt::format("`{}` receives every item of `{}` through one `append` call per "
                           "item: a copy done in Python instead of C",
                           out, source),
               fresh ? fmt::format("`{} = list({})`", out, source)
                     : fmt::format("`{}.extend({})`", out, source));
    finding.fix = fix(ctx, loop, out, fresh);
  }

 private:
  // `out = []` right before the loop -> `out = list(y)` (replace_filling_loop says when that is
  // safe). Otherwise the loop becomes `out.extend(y)`: list.extend appends the items one by one
  // in the same order, and an exception half-way leaves the same items appended, so that is
  // safe whenever `out` is a list, which the finding already holds.
  static std::optional<Fix> fix(const Context& ctx, Node loop, std::string_view out, bool fresh) {
    std::string source = fixes::as_or_test(ctx, loop.field("right"));
    if (fresh && fixes::is_builtin(ctx, "list")) {
      if (auto fill = loops::replace_filling_loop(ctx, loop, out, fmt::format("list({})", source),
                                                  {})) {
        return fill;
      }
    }
    if (fixes::contains_comment(loop)) return std::nullopt;
    // The loop statement's text is replaced up to its end, which is the body's last line.
    return fixes::make(FixSafety::safe,
                       {fixes::replace(ctx, loop, fmt::format("{}.extend({})", out, source))});
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps805_manual_list_copy() { return std::make_unique<ManualListCopy>(); }

}  // namespace perfscan
