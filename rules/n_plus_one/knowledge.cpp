#include "knowledge.hpp"

#include "perfscan/node_kinds.hpp"
#include "perfscan/types.hpp"

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

// Owners are the canonical type names of the semantic layer (types.hpp: canonical_type), so
// every spelling of a client (`redis.from_url()`, `sqlite3.connect().cursor()`) meets one row.
constexpr std::array kKnownFamilies = {
    KnownFamily{"requests", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"requests.api", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"requests.Session", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"httpx", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"httpx.Client", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"httpx.AsyncClient", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"aiohttp", "request", EffectKind::http, Library::http},
    KnownFamily{"aiohttp.ClientSession", kHttpVerbs, EffectKind::http, Library::http},
    KnownFamily{"urllib.request", "urlopen", EffectKind::http, Library::http},
    KnownFamily{"urllib3.PoolManager", "request urlopen", EffectKind::http, Library::http},
    KnownFamily{"redis.Redis", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"redis.asyncio.Redis", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"redis.asyncio.from_url", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"aioredis.Redis", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"aioredis.from_url", kRedisCommands, EffectKind::redis, Library::redis},
    KnownFamily{"asyncpg.connect", kAsyncDbMethods, EffectKind::read, Library::async_db},
    KnownFamily{"asyncpg.create_pool", kAsyncDbMethods, EffectKind::read, Library::async_db},
    KnownFamily{"aiosqlite.connect", "execute execute_fetchall", EffectKind::read, Library::async_db},
    KnownFamily{"databases.Database", kAsyncDbMethods, EffectKind::read, Library::async_db},
    KnownFamily{"sqlite3.Connection", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"sqlite3.Cursor", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"psycopg2.Cursor", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"psycopg.Connection", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"psycopg.Cursor", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"pymysql.Cursor", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"MySQLdb.Cursor", "execute", EffectKind::read, Library::dbapi},
    KnownFamily{"mysql.connector.Cursor", "execute", EffectKind::read, Library::dbapi},
};

// Django manager chains: what the last method of `Model.objects....` does.
constexpr std::string_view kDjangoEvaluating =
    "get first last latest earliest count exists aggregate contains explain get_or_none in_bulk iterator";
constexpr std::string_view kDjangoWriting = "create get_or_create update_or_create update delete";
constexpr std::string_view kDjangoLazy =
    "all filter exclude order_by values values_list select_related prefetch_related annotate "
    "distinct only defer using reverse none alias";

// Flask-SQLAlchemy `Model.query....` chains: what the last method does.
constexpr std::string_view kQueryEvaluating =
    "first all one one_or_none get get_or_404 first_or_404 one_or_404 count scalar paginate exists";
constexpr std::string_view kQueryWriting = "delete update";
constexpr std::string_view kQueryLazy =
    "filter filter_by order_by join outerjoin options limit offset distinct group_by having with_entities "
    "select_from";

// Receivers whose type the semantic layer does not know, recognised by name (the fallback
// only: a known type always decides). Names are ctx.receiver_name's: lower case, leading
// underscores dropped (`self._redis` -> "redis").
constexpr std::string_view kCursorNames = "cursor cur curs conn connection con cnx db_conn db";
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
const WordSet kQueryEvaluatingSet{kQueryEvaluating};
const WordSet kQueryWritingSet{kQueryWriting};
const WordSet kQueryLazySet{kQueryLazy};

bool in_list(const WordSet& words, std::string_view word) { return words.contains(word); }

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// What the semantic layer knows a receiver to be, for the calls whose meaning depends on it.
enum class ReceiverType : std::uint8_t {
  unknown,     // nothing known: naming conventions decide
  not_client,  // a known type that talks to no server (a dict, a str, a file, a path ...)
  orm_session,  // a SQLAlchemy / SQLModel session
  mongo_collection,
  other,  // a known instance of another type: the names do not override it
};

