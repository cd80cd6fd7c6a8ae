#include "loop_context.hpp"

#include <fmt/format.h>

#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// The body's last statement leaves the loop, and nothing in it skips back to the top: the
// loop runs its body at most once (`for x in qs: return x`).
bool always_leaves_after_first_pass(const Context& ctx, const LoopFrame& loop) {
  if (loop.kind != LoopKind::for_loop) return false;
  Node body = loop.node.field("body");
  if (!body || body.named_child_count() == 0) return false;
  Node last = body.named_child(body.named_child_count() - 1);
  if (!last.is("return_statement") && !last.is("break_statement") && !last.is("raise_statement")) return false;
  return ctx.text(body).find("continue") == std::string_view::npos;
}

// `asyncio.gather(*(fetch(x) for x in xs))`: the comprehension builds awaitables that run
// concurrently, one round trip of latency in all rather than one per item.
bool feeds_concurrent_runner(const Context& ctx, const LoopFrame& loop) {
  if (loop.kind != LoopKind::comprehension) return false;
  Node current = loop.node;
  for (int level = 0; level < 4 && current; ++level) {
    current = current.parent();
    if (current && current.is("call")) {
      std::string_view function = ctx.text(current.field("function"));
      return function.ends_with("gather") || function.ends_with("wait") || function.ends_with("as_completed") ||
             function.ends_with(".map");
    }
  }
  return false;
}

bool repeats_per_item(const Context& ctx, const LoopFrame& loop) {
  if (loop.kind == LoopKind::while_loop) return false;
  if (feeds_concurrent_runner(ctx, loop)) return false;
  // A handful of items fixed by the program text (three channels, a literal tuple, an enum,
  // a class constant): a handful of round trips, not N.
  if (loop.iterable &&
      (ctx.collection_size(loop.iterable) == CollectionSize::bounded || is_constant_bounded(ctx, loop.iterable))) {
    return false;
  }
  return !always_leaves_after_first_pass(ctx, loop);
}

// `cache` written as `cache[...] = ...` somewhere in `block`.
bool stores_into(const Context& ctx, Node block, std::string_view cache) {
  constexpr int kMaxNodes = 2048;
  std::vector<Node> pending{block};
  for (int visited = 0; !pending.empty() && visited < kMaxNodes; ++visited) {
    Node node = pending.back();
    pending.pop_back();
    if (node.is("assignment")) {
      Node left = node.field("left");
      if (left && left.is("subscript") && ctx.text(left.field("value")) == cache) return true;
    }
    for (uint32_t i = 0, n = node.named_child_count(); i < n; ++i) pending.push_back(node.named_child(i));
  }
  return false;
}

// `if key not in cache: cache[key] = query(key)`: the query runs once per distinct key, not once
// per item (a memo the loop fills).
bool memoized_by_key(const Context& ctx, Node node) {
  Node loop = ctx.loops().back().node;
  for (Node child = node, parent = node.parent(); parent && !(parent == loop);
       child = parent, parent = parent.parent()) {
    if (!parent.is("if_statement") || !(child == parent.field("consequence"))) continue;
    Node condition = parent.field("condition");
    if (!condition || !condition.is("comparison_operator") || condition.child_count() != 3 ||
        !condition.child(1).is("not in")) {
      continue;
    }
    if (stores_into(ctx, child, ctx.text(condition.child(2)))) return true;
  }
  return false;
}

}  // namespace

// The semantic layer's answer (Context::entry_point); only request handlers raise PS2xx findings.
bool is_request_handler(const Context& ctx) { return ctx.entry_point() == EntryPoint::request_handler; }

Severity lowered(Severity severity) {
  switch (severity) {
    case Severity::critical: return Severity::high;
    case Severity::high: return Severity::medium;
    default: return Severity::low;
  }
}

// One-time paths are lowered once, for every rule, by Context::report (the rule table's cost
// column): not here, or they would be lowered twice.
Severity PerIteration::severity_from(Severity base) const {
  return loops >= 2 || request_handler ? Severity::critical : base;
}

std::string PerIteration::severity_reason() const {
  if (loops >= 2) return " (the loop is itself nested in a loop)";
  if (request_handler) return " (inside a request handler)";
  return {};
}

PerIteration per_iteration(const Context& ctx, Node node) {
  PerIteration result;
  if (ctx.loops().empty() || is_migration_file(ctx.path())) return result;
  const LoopFrame* last = &ctx.loops().back();
  // `for x in xs: ... return X.objects.get(...)`, or a query followed by `break`: the
  // innermost loop ends right after it, so it runs once per pass of the loops around.
  bool leaves_innermost = node && (leaves_loop_after(ctx, node) || memoized_by_key(ctx, node));
  for (const LoopFrame& loop : ctx.loops()) {
    if (!repeats_per_item(ctx, loop)) continue;
    if (leaves_innermost && &loop == last) continue;
    ++result.loops;
    result.innermost = &loop;
  }
  if (result.applies()) {
    result.request_handler = is_request_handler(ctx);
  }
  return result;
}

std::string loop_description(const Context& ctx, const LoopFrame& loop) {
  if (!loop.iterable) return "the loop";
  return fmt::format("the loop over `{}`", short_text(ctx, loop.iterable));
}

bool is_migration_file(std::string_view path) {
  return path.find("/migrations/") != std::string_view::npos || path.starts_with("migrations/");
}

}  // namespace perfscan
