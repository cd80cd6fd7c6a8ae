// PS603 materialised-for-first-element: `list(x)[0]`, `list(x)[:n]`, `[f(i) for i in x][0]`,
// `[*x][0]`, `list(x).pop(0)`, `sorted(x)[0]`, `sorted(x)[-1]`, `sorted(x)[:n]`,
// `sorted(x).pop()`: a whole list (and a sort) built to read one end of it, over a collection
// sized by the data.
// Documentation: PS603.md beside this file.
#include <fmt/format.h>

#include "fix_edits.hpp"
#include "memory/call_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

enum class Access { first, last, head, tail, other };

// How a fresh list is built, and from what.
enum class Build { none, copy, sort, comprehension, unpacking };

struct FreshList {
  Build build = Build::none;
  Node expr;    // the list-building expression
  Node source;  // what it walks: `x` of `list(x)`, `sorted(x)`, `[*x]`; the comprehension itself
  std::string_view kind;  // "list" / "tuple" for copies
};

// The first `for` clause's iterable of a comprehension.
Node first_iterable(Node comprehension) {
  for (uint32_t i = 0, n = comprehension.named_child_count(); i < n; ++i) {
    Node clause = comprehension.named_child(i);
    if (clause.is("for_in_clause")) return clause.field("right");
  }
  return {};
}

FreshList fresh_list(const Context& ctx, Node expr) {
  expr = shapes::unparenthesised(expr);
  FreshList fresh;
  fresh.expr = expr;
  if (!expr) return fresh;
  if (expr.is("list_comprehension")) {
    fresh.build = Build::comprehension;
    fresh.source = first_iterable(expr);
    return fresh;
  }
  if (expr.is("list")) {
    // `[*x]`: one unpacking, nothing else.
    Node only = expr.named_child_count() == 1 ? expr.named_child(0) : Node{};
    if (only && only.is("list_splat")) {
      fresh.build = Build::unpacking;
      fresh.source = only.named_child(0);
    }
    return fresh;
  }
  if (!expr.is("call")) return fresh;
  std::string callee = ctx.callee_name(expr);
  Node source = first_argument(expr);
  if (!source) return fresh;
  if (callee == "builtins.list" || callee == "builtins.tuple") {
    if (shapes::argument_count(expr) != 1) return fresh;
    fresh.build = Build::copy;
    fresh.kind = callee == "builtins.list" ? "list" : "tuple";
  } else if (callee == "builtins.sorted") {
    fresh.build = Build::sort;
  } else {
    return fresh;
  }
  fresh.source = source;
  return fresh;
}

class MaterialisedForFirstElement final : public Rule {
 public:
  MaterialisedForFirstElement()
      : Rule({"PS603", "materialised-for-first-element", Category::memory, Severity::low,
              "Whole list built (or sorted) to read its first or last elements"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"subscript", "call"};
  }

  void check(Node node, Context& ctx) const override {
    if (node.is("call")) {
      check_pop(node, ctx);
      return;
    }
    Node index = node.field("subscript");
    if (!index || index.next_named_sibling()) return;  // `x[a, b]`
    Access access = classify(ctx, index);
    if (access == Access::other) return;
    FreshList fresh = fresh_list(ctx, node.field("value"));
    if (fresh.build == Build::none || !over_data(ctx, fresh)) return;
    if (shapes::guarded_by_length_literal(ctx, node, fresh.source)) return;
    report(ctx, node, fresh, access);
  }

