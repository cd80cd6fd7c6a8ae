// PS807 import-in-loop: an import statement executed on every iteration of a loop.
// Documentation: PS807.md beside this file.
#include <fmt/format.h>

#include "loop_helpers.hpp"
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
    if (ctx.loops().empty() || is_deliberately_lazy(ctx, statement, ctx.loops().back().node)) {
      return;
    }
    // A few iterations fixed by the program text (`for sig in [0.1, 0.5, 1.0]`): a few
    // sys.modules lookups, nothing worth a finding.
    if (loops::runs_fixed_number_of_times(ctx)) return;
    ctx.report(*this, statement,
               fmt::format("`{}` runs on every iteration: after the first time each run still "
                           "looks the module up in sys.modules and rebinds the names",
                           short_text(ctx, statement, 50)),
               "move the import above the loop (or to the top of the module)");
  }

 private:
  // An import in an `except` handler runs only when something failed (`import traceback`),
  // and one under an `if` that loads a diagnostics module (`import warnings` before a
  // deprecation warning) only on the rare path it guards: that laziness is deliberate, costs
  // nothing on the common path, and hoisting it would import eagerly what is rarely needed.
  static bool is_deliberately_lazy(const Context& ctx, Node statement, Node loop) {
    bool conditional = false;
    for (Node node = statement.parent(); node && !(node == loop); node = node.parent()) {
      std::string_view kind = node.kind();
      if (kind == "except_clause" || kind == "except_group_clause") return true;
      if (guards_first_use(ctx, node, statement)) return true;
      conditional = conditional || kind == "if_statement" || kind == "elif_clause" ||
                    kind == "else_clause" || kind == "case_clause";
    }
    return conditional && imports_diagnostics_module(ctx, statement);
  }

  // `if not re: import re`: the import runs once, the first time the name is still empty.
  static bool guards_first_use(const Context& ctx, Node branch, Node statement) {
    if (!branch.is("if_statement") && !branch.is("elif_clause")) return false;
    Node condition = branch.field("condition");
    if (!condition || !condition.is("not_operator")) return false;
    Node name = condition.field("argument");
    if (!name || !name.is("identifier")) return false;
    Node imported = statement.is("import_from_statement") ? statement.named_child(1)
                                                          : statement.named_child(0);
    if (imported && imported.is("aliased_import")) imported = imported.field("alias");
    std::string_view bound = ctx.text(imported);
    return bound.substr(0, bound.find('.')) == ctx.text(name);
  }

  static bool imports_diagnostics_module(const Context& ctx, Node statement) {
    Node module = statement.is("import_from_statement") ? statement.field("module_name")
                                                        : statement.named_child(0);
    if (module && module.is("aliased_import")) module = module.field("name");
    std::string_view name = ctx.text(module);
    name = name.substr(0, name.find('.'));
    return name == "warnings" || name == "traceback" || name == "logging" || name == "pdb";
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps807_import_in_loop() { return std::make_unique<ImportInLoop>(); }

}  // namespace perfscan
