// PS808 loop-invariant-pure-call: `total = sum(prices)` at the top of a loop body, walking the
// same collection for the same value on every iteration. Documentation: PS808.md beside this file.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "fix_edits.hpp"
#include "loop_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// Functions whose result depends only on their one collection argument, that change nothing and
// that walk the whole collection: each iteration pays O(n) for the same value, so the loop costs
// O(n * iterations). Constant-time pure calls (`len`, `abs`, `math.sqrt`, `os.path.join`) return
// the same value too, but hoisting one saves a cheap call per iteration, not worth a finding
// (blind read 2026-12-07: 3 of 4 such findings wrong). An iterator is not a collection: the first
// iteration would exhaust it.
constexpr std::array kPureConsumers = {"builtins.min",   "builtins.max",       "builtins.sum",
                                       "builtins.sorted", "builtins.tuple",    "builtins.frozenset",
                                       "builtins.any",   "builtins.all"};

template <std::size_t N>
bool listed(const std::array<const char*, N>& table, std::string_view name) {
  return std::any_of(table.begin(), table.end(), [&](const char* entry) { return name == entry; });
}

bool is_collection(ValueKind kind) {
  return kind == ValueKind::list || kind == ValueKind::tuple || kind == ValueKind::set ||
         kind == ValueKind::dict || kind == ValueKind::str || kind == ValueKind::bytes;
}

class LoopInvariantPureCall final : public Rule {
 public:
  LoopInvariantPureCall()
      : Rule({"PS808", "loop-invariant-pure-call", Category::loops, Severity::low,
              "A pure call at the top of a loop body computes the same value every iteration"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement", "while_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    // A few iterations fixed by the program text repeat the call a few times: not worth it.
    if (loop.is("for_statement") &&
        ctx.collection_size(loop.field("right")) == CollectionSize::bounded) {
      return;
    }
    Node body = loop.field("body");
    // A generator or coroutine suspends in the loop: the code that runs meanwhile may change the
    // inputs (a caller appending to the list it streams), so nothing is invariant.
    if (fixes::contains_kind(body, "yield") || fixes::contains_kind(body, "await") ||
        (loop.is("for_statement") && loop.child(0).is("async"))) {
      return;
    }
    std::vector<std::string_view> loop_names;
    if (loop.is("for_statement")) loop_names = loops::target_names(ctx, loop.field("left"));
    // Only the statements before anything else runs: later ones may follow a call that
    // changes their inputs, and we do not look inside calls.
    for (Node statement : loops::statements_of(body)) {
      std::string_view name = invariant_assignment(ctx, body, statement, loop_names);
      if (name.empty()) return;
      ctx.report(*this, statement,
                 fmt::format("`{}` does not depend on the loop: the same value is computed on "
                             "every iteration",
                             short_text(ctx, statement, 50)),
                 fmt::format("compute `{}` once before the loop", name));
    }
  }

 private:
  // `name = pure(args)` where neither the args nor `name` change in the loop. Returns the
  // assigned name, or empty.
  static std::string_view invariant_assignment(const Context& ctx, Node body, Node statement,
                                               const std::vector<std::string_view>& loop_names) {
    if (!statement.is("expression_statement") || statement.named_child_count() != 1) return {};
    Node assignment = statement.named_child(0);
    if (!assignment.is("assignment")) return {};
    Node left = assignment.field("left");
    Node call = assignment.field("right");
    if (!left || !left.is("identifier") || !call || !call.is("call")) return {};
    std::string_view name = ctx.text(left);
    std::string callee = ctx.callee_name(call);
    if (!listed(kPureConsumers, callee)) return {};
    Node arguments = call.field("arguments");
    if (!arguments || !arguments.is("argument_list") || arguments.named_child_count() != 1) return {};
    Node argument = arguments.named_child(0);
    if (!argument.is("identifier")) return {};
    std::string_view input = ctx.text(argument);
    if (input == name || is_loop_name(loop_names, input)) return {};
    // The pure call itself changes nothing: only the rest of the loop counts.
    if (loops::may_change(ctx, body, input, statement)) return {};
    const Binding* binding = ctx.lookup(input);
    if (binding == nullptr || !is_collection(binding->value.kind)) return {};
    // A handful of items the program text fixes: the repeated walk costs next to nothing.
    if (ctx.collection_size(argument) == CollectionSize::bounded) return {};
    if (is_loop_name(loop_names, name)) return {};
    // Reassigned later in the body, hoisting would break a per-iteration reset. Only
    // sorted() returns a mutable value, which the body must not change either.
    bool mutable_result = callee == "builtins.sorted";
    if (mutable_result ? loops::may_change(ctx, body, name, statement)
                       : loops::is_rebound(ctx, body, name, statement)) {
      return {};
    }
    return name;
  }

  static bool is_loop_name(const std::vector<std::string_view>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps808_loop_invariant_pure_call() {
  return std::make_unique<LoopInvariantPureCall>();
}

}  // namespace perfscan
