// PS607 dataframe-grown-in-loop: `acc = pd.concat([acc, part])` / `acc = acc.append(part)` in a
// loop. Documentation: PS607.md beside this file.
#include <fmt/format.h>

#include "data_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

class DataFrameGrownInLoop final : public Rule {
 public:
  DataFrameGrownInLoop()
      : Rule({"PS607", "dataframe-grown-in-loop", Category::memory, Severity::high,
              "DataFrame grown by `pd.concat` / `DataFrame.append` inside a loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"assignment"}; }

  void check(Node assignment, Context& ctx) const override {
    Node call = assignment.field("right");
    if (ctx.loops().empty() || !call || !call.is("call")) return;
    std::string callee = ctx.callee_name(call);
    bool grown = false;
    if (callee == "pandas.concat") {
      grown = data::rebuilds_from_itself(ctx, assignment, true);
    } else if (callee == "pandas.DataFrame.append" || callee == "pandas.DataFrame._append") {
      grown = data::rebuilds_from_itself(ctx, assignment, false, true);
    }
    if (!grown) return;
    std::string_view name = ctx.text(assignment.field("left"));
    ctx.report(*this, call,
               fmt::format("DataFrame `{}` is grown inside a loop with `{}`: every step copies "
                           "every row gathered so far into a new frame (O(n²) in the rows)",
                           name, callee == "pandas.concat" ? "pd.concat" : "append"),
               fmt::format("collect the parts in a list (`parts.append(part)`) and build the frame "
                           "once after the loop: `{} = pd.concat(parts, ignore_index=True)`",
                           name));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps607_dataframe_grown_in_loop() {
  return std::make_unique<DataFrameGrownInLoop>();
}

}  // namespace perfscan
