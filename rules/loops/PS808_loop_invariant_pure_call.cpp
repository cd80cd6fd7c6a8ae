// PS808 loop-invariant-pure-call: `n = len(items)` at the top of a loop body, computing the
// same value on every iteration. Documentation: PS808.md beside this file.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "loop_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// Functions whose result depends only on their arguments and that change nothing. The
// "consumers" iterate a lone argument: pure only over a collection, not over an iterator
// (which the first iteration would exhaust).
constexpr std::array kPureCalls = {
    "builtins.len",   "builtins.abs",     "builtins.round",  "builtins.pow",   "builtins.divmod",
    "builtins.hash",  "builtins.ord",     "builtins.chr",    "builtins.repr",  "builtins.str",
    "builtins.int",   "builtins.float",   "builtins.bool",   "math.sqrt",      "math.exp",
    "math.log",       "math.log2",        "math.log10",      "math.pow",       "math.floor",
    "math.ceil",      "math.fabs",        "math.hypot",      "math.gcd",       "math.factorial",
    "math.comb",      "math.perm",        "math.isqrt",      "math.sin",       "math.cos",
    "math.tan",       "math.atan2",       "math.radians",    "math.degrees",   "os.path.join",
    "os.path.basename", "os.path.dirname", "os.path.splitext", "os.path.split", "os.path.normpath",
    "os.path.normcase"};
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

bool is_plain_literal(Node node) {
  std::string_view kind = node.kind();
  if (kind == "integer" || kind == "float" || kind == "true" || kind == "false" || kind == "none") {
    return true;
  }
  if (kind != "string") return false;
  for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) {
    if (node.named_child(i).is("interpolation")) return false;
  }
  return true;
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
    bool consumer = listed(kPureConsumers, callee);
    if (!consumer && !listed(kPureCalls, callee)) return {};
    Node arguments = call.field("arguments");
    if (!arguments || !arguments.is("argument_list")) return {};
    uint32_t count = arguments.named_child_count();
    for (uint32_t i = 0; i < count; ++i) {
      Node argument = arguments.named_child(i);
      if (argument.is("keyword_argument")) argument = argument.field("value");
      if (is_plain_literal(argument)) continue;
      if (!argument.is("identifier")) return {};
      std::string_view input = ctx.text(argument);
      if (input == name || is_loop_name(loop_names, input)) return {};
      // The pure call itself changes nothing: only the rest of the loop counts.
      if (loops::may_change(ctx, body, input, statement)) return {};
      if (consumer && count == 1) {
        const Binding* binding = ctx.lookup(input);
        if (binding == nullptr || !is_collection(binding->value.kind)) return {};
      }
    }
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
