// PS605 unneeded-materialisation: `for i in list(range(n))` and `for k in list(d.keys())` (when
// the loop leaves `d` alone): a copy built where the object itself serves. `k in d.keys()` is not
// one: a keys view answers membership in O(1).
// Documentation: PS605.md beside this file.
#include <fmt/format.h>

#include <utility>
#include <vector>

#include "memory/call_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

bool is_dict_view(std::string_view method) {
  return method == "keys" || method == "values" || method == "items";
}

// Methods that only read a mapping: calling them inside the loop leaves its size unchanged.
bool is_reading_method(std::string_view method) {
  return is_dict_view(method) || method == "get" || method == "copy" || method == "__contains__";
}

class UnneededMaterialisation final : public Rule {
 public:
  UnneededMaterialisation()
      : Rule({"PS605", "unneeded-materialisation", Category::memory, Severity::low,
              "A list or view built only to be iterated once or searched"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement", "for_in_clause"};
  }

  void check(Node node, Context& ctx) const override {
    Node iterable = shapes::unparenthesised(node.field("right"));
    if (!iterable || !iterable.is("call") || ctx.callee_name(iterable) != "builtins.list") return;
    Node inner = shapes::sole_positional_argument(iterable);
    if (!inner || !inner.is("call")) return;
    // `list(range(3))`: a copy of a few items fixed by the program text costs nothing.
    if (ctx.collection_size(inner) == CollectionSize::bounded) return;
    std::string inner_callee = ctx.callee_name(inner);
    if (inner_callee == "builtins.range") {
      ctx.report(*this, iterable,
                 fmt::format("`list({})` copies the whole range into a list only to iterate it "
                             "once",
                             short_text(ctx, inner)),
                 fmt::format("iterate `{}` directly: a range yields its numbers lazily and "
                             "takes constant memory",
                             short_text(ctx, inner)));
      return;
    }
    Node function = inner.field("function");
    if (!function.is("attribute") || shapes::argument_count(inner) != 0) return;
    std::string_view method = ctx.text(function.field("attribute"));
    if (!is_dict_view(method)) return;
    Node mapping = function.field("object");
    if (node.is("for_in_clause") || is_live_namespace(ctx, mapping)) return;
    // `for k in list(d.keys()): del d[k]` needs the copy: the loop changes `d`, directly or
    // through a call (`for c in list(self.children.values()): c.destroy()` in tkinter).
    if (!only_read_in(ctx, node.field("body"), ctx.text(mapping))) return;
    ctx.report(*this, iterable,
               fmt::format("`list({})` copies the view into a list only to iterate it once",
                           short_text(ctx, inner)),
               fmt::format("iterate `{}` directly (keep the copy only when the loop adds or "
                           "removes keys)",
                           short_text(ctx, inner)));
  }

 private:
  // Namespaces that change under the loop's feet as it binds names or imports modules:
  // `locals()`, `globals()`, `vars(x)`, `sys.modules`, `x.__dict__`.
  static bool is_live_namespace(const Context& ctx, Node mapping) {
    if (mapping.is("call")) {
      std::string callee = ctx.callee_name(mapping);
      return callee == "builtins.locals" || callee == "builtins.globals" ||
             callee == "builtins.vars";
    }
    std::string_view text = ctx.text(mapping);
    return text.ends_with("__dict__") || ctx.qualified_name(mapping) == "sys.modules";
  }

  // True when every mention of `name` in `body` reads it: `name[k]` (not as an assignment or
  // `del` target) or `name.get(...)` / `.keys()` / ... Anything else (a call that receives it,
  // `name.pop()`, `del name[k]`) may change its size, so the copy is needed. So may any call
  // other than a builtin's, and `yield` / `await`, which let other code run.
  static bool only_read_in(const Context& ctx, Node body, std::string_view name) {
    constexpr int kMaxNodes = 20000;
    std::vector<std::pair<Node, Node>> pending{{body, Node{}}};
    std::vector<Node> children;
    for (int visited = 0; !pending.empty(); ++visited) {
      if (visited > kMaxNodes) return false;
      auto [node, parent] = pending.back();
      pending.pop_back();
      if ((node.is("identifier") || node.is("attribute")) && ctx.text(node) == name) {
        if (!is_read(ctx, node, parent)) return false;
        continue;
      }
      if (node.is("yield") || node.is("await")) return false;
      if (node.is("call") && !ctx.callee_name(node).starts_with("builtins.") &&
          !reads_mapping(ctx, node, name)) {
        return false;
      }
      children.clear();
      shapes::push_named_children(node, children);
      for (Node child : children) pending.emplace_back(child, node);
    }
    return true;
  }

  // `name.get(k)` and the like.
  static bool reads_mapping(const Context& ctx, Node call, std::string_view name) {
    Node function = call.field("function");
    return function.is("attribute") && ctx.text(function.field("object")) == name &&
           is_reading_method(ctx.text(function.field("attribute")));
  }

  static bool is_read(const Context& ctx, Node mention, Node parent) {
    if (!parent) return false;
    if (parent.is("attribute") && parent.field("object") == mention) {
      return is_reading_method(ctx.text(parent.field("attribute")));
    }
    if (parent.is("subscript") && parent.field("value") == mention) {
      // Only a load: the subscript must not be what an assignment or `del` writes.
      Node grand = parent.parent();
      if (!grand) return false;
      if (grand.is("delete_statement") || grand.is("expression_list")) return false;
      bool is_target = (grand.is("assignment") || grand.is("augmented_assignment")) &&
                       grand.field("left") == parent;
      return !is_target;
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps605_unneeded_materialisation() {
  return std::make_unique<UnneededMaterialisation>();
}

}  // namespace perfscan
