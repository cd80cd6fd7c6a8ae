// PS503 client-session-per-iteration: an HTTP client or session (a connection pool) created
// on every iteration of a loop over a collection. Documentation: PS503.md beside this file.
#include <fmt/format.h>

#include "async/async_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/types.hpp"
#include "rule_helpers.hpp"

namespace perfscan {
namespace {

class ClientSessionPerIteration final : public Rule {
 public:
  ClientSessionPerIteration()
      : Rule({"PS503", "client-session-per-iteration", Category::async, Severity::high,
              "HTTP client or session created on every loop iteration instead of reused"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    const LoopFrame* loop = innermost_collection_loop(ctx);
    if (loop == nullptr) return;
    if (!may_be_named(ctx, call.field("function"),
                      {"ClientSession", "AsyncClient", "Client", "Session", "session",
                       "PoolManager", "TCPConnector"})) {
      return;
    }
    // Canonical: `httpx2.Client` is `httpx.Client`, `requests.sessions.Session` is
    // `requests.Session`.
    std::string callee = ctx.callee_name(call);
    if (callee.empty()) return;
    callee = canonical_type(callee);
    // HTTP clients that own a connection pool (the library table of the semantic layer, shared
    // with PS506; database and cache clients are PS902's).
    ClientKind kind = client_kind(callee);
    if (kind != ClientKind::http_client && kind != ClientKind::async_http_client &&
        kind != ClientKind::http_connector) {
      return;
    }
    ctx.report(*this, call,
               fmt::format("A new `{}` is created for every item of `{}`: each one opens its "
                           "own connection pool, so no connection (TCP and TLS handshake) is "
                           "reused between iterations",
                           callee, short_text(ctx, loop->iterable)),
               "create the client once, before the loop (or once per application), and reuse "
               "it for every request");
  }

 private:
  // A `for` loop or comprehension over a collection. A `while` loop is left alone: a
  // reconnect-forever loop that makes a fresh session per attempt is a deliberate choice.
  // A few items fixed by the program text (two hosts) make a few pools, each reused for its
  // item: not worth a finding.
  static const LoopFrame* innermost_collection_loop(const Context& ctx) {
    auto loops = ctx.loops();
    if (loops.empty() || loops.back().kind == LoopKind::while_loop) return nullptr;
    if (ctx.collection_size(loops.back().iterable) == CollectionSize::bounded) return nullptr;
    return &loops.back();
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps503_client_session_per_iteration() {
  return std::make_unique<ClientSessionPerIteration>();
}

}  // namespace perfscan
