// PS608 array-grown-in-loop: `acc = np.append(acc, x)` / `np.concatenate([acc, x])` /
// `np.vstack` / `np.hstack` in a loop. Documentation: PS608.md beside this file.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "data_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

// Functions that return a new array holding their inputs joined: the accumulator sits in the
// list or tuple of their first argument.
constexpr std::array<std::string_view, 6> kStacking = {
    "numpy.concatenate", "numpy.vstack", "numpy.hstack", "numpy.row_stack", "numpy.column_stack",
    "numpy.dstack"};

class ArrayGrownInLoop final : public Rule {
 public:
  ArrayGrownInLoop()
      : Rule({"PS608", "array-grown-in-loop", Category::memory, Severity::high,
              "NumPy array grown by `np.append` / `np.concatenate` / `np.vstack` inside a loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"assignment"}; }

  void check(Node assignment, Context& ctx) const override {
    Node call = assignment.field("right");
    if (ctx.loops().empty() || !call || !call.is("call")) return;
    std::string callee = ctx.callee_name(call);
    bool grown = false;
    if (callee == "numpy.append") {
      grown = data::rebuilds_from_itself(ctx, assignment, false);
    } else if (std::find(kStacking.begin(), kStacking.end(), callee) != kStacking.end()) {
      grown = data::rebuilds_from_itself(ctx, assignment, true);
    }
    if (!grown) return;
    std::string_view name = ctx.text(assignment.field("left"));
    std::string short_callee = "np." + callee.substr(callee.find('.') + 1);
    ctx.report(*this, call,
               fmt::format("Array `{}` is grown inside a loop with `{}`: NumPy arrays have a fixed "
                           "size, so every step allocates a new array and copies every element "
                           "so far (O(n²))",
                           name, short_callee),
               fmt::format("append the pieces to a list and join once after the loop (`{} = "
                           "np.concatenate(parts)` / `np.vstack(rows)` / `np.array(values)`), or "
                           "preallocate with `np.empty(n)` and fill it",
                           name));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps608_array_grown_in_loop() { return std::make_unique<ArrayGrownInLoop>(); }

}  // namespace perfscan
