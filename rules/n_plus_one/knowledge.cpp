#include "knowledge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>

namespace perfscan {
namespace {

// ---- tables (data) ---------------------------------------------------------------------------

// A family of calls: methods (space-separated) of one module or resolved instance type.
struct KnownFamily {
  std::string_view owner;    // "requests", "requests.Session", "redis.Redis"
  std::string_view methods;  // "get post put ..."
  EffectKind kind;
  Library library;
};

constexpr std::string_view kHttpVerbs = "get post put patch delete head options request send stream";
constexpr std::string_view kRedisCommands =
    "get set setex setnx getset hget hset hsetnx hgetall hincrby hdel hexists incr incrby decr decrby "
    "expire delete exists sadd srem smembers sismember scard lpush rpush lpop rpop lrange llen zadd "
    "zscore zrem zrange zrangebyscore zincrby ttl publish";
constexpr std::string_view kAsyncDbMethods = "fetch fetchrow fetchval execute fetch_all fetch_one fetch_val";

constexpr std::array kKnownFamilies = {
    KnownFamily{"requests", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"requests.api", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"requests.Session", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"requests.session", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"requests.sessions.Session", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"httpx", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"httpx.Client", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"httpx.AsyncClient", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"aiohttp", "request", EffectKind::http, Library::http},
    KnownFamily{"aiohttp.ClientSession", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"urllib.request", "urlopen", EffectKind::http, Library::http},
    KnownFamily{"urllib3.PoolManager", "request urlopen", EffectKind::http, Library::http},
    KnownFamily{"redis.Redis", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"redis.StrictRedis", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"redis.from_url", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"redis.Redis.from_url", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"redis.asyncio.Redis", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"redis.asyncio.from_url", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"aioredis.Redis", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"aioredis.from_url", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"asyncpg.connect", kAsyncDbMethods, EffectKind::read, Library::async_db},
    KnownFamily{"asyncpg.create_pool", kAsyncDbMethods, EffectKind::read, Library::async_db},
    KnownFamily{"aiosqlite.connect", "execute execute_fetchall", EffectKind::read, Library::async_db},
    KnownFamily{"databases.Database", kAsyncDbMethods, EffectKind::read, Library::async_db},
    KnownFamily{"sqlite3.connect", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"sqlite3.connect.cursor", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"psycopg2.connect.cursor", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"psycopg.connect", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"psycopg.connect.cursor", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"pymysql.connect.cursor", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"MySQLdb.connect.cursor", "execute", EffectKind::read, Library::dbapi},
};

// Django manager chains: what the last method of `Model.objects....` does.
constexpr std::string_view kDjangoEvaluating =
    "get first last latest earliest count exists aggregate contains explain get_or_none";
constexpr std::string_view kDjangoWriting = "create get_or_create update_or_create update delete";
constexpr std::string_view kDjangoLazy =
    "all filter exclude order_by values values_list select_related prefetch_related annotate "
    "distinct only defer using reverse none alias";

// Receivers whose type local reasoning cannot see, recognised by name.
constexpr std::string_view kCursorNames = "cursor cur curs conn connection con cnx db_conn";
constexpr std::string_view kAsyncConnectionNames = "conn connection con db database pool connection_pool";
constexpr std::string_view kRedisNames = "redis redis_client redis_conn rds redis_cache";
constexpr std::string_view kSessionMethods = "query execute scalars scalar get get_one";
constexpr std::string_view kMongoMethods =
    "find_one count_documents insert_one update_one update_many delete_one delete_many replace_one "
    "find_one_and_update find_one_and_replace find_one_and_delete";
constexpr std::string_view kMongoDatabaseNames = "db database mongo client mongo_db";

// The word lists above are written as one string each for reading; membership is asked for
// nearly every call of a scan, so each list is split once into a hash set.
class WordSet {
 public:
  explicit WordSet(std::string_view words) {
    for (std::size_t start = 0; start < words.size();) {
      std::size_t end = std::min(words.find(' ', start), words.size());
      if (end > start) words_.insert(words.substr(start, end - start));
      start = end + 1;
    }
  }
  [[nodiscard]] bool contains(std::string_view word) const {
    return !word.empty() && words_.count(word) != 0;
  }

