// PS604 lru-cache-on-method: `functools.lru_cache` / `functools.cache` on an instance method. The
// cache belongs to the class, and its keys hold `self`: no instance is ever freed while the
// cache lives (until it evicts the entry, never for `cache` / `maxsize=None`).
// Documentation: PS604.md beside this file.
#include <fmt/format.h>

#include "memory/call_shapes.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

enum class CacheKind { none, bounded, unbounded };

class LruCacheOnMethod final : public Rule {
 public:
  LruCacheOnMethod()
      : Rule({"PS604", "lru-cache-on-method", Category::memory, Severity::medium,
              "functools.lru_cache or cache on a method keeps every instance alive"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"decorated_definition"};
  }

  void check(Node decorated, Context& ctx) const override {
    if (ctx.frame().kind != FrameKind::class_body) return;
    Node definition = decorated.field("definition");
    if (!definition || !definition.is("function_definition") || !has_positional_receiver(definition)) {
      return;
    }
    Node cache_decorator;
    CacheKind cache = CacheKind::none;
    for (uint32_t i = 0, n = decorated.named_child_count(); i < n; ++i) {
      Node decorator = decorated.named_child(i);
      if (!decorator.is("decorator")) continue;
      Node expr = decorator.named_child(0);
      Node function = expr && expr.is("call") ? expr.field("function") : expr;
      std::string name = ctx.qualified_name(function);
      // No `self` in the key: a classmethod caches the class (one object, alive anyway), a
      // staticmethod nothing at all.
      if (name == "builtins.classmethod" || name == "builtins.staticmethod") return;
      CacheKind kind = cache_kind(ctx, name, expr);
      if (kind != CacheKind::none) {
        cache = kind;
        cache_decorator = decorator;
      }
    }
    if (cache == CacheKind::none) return;
    if (retains_nothing_extra(ctx, cache)) return;
    std::string method(ctx.text(definition.field("name")));
    // Implicit static and class methods: their first parameter is the class, not an instance.
    if (method == "__new__" || method == "__init_subclass__" || method == "__class_getitem__") {
      return;
    }
    ctx.report(
        *this, cache_decorator,
        fmt::format("`{}` caches method `{}`: the cache lives on the class and its keys hold "
                    "`self`, so every instance it has seen stays in memory{}",
                    short_text(ctx, cache_decorator.named_child(0)), method,
                    cache == CacheKind::unbounded ? " for as long as the program runs"
                                                  : " until the entry is evicted"),
        fmt::format("cache per instance instead: `functools.cached_property` if `{}` takes no "
                    "arguments, or a dict kept on `self` (or `self.{} = functools.lru_cache()"
                    "(self._{})` in `__init__`); or move the computation to a module-level "
                    "cached function that does not take `self`",
                    method, method, method));
  }

 private:
  // The instances the cache holds would be alive anyway, or few and small: enum members are
  // made once with their class; instances that hash by value share one entry per value, and a
  // bounded cache keeps at most `maxsize` of them.
  static bool retains_nothing_extra(const Context& ctx, CacheKind cache) {
    std::string_view owner = ctx.enclosing_class();
    if (ctx.is_enum_class(owner)) return true;
    return cache == CacheKind::bounded && ctx.hashes_by_value(owner);
  }

  static CacheKind cache_kind(const Context& ctx, const std::string& name, Node expr) {
    if (name == "functools.cache") return CacheKind::unbounded;
    if (name != "functools.lru_cache") return CacheKind::none;
    if (!expr.is("call")) return CacheKind::bounded;  // bare @lru_cache: maxsize 128
    Node arguments = expr.field("arguments");
    for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
      Node argument = arguments.named_child(i);
      Node value = argument.is("keyword_argument") ? argument.field("value") : argument;
      bool is_maxsize = !argument.is("keyword_argument") ||
                        ctx.text(argument.field("name")) == "maxsize";
      if (is_maxsize && value && value.is("none")) return CacheKind::unbounded;
      if (is_maxsize) break;
    }
    return CacheKind::bounded;
  }

  // An instance method takes the instance as its first positional parameter.
  static bool has_positional_receiver(Node definition) {
    Node parameters = definition.field("parameters");
    if (!parameters) return false;
    Node first = parameters.named_child(0);
    return first && (first.is("identifier") || first.is("typed_parameter") ||
                     first.is("default_parameter") || first.is("typed_default_parameter"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps604_lru_cache_on_method() {
  return std::make_unique<LruCacheOnMethod>();
}

}  // namespace perfscan
