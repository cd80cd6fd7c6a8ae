// What a call does to a database or a remote service: the knowledge behind PS2xx and the
// function facts the link step closes over. The tables are data (see knowledge.cpp) with one
// lookup each, so names from configuration (extra-query-methods, extra-http-clients) can be
// added to them without touching the rules.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"

namespace perfscan {

enum class EffectKind : std::uint8_t {
  none,
  read,        // a query that runs here (Book.objects.get, cursor.execute, coll.find_one)
  lazy_query,  // a queryset built but not evaluated here (Book.objects.filter(...))
  write,       // a write (obj.save via .objects.create, session.commit, insert_one)
  redis,       // a Redis round trip
  http,        // an HTTP request
};

enum class Library : std::uint8_t { django, sqlalchemy, dbapi, async_db, mongo, redis, http, configured };

struct CallEffect {
  EffectKind kind = EffectKind::none;
  Library library = Library::django;
  std::string api;    // what to name in messages: "Book.objects.get", "requests.get"
  std::string model;  // the queried model's qualified name, when known (Django)
  [[nodiscard]] bool any() const { return kind != EffectKind::none; }
  [[nodiscard]] bool runs_per_call() const { return kind != EffectKind::none && kind != EffectKind::lazy_query; }
};

// One row of a table of known calls, matched against a call's qualified name.
struct KnownCall {
  std::string qualified_name;  // "requests.get", "redis.Redis.get"
  EffectKind kind;
  Library library;
};

// The single lookup into the tables of qualified names (HTTP clients, Redis clients, async
// database drivers). `extra_queries` / `extra_http` are names from configuration.
const KnownCall* find_known_call(std::string_view qualified_name);
EffectKind find_configured_call(std::string_view qualified_name, const std::vector<std::string>& extra_queries,
                                const std::vector<std::string>& extra_http);

// Classifies a call by its resolved name and, for ORM and driver objects whose type local
// reasoning cannot see, by the shape of the receiver (`session.query`, `cursor.execute`,
// `db.users.find_one`, `Model.objects....`).
CallEffect classify_call(const Context& ctx, Node call);
// The same with the call's resolved name already at hand (`ctx.callee_name(call)`).
CallEffect classify_call(const Context& ctx, Node call, const std::string& callee);

// Django: the model and method chain of a `Model.objects....` callee ("shop.models.Book",
// {"filter", "first"}), or an empty model when the callee is not a manager chain.
struct ManagerChain {
  std::string model;
  std::vector<std::string_view> methods;
};
ManagerChain manager_chain(std::string_view callee);

// The outermost call of a method chain containing `call` (`a.filter(x).first()` for the
// inner `a.filter(x)`): one chain, one finding.
Node outermost_chain_call(Node call);

// For a driver-level `execute`/`fetch` (DB-API, asyncpg, a SQLAlchemy Connection): is the
// statement the same on every iteration? `for sql in statements: cursor.execute(sql)` runs a
// script of different statements (DDL, maintenance), not N copies of one query.
bool runs_same_statement_each_time(const Context& ctx, Node call, const CallEffect& effect);

// A driver-level call that executes whatever statement it is handed (`cursor.execute(sql)` with
// `sql` a parameter or computed): a generic executor, not a query of its own. ORM calls and
// statements written as literals are not.
bool executes_given_statement(const Context& ctx, Node call, const CallEffect& effect);

// The batched form to suggest for a per-iteration effect.
std::string batched_form(const CallEffect& effect);

// "Book.objects.get" from "shop.models.Book.objects.get": the last component of the model.
std::string short_api(std::string_view qualified);

}  // namespace perfscan