 private:
  std::unordered_set<std::string_view> words_;
};

const WordSet kRedisCommandSet{kRedisCommands};
const WordSet kAsyncDbMethodSet{kAsyncDbMethods};
const WordSet kDjangoEvaluatingSet{kDjangoEvaluating};
const WordSet kDjangoWritingSet{kDjangoWriting};
const WordSet kDjangoLazySet{kDjangoLazy};
const WordSet kCursorNameSet{kCursorNames};
const WordSet kAsyncConnectionNameSet{kAsyncConnectionNames};
const WordSet kRedisNameSet{kRedisNames};
const WordSet kSessionMethodSet{kSessionMethods};
const WordSet kMongoMethodSet{kMongoMethods};
const WordSet kMongoDatabaseNameSet{kMongoDatabaseNames};

bool in_list(const WordSet& words, std::string_view word) { return words.contains(word); }

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The last name of a receiver expression: `self.session` -> "session", `conn` -> "conn",
// `get_conn()` -> "".
std::string_view receiver_name(const Context& ctx, Node receiver) {
  if (receiver.is("identifier")) return ctx.text(receiver);
  if (receiver.is("attribute")) return ctx.text(receiver.field("attribute"));
  if (receiver.is("call")) {
    // `conn.cursor().execute(...)`
    Node function = receiver.field("function");
    if (function.is("attribute") && ctx.text(function.field("attribute")) == "cursor") return "cursor";
  }
  return {};
}

bool is_session_like(const Context& ctx, Node receiver) {
  std::string name = lower(receiver_name(ctx, receiver));
  if (name.find("session") != std::string::npos) return true;
  Value value = ctx.infer(receiver);
  return value.kind == ValueKind::instance && value.qualified_name.starts_with("sqlalchemy.") &&
         value.qualified_name.find("ession") != std::string::npos;
}

bool is_awaited(Node call) {
  Node parent = call.parent();
  return parent && parent.is("await");
}

bool is_write_statement(const Context& ctx, Node call) {
  Node arguments = call.field("arguments");
  Node first = arguments ? arguments.named_child(0) : Node{};
  if (!first || !first.is("string")) return false;
  std::string text = lower(ctx.text(first));
  auto start = text.find_first_not_of("rbuf\"' \n\t");
  if (start == std::string::npos) return false;
  text = text.substr(start);
  return text.starts_with("insert") || text.starts_with("update") || text.starts_with("delete") ||
         text.starts_with("replace");
}

// A Mongo collection: `db.users`, `db["users"]`, `self.collection`, `users_collection`.
bool is_collection_like(const Context& ctx, Node receiver, bool strict) {
  std::string name = lower(receiver_name(ctx, receiver));
  if (name.find("collection") != std::string::npos || name == "coll") return true;
  Node owner;
  if (receiver.is("attribute")) owner = receiver.field("object");
  if (receiver.is("subscript")) owner = receiver.field("value");
  if (!owner) return false;
  if (!strict) return true;
  return in_list(kMongoDatabaseNameSet, lower(receiver_name(ctx, owner)));
}

bool looks_like_url(const Context& ctx, Node argument) {
  if (argument.is("string") || argument.is("concatenated_string") || argument.is("binary_operator")) return true;
  return lower(ctx.text(argument)).find("url") != std::string::npos;
}

CallEffect effect(EffectKind kind, Library library, std::string api, std::string model = {}) {
  return CallEffect{kind, library, std::move(api), std::move(model)};
}

CallEffect classify_manager_chain(const ManagerChain& chain, std::string_view api_text) {
  // Only a queryset keeps being one: after `in_bulk(...)` or `get(...)` the chain goes on on
  // a dict or a row (`books.get(key)` is a dict look-up).
  for (std::size_t i = 0; i + 1 < chain.methods.size(); ++i) {
    if (!in_list(kDjangoLazySet, chain.methods[i])) return {};
  }
  std::string_view last = chain.methods.empty() ? std::string_view{} : chain.methods.back();
  EffectKind kind = EffectKind::none;
  if (in_list(kDjangoWritingSet, last)) {
    kind = EffectKind::write;
  } else if (in_list(kDjangoEvaluatingSet, last)) {
    kind = EffectKind::read;
  } else if (in_list(kDjangoLazySet, last)) {
    kind = EffectKind::lazy_query;
  }
  return effect(kind, Library::django, std::string(api_text), chain.model);
}

// `Book.objects.filter(x).first` -> "Book.objects.filter(...).first"
std::string django_api(const ManagerChain& chain) {
  std::string api = short_api(chain.model) + ".objects";
  for (std::size_t i = 0; i < chain.methods.size(); ++i) {
    api += '.';
    api += chain.methods[i];
    if (i + 1 < chain.methods.size()) api += "(...)";
  }
  return api;
}

}  // namespace

const KnownCall* find_known_call(std::string_view qualified_name) {
  // One sorted row per owner and method, expanded from the families once.
  static const std::vector<KnownCall> rows = [] {
    std::vector<KnownCall> built;
    for (const KnownFamily& family : kKnownFamilies) {
      for (std::size_t start = 0; start < family.methods.size();) {
        std::size_t end = family.methods.find(' ', start);
        if (end == std::string_view::npos) end = family.methods.size();
        built.push_back(KnownCall{fmt::format("{}.{}", family.owner, family.methods.substr(start, end - start)),
                                  family.kind, family.library});
        start = end + 1;
      }
    }
    std::sort(built.begin(), built.end(),
              [](const KnownCall& a, const KnownCall& b) { return a.qualified_name < b.qualified_name; });
    return built;
  }();
  auto it = std::lower_bound(rows.begin(), rows.end(), qualified_name,
                             [](const KnownCall& row, std::string_view name) { return row.qualified_name < name; });
  return it != rows.end() && it->qualified_name == qualified_name ? &*it : nullptr;
}

EffectKind find_configured_call(std::string_view qualified_name, const std::vector<std::string>& extra_queries,
                                const std::vector<std::string>& extra_http) {
  if (std::find(extra_queries.begin(), extra_queries.end(), qualified_name) != extra_queries.end()) {
    return EffectKind::read;
  }
  // An HTTP client is named by its function or by its class: every method of the class
  // (`mycompany.http.Client.get`) makes a request.
  for (const std::string& client : extra_http) {
    if (qualified_name == client ||
        (qualified_name.starts_with(client) && qualified_name.size() > client.size() &&
         qualified_name[client.size()] == '.')) {
      return EffectKind::http;
    }
  }
  return EffectKind::none;
}

ManagerChain manager_chain(std::string_view callee) {
  constexpr std::string_view kManager = ".objects.";
  auto at = callee.find(kManager);
  if (at == std::string_view::npos || at == 0) return {};
  ManagerChain chain;
  chain.model = std::string(callee.substr(0, at));
  std::string_view rest = callee.substr(at + kManager.size());
  for (std::size_t start = 0; start < rest.size();) {
    std::size_t end = rest.find('.', start);
    if (end == std::string_view::npos) end = rest.size();
    chain.methods.push_back(rest.substr(start, end - start));
    start = end + 1;
  }
  return chain;
}

std::string short_api(std::string_view qualified) {
  auto dot = qualified.rfind('.');
  return std::string(dot == std::string_view::npos ? qualified : qualified.substr(dot + 1));
}

Node outermost_chain_call(Node call) {
  for (int guard = 0; guard < 64; ++guard) {
    Node attribute = call.parent();
    if (!attribute || !attribute.is("attribute") || !(attribute.field("object") == call)) break;
    Node outer = attribute.parent();
    if (!outer || !outer.is("call") || !(outer.field("function") == attribute)) break;
    call = outer;
  }
  return call;
}

CallEffect classify_call(const Context& ctx, Node call) {
  Node function = call.field("function");
  if (!function || (!function.is("attribute") && !function.is("identifier"))) return {};
  return classify_call(ctx, call, ctx.callee_name(call));
}

CallEffect classify_call(const Context& ctx, Node call, const std::string& callee) {
  Node function = call.field("function");
  if (!function || (!function.is("attribute") && !function.is("identifier"))) return {};
  if (!callee.empty()) {
    const KnowledgeExtensions& extra = ctx.settings().knowledge;
    if (EffectKind configured = find_configured_call(callee, extra.query_methods, extra.http_clients);
        configured != EffectKind::none) {
      return effect(configured, configured == EffectKind::http ? Library::http : Library::configured, callee);
    }
    if (const KnownCall* known = find_known_call(callee)) {
      std::string known_api = known->library == Library::http ? callee : std::string(ctx.text(function));
      return effect(known->kind, known->library, std::move(known_api));
    }
    if (ManagerChain chain = manager_chain(callee); !chain.model.empty()) {
      return classify_manager_chain(chain, django_api(chain));
    }
  }
  if (!function.is("attribute")) return {};
  std::string_view method = ctx.text(function.field("attribute"));
  Node receiver = function.field("object");
  // Managers reached through names local reasoning cannot resolve (`self.model.objects`).
  if (callee.empty() && receiver.is("attribute") && ctx.text(receiver.field("attribute")) == "objects") {
    ManagerChain chain{std::string(ctx.text(receiver.field("object"))), {method}};
    return classify_manager_chain(chain, fmt::format("{}.objects.{}", chain.model, method));
  }
  auto api = [&] { return std::string(ctx.text(function)); };
  // `x.get(...)` is mostly dict.get: only a receiver named like a session is looked at.
  bool session_method = in_list(kSessionMethodSet, method) &&
                        (method != "get" || lower(receiver_name(ctx, receiver)).find("session") != std::string::npos);
  if (session_method && is_session_like(ctx, receiver)) {
    // `session.get(url)` is an HTTP client session; `session.get(User, pk)` an ORM one.
    Node arguments = call.field("arguments");
    Node first = arguments ? arguments.named_child(0) : Node{};
    if (method == "get" && first && looks_like_url(ctx, first)) {
      return effect(EffectKind::http, Library::http, api());
    }
    if (method == "get" && (!first || !first.is("identifier") || !std::isupper(static_cast<unsigned char>(ctx.text(first).front())))) {
      return {};
    }
    return effect(EffectKind::read, Library::sqlalchemy, api());
  }
  if ((method == "commit" || method == "flush") && is_session_like(ctx, receiver)) {
    return effect(EffectKind::write, Library::sqlalchemy, api());
  }
  bool by_receiver_name = method == "execute" || in_list(kAsyncDbMethodSet, method) || in_list(kRedisCommandSet, method);
  std::string name = by_receiver_name ? lower(receiver_name(ctx, receiver)) : std::string{};
  if (method == "execute" && in_list(kCursorNameSet, name)) {
    return effect(is_write_statement(ctx, call) ? EffectKind::write : EffectKind::read, Library::dbapi, api());
  }
  if (in_list(kAsyncDbMethodSet, method) && in_list(kAsyncConnectionNameSet, name) && is_awaited(call)) {
    return effect(is_write_statement(ctx, call) ? EffectKind::write : EffectKind::read, Library::async_db,
                  api());
  }
  if (in_list(kMongoMethodSet, method) && is_collection_like(ctx, receiver, false)) {
    bool writes = method.starts_with("insert") || method.starts_with("update") || method.starts_with("delete") ||
                  method.starts_with("replace");
    return effect(writes ? EffectKind::write : EffectKind::read, Library::mongo, api());
  }
  if ((method == "find" || method == "aggregate") && is_collection_like(ctx, receiver, true)) {
    return effect(EffectKind::read, Library::mongo, api());
  }
  if (in_list(kRedisCommandSet, method) && in_list(kRedisNameSet, name)) {
    return effect(EffectKind::redis, Library::redis, api());
  }
  return {};
}

namespace {

bool is_driver_call(const CallEffect& effect) {
  return effect.library == Library::dbapi || effect.library == Library::async_db ||
         (effect.library == Library::sqlalchemy && !effect.api.ends_with("query") &&
          lower(effect.api).find("session") == std::string::npos);
}

// The statement argument, seen through `text(...)`.
Node statement_argument(const Context& ctx, Node call) {
  Node arguments = call.field("arguments");
  Node statement = arguments ? arguments.named_child(0) : Node{};
  if (statement && statement.is("call") && ctx.text(statement.field("function")).ends_with("text")) {
    Node inner = statement.field("arguments");
    statement = inner ? inner.named_child(0) : Node{};
  }
  return statement;
}

bool is_plain_literal(Node statement) {
  if (!statement || (!statement.is("string") && !statement.is("concatenated_string"))) return false;
  for (uint32_t i = 0, n = statement.named_child_count(); i < n; ++i) {
    if (statement.named_child(i).is("interpolation")) return false;
  }
  return true;
}

}  // namespace

bool executes_given_statement(const Context& ctx, Node call, const CallEffect& effect) {
  return is_driver_call(effect) && !is_plain_literal(statement_argument(ctx, call));
}

bool runs_same_statement_each_time(const Context& ctx, Node call, const CallEffect& effect) {
  if (!is_driver_call(effect)) return true;
  Node statement = statement_argument(ctx, call);
  if (!statement) return false;
  if (is_plain_literal(statement)) return true;
  if (statement.is("identifier") || statement.is("attribute")) {
    // A name bound outside the loop: `sql = "..."` before it, or a constant.
    Node root = statement;
    while (root.is("attribute")) root = root.field("object");
    const Binding* binding = ctx.lookup(ctx.text(root));
    if (binding == nullptr) return true;
    if (binding->kind == BindingKind::loop_target) return false;
    if (binding->kind == BindingKind::parameter) return true;  // one statement handed in, rows vary
    return !binding->node || ctx.loops().empty() || !ctx.loops().back().node.contains(binding->node);
  }
  return false;
}

std::string batched_form(const CallEffect& effect) {
  bool writes = effect.kind == EffectKind::write;
  switch (effect.library) {
    case Library::django: {
      std::string model = effect.model.empty() ? "Model" : short_api(effect.model);
      if (!writes) {
        return fmt::format("query once before the loop, `{0}.objects.filter(<key>__in=keys)` or "
                           "`{0}.objects.in_bulk(keys)`, then look rows up in that dict",
                           model);
      }
      if (effect.api.ends_with(".delete")) {
        return fmt::format("delete in one statement: `{}.objects.filter(pk__in=ids).delete()`", model);
      }
      if (effect.api.ends_with(".update") || effect.api.ends_with(".save")) {
        return fmt::format("collect the objects and write once: `{}.objects.bulk_update(objs, fields)`, or "
                           "one `queryset.update(...)` when every row gets the same value",
                           model);
      }
      return fmt::format("build the objects in the loop and insert once: `{}.objects.bulk_create(objs)`", model);
    }
    case Library::sqlalchemy:
      return writes ? "add the objects with `session.add_all(objs)` (or `session.execute(insert(Model), rows)`) "
                      "and commit once after the loop"
                    : "query once before the loop, `select(Model).where(Model.key.in_(keys))`, then map the "
                      "rows by key";
    case Library::dbapi:
      return writes ? "send every row in one call: `cursor.executemany(sql, rows)`"
                    : "query once with `WHERE key IN (...)` (or `= ANY(%s)`) and map the rows by key";
    case Library::async_db:
      return writes ? "send every row in one call: `executemany(sql, rows)` (asyncpg: `copy_records_to_table`)"
                    : "query once, `fetch('... WHERE id = ANY($1)', ids)`, and map the rows by key";
    case Library::mongo:
      return writes ? "write in one round trip: `insert_many(docs)` or `bulk_write([...])`"
                    : "query once with `$in`: `find({'_id': {'$in': ids}})`, and map the documents by key";
    case Library::redis:
      return "batch the commands: `pipe = r.pipeline()` ... `pipe.execute()`, or `mget`/`mset`/`hmget`";
    case Library::http:
      return "send one batched request (a bulk endpoint) instead of one per item, or at least reuse one "
             "session and run the requests concurrently with a bounded pool";
    case Library::configured:
      return "fetch everything the loop needs in one call before the loop";
  }
  return {};
}

}  // namespace perfscan
