// PS501 sequential-await-in-loop: a `for` loop in an async function that awaits one
// independent call per item, one after another. Documentation: PS501.md beside this file.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "async/async_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

// A database connection or cursor, which runs one query at a time: typed as one (asyncpg,
// aiosqlite, psycopg, aiomysql, databases), or, when its type is unknown, named like one
// (`conn`, `self._db`, `cursor`, `tx`).
bool is_database_handle(const Context& ctx, Node receiver) {
  if (!receiver) return false;
  Value value = ctx.infer(receiver);
  if (value.kind == ValueKind::instance) {
    for (std::string_view driver : {"asyncpg.", "aiosqlite.", "psycopg.", "aiomysql.", "databases.",
                                    "aiopg.", "asyncmy."}) {
      if (value.qualified_name.starts_with(driver)) return true;
    }
    return false;
  }
  if (value.is_known()) return false;
  std::string name = ctx.receiver_name(receiver);
  for (std::string_view hint : {"conn", "db", "cur", "tx", "transaction"}) {
    if (name.find(hint) != std::string::npos) return true;
  }
  return false;
}

// Awaited methods that are sequential by nature: locks, queues, streams, database
// connections (one connection runs one query at a time) and sleeps; and the life cycle of
// components (start, stop, cleanup, the async protocols' dunders), which runs once per process
// and in an order the components depend on. Matched on the method name, which is all that is
// known of most receivers.
bool is_inherently_sequential_method(const Context& ctx, std::string_view method, Node receiver) {
  if (method.starts_with("__")) return true;  // `await it.__anext__()`, `await cm.__aexit__(...)`
  static constexpr std::string_view kPrefixes[] = {"read", "write", "send", "recv", "receive"};
  for (std::string_view prefix : kPrefixes) {
    if (method.starts_with(prefix)) return true;
  }
  static constexpr std::string_view kMethods[] = {
      "acquire",  "bind",   "wait",     "wait_for",    "put",      "drain",    "sleep",
      "join",     "close",  "execute",  "executemany", "fetchrow", "fetchval", "fetchone",
      "fetchall", "commit", "rollback", "flush",       "publish",  "emit",     "ack",
      "start",    "stop",   "shutdown", "cleanup",     "aclose",   "terminate"};
  if (std::find(std::begin(kMethods), std::end(kMethods), method) != std::end(kMethods)) {
    return true;
  }
  // asyncpg's `conn.fetch(...)` is a query on one connection; `client.fetch(url)` is not.
  return method == "fetch" && is_database_handle(ctx, receiver);
}

// `asyncio.gather(...)` / `asyncio.wait(...)`: the coroutines handed to it run concurrently;
// awaiting one such batch per item is bounded concurrency on purpose.
bool runs_concurrently(const Context& ctx, Node call) {
  std::string callee = ctx.callee_name(call);
  return callee == "asyncio.gather" || callee == "asyncio.wait" ||
         callee == "asyncio.tasks.gather" || callee == "asyncio.tasks.wait";
}

class SequentialAwaitInLoop final : public Rule {
 public:
  SequentialAwaitInLoop()
      : Rule({"PS501", "sequential-await-in-loop", Category::async, Severity::medium,
              "Independent awaits run one after another in a loop"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"for_statement"};
  }

  void check(Node loop, Context& ctx) const override {
    if (!ctx.in_async_function() || is_async_loop(loop)) return;
    // A handful of fixed items (`for family, addr in ((0, a), (1, b))`): little to gain.
    if (ctx.collection_size(loop.field("right")) == CollectionSize::bounded) return;
    // `for exit in reversed(self._exits)`: an order the code asks for, teardown in reverse
    // order of setup. The awaits depend on each other.
    if (walks_in_reverse(ctx, loop.field("right"))) return;
    Node body = loop.field("body");
    std::vector<std::string_view> targets = identifiers_in(ctx, loop.field("left"));
    if (!body || targets.empty()) return;
    std::vector<Node> nodes = nodes_in_same_frame(body);
    if (exits_early(nodes)) return;
    std::vector<std::string_view> assigned = names_assigned_in(ctx, nodes);
    for (Node node : nodes) {
      if (!node.is("await") || inside_inner_loop(node, body)) continue;
      Node call = awaited_call(node);
      bool independent = call ? is_independent_per_item(ctx, call, targets, assigned)
                              : awaits_item_coroutine(ctx, node, loop);
      if (!independent) continue;
      ctx.report(*this, node,
                 fmt::format("`{}` is awaited once per item of `{}`, one call after another: "
                             "the loop takes the sum of all their latencies",
                             short_text(ctx, node), short_text(ctx, loop.field("right"))),
                 fmt::format("start the calls together and await them at once: `await "
                             "asyncio.gather(*({} for {} in {}))` or an `asyncio.TaskGroup`, "
                             "bounded with an `asyncio.Semaphore` if the list is long",
                             short_text(ctx, call ? call : node.named_child(0)),
                             short_text(ctx, loop.field("left")),
                             short_text(ctx, loop.field("right"))));
      return;  // one finding per loop
    }
  }

