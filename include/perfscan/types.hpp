// Library knowledge of types, shared by the semantic layer and every rule: how the many
// spellings of one library type are written canonically, what attributes and methods of
// library types hold, and the predicates rules ask of a value ("is this a file?"). Project
// types (classes, functions, attributes) are the semantic layer's own: see Context::infer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "perfscan/semantic.hpp"

namespace perfscan {

// Rewrites the receiver part of a qualified call name to the type it denotes, left to right:
// `requests.session.get` -> `requests.Session.get`, `pathlib.Path.cwd.read_text` ->
// `pathlib.Path.read_text`, `sqlite3.connect.cursor.execute` -> `sqlite3.Cursor.execute`.
// The last segment (the method or function) is kept as it is.
std::string canonical_callee(std::string_view qualified_name);

// The canonical spelling of a type, or of what calling `type` returns: `requests.session` ->
// `requests.Session`, `sqlite3.connect` -> `sqlite3.Connection`, `io.open` -> `builtins.open`.
std::string canonical_type(std::string_view type);

// The type reached by one attribute or subscript step from an instance of `type`
// (`client.shop` on a pymongo.MongoClient is a pymongo.Database), or empty.
std::string_view member_type(std::string_view type);

// An attribute of a library instance that the tables know (`path.parent` is a Path,
// `path.parents` an iterable of Paths, `path.name` a str), or unknown.
Value library_attribute(const Value& object, std::string_view attribute);

// What calling a library function or method returns beyond "an instance of its canonical type"
// (`path.glob(...)` -> Paths, sized by the data; `f.readlines()` -> a list of str read from
// the file; `json.load(f)` -> parsed data; `inspect.getmro(c)` -> a bounded tuple), or unknown.
// `callee` is canonical.
Value library_call_result(std::string_view callee);

// Django: the model whose rows iterating `instance of <name>` gives, for a queryset made by a
// manager chain of lazy methods (`shop.models.Book.objects.filter` -> "shop.models.Book");
// "" for anything else (a manager itself, `values()`, `get()`).
std::string django_queryset_model(std::string_view name);

// `frame[key]` on a library collection, by the kind of the key's syntax node: a pandas
// DataFrame subscripted by a string is a Series, by a list or a mask a DataFrame; unknown
// otherwise (and for every other type).
Value library_subscript(const Value& collection, std::string_view index_kind);

// A pandas DataFrame (`pd.read_csv(...)`, `pd.DataFrame(...)`, frame methods, `df[mask]`, a
// `pd.DataFrame` annotation).
bool is_data_frame(const Value& value);
// A NumPy ndarray (`np.array(...)`, `np.zeros(...)` and the other constructors, `df.values`,
// an `np.ndarray` / `npt.NDArray` annotation).
bool is_ndarray(const Value& value);

// Clients that own connections to a server, and so are made once and reused: what a call of
// `canonical` (canonical_type of its callee) makes, or `none`.
enum class ClientKind : std::uint8_t {
  none,
  database,           // psycopg2 / psycopg / pymysql / mysql.connector / MySQLdb connections, asyncpg,
                      // aiomysql and aiopg connections and pools, SQLAlchemy engines, MongoClient
                      // and motor's clients
  cache,              // redis.Redis (and StrictRedis, from_url, redis.asyncio's), RedisCluster
  http_client,        // requests.Session, httpx.Client, urllib3.PoolManager
  async_http_client,  // aiohttp.ClientSession, httpx.AsyncClient
  http_connector,     // aiohttp.TCPConnector: the pool a session is given
};
ClientKind client_kind(std::string_view canonical);

// A file object as open() returns it (also `typing.IO`, `TextIOWrapper` ... annotations).
bool is_file_object(const Value& value);
// An in-memory stream: io.StringIO / io.BytesIO. Reading or writing it never blocks.
bool is_in_memory_stream(const Value& value);
// A mapping with dict's views: a dict (display, comprehension, `dict()`, a `Mapping` /
// `Dict` annotation) or an instance of the standard library's dict types (OrderedDict,
// defaultdict, Counter, ChainMap, MappingProxyType). `items()` / `keys()` / `values()` on it
// are the dict views; on anything else (a DataFrame, a ConfigParser) they may not be.
bool is_mapping(const Value& value);

}  // namespace perfscan
