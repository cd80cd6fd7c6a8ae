// PS506 client-session-per-call: an async HTTP client session (a connection pool) made and
// dropped within one call of a function that runs many times: a request or event handler, or a
// helper a handler or a loop calls, in any module. Sessions made in a loop of the function
// itself are PS503's. Documentation: PS506.md beside this file.
#include "client_lifetime.hpp"
#include "perfscan/context.hpp"
#include "perfscan/project.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

constexpr ClientCost kCost{
    "the TCP connect and TLS handshake with the remote host",
    "create one session when the application starts (aiohttp's `cleanup_ctx` or `on_startup`, FastAPI's "
    "lifespan, the bot's `setup_hook`), close it on shutdown, and pass it to the code that makes requests"};

bool is_async_session(ClientKind kind) { return kind == ClientKind::async_http_client; }

class ClientSessionPerCall final : public Rule, public ProjectRule {
 public:
  ClientSessionPerCall()
      : Rule({"PS506", "client-session-per-call", Category::async, Severity::medium,
              "Async HTTP client session made and dropped on every request, event or call of a "
              "repeatedly called function"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    // In a loop of this function: PS503 reports it (a loop over items), or the loop makes it on
    // purpose (a reconnect loop, one session per configured host).
    if (!ctx.loops().empty()) return;
    std::optional<PerCallClient> client = per_call_client(ctx, call, is_async_session);
    if (!client) {
      record_factory_call(*this, ctx, call, is_async_session, /*in_loops=*/false, info().severity);
      return;
    }
    report_per_call_client(*this, ctx, call, *client, info().severity, kCost);
  }

  // A helper called once per item of a loop makes one session per item: as costly as PS503's.
  void link(const ProjectIndex& index, std::vector<Finding>& findings) const override {
    link_per_call_clients(*this, index, findings, Severity::high, kCost, is_async_session);
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps506_client_session_per_call() { return std::make_unique<ClientSessionPerCall>(); }

}  // namespace perfscan
