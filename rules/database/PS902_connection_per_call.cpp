// PS902 connection-per-call: a database or cache connection made and dropped within one call of
// a function that runs many times (a request or event handler, a helper a handler or a loop
// calls, in any module), or on every item of a loop. Documentation: PS902.md beside this file.
#include <fmt/format.h>

#include "client_lifetime.hpp"
#include "n_plus_one/loop_context.hpp"
#include "perfscan/context.hpp"
#include "perfscan/project.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

constexpr ClientCost kCost{
    "the connection set-up (TCP connect, TLS, authentication, a server process or session)",
    "create one engine, pool or client at start-up (a module-level `create_engine(...)`, `psycopg2.pool` / "
    "`asyncpg.create_pool(...)`, one `redis.Redis` or `MongoClient` made when the application starts) and take "
    "connections from it on each call"};

bool is_connection(ClientKind kind) { return kind == ClientKind::database || kind == ClientKind::cache; }

class ConnectionPerCall final : public Rule, public ProjectRule {
 public:
  ConnectionPerCall()
      : Rule({"PS902", "connection-per-call", Category::database, Severity::high,
              "Database or cache connection opened and dropped on every request, event or call of a "
              "repeatedly called function"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    std::optional<PerCallClient> client = per_call_client(ctx, call, is_connection);
    if (!client) {
      record_factory_call(*this, ctx, call, is_connection, /*in_loops=*/true, info().severity);
      return;
    }
    if (!ctx.loops().empty()) {
      // A `while` loop (a reconnect loop), a loop over a few items fixed by the program text or
      // one that leaves after its first pass: deliberate, or a handful of connections.
      PerIteration per = per_iteration(ctx, call);
      if (!per.applies()) return;
      // `for dsn in dsns: connect(dsn)`: one connection per server, which no pool would share.
      if (made_per_loop_target(ctx, call, *per.innermost)) return;
      ctx.report(*this, call,
                 fmt::format("{} for every item of {}{} and drops it after: every item repeats {} instead of "
                             "reusing an open connection",
                             client_description(*client), loop_description(ctx, *per.innermost),
                             per.severity_reason(), kCost.repeated),
                 "open one connection before the loop and use it for every item (or take connections from a "
                 "pool made at start-up)",
                 per.severity());
      return;
    }
    report_per_call_client(*this, ctx, call, *client, info().severity, kCost);
  }

  void link(const ProjectIndex& index, std::vector<Finding>& findings) const override {
    link_per_call_clients(*this, index, findings, info().severity, kCost, is_connection);
  }
};

}  // namespace

std::unique_ptr<Rule> make_ps902_connection_per_call() { return std::make_unique<ConnectionPerCall>(); }

}  // namespace perfscan