 private:
  static bool walks_in_reverse(const Context& ctx, Node iterable) {
    if (!iterable || !iterable.is("call")) return false;
    std::string callee = ctx.callee_name(iterable);
    return callee == "reversed" || callee == "builtins.reversed";
  }

  // A loop that stops on a result (`break`, `return`), or yields each result as it comes,
  // needs them in order.
  static bool exits_early(const std::vector<Node>& nodes) {
    return std::any_of(nodes.begin(), nodes.end(), [](Node node) {
      return node.is("break_statement") || node.is("return_statement") || node.is("yield");
    });
  }

  // An await inside a nested loop belongs to that loop's own check.
  static bool inside_inner_loop(Node node, Node body) {
    for (Node parent = node.parent(); parent && parent != body; parent = parent.parent()) {
      if (parent.is("for_statement") || parent.is("while_statement")) return true;
    }
    return false;
  }

  // Names the loop body (re)binds: a call mentioning one of them may depend on an earlier
  // iteration (`cursor = await fetch_page(cursor)`).
  static std::vector<std::string_view> names_assigned_in(const Context& ctx,
                                                         const std::vector<Node>& nodes) {
    std::vector<std::string_view> names;
    for (Node node : nodes) {
      if (node.is("assignment") || node.is("augmented_assignment")) {
        for (std::string_view name : identifiers_in(ctx, node.field("left"))) names.push_back(name);
      } else if (node.is("named_expression")) {
        names.push_back(ctx.text(node.field("name")));
      }
    }
    return names;
  }

  // `for aw in aws: await aw` over coroutines made before the loop (`aws = [fetch(u) for u in
  // urls]`): each starts only when awaited, so they run one after another. Tasks and futures
  // (`asyncio.create_task`, `ensure_future`) already run concurrently; awaiting them in turn
  // costs nothing, and the semantic layer does not call them awaitable.
  // The rule runs as the walk enters the loop, before the target is bound: the item's type is
  // the iterable's element type.
  static bool awaits_item_coroutine(const Context& ctx, Node await_node, Node loop) {
    Node operand = await_node.named_child(0);
    while (operand && operand.is("parenthesized_expression")) operand = operand.named_child(0);
    Node target = loop.field("left");
    if (!operand || !operand.is("identifier") || !target || !target.is("identifier") ||
        ctx.text(operand) != ctx.text(target)) {
      return false;
    }
    return ctx.infer(loop.field("right")).element_type().awaitable;
  }

  // `item.refresh()` on the loop's item: a call per item, whatever its arguments.
  static bool is_method_of_item(const Context& ctx, Node function,
                                const std::vector<std::string_view>& targets) {
    if (!function.is("attribute")) return false;
    Node root = function.field("object");
    while (root && (root.is("attribute") || root.is("subscript"))) {
      root = root.is("attribute") ? root.field("object") : root.field("value");
    }
    return root && root.is("identifier") &&
           std::find(targets.begin(), targets.end(), ctx.text(root)) != targets.end();
  }

  static bool is_independent_per_item(const Context& ctx, Node call,
                                      const std::vector<std::string_view>& targets,
                                      const std::vector<std::string_view>& assigned) {
    if (is_async_sleep_call(ctx, call) || runs_concurrently(ctx, call)) return false;
    // Methods and plain callables alike: an ASGI app's `send(...)` writes to one stream.
    Node function = call.field("function");
    bool sequential = function.is("attribute")
                          ? is_inherently_sequential_method(
                                ctx, ctx.text(function.field("attribute")), function.field("object"))
                          : is_inherently_sequential_method(ctx, ctx.text(function), Node{});
    if (sequential) return false;
    // Independent of earlier iterations: the arguments use the loop item and nothing the
    // loop body rebinds.
    std::vector<std::string_view> names = identifiers_in(ctx, call.field("arguments"));
    bool uses_item = is_method_of_item(ctx, function, targets);
    for (std::string_view name : names) {
      bool is_target = std::find(targets.begin(), targets.end(), name) != targets.end();
      if (is_target) {
        uses_item = true;
      } else if (std::find(assigned.begin(), assigned.end(), name) != assigned.end()) {
        return false;
      }
    }
    return uses_item;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps501_sequential_await_in_loop() {
  return std::make_unique<SequentialAwaitInLoop>();
}

}  // namespace perfscan
