// PS403 multi-piece-concat-in-loop: one expression joins many pieces with `+` on every
// iteration (`line = a + "," + b + "," + c`). Documentation: PS403.md beside this file.
#include <fmt/format.h>

#include "concat_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// Below this many pieces the intermediate copies cost less than reading a join would.
constexpr int kMinPieces = 4;

class MultiPieceConcatInLoop final : public Rule {
 public:
  MultiPieceConcatInLoop()
      : Rule({"PS403", "multi-piece-concat-in-loop", Category::string_concat, Severity::low,
              "String assembled from many pieces with `+` on every loop iteration"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"binary_operator"};
  }

  void check(Node expr, Context& ctx) const override {
    if (ctx.loops().empty() || !is_plus(ctx, expr) || is_plus(ctx, expr.parent())) return;
    if (only_in_constant_loops(ctx)) return;
    int pieces = 1;
    int literals = 0;
    for (Node node = expr; is_plus(ctx, node); node = node.field("left")) {
      ++pieces;
      literals += node.field("right").is("string") ? 1 : 0;
      Node left = node.field("left");
      if (!is_plus(ctx, left)) literals += left.is("string") ? 1 : 0;
    }
    // At least one literal says "text being formatted"; two computed pieces rule out
    // constant folding.
    if (pieces < kMinPieces || literals == 0 || pieces - literals < 2) return;
    if (accumulates(ctx, expr) || !ctx.infer(expr).is_text()) return;
    ctx.report(*this, expr,
               fmt::format("String assembled from {} pieces with `+` on every iteration: {} "
                           "intermediate strings, each copied again by the next `+`",
                           pieces, pieces - 2),
               "write one f-string (`f\"{a},{b},{c}\"`) or `\",\".join((a, b, c))`: the result "
               "is built in one allocation",
               Severity::low);
  }

 private:
  static bool is_plus(const Context& ctx, Node node) {
    return node && node.is("binary_operator") && ctx.text(node.field("operator")) == "+";
  }

  // `s += a + "," + b` and `s = s + a + ","`: the accumulation is PS401/PS402's finding.
  static bool accumulates(const Context& ctx, Node expr) {
    Node parent = expr.parent();
    while (parent && parent.is("parenthesized_expression")) parent = parent.parent();
    if (!parent) return false;
    if (parent.is("augmented_assignment")) return true;
    return parent.is("assignment") &&
           string_concat::concatenates_onto(ctx, expr, ctx.text(parent.field("left")));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps403_multi_piece_concat_in_loop() {
  return std::make_unique<MultiPieceConcatInLoop>();
}

}  // namespace perfscan
