#include "perfscan/types.hpp"

#include <array>
#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_map>
#include <utility>

namespace perfscan {
namespace {

// What a constructor or method call returns, written as the type the knowledge tables use. Several
// spellings of one type (factories, submodules, subclasses) share one set of entries.
const std::unordered_map<std::string_view, std::string_view>& type_aliases() {
  static const std::unordered_map<std::string_view, std::string_view> aliases = {
      {"requests.session", "requests.Session"},
      {"requests.sessions.Session", "requests.Session"},
      {"requests.sessions.session", "requests.Session"},
      {"urllib.request.build_opener", "urllib.request.OpenerDirector"},
      {"urllib3.poolmanager.PoolManager", "urllib3.PoolManager"},
      {"urllib3.ProxyManager", "urllib3.PoolManager"},
      {"urllib3.proxy_from_url", "urllib3.PoolManager"},
      {"urllib3.HTTPSConnectionPool", "urllib3.HTTPConnectionPool"},
      {"urllib3.connection_from_url", "urllib3.HTTPConnectionPool"},
      {"urllib3.connectionpool.HTTPConnectionPool", "urllib3.HTTPConnectionPool"},
      {"http.client.HTTPSConnection", "http.client.HTTPConnection"},
      {"xmlrpc.client.Server", "xmlrpc.client.ServerProxy"},
      // httpx2 is a fork that keeps httpx's API: one set of entries covers both.
      {"httpx2", "httpx"},
      {"io.open", "builtins.open"},
      {"io.open_code", "builtins.open"},
      {"io.FileIO", "builtins.open"},
      {"codecs.open", "builtins.open"},
      {"os.fdopen", "builtins.open"},
      {"pathlib.Path.open", "builtins.open"},
      {"tempfile.TemporaryFile", "builtins.open"},
      {"tempfile.NamedTemporaryFile", "builtins.open"},
      {"pathlib.PosixPath", "pathlib.Path"},
      {"pathlib.WindowsPath", "pathlib.Path"},
      {"pathlib.Path.cwd", "pathlib.Path"},
      {"pathlib.Path.home", "pathlib.Path"},
      {"pathlib.Path.resolve", "pathlib.Path"},
      {"pathlib.Path.absolute", "pathlib.Path"},
      {"pathlib.Path.expanduser", "pathlib.Path"},
      {"pathlib.Path.with_name", "pathlib.Path"},
      {"pathlib.Path.with_suffix", "pathlib.Path"},
      {"pathlib.Path.with_stem", "pathlib.Path"},
      {"pathlib.Path.joinpath", "pathlib.Path"},
      {"socket.create_connection", "socket.socket"},
      {"socket.fromfd", "socket.socket"},
      {"socket.socket.dup", "socket.socket"},
      {"ssl.wrap_socket", "ssl.SSLSocket"},
      {"ssl.SSLContext.wrap_socket", "ssl.SSLSocket"},
      {"ssl.create_default_context", "ssl.SSLContext"},
      {"queue.LifoQueue", "queue.Queue"},
      {"queue.PriorityQueue", "queue.Queue"},
      {"queue.SimpleQueue", "queue.Queue"},
      {"multiprocessing.JoinableQueue", "multiprocessing.Queue"},
      {"multiprocessing.pool.Pool", "multiprocessing.Pool"},
      {"multiprocessing.pool.ThreadPool", "multiprocessing.Pool"},
      {"concurrent.futures.ThreadPoolExecutor.submit", "concurrent.futures.Future"},
      {"concurrent.futures.ProcessPoolExecutor.submit", "concurrent.futures.Future"},
      {"concurrent.futures.Executor.submit", "concurrent.futures.Future"},
      {"sqlite3.connect", "sqlite3.Connection"},
      {"sqlite3.Connection.cursor", "sqlite3.Cursor"},
      {"sqlite3.Connection.execute", "sqlite3.Cursor"},
      {"psycopg2.connect", "psycopg2.Connection"},
      {"psycopg2.Connection.cursor", "psycopg2.Cursor"},
      {"psycopg.connect", "psycopg.Connection"},
      {"psycopg.Connection.connect", "psycopg.Connection"},
      {"psycopg.Connection.cursor", "psycopg.Cursor"},
      {"psycopg.Connection.execute", "psycopg.Cursor"},
      {"pymysql.connect", "pymysql.Connection"},
      {"pymysql.Connection.cursor", "pymysql.Cursor"},
      {"MySQLdb.connect", "MySQLdb.Connection"},
      {"MySQLdb.Connection.cursor", "MySQLdb.Cursor"},
      {"mysql.connector.connect", "mysql.connector.Connection"},
      {"mysql.connector.Connection.cursor", "mysql.connector.Cursor"},
      {"redis.StrictRedis", "redis.Redis"},
      {"redis.from_url", "redis.Redis"},
      {"redis.Redis.from_url", "redis.Redis"},
      {"redis.client.Redis", "redis.Redis"},
      {"redis.Redis.pipeline", "redis.Pipeline"},
      {"pymongo.mongo_client.MongoClient", "pymongo.MongoClient"},
      {"pymongo.MongoClient.get_database", "pymongo.Database"},
      {"pymongo.MongoClient.get_default_database", "pymongo.Database"},
      {"pymongo.Database.get_collection", "pymongo.Collection"},
      {"asyncio.get_running_loop", "asyncio.AbstractEventLoop"},
      {"asyncio.get_event_loop", "asyncio.AbstractEventLoop"},
      {"asyncio.new_event_loop", "asyncio.AbstractEventLoop"},
      {"asyncio.events.get_running_loop", "asyncio.AbstractEventLoop"},
      {"asyncio.events.get_event_loop", "asyncio.AbstractEventLoop"},
      {"asyncio.events.new_event_loop", "asyncio.AbstractEventLoop"},
      {"asyncio.events.AbstractEventLoop", "asyncio.AbstractEventLoop"},
      {"asyncio.BaseEventLoop", "asyncio.AbstractEventLoop"},
      {"asyncio.base_events.BaseEventLoop", "asyncio.AbstractEventLoop"},
      {"asyncio.SelectorEventLoop", "asyncio.AbstractEventLoop"},
      {"asyncio.ProactorEventLoop", "asyncio.AbstractEventLoop"},
      {"uvloop.Loop", "asyncio.AbstractEventLoop"},
      {"uvloop.new_event_loop", "asyncio.AbstractEventLoop"},
      // pandas: readers and constructors make frames; frame methods that return a frame.
      {"pandas.read_csv", "pandas.DataFrame"},
      {"pandas.read_parquet", "pandas.DataFrame"},
      {"pandas.read_excel", "pandas.DataFrame"},
      {"pandas.read_json", "pandas.DataFrame"},
      {"pandas.read_table", "pandas.DataFrame"},
      {"pandas.read_feather", "pandas.DataFrame"},
      {"pandas.read_sql", "pandas.DataFrame"},
      {"pandas.read_sql_query", "pandas.DataFrame"},
      {"pandas.read_sql_table", "pandas.DataFrame"},
      {"pandas.read_orc", "pandas.DataFrame"},
      {"pandas.read_stata", "pandas.DataFrame"},
      {"pandas.read_fwf", "pandas.DataFrame"},
      {"pandas.json_normalize", "pandas.DataFrame"},
      {"pandas.read_spss", "pandas.DataFrame"},
      {"pandas.read_sas", "pandas.DataFrame"},
      {"pandas.DataFrame.from_dict", "pandas.DataFrame"},
      {"pandas.DataFrame.from_records", "pandas.DataFrame"},
      {"pandas.core.frame.DataFrame", "pandas.DataFrame"},
      {"pandas.merge", "pandas.DataFrame"},
      {"pandas.pivot_table", "pandas.DataFrame"},
      {"pandas.crosstab", "pandas.DataFrame"},
      {"pandas.get_dummies", "pandas.DataFrame"},
      {"pandas.DataFrame.copy", "pandas.DataFrame"},
      {"pandas.DataFrame.query", "pandas.DataFrame"},
      {"pandas.DataFrame.merge", "pandas.DataFrame"},
      {"pandas.DataFrame.join", "pandas.DataFrame"},
      {"pandas.DataFrame.assign", "pandas.DataFrame"},
      {"pandas.DataFrame.drop", "pandas.DataFrame"},
      {"pandas.DataFrame.dropna", "pandas.DataFrame"},
      {"pandas.DataFrame.fillna", "pandas.DataFrame"},
      {"pandas.DataFrame.sort_values", "pandas.DataFrame"},
      {"pandas.DataFrame.sort_index", "pandas.DataFrame"},
      {"pandas.DataFrame.reset_index", "pandas.DataFrame"},
      {"pandas.DataFrame.set_index", "pandas.DataFrame"},
      {"pandas.DataFrame.head", "pandas.DataFrame"},
      {"pandas.DataFrame.tail", "pandas.DataFrame"},
      {"pandas.DataFrame.rename", "pandas.DataFrame"},
      {"pandas.DataFrame.astype", "pandas.DataFrame"},
      {"pandas.DataFrame.drop_duplicates", "pandas.DataFrame"},
      {"pandas.DataFrame.sample", "pandas.DataFrame"},
      {"pandas.DataFrame.select_dtypes", "pandas.DataFrame"},
      {"pandas.DataFrame.filter", "pandas.DataFrame"},
      {"pandas.DataFrame.reindex", "pandas.DataFrame"},
      {"pandas.DataFrame.round", "pandas.DataFrame"},
      {"pandas.DataFrame.abs", "pandas.DataFrame"},
      {"pandas.DataFrame.ffill", "pandas.DataFrame"},
      {"pandas.DataFrame.bfill", "pandas.DataFrame"},
      {"pandas.DataFrame.replace", "pandas.DataFrame"},
      {"pandas.DataFrame.where", "pandas.DataFrame"},
      {"pandas.DataFrame.mask", "pandas.DataFrame"},
      {"pandas.DataFrame.pivot", "pandas.DataFrame"},
      {"pandas.DataFrame.pivot_table", "pandas.DataFrame"},
      {"pandas.DataFrame.melt", "pandas.DataFrame"},
      {"pandas.DataFrame.explode", "pandas.DataFrame"},
      {"pandas.DataFrame.nlargest", "pandas.DataFrame"},
      {"pandas.DataFrame.nsmallest", "pandas.DataFrame"},
      {"pandas.DataFrame.convert_dtypes", "pandas.DataFrame"},
      {"pandas.DataFrame.infer_objects", "pandas.DataFrame"},
      {"pandas.DataFrame.append", "pandas.DataFrame"},
      {"pandas.DataFrame._append", "pandas.DataFrame"},
      {"pandas.DataFrame.combine_first", "pandas.DataFrame"},
      {"pandas.DataFrame.update", "pandas.DataFrame"},
      {"pandas.DataFrame.transpose", "pandas.DataFrame"},
      {"pandas.DataFrame.clip", "pandas.DataFrame"},
      {"pandas.DataFrame.interpolate", "pandas.DataFrame"},
      {"pandas.core.series.Series", "pandas.Series"},
      {"pandas.DataFrame.to_numpy", "numpy.ndarray"},
      {"pandas.Series.to_numpy", "numpy.ndarray"},
      // NumPy: constructors and functions that return a new array.
      {"numpy.array", "numpy.ndarray"},
      {"numpy.asarray", "numpy.ndarray"},
      {"numpy.asanyarray", "numpy.ndarray"},
      {"numpy.ascontiguousarray", "numpy.ndarray"},
      {"numpy.zeros", "numpy.ndarray"},
      {"numpy.ones", "numpy.ndarray"},
      {"numpy.empty", "numpy.ndarray"},
      {"numpy.full", "numpy.ndarray"},
      {"numpy.arange", "numpy.ndarray"},
      {"numpy.linspace", "numpy.ndarray"},
      {"numpy.logspace", "numpy.ndarray"},
      {"numpy.geomspace", "numpy.ndarray"},
      {"numpy.zeros_like", "numpy.ndarray"},
      {"numpy.ones_like", "numpy.ndarray"},
      {"numpy.empty_like", "numpy.ndarray"},
      {"numpy.full_like", "numpy.ndarray"},
      {"numpy.concatenate", "numpy.ndarray"},
      {"numpy.vstack", "numpy.ndarray"},
      {"numpy.hstack", "numpy.ndarray"},
      {"numpy.stack", "numpy.ndarray"},
      {"numpy.append", "numpy.ndarray"},
      {"numpy.loadtxt", "numpy.ndarray"},
      {"numpy.genfromtxt", "numpy.ndarray"},
      {"numpy.fromfile", "numpy.ndarray"},
      {"numpy.frombuffer", "numpy.ndarray"},
      {"numpy.fromiter", "numpy.ndarray"},
      {"numpy.copy", "numpy.ndarray"},
      {"numpy.where", "numpy.ndarray"},
      {"numpy.cumsum", "numpy.ndarray"},
      {"numpy.cumprod", "numpy.ndarray"},
      {"numpy.diff", "numpy.ndarray"},
      {"numpy.sort", "numpy.ndarray"},
      {"numpy.unique", "numpy.ndarray"},
      {"numpy.random.rand", "numpy.ndarray"},
      {"numpy.random.randn", "numpy.ndarray"},
      {"numpy.random.random", "numpy.ndarray"},
      {"numpy.random.normal", "numpy.ndarray"},
      {"numpy.random.uniform", "numpy.ndarray"},
      {"numpy.random.randint", "numpy.ndarray"},
      {"numpy.random.default_rng.random", "numpy.ndarray"},
      {"numpy.random.default_rng.normal", "numpy.ndarray"},
      {"numpy.random.default_rng.integers", "numpy.ndarray"},
      {"numpy.random.default_rng.uniform", "numpy.ndarray"},
      {"numpy.random.Generator.random", "numpy.ndarray"},
      {"numpy.random.Generator.normal", "numpy.ndarray"},
      {"numpy.random.Generator.integers", "numpy.ndarray"},
      {"numpy.random.Generator.uniform", "numpy.ndarray"},
      {"numpy.typing.NDArray", "numpy.ndarray"},
      {"numpy.ndarray.copy", "numpy.ndarray"},
      {"numpy.ndarray.reshape", "numpy.ndarray"},
      {"numpy.ndarray.astype", "numpy.ndarray"},
      {"numpy.ndarray.flatten", "numpy.ndarray"},
      {"numpy.ndarray.ravel", "numpy.ndarray"},
      {"numpy.ndarray.transpose", "numpy.ndarray"},
      {"numpy.ndarray.cumsum", "numpy.ndarray"},
      {"numpy.ndarray.cumprod", "numpy.ndarray"},
      {"numpy.ndarray.clip", "numpy.ndarray"},
      {"numpy.ndarray.round", "numpy.ndarray"},
      {"numpy.ndarray.squeeze", "numpy.ndarray"},
  };
  return aliases;
}

// `client.shop` / `client["shop"]`: attribute and subscript steps into a container type.
const std::unordered_map<std::string_view, std::string_view>& member_types() {
  static const std::unordered_map<std::string_view, std::string_view> members = {
      {"pymongo.MongoClient", "pymongo.Database"},
      {"pymongo.Database", "pymongo.Collection"},
      {"pymongo.Collection", "pymongo.Collection"},  // sub-collections: db.users.archive
  };
  return members;
}

// Attributes of library instances that are instances themselves.
struct KnownAttribute {
  std::string_view type;
  std::string_view attribute;
  ValueKind kind;
  std::string_view result;   // instance type, for kind == instance
  std::string_view element;  // item type of a collection result
};

constexpr std::array kKnownAttributes = {
    KnownAttribute{"pathlib.Path", "parent", ValueKind::instance, "pathlib.Path", ""},
    KnownAttribute{"pathlib.Path", "parents", ValueKind::iterable, "", "pathlib.Path"},
    KnownAttribute{"pathlib.Path", "name", ValueKind::str, "", ""},
    KnownAttribute{"pathlib.Path", "stem", ValueKind::str, "", ""},
    KnownAttribute{"pathlib.Path", "suffix", ValueKind::str, "", ""},
    KnownAttribute{"pathlib.Path", "suffixes", ValueKind::list, "", ""},
    KnownAttribute{"pathlib.Path", "parts", ValueKind::tuple, "", ""},
    KnownAttribute{"requests.Response", "text", ValueKind::str, "", ""},
    KnownAttribute{"requests.Response", "content", ValueKind::bytes, "", ""},
    KnownAttribute{"pandas.DataFrame", "values", ValueKind::instance, "numpy.ndarray", ""},
    KnownAttribute{"pandas.DataFrame", "T", ValueKind::instance, "pandas.DataFrame", ""},
    KnownAttribute{"pandas.Series", "values", ValueKind::instance, "numpy.ndarray", ""},
    KnownAttribute{"numpy.ndarray", "T", ValueKind::instance, "numpy.ndarray", ""},
    KnownAttribute{"numpy.ndarray", "flat", ValueKind::iterable, "", ""},
};

// Calls whose result is a collection read from outside the program: sized by the data.
struct KnownResult {
  std::string_view callee;
  ValueKind kind;
  std::string_view element;  // instance type of the items, when they are instances
  ValueKind element_kind = ValueKind::unknown;
};

constexpr std::array kKnownResults = {
    KnownResult{"pathlib.Path.glob", ValueKind::iterable, "pathlib.Path"},
    KnownResult{"pathlib.Path.rglob", ValueKind::iterable, "pathlib.Path"},
    KnownResult{"pathlib.Path.iterdir", ValueKind::iterable, "pathlib.Path"},
    KnownResult{"pathlib.Path.read_text", ValueKind::str, ""},
    KnownResult{"pathlib.Path.read_bytes", ValueKind::bytes, ""},
    KnownResult{"builtins.open.read", ValueKind::unknown, ""},
    KnownResult{"builtins.open.readlines", ValueKind::list, "", ValueKind::str},
    KnownResult{"os.listdir", ValueKind::list, "", ValueKind::str},
    KnownResult{"os.scandir", ValueKind::iterable, ""},
    KnownResult{"os.walk", ValueKind::iterable, ""},
    KnownResult{"glob.glob", ValueKind::list, "", ValueKind::str},
    KnownResult{"glob.iglob", ValueKind::iterable, "", ValueKind::str},
    KnownResult{"json.load", ValueKind::unknown, ""},
    KnownResult{"json.loads", ValueKind::unknown, ""},
    KnownResult{"csv.reader", ValueKind::iterable, "", ValueKind::list},
    KnownResult{"csv.DictReader", ValueKind::iterable, "", ValueKind::dict},
    KnownResult{"pickle.load", ValueKind::unknown, ""},
    KnownResult{"yaml.safe_load", ValueKind::unknown, ""},
    KnownResult{"yaml.load", ValueKind::unknown, ""},
};

}  // namespace

namespace {

// Every alias key, and every dotted prefix of one ("pathlib", "pathlib.Path"), mapped to the
// key's alias ("" for a prefix that is no key itself). canonical_callee asks for each
// left part of a name; most names (`os.path.join`, `mypkg.util.load`) leave the table after
// their first segment or two, and past that point no alias can apply, so the rest of the name
// is kept as it is without a look-up per segment.
const std::unordered_map<std::string_view, std::string_view>& alias_prefixes() {
  static const std::unordered_map<std::string_view, std::string_view> prefixes = [] {
    std::unordered_map<std::string_view, std::string_view> built(type_aliases().begin(), type_aliases().end());
    for (const auto& [key, alias] : type_aliases()) {
      for (std::size_t dot = key.find('.'); dot != std::string_view::npos; dot = key.find('.', dot + 1)) {
        built.try_emplace(key.substr(0, dot), std::string_view{});
      }
    }
    return built;
  }();
  return prefixes;
}

}  // namespace

std::string canonical_callee(std::string_view qualified_name) {
  const auto& prefixes = alias_prefixes();
  std::string current;
  std::size_t start = 0;
  while (start <= qualified_name.size()) {
    std::size_t dot = qualified_name.find('.', start);
    bool last = dot == std::string_view::npos;
    std::string_view segment =
        qualified_name.substr(start, last ? std::string_view::npos : dot - start);
    if (!current.empty()) current += '.';
    current += segment;
    if (last) break;
    auto prefix = prefixes.find(current);
    if (prefix == prefixes.end() && !current.empty()) {
      // Neither `current` nor anything longer is a key: the rest stays as written. (An empty
      // `current`, from a leading dot, takes the next segment without one: the loop goes on.)
      current += qualified_name.substr(dot);
      break;
    }
    if (prefix != prefixes.end() && !prefix->second.empty()) current = prefix->second;
    start = dot + 1;
  }
  return current;
}

std::string canonical_type(std::string_view type) {
  std::string canonical = canonical_callee(type);
  const auto& aliases = type_aliases();
  if (auto alias = aliases.find(canonical); alias != aliases.end())
    return std::string(alias->second);
  return canonical;
}

std::string_view member_type(std::string_view type) {
  const auto& members = member_types();
  auto found = members.find(type);
  return found == members.end() ? std::string_view{} : found->second;
}


Value library_attribute(const Value& object, std::string_view attribute) {
  if (object.kind != ValueKind::instance) return {};
  for (const KnownAttribute& known : kKnownAttributes) {
    if (known.type != object.qualified_name || known.attribute != attribute) continue;
    Value value{known.kind, std::string(known.result)};
    if (!known.element.empty()) value.set_element(Value{ValueKind::instance, std::string(known.element)});
    return value;
  }
  if (std::string_view member = member_type(object.qualified_name); !member.empty()) {
    return Value{ValueKind::instance, std::string(member)};
  }
  return {};
}

Value library_call_result(std::string_view callee) {
  // The class hierarchy of one class: a handful of classes, never the data.
  if (callee == "inspect.getmro") {
    Value hierarchy{ValueKind::tuple, {}};
    hierarchy.size = CollectionSize::bounded;
    return hierarchy;
  }
  for (const KnownResult& known : kKnownResults) {
    if (known.callee != callee) continue;
    Value value{known.kind, {}};
    value.size = CollectionSize::data;
    if (!known.element.empty()) {
      value.set_element(Value{ValueKind::instance, std::string(known.element)});
    } else if (known.element_kind != ValueKind::unknown) {
      value.set_element(Value{known.element_kind, {}});
    }
    return value;
  }
  return {};
}

std::string django_queryset_model(std::string_view name) {
  constexpr std::string_view kManager = ".objects.";
  auto at = name.find(kManager);
  if (at == std::string_view::npos || at == 0) return {};
  std::string_view model = name.substr(0, at);
  std::string_view last = model.substr(model.rfind('.') + 1);
  if (last.empty() || !std::isupper(static_cast<unsigned char>(last.front()))) return {};
  std::string_view methods = name.substr(at + kManager.size());
  for (std::size_t start = 0; start <= methods.size();) {
    std::size_t end = std::min(methods.find('.', start), methods.size());
    std::string_view method = methods.substr(start, end - start);
    bool lazy = false;
    for (std::string_view keeps_rows : {"all", "filter", "exclude", "order_by", "select_related", "prefetch_related",
                                        "annotate", "distinct", "only", "defer", "using", "reverse", "none", "alias",
                                        "select_for_update"}) {
      lazy = lazy || method == keeps_rows;
    }
    if (!lazy) return {};
    start = end + 1;
  }
  return std::string(model);
}

ClientKind client_kind(std::string_view canonical) {
  // Canonical spellings (type_aliases above): `psycopg2.connect` is a psycopg2.Connection,
  // `redis.from_url` a redis.Redis, `requests.session` a requests.Session. Names with no alias
  // (a factory such as `asyncpg.connect`) are listed as called. sqlite3 is not here: its
  // connection is a file handle, cheap to open.
  static const std::unordered_map<std::string_view, ClientKind> kinds = {
      {"psycopg2.Connection", ClientKind::database},
      {"psycopg.Connection", ClientKind::database},
      {"psycopg.AsyncConnection.connect", ClientKind::database},
      {"pymysql.Connection", ClientKind::database},
      {"pymysql.connections.Connection", ClientKind::database},
      {"mysql.connector.Connection", ClientKind::database},
      {"MySQLdb.Connection", ClientKind::database},
      {"asyncpg.connect", ClientKind::database},
      {"asyncpg.create_pool", ClientKind::database},
      {"aiomysql.connect", ClientKind::database},
      {"aiomysql.create_pool", ClientKind::database},
      {"aiopg.connect", ClientKind::database},
      {"aiopg.create_pool", ClientKind::database},
      {"sqlalchemy.create_engine", ClientKind::database},
      {"sqlalchemy.engine.create_engine", ClientKind::database},
      {"sqlalchemy.ext.asyncio.create_async_engine", ClientKind::database},
      {"pymongo.MongoClient", ClientKind::database},
      {"motor.motor_asyncio.AsyncIOMotorClient", ClientKind::database},
      {"motor.motor_tornado.MotorClient", ClientKind::database},
      {"redis.Redis", ClientKind::cache},
      {"redis.RedisCluster", ClientKind::cache},
      {"redis.cluster.RedisCluster", ClientKind::cache},
      {"redis.asyncio.Redis", ClientKind::cache},
      {"redis.asyncio.StrictRedis", ClientKind::cache},
      {"redis.asyncio.from_url", ClientKind::cache},
      {"redis.asyncio.Redis.from_url", ClientKind::cache},
      {"redis.asyncio.client.Redis", ClientKind::cache},
      {"redis.asyncio.RedisCluster", ClientKind::cache},
      {"requests.Session", ClientKind::http_client},
      {"httpx.Client", ClientKind::http_client},
      {"urllib3.PoolManager", ClientKind::http_client},
      {"aiohttp.ClientSession", ClientKind::async_http_client},
      {"aiohttp.client.ClientSession", ClientKind::async_http_client},
      {"httpx.AsyncClient", ClientKind::async_http_client},
      {"aiohttp.TCPConnector", ClientKind::http_connector},
  };
  auto found = kinds.find(canonical);
  return found == kinds.end() ? ClientKind::none : found->second;
}

bool is_file_object(const Value& value) {
  return value.kind == ValueKind::instance && value.qualified_name == "builtins.open";
}

bool is_mapping(const Value& value) {
  if (value.kind == ValueKind::dict) return true;
  if (value.kind != ValueKind::instance) return false;
  for (std::string_view type : {"collections.OrderedDict", "collections.defaultdict", "collections.Counter",
                                "collections.ChainMap", "types.MappingProxyType", "builtins.dict"}) {
    if (value.qualified_name == type) return true;
  }
  return false;
}

Value library_subscript(const Value& collection, std::string_view index_kind) {
  if (!collection.is_instance_of("pandas.DataFrame")) return {};
  // `df["price"]` is a column; `df[["a", "b"]]` and `df[df.qty > 0]` (a mask) are frames. A
  // name as the key may be either: unknown.
  if (index_kind == "string" || index_kind == "concatenated_string") {
    return Value{ValueKind::instance, "pandas.Series"};
  }
  for (std::string_view frame_key : {"list", "comparison_operator", "boolean_operator", "unary_operator"}) {
    if (index_kind == frame_key) return Value{ValueKind::instance, "pandas.DataFrame"};
  }
  return {};
}

bool is_data_frame(const Value& value) { return value.is_instance_of("pandas.DataFrame"); }

bool is_ndarray(const Value& value) { return value.is_instance_of("numpy.ndarray"); }

bool is_in_memory_stream(const Value& value) {
  return value.kind == ValueKind::instance &&
         (value.qualified_name == "io.StringIO" || value.qualified_name == "io.BytesIO");
}

}  // namespace perfscan
