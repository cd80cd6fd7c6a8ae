// PS104 linear-list-method-in-loop: `.index()`, `.count()`, `.remove()`, `.insert(0, x)`,
// `.pop(0)` or `.sort()` on a list that lives across iterations: O(n) (or O(n log n)) per
// iteration. Documentation: PS104.md beside this file.
#include <fmt/format.h>

#include "loop_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

using nested_loops::ListSize;

constexpr const char* kSortAdvice =
    "sort once after the loop, or keep the list ordered with `bisect.insort` (or a heap with "
    "`heapq` when only the smallest item is needed)";

class LinearListMethodInLoop final : public Rule {
 public:
  LinearListMethodInLoop()
      : Rule({"PS104", "linear-list-method-in-loop", Category::nested_loops, Severity::medium,
              "O(n) list operation (index, count, remove, insert(0), pop(0), sort) in a loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    // A constant number of iterations (`for letter in "abc"`) keeps the total linear.
    if (ctx.loops().empty() || only_in_constant_loops(ctx)) return;
    Node function = call.field("function");
    if (function.is("identifier")) {
      check_sorted(call, ctx);
      return;
    }
    if (!function.is("attribute") || !function.field("object").is("identifier")) return;
    std::string_view name = ctx.text(function.field("object"));
    std::string_view method = ctx.text(function.field("attribute"));
    const char* advice = advice_for(method, call, ctx);
    if (advice == nullptr) return;
    const Binding* binding = nested_loops::persisting_binding(ctx, name);
    if (binding == nullptr || !receiver_fits(method, binding->value.kind)) return;
    if (nested_loops::list_size(ctx, function.field("object")) == ListSize::bounded ||
        leaves_loop_after(ctx, call)) {
      return;
    }
    ctx.report(*this, call,
               fmt::format("`{}` on the {} `{}` inside a loop: {} each time, O(n × |{}|) over "
                           "the loop",
                           short_text(ctx, call), kind_name(binding->value.kind), name,
                           method == "sort" ? "O(n log n)" : "a linear scan or shift", name),
               advice);
  }

 private:
  // What to write instead, or null when the call is not one of the linear list operations.
  static const char* advice_for(std::string_view method, Node call, const Context& ctx) {
    if (method == "index" || method == "count") {
      return "build a dict once (`position = {v: i for i, v in enumerate(xs)}` or "
             "`collections.Counter(xs)`) and look values up in O(1)";
    }
    if (method == "remove") {
      return "keep a set (or dict) of the items to drop and filter once after the loop: "
             "`xs = [x for x in xs if x not in dropped]`";
    }
    Node first = first_argument(call);
    bool at_front = first && first.is("integer") && ctx.text(first) == "0";
    if ((method == "pop" || method == "insert") && at_front) {
      return "use `collections.deque`: `popleft()` / `appendleft()` are O(1) at the front";
    }
    if (method == "sort" && !first) {
      return kSortAdvice;
    }
    return nullptr;
  }

  // index/count exist on tuples too; the others only on lists. str.index and str.count are
  // not list methods: the receiver's inferred kind decides.
  static bool receiver_fits(std::string_view method, ValueKind kind) {
    if (kind == ValueKind::list) return true;
    return kind == ValueKind::tuple && (method == "index" || method == "count");
  }

  static std::string_view kind_name(ValueKind kind) {
    return kind == ValueKind::tuple ? "tuple" : "list";
  }

  // `sorted(xs)` inside a loop that keeps growing `xs`: the whole list is sorted again each time.
  void check_sorted(Node call, Context& ctx) const {
    if (ctx.callee_name(call) != "builtins.sorted") return;
    Node argument = first_argument(call);
    if (!argument || !argument.is("identifier")) return;
    std::string_view name = ctx.text(argument);
    const Binding* binding = nested_loops::persisting_binding(ctx, name);
    if (binding == nullptr || binding->value.kind != ValueKind::list) return;
    if (!nested_loops::grows_in_loop(ctx, name) || leaves_loop_after(ctx, call)) {
      return;
    }
    ctx.report(*this, call,
               fmt::format("`{}` re-sorts the growing list `{}` on every iteration: "
                           "O(n² log n) over the loop",
                           short_text(ctx, call), name),
               kSortAdvice);
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps104_linear_list_method_in_loop() {
  return std::make_unique<LinearListMethodInLoop>();
}

}  // namespace perfscan
