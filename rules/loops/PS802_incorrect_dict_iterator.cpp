// PS802 incorrect-dict-iterator: `for k, v in d.items()` where only the keys or only the
// values are used. Documentation: PS802.md beside this file.
#include <fmt/format.h>

#include "loop_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
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
    if (!target.is("pattern_list") && !target.is("tuple_pattern")) return;
    if (target.named_child_count() != 2) return;
    Node key = target.named_child(0);
    Node value = target.named_child(1);
    if (!key.is("identifier") || !value.is("identifier")) return;
    bool key_used = is_used(ctx, loop, ctx.text(key));
    bool value_used = is_used(ctx, loop, ctx.text(value));
    if (key_used == value_used) return;  // both needed, or neither (a counting loop)
    std::string mapping = short_text(ctx, iterable.field("function").field("object"));
    if (key_used) {
      ctx.report(*this, iterable,
                 fmt::format("`{}` is never used: `.items()` builds a (key, value) tuple per "
                             "item only to drop the value",
                             ctx.text(value)),
                 // `.keys()` works for every mapping-like object; iterating an ElementTree
                 // Element, for one, yields its children rather than its attribute names.
                 fmt::format("iterate the keys: `for {0} in {1}.keys():` (or `for {0} in {1}:` "
                             "when it is a dict)",
                             ctx.text(key), mapping));
    } else {
      ctx.report(*this, iterable,
                 fmt::format("`{}` is never used: `.items()` builds a (key, value) tuple per "
                             "item only to drop the key",
                             ctx.text(key)),
                 fmt::format("iterate the values: `for {} in {}.values():`", ctx.text(value),
                             mapping));
    }
  }

 private:
  // `<expr>.items()` with no arguments (`config.items(section)` is ConfigParser's, which
  // returns pairs of a different kind).
  static bool is_items_call(const Context& ctx, Node iterable) {
    if (!iterable.is("call")) return false;
    Node function = iterable.field("function");
    Node arguments = iterable.field("arguments");
    return function.is("attribute") && ctx.text(function.field("attribute")) == "items" &&
           arguments && arguments.is("argument_list") && arguments.named_child_count() == 0;
  }

  // Used in the body or the else clause, or after the loop (the name keeps its last value).
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
