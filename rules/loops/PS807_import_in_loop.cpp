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
    if (ctx.loops().empty() || !runs_every_iteration(statement, ctx.loops().back().node)) return;
    ctx.report(*this, statement,
               fmt::format("`{}` runs on every iteration: after the first time each run still "
                           "looks the module up in sys.modules and rebinds the names",
                           short_text(ctx, statement, 50)),
               "move the import above the loop (or to the top of the module)");
  }

 private:
  // Only imports on the loop's main path. One under an `if` or in an `except` handler runs on
  // the rare path it guards (`import warnings` before a deprecation warning, `import
  // traceback` when something failed): that laziness is deliberate and costs nothing on the
  // common path, and hoisting it would import eagerly what is usually not needed.
  static bool runs_every_iteration(Node statement, Node loop) {
    for (Node node = statement.parent(); node && !(node == loop); node = node.parent()) {
      std::string_view kind = node.kind();
      if (kind == "if_statement" || kind == "elif_clause" || kind == "else_clause" ||
          kind == "except_clause" || kind == "except_group_clause" || kind == "case_clause" ||
          kind == "conditional_expression") {
        return false;
      }
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps807_import_in_loop() { return std::make_unique<ImportInLoop>(); }

}  // namespace perfscan
