// PS804 manual-list-comprehension: `out = []` then `for x in y: if c: out.append(f(x))`.
// Documentation: PS804.md beside this file.
#include <fmt/format.h>

#include "async/async_helpers.hpp"
#include "loop_helpers.hpp"
#include "loops/comprehension_fix.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class ManualListComprehension final : public Rule {
 public:
  ManualListComprehension()
      : Rule({"PS804", "manual-list-comprehension", Category::loops, Severity::low,
              "A list built by a for loop of append() calls that a list comprehension could build"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    std::optional<loops::AppendLoop> found = loops::append_loop(ctx, loop);
    if (!found) return;
    auto [statement, condition, receiver, element] = *found;
    Node target = loop.field("left");
    // Appending the loop variable itself, unfiltered, is a copy: PS805's case.
    if (!condition && element.is("identifier") && ctx.text(element) == ctx.text(target)) return;
    std::string_view out = ctx.text(receiver);
    if (!loops::loop_over_data(ctx, loop)) return;
    if (!loops::bound_empty_before(ctx, loop, out, loops::EmptyKind::list)) return;
    if (!loops::can_become_comprehension(ctx, loop, out, {element, condition})) return;
    std::string clause = condition ? fmt::format(" if {}", short_text(ctx, condition, 30)) : "";
    Finding& finding = ctx.report(*this, statement,
               fmt::format("`{}` is built by appending in a for loop over {}: a list "
                           "comprehension builds it without the per-item `append` method call",
                           out, short_text(ctx, loop.field("right"), 30)),
               fmt::format("`{} = [{} {}for {} in {}{}]`", out, short_text(ctx, element, 30),
                           is_async_loop(loop) ? "async " : "", short_text(ctx, target, 20),
                           short_text(ctx, loop.field("right"), 30), clause));
    // `out = []` + the loop -> `out = [element for target in iterable if condition]`.
    if (!element.is("list_splat") && !element.is("keyword_argument")) {
      finding.fix = loops::replace_filling_loop(
          ctx, loop, out,
          loops::comprehension_text(ctx, loop, ctx.text(element), condition, '[', ']'),
          {element, condition});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps804_manual_list_comprehension() {
  return std::make_unique<ManualListComprehension>();
}

}  // namespace perfscan