bool is_orm_session_type(std::string_view type) {
  bool orm = type.starts_with("sqlalchemy.") || type.starts_with("sqlmodel.") || type.starts_with("flask_sqlalchemy.");
  return orm && (type.ends_with("Session") || type.ends_with("session"));
}

ReceiverType receiver_type_of(const Value& value) {
  switch (value.kind) {
    case ValueKind::unknown:
    case ValueKind::symbol:
      return ReceiverType::unknown;
    case ValueKind::instance:
      break;
    case ValueKind::union_of: {
      // Every alternative must agree.
      ReceiverType agreed = ReceiverType::unknown;
      for (std::size_t i = 0; i < value.members.size(); ++i) {
        ReceiverType member = receiver_type_of(value.members[i]);
        if (i > 0 && member != agreed) return ReceiverType::unknown;
        agreed = member;
      }
      return agreed;
    }
    default:
      return ReceiverType::not_client;  // str, bytes, numbers, collections, None
  }
  const std::string& type = value.qualified_name;
  if (is_orm_session_type(type)) return ReceiverType::orm_session;
  if (type == "pymongo.Collection") return ReceiverType::mongo_collection;
  if (is_file_object(value) || is_in_memory_stream(value) || type.starts_with("pathlib.")) {
    return ReceiverType::not_client;
  }
  // An instance of a type the tables do not know (a library class, a project class made in
  // another module): the names may still tell.
  return ReceiverType::unknown;
}

// The receiver's name for the naming-convention fallback: ctx.receiver_name, and "cursor" for
// `conn.cursor().execute(...)`.
std::string fallback_name(const Context& ctx, Node receiver) {
  if (kinds::call.matches(receiver)) {
    Node function = receiver.field("function");
    if (kinds::attribute.matches(function) && ctx.text(function.field("attribute")) == "cursor") return "cursor";
    return {};
  }
  return ctx.receiver_name(receiver);
}

// `session`, `db_session`, `dbsession`, `self._session`, `db.session`: a session by name.
// Not `session_data`, `session_key`, `sessions`: names that merely contain the word.
bool is_session_name(std::string_view name) { return name == "sess" || name.ends_with("session"); }

bool is_session_like(ReceiverType type, std::string_view name) {
  if (type == ReceiverType::orm_session) return true;
  return type == ReceiverType::unknown && is_session_name(name);
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
  // Past the prefix (r, b, u, f) and the quotes: the statement's first word.
  auto quote = text.find_first_of("\"'");
  auto start = quote == std::string::npos ? quote : text.find_first_not_of("\"' \n\t(", quote);
  if (start == std::string::npos) return false;
  text = text.substr(start);
  return text.starts_with("insert") || text.starts_with("update") || text.starts_with("delete") ||
         text.starts_with("replace");
}

