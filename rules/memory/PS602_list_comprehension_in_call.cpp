// PS602 list-comprehension-in-call: `any([...])`, `sum([...])`, `set([...])`... where a
// generator expression (or a set/dict comprehension) does the same without the list.
// Documentation: PS602.md beside this file.
#include <fmt/format.h>

#include <array>
#include <string_view>

#include "fix_edits.hpp"
#include "memory/call_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

struct Consumer {
  std::string_view callee;  // qualified name
  std::string_view why;     // what the list costs here
  std::string_view instead;
};

// Not here on purpose: `''.join([...])` (join builds a list from a generator anyway, so the
// list comprehension is faster), `tuple([...])` and `sorted([...])` (sorted() builds its own
// list from any iterable; copying a list into it is faster than draining a generator: see
// bench/cost/comprehension_consumers.py).
constexpr std::array kConsumers = {
    Consumer{"builtins.any", "builds every element before `any` looks at the first one, so it "
                             "cannot stop early",
             "drop the square brackets: `any(... for ...)` stops at the first true element"},
    Consumer{"builtins.all", "builds every element before `all` looks at the first one, so it "
                             "cannot stop early",
             "drop the square brackets: `all(... for ...)` stops at the first false element"},
    Consumer{"builtins.sum", "holds every element in memory at once although `sum` needs one at a "
                             "time",
             "drop the square brackets: `sum(... for ...)` keeps memory constant"},
    Consumer{"builtins.min", "holds every element in memory at once although `min` needs one at a "
                             "time",
             "drop the square brackets: `min(... for ...)` keeps memory constant"},
    Consumer{"builtins.max", "holds every element in memory at once although `max` needs one at a "
                             "time",
             "drop the square brackets: `max(... for ...)` keeps memory constant"},
    Consumer{"builtins.set", "is built only to be copied into a set",
             "a set comprehension `{... for ...}` builds the set directly"},
    Consumer{"builtins.frozenset", "is built only to be copied into a frozenset",
             "drop the square brackets: `frozenset(... for ...)` skips the intermediate list"},
    Consumer{"builtins.dict", "of pairs is built only to be copied into a dict",
             "a dict comprehension `{k: v for ...}` builds the dict directly"},
};

