// PS703 recursion-without-memoisation: a function that calls itself twice or more, together,
// on arithmetically smaller arguments (`fib(n - 1) + fib(n - 2)`) and caches nothing: the same
// sub-results are recomputed an exponential number of times.
// Documentation: PS703.md beside this file.
#include <fmt/format.h>

#include <unordered_set>
#include <vector>

#include "caching/call_sites.hpp"
#include "memory/call_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class RecursionWithoutMemoisation final : public Rule {
 public:
  RecursionWithoutMemoisation()
      : Rule({"PS703", "recursion-without-memoisation", Category::caching, Severity::medium,
              "Recursive function recomputes overlapping sub-results without a cache"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"function_definition"};
  }

  void check(Node definition, Context& ctx) const override {
    // Methods recurse through `self` and a cache on them is PS604's concern.
    if (ctx.frame().kind == FrameKind::class_body) return;
    std::string_view name = ctx.text(definition.field("name"));
    if (!mentions_twice(ctx.text(definition.field("body")), name)) return;  // cheap filter
    Node parent = definition.parent();
    if (parent && parent.is("decorated_definition")) return;  // @cache, @memoize, ...
    std::unordered_set<std::string_view> parameters = parameter_names(ctx, definition);
    if (name.empty() || parameters.empty() || parameters.count(name) > 0) return;
    std::vector<call_sites::CallSite> calls;
    if (!collect_self_calls(ctx, definition.field("body"), name, calls)) return;
    for (const call_sites::CallSite& site : calls) {
      // `hanoi(n - 1, ...)` as a statement of its own works by side effect: nothing to cache.
      if (!site.ancestors.empty() && site.ancestors.back().is("expression_statement")) return;
    }
    for (std::size_t i = 0; i < calls.size(); ++i) {
      if (!shrinks_an_argument(ctx, calls[i].call, parameters)) continue;
      for (std::size_t j = i + 1; j < calls.size(); ++j) {
        if (!shrinks_an_argument(ctx, calls[j].call, parameters)) continue;
        if (!call_sites::run_together(calls[i], calls[j])) continue;
        ctx.report(*this, definition.field("name"),
                   fmt::format("`{}` calls itself more than once per call on smaller arguments "
                               "(`{}`, `{}`) and caches nothing: the same sub-results are "
                               "recomputed, exponentially often",
                               name, short_text(ctx, calls[i].call, 30),
                               short_text(ctx, calls[j].call, 30)),
                   fmt::format("decorate `{}` with `@functools.cache` (its arguments must be "
                               "hashable), or compute the values bottom-up in a loop",
                               name));
        return;
      }
    }
  }

 private:
  static bool mentions_twice(std::string_view body, std::string_view name) {
    if (name.empty()) return false;
    std::size_t first = body.find(name);
    return first != std::string_view::npos &&
           body.find(name, first + name.size()) != std::string_view::npos;
  }

  static std::unordered_set<std::string_view> parameter_names(const Context& ctx, Node definition) {
    std::unordered_set<std::string_view> names;
    Node parameters = definition.field("parameters");
    for (uint32_t i = 0, n = parameters ? parameters.named_child_count() : 0; i < n; ++i) {
      Node parameter = parameters.named_child(i);
      Node name = parameter;
      if (parameter.is("default_parameter") || parameter.is("typed_default_parameter")) {
        name = parameter.field("name");
      } else if (parameter.is("typed_parameter")) {
        name = parameter.named_child(0);
      }
      if (name && name.is("identifier")) names.insert(ctx.text(name));
    }
    return names;
  }

  // Calls to `name` in the body, not inside nested definitions. False when the body keeps a
  // table by hand (`memo[n] = ...`), rebinds `name`, or is too large to look at.
  static bool collect_self_calls(const Context& ctx, Node body, std::string_view name,
                                 std::vector<call_sites::CallSite>& calls) {
    using call_sites::Visit;
    return call_sites::collect(
        body,
        [&](Node node) {
          if (node.is("assignment") || node.is("augmented_assignment")) {
            Node target = node.field("left");
            if (target.is("subscript")) return Visit::abort;  // a hand-written memo table
            if (target.is("identifier") && ctx.text(target) == name) return Visit::abort;
          }
          if (!node.is("call")) return Visit::ignore;
          Node function = node.field("function");
          bool self_call = function.is("identifier") && ctx.text(function) == name;
          return self_call ? Visit::record : Visit::ignore;
        },
        calls);
  }

  // An argument `p - 1`, `p + 1`, `p // 2` on a parameter `p`: a smaller sub-problem that other
  // calls may share.
  static bool shrinks_an_argument(const Context& ctx, Node call,
                                  const std::unordered_set<std::string_view>& parameters) {
    Node arguments = call.field("arguments");
    for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
      Node argument = shapes::unparenthesised(arguments.named_child(i));
      if (argument.is("keyword_argument")) argument = argument.field("value");
      if (!argument || !argument.is("binary_operator")) continue;
      std::string_view op = ctx.text(argument.field("operator"));
      if (op != "-" && op != "+" && op != "//") continue;
      Node left = argument.field("left");
      Node right = argument.field("right");
      if (left.is("identifier") && parameters.count(ctx.text(left)) > 0 && right.is("integer")) {
        return true;
      }
    }
    return false;
  }

};

}  // namespace

std::unique_ptr<Rule> make_ps703_recursion_without_memoisation() {
  return std::make_unique<RecursionWithoutMemoisation>();
}

}  // namespace perfscan
