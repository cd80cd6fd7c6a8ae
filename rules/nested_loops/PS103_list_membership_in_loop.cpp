// PS103 list-membership-in-loop: `x in seen` inside a loop, where `seen` is a list or tuple
// that lives across iterations and grows or holds data. Documentation: PS103.md beside this file.
#include <fmt/format.h>

#include "loop_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

using nested_loops::ListSize;

class ListMembershipInLoop final : public Rule {
 public:
  ListMembershipInLoop()
      : Rule({"PS103", "list-membership-in-loop", Category::nested_loops, Severity::medium,
              "Membership test against a list or tuple inside a loop: a linear scan each time"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"comparison_operator"};
  }

  void check(Node comparison, Context& ctx) const override {
    if (ctx.loops().empty() || comparison.named_child_count() != 2) return;
    std::string_view op = membership_operator(ctx, comparison);
    if (op.empty()) return;
    Node container = comparison.named_child(1);
    if (!container.is("identifier") || is_literal(comparison.named_child(0))) return;
    // A constant number of iterations (`for sep in ",;"`) makes the scans linear in total.
    if (only_in_constant_loops(ctx)) return;
    std::string_view name = ctx.text(container);
    const Binding* binding = nested_loops::persisting_binding(ctx, name);
    if (binding == nullptr) return;
    ValueKind kind = binding->value.kind;
    if (kind != ValueKind::list && kind != ValueKind::tuple) return;
    // A list the program text bounds costs a constant per test: linear over the loop.
    ListSize size = nested_loops::list_size(ctx, container);
    if (size == ListSize::bounded || leaves_loop_after(ctx, comparison)) return;
    std::string_view type = kind == ValueKind::list ? "list" : "tuple";
    ctx.report(*this, comparison,
               fmt::format("`{}` scans the {} `{}` on every iteration{}", ctx.text(comparison),
                           type, name, cost(size, name)),
               fmt::format("keep a set beside (or instead of) the {} (`{}_set = set({})`, "
                           "`.add()` as it grows) and test `{} {}_set`: O(1) per test",
                           type, name, name, op, name),
               Severity::medium);
  }

 private:
  // "in" or "not in"; empty for other comparisons (and chains).
  static std::string_view membership_operator(const Context& ctx, Node comparison) {
    for (uint32_t i = 0, n = comparison.child_count(); i < n; ++i) {
      Node child = comparison.child(i);
      if (child.is_named()) continue;
      std::string_view op = ctx.text(child);
      if (op == "in") return "in";
      if (op == "not in" || op == "not") return "not in";
      return {};
    }
    return {};
  }

  // `"--embed" in flags` asks the same question on every iteration: a loop-invariant test to
  // hoist, not a scan that grows with the data.
  static bool is_literal(Node node) {
    std::string_view kind = node.kind();
    return kind == "string" || kind == "integer" || kind == "float" || kind == "true" ||
           kind == "false" || kind == "none";
  }

  static std::string cost(ListSize size, std::string_view name) {
    switch (size) {
      case ListSize::grows:
        return fmt::format(" while the loop grows `{}`: O(n²) over the loop", name);
      default:
        return fmt::format(": O(n × |{}|) over the loop", name);
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps103_list_membership_in_loop() {
  return std::make_unique<ListMembershipInLoop>();
}

}  // namespace perfscan