// A Mongo collection: typed as one, or by name: `db.users`, `db["users"]`,
// `self.collection`, `users_collection`.
bool is_collection_like(const Context& ctx, Node receiver, ReceiverType type, bool strict) {
  if (type == ReceiverType::mongo_collection) return true;
  if (type != ReceiverType::unknown) return false;
  std::string name = fallback_name(ctx, receiver);
  if (name.find("collection") != std::string::npos || name == "coll") return true;
  Node owner;
  if (kinds::attribute.matches(receiver)) owner = receiver.field("object");
  if (kinds::subscript.matches(receiver)) owner = receiver.field("value");
  if (!owner) return false;
  if (receiver_type_of(ctx.infer(owner)) == ReceiverType::not_client) return false;
  if (!strict) return true;
  return in_list(kMongoDatabaseNameSet, fallback_name(ctx, owner));
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

// Flask-SQLAlchemy: the model and methods of a `Model.query....` callee
// ("app.models.User", {"filter_by", "first"}); an empty model for anything else.
ManagerChain query_chain(std::string_view callee) {
  constexpr std::string_view kQuery = ".query.";
  auto at = callee.find(kQuery);
  if (at == std::string_view::npos || at == 0) return {};
  std::string_view model = callee.substr(0, at);
  std::string_view last = model.substr(model.rfind('.') == std::string_view::npos ? 0 : model.rfind('.') + 1);
  // A class by its name: `db.session.query` and `self.query` are not model query properties,
  // and neither is a typed session's `query()`.
  if (last.empty() || !std::isupper(static_cast<unsigned char>(last.front())) || is_orm_session_type(model)) return {};
  ManagerChain chain;
  chain.model = std::string(model);
  std::string_view rest = callee.substr(at + kQuery.size());
  for (std::size_t start = 0; start < rest.size();) {
    std::size_t end = std::min(rest.find('.', start), rest.size());
    chain.methods.push_back(rest.substr(start, end - start));
    start = end + 1;
  }
  return chain;
}

CallEffect classify_query_chain(const ManagerChain& chain) {
  for (std::size_t i = 0; i + 1 < chain.methods.size(); ++i) {
    if (!in_list(kQueryLazySet, chain.methods[i])) return {};
  }
  std::string_view last = chain.methods.empty() ? std::string_view{} : chain.methods.back();
  EffectKind kind = in_list(kQueryWritingSet, last)      ? EffectKind::write
                    : in_list(kQueryEvaluatingSet, last) ? EffectKind::read
                    : in_list(kQueryLazySet, last)       ? EffectKind::lazy_query
                                                         : EffectKind::none;
  std::string api = short_api(chain.model) + ".query";
  for (std::size_t i = 0; i < chain.methods.size(); ++i) {
    api += fmt::format(".{}{}", chain.methods[i], i + 1 < chain.methods.size() ? "(...)" : "");
  }
  return effect(kind, Library::sqlalchemy, std::move(api), chain.model);
}

bool is_write_method(std::string_view method) {
  return method.starts_with("insert") || method.starts_with("update") || method.starts_with("delete") ||
         method.starts_with("replace");
}

// Sessions, connections, cursors, collections and Redis clients whose calls the tables of
// qualified names did not match: the semantic layer's type of the receiver decides first, and
// only when it knows nothing do naming conventions (`cursor`, `self._redis`, `db.session`).
CallEffect classify_by_receiver(const Context& ctx, Node call, std::string_view method, Node receiver) {
  bool session_method = in_list(kSessionMethodSet, method) || method == "commit" || method == "flush";
  bool named_method = method == "execute" || in_list(kAsyncDbMethodSet, method) || in_list(kRedisCommandSet, method);
  bool mongo_method = in_list(kMongoMethodSet, method) || method == "find" || method == "aggregate";
  if (!session_method && !named_method && !mongo_method) return {};
  ReceiverType type = receiver_type_of(ctx.infer(receiver));
  if (type == ReceiverType::not_client) return {};
  std::string name = type == ReceiverType::unknown ? fallback_name(ctx, receiver) : std::string{};
  auto api = [&] { return std::string(ctx.text(call.field("function"))); };
  if (session_method && is_session_like(type, name)) {
    if (method == "commit" || method == "flush") return effect(EffectKind::write, Library::sqlalchemy, api());
    Node arguments = call.field("arguments");
    Node first = arguments ? arguments.named_child(0) : Node{};
    if (method == "get" && type == ReceiverType::unknown) {
      // `session.get(url)` is an HTTP client session; `session.get(User, pk)` an ORM one; any
      // other `get` (a dict's) is neither.
      if (first && looks_like_url(ctx, first)) return effect(EffectKind::http, Library::http, api());
      if (!first || !kinds::identifier.matches(first) || !std::isupper(static_cast<unsigned char>(ctx.text(first).front()))) {
        return {};
      }
    }
    if (in_list(kSessionMethodSet, method)) return effect(EffectKind::read, Library::sqlalchemy, api());
  }
  if (type == ReceiverType::unknown) {
    if (method == "execute" && in_list(kCursorNameSet, name)) {
      return effect(is_write_statement(ctx, call) ? EffectKind::write : EffectKind::read, Library::dbapi, api());
    }
    if (in_list(kAsyncDbMethodSet, method) && in_list(kAsyncConnectionNameSet, name) && is_awaited(call)) {
      return effect(is_write_statement(ctx, call) ? EffectKind::write : EffectKind::read, Library::async_db, api());
    }
  }
  if (in_list(kMongoMethodSet, method) && is_collection_like(ctx, receiver, type, false)) {
    return effect(is_write_method(method) ? EffectKind::write : EffectKind::read, Library::mongo, api());
  }
  if ((method == "find" || method == "aggregate") && is_collection_like(ctx, receiver, type, true)) {
    return effect(EffectKind::read, Library::mongo, api());
  }
  if (type == ReceiverType::unknown && in_list(kRedisCommandSet, method) && in_list(kRedisNameSet, name)) {
    return effect(EffectKind::redis, Library::redis, api());
  }
  return {};
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
    if (!attribute || !kinds::attribute.matches(attribute) || !(attribute.field("object") == call)) break;
    Node outer = attribute.parent();
    if (!outer || !kinds::call.matches(outer) || !(outer.field("function") == attribute)) break;
    call = outer;
  }
  return call;
}

