// PS810 dataframe-iterrows: a loop over `df.iterrows()` / `df.itertuples()` that computes per-row
// values or writes them back. Documentation: PS810.md beside this file.
#include <fmt/format.h>

#include "data_shapes.hpp"
#include "loop_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class DataFrameIterrows final : public Rule {
 public:
  DataFrameIterrows()
      : Rule({"PS810", "dataframe-iterrows", Category::loops, Severity::medium,
              "Row-by-row `iterrows()` / `itertuples()` loop computing per-row values"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    Node rows = loop.field("right");
    if (!rows || !rows.is("call")) return;
    std::string callee = ctx.callee_name(rows);
    if (callee != "pandas.DataFrame.iterrows" && callee != "pandas.DataFrame.itertuples") return;
    Node body = loop.field("body");
    std::vector<std::string_view> names = loops::target_names(ctx, loop.field("left"));
    if (names.empty() || !body) return;
    data::RowWork work = data::row_work(ctx, body, names);
    if (!work.computes && !work.writes_back) return;
    if (work.leaves || work.suspends) return;
    Node frame = rows.field("function").field("object");
    std::string method(callee.substr(callee.rfind('.') + 1));
    const bool nested = !ctx.loops().empty();
    ctx.report(*this, rows,
               fmt::format("`{}()` loop {}: each row becomes a Python object (a Series or a "
                           "tuple) and every step runs in the interpreter{}",
                           method,
                           work.writes_back ? "writes values back into the frame one cell at a time"
                                            : "computes a value per row",
                           nested ? ", inside another loop" : ""),
               fmt::format("compute the column with a vectorised expression over `{0}` (`{0}[\"a\"] "
                           "* {0}[\"b\"]`, `np.where(...)`, `.map(...)`, `.str` / `.dt` "
                           "accessors) instead of looping over its rows",
                           short_text(ctx, frame)),
               nested ? std::optional<Severity>(Severity::high) : std::nullopt);
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps810_dataframe_iterrows() { return std::make_unique<DataFrameIterrows>(); }

}  // namespace perfscan