 private:
  // `list(x).pop(0)` reads the first element like `[0]`; `sorted(x).pop()` the largest.
  void check_pop(Node call, Context& ctx) const {
    Node list = shapes::method_receiver(ctx, call, "pop");
    if (!list) return;
    std::size_t count = shapes::argument_count(call);
    Node argument = shapes::sole_positional_argument(call);
    std::string_view position = argument ? ctx.text(argument) : std::string_view{};
    Access access = count == 0 || position == "-1" ? Access::last
                    : position == "0"              ? Access::first
                                                   : Access::other;
    if (access == Access::other || (count > 0 && !argument)) return;
    FreshList fresh = fresh_list(ctx, list);
    // The last element of a copy needs every element anyway.
    if (fresh.build == Build::none || (access == Access::last && fresh.build != Build::sort)) return;
    if (!over_data(ctx, fresh) || shapes::guarded_by_length_literal(ctx, call, fresh.source)) return;
    report(ctx, call, fresh, access);
  }

  // The list's cost grows with what it copies: only a collection sized by the data (or one the
  // code grows) is worth a finding; over a handful of items the copy costs nothing.
  static bool over_data(const Context& ctx, const FreshList& fresh) {
    Node sized = fresh.build == Build::comprehension ? fresh.expr : fresh.source;
    return sized && ctx.collection_size(sized) == CollectionSize::data;
  }

  static Access classify(const Context& ctx, Node index) {
    std::string_view text = ctx.text(index);
    if (text == "0") return Access::first;
    if (text == "-1") return Access::last;
    if (!index.is("slice")) return Access::other;
    // `[:5]` or `[-5:]`: one integer-literal bound, no step. A computed bound may be as large
    // as the collection (heapq.nsmallest itself falls back to `sorted(...)[:n]` then), and
    // `[:-2]` needs every element.
    if (text.find(':') != text.rfind(':')) return Access::other;
    auto is_digits = [](std::string_view digits) {
      return !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
    };
    if (text.starts_with(':') && is_digits(text.substr(1))) return Access::head;
    if (text.starts_with('-') && text.ends_with(':') && is_digits(text.substr(1, text.size() - 2))) {
      return Access::tail;
    }
    return Access::other;
  }

  void report(Context& ctx, Node node, const FreshList& fresh, Access access) const {
    switch (fresh.build) {
      case Build::sort:
        report_sorted(ctx, node, fresh, access);
        return;
      case Build::comprehension:
        report_comprehension(ctx, node, fresh, access);
        return;
      case Build::copy:
      case Build::unpacking:
        report_copy(ctx, node, fresh, access);
        return;
      case Build::none:
        return;
    }
  }

  void report_copy(Context& ctx, Node node, const FreshList& fresh, Access access) const {
    std::string what = short_text(ctx, fresh.source);
    std::string built = fresh.build == Build::unpacking ? fmt::format("[*{}]", what)
                                                        : fmt::format("{}({})", fresh.kind, what);
    // A list, tuple or str is indexed or sliced directly; anything else is iterated.
    Value source = ctx.infer(fresh.source);
    bool sequence = source.is(ValueKind::list) || source.is(ValueKind::tuple) || source.is_text();
    if (access == Access::first) {
      Finding& finding = ctx.report(*this, node,
                 fmt::format("`{}` copies every element to read the first one", built),
                 sequence ? fmt::format("index it directly: `{}[0]`", what)
                          : fmt::format("use `next(iter({}))` (or `{}[0]` if it is already a "
                                        "sequence)",
                                        what, what));
      finding.fix = first_element_fix(ctx, node, fresh, source);
    } else if (access == Access::head) {
      Finding& finding = ctx.report(*this, node,
                 fmt::format("`{}[:n]` copies every element to keep the first few", built),
                 sequence ? fmt::format("slice it directly: `{}[:n]`", what)
                          : fmt::format("use `list(itertools.islice({}, n))` (or slice `{}` "
                                        "directly if it is already a sequence)",
                                        what, what));
      // `list(xs)[:3]` -> `xs[:3]` only for a list: a tuple's or a str's slice is no list.
      if (node.is("subscript") && source.is(ValueKind::list) &&
          !fixes::contains_comment(node)) {
        finding.fix = fixes::make(
            FixSafety::safe,
            {fixes::replace(ctx, node, fmt::format("{}[{}]", fixes::as_primary(ctx, fresh.source),
                                                   ctx.text(node.field("subscript"))))});
      }
    }
  }