CallEffect classify_call(const Context& ctx, Node call) {
  Node function = call.field("function");
  if (!function || (!kinds::attribute.matches(function) && !kinds::identifier.matches(function))) return {};
  return classify_call(ctx, call, ctx.callee_name(call));
}

CallEffect classify_call(const Context& ctx, Node call, const std::string& callee) {
  Node function = call.field("function");
  if (!function || (!kinds::attribute.matches(function) && !kinds::identifier.matches(function))) return {};
  if (!callee.empty()) {
    const KnowledgeExtensions& extra = ctx.settings().knowledge;
    if (EffectKind configured = find_configured_call(callee, extra.query_methods, extra.http_clients);
        configured != EffectKind::none) {
      return effect(configured, configured == EffectKind::http ? Library::http : Library::configured, callee);
    }
    std::string canonical = canonical_callee(callee);
    if (const KnownCall* known = find_known_call(canonical)) {
      std::string known_api = known->library == Library::http ? canonical : std::string(ctx.text(function));
      bool driver = known->library == Library::dbapi || known->library == Library::async_db;
      EffectKind kind = driver && is_write_statement(ctx, call) ? EffectKind::write : known->kind;
      return effect(kind, known->library, std::move(known_api));
    }
    if (ManagerChain chain = manager_chain(callee); !chain.model.empty()) {
      return classify_manager_chain(chain, django_api(chain));
    }
    if (ManagerChain chain = query_chain(callee); !chain.model.empty()) return classify_query_chain(chain);
  }
  if (!kinds::attribute.matches(function)) return {};
  std::string_view method = ctx.text(function.field("attribute"));
  Node receiver = function.field("object");
  // Managers reached through names local reasoning cannot resolve (`self.model.objects`).
  if (callee.empty() && kinds::attribute.matches(receiver) && ctx.text(receiver.field("attribute")) == "objects") {
    ManagerChain chain{std::string(ctx.text(receiver.field("object"))), {method}};
    return classify_manager_chain(chain, fmt::format("{}.objects.{}", chain.model, method));
  }
  return classify_by_receiver(ctx, call, method, receiver);
}

namespace {

// A driver-level call takes SQL text: DB-API and async drivers. ORM sessions take statements
// built from models.
bool is_driver_call(const CallEffect& effect) {
  return effect.library == Library::dbapi || effect.library == Library::async_db;
}

// The statement argument, seen through `text(...)`.
Node statement_argument(const Context& ctx, Node call) {
  Node arguments = call.field("arguments");
  Node statement = arguments ? arguments.named_child(0) : Node{};
  if (statement && kinds::call.matches(statement) && ctx.text(statement.field("function")).ends_with("text")) {
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
  if (kinds::identifier.matches(statement) || kinds::attribute.matches(statement)) {
    // A name bound outside the loop: `sql = "..."` before it, or a constant.
    Node root = statement;
    while (kinds::attribute.matches(root)) root = root.field("object");
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
