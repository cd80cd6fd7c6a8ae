// PS802 incorrect-dict-iterator: `for k, v in d.items()` where only the keys, only the values,
// or neither are used (each side may be a nested pattern: `for k, (_, _) in d.items()`).
// Documentation: PS802.md beside this file.
#include <fmt/format.h>

#include <optional>

#include "fix_edits.hpp"
#include "loop_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/types.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class IncorrectDictIterator final : public Rule {
 public:
  IncorrectDictIterator()
      : Rule({"PS802", "incorrect-dict-iterator", Category::loops, Severity::low,
              "`.items()` unpacked into key and value when the loop uses only one of them"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    Node iterable = loop.field("right");
    Node target = loop.field("left");
    if (!iterable || !target || !is_items_call(ctx, iterable)) return;
    while (target.is("parenthesized_expression")) target = target.named_child(0);
    if (!target.is("pattern_list") && !target.is("tuple_pattern")) return;
    if (target.named_child_count() != 2) return;
    Node mapping = iterable.field("function").field("object");
    // Only a mapping's items() has keys() and values() beside it (a DataFrame's `values` is
    // an array), and a handful of fixed items is not worth a finding.
    Value receiver = ctx.infer(mapping);
    if ((receiver.is_known() && !is_mapping(receiver)) ||
        ctx.collection_size(mapping) == CollectionSize::bounded) {
      return;
    }
    Node key = target.named_child(0);
    Node value = target.named_child(1);
    std::optional<bool> key_used = any_used(ctx, loop, key);
    std::optional<bool> value_used = any_used(ctx, loop, value);
    if (!key_used || !value_used || (*key_used && *value_used)) return;
    std::string dict = short_text(ctx, mapping);
    if (!*key_used && !*value_used) {
      ctx.report(*this, iterable,
                 fmt::format("Neither `{}` nor `{}` is used: `.items()` hands the loop a "
                             "(key, value) pair per item that it never reads",
                             ctx.text(key), ctx.text(value)),
                 fmt::format("iterate the dict itself, `for _ in {0}:`, or use `len({0})` if "
                             "the loop only counts",
                             dict));
    } else if (*key_used) {
      Finding& finding = ctx.report(*this, iterable,
                 fmt::format("`{}` is never used: `.items()` builds a (key, value) tuple per "
                             "item only to drop the value",
                             ctx.text(value)),
                 // `.keys()` works for every mapping-like object; iterating an ElementTree
                 // Element, for one, yields its children rather than its attribute names.
                 fmt::format("iterate the keys: `for {0} in {1}.keys():` (or `for {0} in {1}:` "
                             "when it is a dict)",
                             ctx.text(key), dict));
      finding.fix = fix(ctx, loop, receiver, key, value, "keys");
    } else {
      Finding& finding = ctx.report(*this, iterable,
                 fmt::format("`{}` is never used: `.items()` builds a (key, value) tuple per "
                             "item only to drop the key",
                             ctx.text(key)),
                 fmt::format("iterate the values: `for {} in {}.values():`", ctx.text(value),
                             dict));
      finding.fix = fix(ctx, loop, receiver, value, key, "values");
    }
  }

 private:
  // `for k, v in d.items()` -> `for k in d.keys()` (or `for v in d.values()`): the target
  // becomes the used side, `items` the matching view. Safe for a known mapping when the
  // dropped side is a plain name; unpacking a nested pattern (`k, (_, _)`) also checks each
  // value's shape, and an unknown receiver may lack keys()/values(): unsafe then.
  static std::optional<Fix> fix(const Context& ctx, Node loop, const Value& receiver, Node kept,
                                Node dropped, std::string_view view) {
    Node target = loop.field("left");
    Node iterable = loop.field("right");
    Node attribute = iterable.field("function").field("attribute");
    if (!attribute || fixes::contains_comment(target)) return std::nullopt;
    bool safe = is_mapping(receiver) && dropped.is("identifier");
    return fixes::make(safe ? FixSafety::safe : FixSafety::unsafe,
                       {fixes::replace(ctx, target, std::string(ctx.text(kept))),
                        fixes::replace(ctx, attribute, std::string(view))});
  }

  // `<expr>.items()` with no arguments (`config.items(section)` is ConfigParser's, which
  // returns pairs of a different kind).
  static bool is_items_call(const Context& ctx, Node iterable) {
    if (!iterable.is("call")) return false;
    Node function = iterable.field("function");
    Node arguments = iterable.field("arguments");
    return function.is("attribute") && ctx.text(function.field("attribute")) == "items" &&
           arguments && arguments.is("argument_list") && has_no_arguments(arguments);
  }

  static bool has_no_arguments(Node arguments) {
    for (uint32_t i = 0, n = arguments.named_child_count(); i < n; ++i) {
      if (!arguments.named_child(i).is("comment")) return false;
    }
    return true;
  }

  // Whether any name the pattern binds is used (in the body, the else clause, or after the
  // loop: the name keeps its last value); nullopt for patterns that bind other things
  // (attributes, subscripts, starred names).
  static std::optional<bool> any_used(const Context& ctx, Node loop, Node pattern) {
    std::vector<std::string_view> names = loops::target_names(ctx, pattern);
    if (names.empty()) return std::nullopt;
    for (std::string_view name : names) {
      if (is_used(ctx, loop, name)) return true;
    }
    return false;
  }

  static bool is_used(const Context& ctx, Node loop, std::string_view name) {
    if (loops::mentions(ctx, loop.field("body"), name)) return true;
    Node alternative = loop.field("alternative");
    if (alternative && loops::mentions(ctx, alternative, name)) return true;
    return loops::mentioned_after(ctx, loop, name);
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps802_incorrect_dict_iterator() {
  return std::make_unique<IncorrectDictIterator>();
}

}  // namespace perfscan
