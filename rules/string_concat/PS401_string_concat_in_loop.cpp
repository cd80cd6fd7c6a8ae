// PS401 string-concat-in-loop: a str grown with `+=` / `s = s + ...` across loop iterations.
// Documentation: PS401.md beside this file.
#include <fmt/format.h>

#include "concat_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

class StringConcatInLoop final : public Rule {
 public:
  StringConcatInLoop()
      : Rule({"PS401", "string-concat-in-loop", Category::string_concat, Severity::medium,
              "String built by repeated concatenation inside a loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"augmented_assignment", "assignment"};
  }

  void check(Node statement, Context& ctx) const override {
    string_concat::Accumulation grown = string_concat::text_accumulation(ctx, statement);
    if (grown.kind != ValueKind::str) return;
    std::string_view name = ctx.text(grown.target);
    std::string suggestion = fmt::format(
        "append the pieces to a list and join once after the loop: `parts.append(...)` then "
        "`{} = ''.join(parts)` (or write to an io.StringIO)",
        name);
    if (grown.cost == string_concat::StepCost::in_place_on_cpython) {
      // Measured linear on CPython (bench/string_accumulation.py): a portability note.
      ctx.report(*this, statement,
                 fmt::format("String `{}` is built by concatenation inside a loop: CPython grows an "
                             "unshared local string in place (linear), but PyPy and other "
                             "interpreters copy it at every step (O(n²) in the total length)",
                             name),
                 std::move(suggestion), Severity::low);
      return;
    }
    ctx.report(*this, statement,
               fmt::format("String `{}` is built by concatenation inside a loop: {}, so every step "
                           "copies everything built so far (O(n²) in the total length){}",
                           name, grown.why, grown.data_sized ? ", over a loop sized by the data" : ""),
               std::move(suggestion), grown.data_sized ? Severity::high : Severity::medium);
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps401_string_concat_in_loop() {
  return std::make_unique<StringConcatInLoop>();
}

}  // namespace perfscan
