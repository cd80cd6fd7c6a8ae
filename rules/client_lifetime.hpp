// What PS902 (connection-per-call) and PS506 (client-session-per-call) share: a client that owns
// connections, made and dropped within one call of a function that runs many times. The rules
// differ in the clients they take (database and cache connections; async HTTP sessions) and in
// loops: PS902 also reports a connection made per item of a loop in the function itself, while
// PS506 leaves loops to PS503.
//
// Where the answers come from: the client tables and Context::stays_in_call (the semantic
// layer) say what the call makes and whether it outlives the call; Context::entry_point says
// whether a framework calls the function per request or event; the link step's
// ProjectIndex::repeated_by says whether a handler or a loop calls it, in any module.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "perfscan/context.hpp"
#include "perfscan/project.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/types.hpp"

namespace perfscan {

using AcceptClient = bool (*)(ClientKind);

struct PerCallClient {
  ClientKind kind = ClientKind::none;
  std::string canonical;  // "psycopg2.Connection", "aiohttp.ClientSession", "asyncpg.create_pool"
  std::string written;    // the call's function as written: "psycopg2.connect", "ClientSession"
};

// What a rule says about the clients it reports: what each new client repeats ("the connection
// set-up (TCP connect, TLS, authentication)") and the fix.
struct ClientCost {
  std::string_view repeated;
  std::string_view suggestion;
};

// The client `call` makes, when `accept` takes its kind and it is made per call: the call is in
// a function (not at module or class level, not in a lambda) that is not a one-time path
// (Context::one_time_path), the client stays in the call (Context::fate_of), and its
// arguments do not come from the function's parameters (`connect(dsn)`: one connection per
// target the caller names, which one pool would not serve), nor hand it a pool made elsewhere
// (`redis.Redis(connection_pool=POOL)`, `ClientSession(connector=shared)`,
// `AsyncClient(transport=shared)`: the pool's connections are reused). Nullopt otherwise. A
// client the function returns as it is (`return psycopg2.connect(DSN)`) makes the function a
// factory: that is recorded in its summary (FunctionEffectFact::fresh_client), for
// record_factory_call's sites.
std::optional<PerCallClient> per_call_client(Context& ctx, Node call, AcceptClient accept);

// `conn = get_db()`: a call of a function that may be a factory of clients, whose result stays
// in this call, recorded for the link step (which keeps it when the function's summary says it
// returns a new client of a kind `accept` takes, and is not cached). Only where it pays to ask:
// in a request or event handler; in a loop over the data when `in_loops` (PS902; a loop's
// sessions are PS503's); or anywhere when the semantic layer already types the result as such
// a client (a factory of the same file, an annotated one). `severity`: outside loops.
void record_factory_call(const Rule& rule, Context& ctx, Node call, AcceptClient accept, bool in_loops,
                         Severity severity);

// The call's arguments mention a name the loop binds (`for dsn in dsns: connect(dsn)`): one
// client per target, not per item of work.
bool made_per_loop_target(const Context& ctx, Node call, const LoopFrame& loop);

// "`psycopg2.connect()` opens a new database connection": what the call makes, for messages.
std::string client_description(const PerCallClient& client);

// Reports the client made in a request or event handler (Context::entry_point), or, in any
// other function, records it for the link step to confirm when a handler or a loop calls the
// function (link_per_call_clients). `severity` is the finding's severity in a handler.
void report_per_call_client(const Rule& rule, Context& ctx, Node call, const PerCallClient& client,
                            Severity severity, const ClientCost& cost);

// The link step: every client `rule` recorded whose function runs once per request, event or
// item of a loop (ProjectIndex::repeated_by), as a finding with the chain in its message; loops
// give `loop_severity`, handlers the severity recorded. Calls of factories are kept when the
// factory returns a new client `accept` takes on each call.
void link_per_call_clients(const Rule& rule, const ProjectIndex& index, std::vector<Finding>& findings,
                           Severity loop_severity, const ClientCost& cost, AcceptClient accept);

}  // namespace perfscan
