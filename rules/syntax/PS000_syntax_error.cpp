// PS000 syntax-error: the file does not parse. Reported once, at the first error; the rest of
// the file is still analysed from tree-sitter's recovered tree. Documentation: PS000.md.
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "syntax/parser.hpp"

namespace perfscan {
namespace {

class SyntaxErrorRule final : public Rule {
 public:
  SyntaxErrorRule()
      : Rule({"PS000", "syntax-error", Category::syntax, Severity::high,
              "The file has a syntax error; findings after it may be incomplete"}) {}

  // A file tree-sitter cannot make sense of at all has an ERROR node as its root.
  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"module", "ERROR"};
  }

  void check(Node module, Context& ctx) const override {
    if (module.is("ERROR") && !module.parent().is_null()) return;  // only the root
    SyntaxError error = first_syntax_error(module, ctx.source());
    if (!error.found) return;
    ctx.report(*this, error.node, error.message,
               "fix the syntax error; perfscan analysed what it could parse around it");
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps000_syntax_error() { return std::make_unique<SyntaxErrorRule>(); }

}  // namespace perfscan
