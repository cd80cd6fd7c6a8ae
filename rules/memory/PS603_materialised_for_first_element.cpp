// PS603 materialised-for-first-element: `list(x)[0]`, `list(x)[:n]`, `sorted(x)[0]`,
// `sorted(x)[-1]`, `sorted(x)[:n]`: a whole list (and a sort) built to read one end of it.
// Documentation: PS603.md beside this file.
#include <fmt/format.h>

#include "memory/call_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

enum class Access { first, last, head, tail, other };

class MaterialisedForFirstElement final : public Rule {
 public:
  MaterialisedForFirstElement()
      : Rule({"PS603", "materialised-for-first-element", Category::memory, Severity::low,
              "Whole list built (or sorted) to read its first or last elements"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"subscript"};
  }

  void check(Node subscript, Context& ctx) const override {
    Node call = shapes::unparenthesised(subscript.field("value"));
    if (!call || !call.is("call")) return;
    Node index = subscript.field("subscript");
    if (!index || index.next_named_sibling()) return;  // `x[a, b]`
    Access access = classify(ctx, index);
    if (access == Access::other) return;
    std::string callee = ctx.callee_name(call);
    Node source = first_argument(call);
    if (!source) return;
    std::string what = short_text(ctx, source);
    if (callee == "builtins.list" || callee == "builtins.tuple") {
      if (shapes::argument_count(call) != 1) return;
      report_list(ctx, subscript, callee.substr(9), what, access);
    } else if (callee == "builtins.sorted") {
      report_sorted(ctx, call, subscript, what, access);
    }
  }

 private:
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

  void report_list(Context& ctx, Node subscript, std::string_view kind, const std::string& what,
                   Access access) const {
    if (access == Access::first) {
      ctx.report(*this, subscript,
                 fmt::format("`{}({})[0]` copies every element to read the first one", kind, what),
                 fmt::format("use `next(iter({}))` (or `{}[0]` if it is already a sequence)",
                             what, what));
    } else if (access == Access::head) {
      ctx.report(*this, subscript,
                 fmt::format("`{}({})[:n]` copies every element to keep the first few", kind,
                             what),
                 fmt::format("use `list(itertools.islice({}, n))` (or slice `{}` directly if it "
                             "is already a sequence)",
                             what, what));
    }
  }

  void report_sorted(Context& ctx, Node call, Node subscript, const std::string& what,
                     Access access) const {
    bool reverse = false;
    std::string key;
    Node arguments = call.field("arguments");
    for (uint32_t i = 1, n = arguments.named_child_count(); i < n; ++i) {
      Node argument = arguments.named_child(i);
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
    bool smallest = (access == Access::first || access == Access::head) != reverse;
    if (access == Access::first || access == Access::last) {
      ctx.report(*this, subscript,
                 fmt::format("`sorted(...)` sorts every element (O(n log n)) to read the {} one",
                             smallest ? "smallest" : "largest"),
                 fmt::format("use `{}({}{})`: one O(n) pass, no list", smallest ? "min" : "max",
                             what, key));
    } else {
      ctx.report(*this, subscript,
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