  // `list(x)[0]` (or `[*x][0]`): over a list, tuple or str, `x[0]` reads the same element and
  // raises the same IndexError when it is empty: safe. Over anything else `next(iter(x))`
  // reads the same element, but raises StopIteration instead of IndexError when `x` is empty
  // (an `except IndexError` no longer catches it; inside a generator it becomes RuntimeError):
  // unsafe. `list(x).pop(0)` keeps no fix, nor does a call with comments inside.
  static std::optional<Fix> first_element_fix(const Context& ctx, Node node,
                                              const FreshList& fresh, const Value& source) {
    if (!node.is("subscript") || fixes::contains_comment(node)) return std::nullopt;
    bool sequence = source.is(ValueKind::list) || source.is(ValueKind::tuple) || source.is_text();
    if (sequence) {
      return fixes::make(FixSafety::safe,
                         {fixes::replace(ctx, node, fixes::as_primary(ctx, fresh.source) + "[0]")});
    }
    if (!fixes::is_builtin(ctx, "next") || !fixes::is_builtin(ctx, "iter")) return std::nullopt;
    return fixes::make(FixSafety::unsafe,
                       {fixes::replace(ctx, node,
                                       fmt::format("next(iter({}))", ctx.text(fresh.source)))});
  }

  void report_comprehension(Context& ctx, Node node, const FreshList& fresh, Access access) const {
    if (access != Access::first && access != Access::head) return;
    // `[f(x) for x in xs]` -> `(f(x) for x in xs)`: the same comprehension, lazy.
    std::string generator = short_text(ctx, fresh.expr, 60);
    if (generator.starts_with('[')) generator.front() = '(';
    if (generator.ends_with(']')) generator.back() = ')';
    if (access == Access::first) {
      ctx.report(*this, node,
                 "The list comprehension builds every element to read the first one",
                 fmt::format("use `next({})` (give `next` a default to replace the IndexError "
                             "of an empty list)",
                             generator));
    } else {
      ctx.report(*this, node,
                 "The list comprehension builds every element to keep the first few",
                 fmt::format("use `list(itertools.islice({}, n))`", generator));
    }
  }

  void report_sorted(Context& ctx, Node node, const FreshList& fresh, Access access) const {
    bool reverse = false;
    std::string key;
    Node arguments = fresh.expr.field("arguments");
    for (uint32_t i = 1, n = arguments.named_child_count(); i < n; ++i) {
      Node argument = arguments.named_child(i);
      if (argument.is("comment")) continue;
      if (!argument.is("keyword_argument")) return;
      std::string_view name = ctx.text(argument.field("name"));
      std::string_view value = ctx.text(argument.field("value"));
      if (name == "reverse") {
        if (value != "True" && value != "False") return;
        reverse = value == "True";
      } else if (name == "key") {
        key = fmt::format(", key={}", short_text(ctx, argument.field("value")));
      } else {
        return;
      }
    }
    std::string what = short_text(ctx, fresh.source);
    bool smallest = (access == Access::first || access == Access::head) != reverse;
    if (access == Access::first || access == Access::last) {
      ctx.report(*this, node,
                 fmt::format("`sorted(...)` sorts every element (O(n log n)) to read the {} one",
                             smallest ? "smallest" : "largest"),
                 fmt::format("use `{}({}{})`: one O(n) pass, no list", smallest ? "min" : "max",
                             what, key));
    } else {
      ctx.report(*this, node,
                 fmt::format("`sorted(...)` sorts every element (O(n log n)) to keep the {} few",
                             smallest ? "smallest" : "largest"),
                 fmt::format("use `heapq.{}(n, {}{})`: O(n log k), keeps only k items",
                             smallest ? "nsmallest" : "nlargest", what, key));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps603_materialised_for_first_element() {
  return std::make_unique<MaterialisedForFirstElement>();
}

}  // namespace perfscan