class ListComprehensionInCall final : public Rule {
 public:
  ListComprehensionInCall()
      : Rule({"PS602", "list-comprehension-in-call", Category::memory, Severity::low,
              "List comprehension passed to a function that a generator serves as well"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    Node argument = shapes::sole_positional_argument(call);
    bool takes_extra_keywords = false;
    if (!argument) {
      // min/max/sorted also take `key=`/`default=`/`reverse=`: the first positional argument.
      argument = first_positional_before_keywords(call);
      takes_extra_keywords = true;
    }
    if (!argument || !(argument.is("list_comprehension") || argument.is("set_comprehension"))) {
      return;
    }
    if (is_async(ctx, argument) || !over_data(ctx, argument)) return;
    std::string callee = ctx.callee_name(call);
    for (const Consumer& consumer : kConsumers) {
      if (callee != consumer.callee) continue;
      bool accepts_keywords = consumer.callee == "builtins.min" ||
                              consumer.callee == "builtins.max" ||
                              consumer.callee == "builtins.sorted";
      if (takes_extra_keywords && !accepts_keywords) return;
      // `all([form.is_valid() for form in forms])` runs every call on purpose (Django's
      // formsets validate every form): a generator would stop at the first failure.
      bool short_circuits = consumer.callee == "builtins.any" || consumer.callee == "builtins.all";
      if (short_circuits && calls_beyond_builtins(ctx, argument)) return;
      // A set comprehension is the right form for set(); in any()/all() it still builds (and
      // hashes) every element first.
      bool is_set = argument.is("set_comprehension");
      if (is_set && !short_circuits) return;
      std::string_view name = consumer.callee.substr(consumer.callee.find('.') + 1);
      Finding& finding =
          ctx.report(*this, argument,
                     fmt::format("{} comprehension passed to `{}()`: the {} {}",
                                 is_set ? "Set" : "List", name, is_set ? "set" : "list",
                                 consumer.why),
                     std::string(consumer.instead));
      if (!is_set && is_generator_consumer(consumer.callee)) {
        finding.fix = generator_fix(ctx, call, argument, short_circuits, takes_extra_keywords);
      }
      return;
    }
  }

 private:
  // `[x async for x in xs]`, `[await f(x) for x in xs]`, `[x for x in xs if await p(x)]`: as a
  // generator it would be an async generator, which sum() and any() cannot take. An `await`
  // anywhere but in the first iterable (evaluated outside the generator) makes it one; nested
  // functions and lambdas have their own frames.
  static bool is_async(const Context& ctx, Node comprehension) {
    Node first_iterable;
    for (uint32_t i = 0, n = comprehension.named_child_count(); i < n; ++i) {
      Node clause = comprehension.named_child(i);
      if (!clause.is("for_in_clause")) continue;
      if (ctx.text(clause).starts_with("async")) return true;
      if (!first_iterable) first_iterable = clause.field("right");
    }
    constexpr int kMaxNodes = 4096;
    std::vector<Node> pending{comprehension};
    for (int visited = 0; !pending.empty(); ++visited) {
      if (visited > kMaxNodes) return true;
      Node node = pending.back();
      pending.pop_back();
      if (node == first_iterable || node.is("lambda") || node.is("function_definition")) continue;
      if (node.is("await")) return true;
      shapes::push_named_children(node, pending);
    }
    return false;
  }

  static bool is_generator_consumer(std::string_view callee) {
    return callee == "builtins.any" || callee == "builtins.all" || callee == "builtins.sum" ||
           callee == "builtins.min" || callee == "builtins.max";
  }

  // `sum([f(x) for x in xs])` -> `sum(f(x) for x in xs)`; with other arguments the generator
  // keeps its own parentheses: `min((f(x) for x in xs), key=k)`. (The comprehension has no
  // `await`: check() returned before.) The consumer then computes each element just before
  // using it instead of all of them first:
  // - sum/min/max still use every element, in the same order, so the result and any exception
  //   are the same when computing an element cannot see what the consumer did so far. That
  //   holds when the comprehension calls nothing but builtins and methods of immutable values,
  //   and min/max's `key=` is absent or a builtin name: safe. Otherwise unsafe.
  // - any/all stop at the first deciding element: elements after it are no longer computed,
  //   so an exception one of them would raise (`1 / x` for a zero) is no longer raised:
  //   always unsafe.
  static std::optional<Fix> generator_fix(const Context& ctx, Node call, Node comprehension,
                                          bool short_circuits, bool other_arguments) {
    if (fixes::contains_comment(call.field("arguments"))) return std::nullopt;
    bool safe = !short_circuits && !calls_beyond_builtins(ctx, comprehension) &&
                keys_are_builtins(ctx, call);
    std::uint32_t open = comprehension.start_byte();
    std::uint32_t close = comprehension.end_byte() - 1;
    std::string opener = other_arguments ? "(" : "";
    std::string closer = other_arguments ? ")" : "";
    return fixes::make(safe ? FixSafety::safe : FixSafety::unsafe,
                       {fixes::edit(ctx, open, open + 1, opener),
                        fixes::edit(ctx, close, close + 1, closer)});
  }

  // Every `key=` argument is a builtin name (`len`, `abs`): it cannot change what the elements
  // compute.
  static bool keys_are_builtins(const Context& ctx, Node call) {
    Node arguments = call.field("arguments");
    for (uint32_t i = 0, n = arguments.named_child_count(); i < n; ++i) {
      Node argument = arguments.named_child(i);
      if (!argument.is("keyword_argument") || ctx.text(argument.field("name")) != "key") continue;
      Node value = argument.field("value");
      if (value.is("identifier") && ctx.qualified_name(value).starts_with("builtins.")) continue;
      return false;
    }
    return true;
  }

  // The list's cost grows with the collection the comprehension walks: only a data-sized one
  // (or one the code grows) makes it worth a finding. Below some thousands of items the list
  // is as fast as a generator or faster (bench/cost/comprehension_consumers.py).
  static bool over_data(const Context& ctx, Node comprehension) {
    for (uint32_t i = 0, n = comprehension.named_child_count(); i < n; ++i) {
      Node clause = comprehension.named_child(i);
      if (clause.is("for_in_clause")) {
        return ctx.collection_size(clause.field("right")) == CollectionSize::data;
      }
    }
    return false;
  }

  // A call in the comprehension to anything but a builtin (`len`, `isinstance`, ...): it may
  // have side effects that the list runs for every element.
  static bool calls_beyond_builtins(const Context& ctx, Node comprehension) {
    constexpr int kMaxNodes = 4096;
    std::vector<Node> pending{comprehension};
    for (int visited = 0; !pending.empty(); ++visited) {
      if (visited > kMaxNodes) return true;
      Node node = pending.back();
      pending.pop_back();
      if (node.is("call") && !ctx.callee_name(node).starts_with("builtins.") &&
          !is_immutable_value_method(ctx, node, comprehension)) {
        return true;
      }
      shapes::push_named_children(node, pending);
    }
    return false;
  }

  // `w.isdigit()`, `s.lower()`: a method of a str, bytes, number or tuple, which has no side
  // effect to preserve.
  static bool is_immutable_value_method(const Context& ctx, Node call, Node comprehension) {
    Node function = call.field("function");
    if (!function.is("attribute")) return false;
    Value receiver = value_in(ctx, function.field("object"), comprehension);
    return receiver.is_text() || receiver.is(ValueKind::number) || receiver.is(ValueKind::tuple);
  }

  // What `expr` holds inside the comprehension. The walk stands on the call outside it, where
  // the comprehension's own variables are not bound: `w` of `for w in words` is an item of
  // `words`.
  static Value value_in(const Context& ctx, Node expr, Node comprehension) {
    if (expr.is("identifier")) {
      for (uint32_t i = 0, n = comprehension.named_child_count(); i < n; ++i) {
        Node clause = comprehension.named_child(i);
        if (!clause.is("for_in_clause")) continue;
        Node target = clause.field("left");
        if (target && target.is("identifier") && ctx.text(target) == ctx.text(expr)) {
          return ctx.infer(clause.field("right")).element_type();
        }
      }
    }
    return ctx.infer(expr);
  }

  // `min([...], key=f)`: the first argument, when it is positional and all others are keywords.
  static Node first_positional_before_keywords(Node call) {
    Node arguments = call.field("arguments");
    if (!arguments || !arguments.is("argument_list")) return {};
    Node first;
    for (uint32_t i = 0, n = arguments.named_child_count(); i < n; ++i) {
      Node argument = arguments.named_child(i);
      if (argument.is("comment")) continue;
      if (!first) {
        first = argument;
      } else if (!argument.is("keyword_argument")) {
        return {};
      }
    }
    return first;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps602_list_comprehension_in_call() {
  return std::make_unique<ListComprehensionInCall>();
}

}  // namespace perfscan
