// PS807 import-in-loop: an import statement executed on every iteration of a loop.
// Documentation: PS807.md beside this file.
#include <fmt/format.h>

#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class ImportInLoop final : public Rule {
 public:
  ImportInLoop()
      : Rule({"PS807", "import-in-loop", Category::loops, Severity::low,
              "Import statement inside a loop body, executed on every iteration"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"import_statement", "import_from_statement"};
  }

  void check(Node statement, Context& ctx) const override {
    // loops() holds only the loops of the current function: an import in a def inside a loop
    // runs when the function is called, not per iteration.
    if (ctx.loops().empty()) return;
    ctx.report(*this, statement,
               fmt::format("`{}` runs on every iteration: after the first time each run still "
                           "looks the module up in sys.modules and rebinds the names",
                           short_text(ctx, statement, 50)),
               "move the import above the loop (or to the top of the module)");
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps807_import_in_loop() { return std::make_unique<ImportInLoop>(); }

}  // namespace perfscan
