#include "blocking_io/blocking_calls.hpp"

#include "perfscan/types.hpp"

#include <fmt/format.h>

#include <array>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace perfscan {
namespace {

using K = BlockingKind;
using C = BlockingCondition;

constexpr std::string_view kHttpAlt =
    "an async client (`httpx.AsyncClient`, `aiohttp.ClientSession`) or "
    "`await asyncio.to_thread(...)`";
constexpr std::string_view kSleepAlt =
    "`await asyncio.sleep(...)` (or `anyio.sleep` / `trio.sleep`)";
constexpr std::string_view kProcessAlt =
    "`await asyncio.create_subprocess_exec(...)` / `create_subprocess_shell(...)` "
    "(or `anyio.run_process`)";
constexpr std::string_view kFileAlt =
    "`aiofiles` / `anyio.open_file` / `anyio.Path`, or `await asyncio.to_thread(...)`";
constexpr std::string_view kMetadataAlt =
    "`anyio.Path` / `aiofiles.os`, or `await asyncio.to_thread(...)`";
constexpr std::string_view kSocketAlt =
    "`asyncio.open_connection` / `loop.getaddrinfo` / `loop.sock_*` (or anyio/trio sockets)";
constexpr std::string_view kThreadWaitAlt =
    "an asyncio primitive (`asyncio.Lock`, `asyncio.Queue`, `asyncio.Event`) or "
    "`await asyncio.to_thread(...)`";
constexpr std::string_view kFutureAlt =
    "`await asyncio.wrap_future(future)` / `await loop.run_in_executor(...)`";
constexpr std::string_view kInputAlt = "`await asyncio.to_thread(input, ...)` or an async stream";

// ---- the table ----------------------------------------------------------------------------
// Names are canonical (see kTypeAliases): one entry covers `requests.session().get`,
// `requests.sessions.Session().get` and `requests.Session().get`.
const std::vector<BlockingCall>& blocking_table() {
  static const std::vector<BlockingCall> table = [] {
    std::vector<BlockingCall> t;
    auto add = [&t](std::string name, K kind, std::string_view what, std::string_view alt,
                    Severity severity = Severity::high, C condition = C::always) {
      t.push_back(BlockingCall{std::move(name), kind, what, alt, severity, condition});
    };
    auto add_all = [&add](std::initializer_list<std::string_view> names, K kind,
                          std::string_view what, std::string_view alt,
                          Severity severity = Severity::high, C condition = C::always) {
      for (std::string_view name : names)
        add(std::string(name), kind, what, alt, severity, condition);
    };

    // PS301 HTTP
    add_all({"requests.get",
             "requests.post",
             "requests.put",
             "requests.patch",
             "requests.delete",
             "requests.head",
             "requests.options",
             "requests.request",
             "requests.api.get",
             "requests.api.post",
             "requests.api.put",
             "requests.api.patch",
             "requests.api.delete",
             "requests.api.head",
             "requests.api.request",
             "requests.Session.get",
             "requests.Session.post",
             "requests.Session.put",
             "requests.Session.patch",
             "requests.Session.delete",
             "requests.Session.head",
             "requests.Session.options",
             "requests.Session.request",
             "requests.Session.send"},
            K::http, "makes a blocking HTTP request", kHttpAlt);
    add_all({"urllib.request.urlopen", "urllib.request.urlretrieve",
             "urllib.request.OpenerDirector.open"},
            K::http, "makes a blocking HTTP request", kHttpAlt);
    add_all({"urllib3.request", "urllib3.PoolManager.request", "urllib3.PoolManager.urlopen",
             "urllib3.PoolManager.request_encode_url", "urllib3.PoolManager.request_encode_body",
             "urllib3.HTTPConnectionPool.request", "urllib3.HTTPConnectionPool.urlopen"},
            K::http, "makes a blocking HTTP request", kHttpAlt);
    add_all({"http.client.HTTPConnection.request", "http.client.HTTPConnection.getresponse",
             "http.client.HTTPConnection.connect", "http.client.HTTPConnection.send"},
            K::http, "talks to an HTTP server with blocking sockets", kHttpAlt);
    add_all(
        {"httpx.get", "httpx.post", "httpx.put", "httpx.patch", "httpx.delete", "httpx.head",
         "httpx.options", "httpx.request", "httpx.stream", "httpx.Client.get", "httpx.Client.post",
         "httpx.Client.put", "httpx.Client.patch", "httpx.Client.delete", "httpx.Client.head",
         "httpx.Client.options", "httpx.Client.request", "httpx.Client.send",
         "httpx.Client.stream"},
        K::http, "makes a blocking HTTP request (httpx's sync API)",
        "`httpx.AsyncClient` (`async with httpx.AsyncClient() as client: await client.get(...)`)");
    add("httpx.Client.close", K::http, "closes the sync client's connections with blocking calls",
        "`httpx.AsyncClient` and `await client.aclose()`");
    add("xmlrpc.client.ServerProxy.*", K::http, "makes a blocking XML-RPC call", kHttpAlt);

    // PS302 sleep
    add("time.sleep", K::sleep, "blocks the thread while it sleeps", kSleepAlt, Severity::high,
        C::nonzero_argument);

    // PS303 subprocess / process
    add_all({"subprocess.run",
             "subprocess.call",
             "subprocess.check_call",
             "subprocess.check_output",
             "subprocess.getoutput",
             "subprocess.getstatusoutput",
             "subprocess.Popen",
             "subprocess.Popen.wait",
             "subprocess.Popen.communicate",
             "os.system",
             "os.popen",
             "os.spawnl",
             "os.spawnle",
             "os.spawnlp",
             "os.spawnlpe",
             "os.spawnv",
             "os.spawnve",
             "os.spawnvp",
             "os.spawnvpe",
             "os.posix_spawn",
             "os.posix_spawnp",
             "os.wait",
             "os.wait3",
             "os.wait4",
             "os.waitpid",
             "os.waitid",
             "pty.spawn"},
            K::subprocess, "starts or waits for a process synchronously", kProcessAlt);
    add_all({"os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execv", "os.execve",
             "os.execvp", "os.execvpe"},
            K::subprocess, "replaces the process while the event loop still has work",
            "finish or cancel the pending tasks first, or run the program with "
            "`asyncio.create_subprocess_exec(...)`");

    // PS304 file I/O
    // Calls that make a file object: over an in-memory stream, or wrapped for async use,
    // they block on nothing.
    add_all({"builtins.open", "io.open", "codecs.open", "os.fdopen", "gzip.open", "bz2.open",
             "lzma.open", "gzip.GzipFile", "bz2.BZ2File", "lzma.LZMAFile", "tarfile.open",
             "tarfile.TarFile", "tarfile.TarFile.open", "zipfile.ZipFile"},
            K::file_io, "does blocking file I/O", kFileAlt, Severity::high, C::touches_file);
    add_all({"io.open_code",
             "os.open",
             "os.read",
             "os.write",
             "os.pread",
             "os.pwrite",
             "os.readv",
             "os.writev",
             "os.sendfile",
             "os.fsync",
             "os.fdatasync",
             "os.truncate",
             "os.ftruncate",
             "pathlib.Path.open",
             "pathlib.Path.read_text",
             "pathlib.Path.read_bytes",
             "pathlib.Path.write_text",
             "pathlib.Path.write_bytes",
             "pathlib.Path.touch"},
            K::file_io, "does blocking file I/O", kFileAlt);
    add_all({"builtins.open.read", "builtins.open.readline", "builtins.open.readlines",
             "builtins.open.write", "builtins.open.writelines", "builtins.open.flush",
             "builtins.open.truncate"},
            K::file_io, "reads or writes a sync file object", kFileAlt);
    add_all({"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.rmtree",
             "shutil.move", "shutil.make_archive", "shutil.unpack_archive"},
            K::file_io, "copies, moves or deletes files synchronously", kFileAlt);
    add("shutil.copyfileobj", K::file_io, "copies between file objects synchronously", kFileAlt,
        Severity::high, C::touches_file);
    add_all({"tempfile.TemporaryFile", "tempfile.NamedTemporaryFile", "tempfile.mkstemp",
             "tempfile.mkdtemp", "tempfile.TemporaryDirectory"},
            K::file_io, "creates a temporary file or directory synchronously", kFileAlt);
    // An import finds, reads and executes the module's files (a `sys.modules` hit is cheap, but
    // the first import is not, and a reload always reads): Home Assistant's loop checker
    // reports these. Medium: after the first call it is usually a dictionary lookup.
    add_all({"importlib.import_module", "importlib.reload", "importlib.__import__", "builtins.__import__"},
            K::file_io, "imports a module: finds, reads and executes its files",
            "import it at module level, or `await asyncio.to_thread(importlib.import_module, name)`",
            Severity::medium);
    add_all(
        {"json.load", "json.dump", "pickle.load", "pickle.dump", "marshal.load", "marshal.dump"},
        K::file_io, "reads or writes a sync file object", kFileAlt, Severity::high,
        C::file_argument);

    // PS305 filesystem metadata (medium: one syscall, usually fast, but it can hang on NFS)
    add_all({"os.path.exists",
             "os.path.lexists",
             "os.path.isfile",
             "os.path.isdir",
             "os.path.islink",
             "os.path.ismount",
             "os.path.getsize",
             "os.path.getmtime",
             "os.path.getatime",
             "os.path.getctime",
             "os.path.samefile",
             "os.path.sameopenfile",
             "os.path.realpath",
             "os.stat",
             "os.lstat",
             "os.listdir",
             "os.scandir",
             "os.walk",
             "os.makedirs",
             "os.mkdir",
             "os.remove",
             "os.unlink",
             "os.rename",
             "os.renames",
             "os.replace",
             "os.rmdir",
             "os.removedirs",
             "os.chmod",
             "os.chown",
             "os.access",
             "os.utime",
             "os.symlink",
             "os.link",
             "os.readlink",
             "os.statvfs",
             "glob.glob",
             "glob.iglob",
             "pathlib.Path.exists",
             "pathlib.Path.is_file",
             "pathlib.Path.is_dir",
             "pathlib.Path.is_symlink",
             "pathlib.Path.iterdir",
             "pathlib.Path.glob",
             "pathlib.Path.rglob",
             "pathlib.Path.stat",
             "pathlib.Path.lstat",
             "pathlib.Path.mkdir",
             "pathlib.Path.unlink",
             "pathlib.Path.rmdir",
             "pathlib.Path.rename",
             "pathlib.Path.replace",
             "pathlib.Path.chmod",
             "pathlib.Path.samefile",
             "pathlib.Path.symlink_to",
             "pathlib.Path.hardlink_to"},
            K::fs_metadata, "makes a blocking filesystem call", kMetadataAlt, Severity::medium);

    // PS306 sync database and cache drivers
    struct Driver {
      std::string_view module;
      std::string_view alternative;
    };
    static constexpr std::array<Driver, 6> kDrivers = {{
        {"sqlite3", "`aiosqlite`"},
        {"psycopg2", "`asyncpg` or psycopg 3's `AsyncConnection`"},
        {"psycopg", "`psycopg.AsyncConnection`"},
        {"pymysql", "`aiomysql` / `asyncmy`"},
        {"MySQLdb", "`aiomysql` / `asyncmy`"},
        {"mysql.connector", "`aiomysql` / `asyncmy`"},
    }};
    for (const Driver& driver : kDrivers) {
      add(fmt::format("{}.connect", driver.module), K::db_driver,
          "connects with a sync database driver", driver.alternative);
      for (std::string_view type : {"Connection", "Cursor"}) {
        for (std::string_view method :
             {"execute", "executemany", "executescript", "fetchone", "fetchall", "fetchmany",
              "commit", "rollback", "callproc"}) {
          add(fmt::format("{}.{}.{}", driver.module, type, method), K::db_driver,
              "runs a query with a sync database driver", driver.alternative);
        }
      }
    }
    add("redis.Redis.*", K::db_driver, "talks to Redis with the sync client",
        "`redis.asyncio.Redis` (`await r.get(...)`)");
    add("redis.Pipeline.execute", K::db_driver, "talks to Redis with the sync client",
        "`redis.asyncio.Redis` (`await r.get(...)`)");
    add_all({"pymongo.MongoClient.list_database_names",
             "pymongo.MongoClient.server_info",
             "pymongo.Database.command",
             "pymongo.Database.list_collection_names",
             "pymongo.Collection.find",
             "pymongo.Collection.find_one",
             "pymongo.Collection.insert_one",
             "pymongo.Collection.insert_many",
             "pymongo.Collection.update_one",
             "pymongo.Collection.update_many",
             "pymongo.Collection.replace_one",
             "pymongo.Collection.delete_one",
             "pymongo.Collection.delete_many",
             "pymongo.Collection.count_documents",
             "pymongo.Collection.estimated_document_count",
             "pymongo.Collection.aggregate",
             "pymongo.Collection.distinct",
             "pymongo.Collection.find_one_and_update",
             "pymongo.Collection.find_one_and_delete",
             "pymongo.Collection.find_one_and_replace",
             "pymongo.Collection.bulk_write",
             "pymongo.Collection.create_index"},
            K::db_driver, "queries MongoDB with the sync pymongo client",
            "`motor` (`AsyncIOMotorClient`) or pymongo's `AsyncMongoClient`");

    // PS307 sockets and DNS
    add_all({"socket.create_connection",
             "socket.getaddrinfo",
             "socket.gethostbyname",
             "socket.gethostbyname_ex",
             "socket.gethostbyaddr",
             "socket.getnameinfo",
             "socket.getfqdn",
             "socket.socket.recv",
             "socket.socket.recv_into",
             "socket.socket.recvfrom",
             "socket.socket.send",
             "socket.socket.sendall",
             "socket.socket.sendto",
             "socket.socket.connect",
             "socket.socket.accept",
             "ssl.wrap_socket",
             "ssl.SSLContext.wrap_socket",
             "ssl.SSLSocket.do_handshake",
             "ssl.SSLSocket.recv",
             "ssl.SSLSocket.send",
             "ssl.SSLSocket.sendall",
             "ssl.SSLSocket.connect",
             "select.select",
             "select.poll.poll",
             "select.epoll.poll",
             "select.kqueue.control"},
            K::socket, "uses a blocking socket or resolver call", kSocketAlt);

    // PS308 waits on threads, locks, queues and the terminal
    add_all({"builtins.input", "getpass.getpass"}, K::wait, "waits for terminal input", kInputAlt);
    add_all(
        {"threading.Lock.acquire", "threading.RLock.acquire", "threading.Semaphore.acquire",
         "threading.BoundedSemaphore.acquire", "threading.Condition.wait", "threading.Event.wait",
         "threading.Barrier.wait", "queue.Queue.get", "multiprocessing.Queue.get"},
        K::wait, "waits on a thread primitive without a timeout", kThreadWaitAlt, Severity::high,
        C::no_arguments);
    add_all(
        {"queue.Queue.join", "threading.Thread.join", "multiprocessing.Process.join",
         "multiprocessing.Pool.map", "multiprocessing.Pool.starmap", "multiprocessing.Pool.apply"},
        K::wait, "waits for another thread or process", kThreadWaitAlt);
    add_all({"concurrent.futures.Future.result", "concurrent.futures.Future.exception",
             "concurrent.futures.wait"},
            K::wait, "waits for a concurrent.futures result", kFutureAlt);

    // Non-blocking exceptions to `*` entries: these build a request, they do not send it.
    for (std::string_view name : {"redis.Redis.pipeline", "redis.Redis.pubsub", "redis.Redis.lock",
                                  "redis.Redis.register_script", "redis.Redis.from_url",
                                  "xmlrpc.client.ServerProxy.__call__"}) {
      t.push_back(BlockingCall{std::string(name), K::db_driver, {}, {}, Severity::low, C::always});
    }
    return t;
  }();
  return table;
}

const std::unordered_map<std::string_view, const BlockingCall*>& blocking_index() {
  // Views into the table's names: the table is built once and never changes.
  static const std::unordered_map<std::string_view, const BlockingCall*> index = [] {
    std::unordered_map<std::string_view, const BlockingCall*> built;
    for (const BlockingCall& call : blocking_table()) built.emplace(call.name, &call);
    return built;
  }();
  return index;
}

std::optional<BlockingKind> parse_blocking_kind(std::string_view name) {
  static constexpr std::pair<std::string_view, BlockingKind> kKinds[] = {
      {"http", K::http},
      {"sleep", K::sleep},
      {"subprocess", K::subprocess},
      {"file-io", K::file_io},
      {"fs-metadata", K::fs_metadata},
      {"db", K::db_driver},
      {"socket", K::socket},
      {"wait", K::wait}};
  for (const auto& [text, kind] : kKinds) {
    if (text == name) return kind;
  }
  return std::nullopt;
}

}  // namespace

std::optional<BlockingCall> find_blocking_call(std::string_view canonical_name,
                                               std::span<const std::string> extra_names) {
  auto dot = canonical_name.rfind('.');
  std::string any_method = dot == std::string_view::npos
                               ? std::string{}
                               : fmt::format("{}.*", canonical_name.substr(0, dot));
  const auto& index = blocking_index();
  auto found = index.find(canonical_name);
  if (found == index.end() && !any_method.empty()) found = index.find(any_method);
  if (found != index.end()) {
    if (found->second->what.empty()) return std::nullopt;  // a listed non-blocking exception
    return *found->second;
  }
  for (const std::string& extra : extra_names) {
    std::string_view text = extra;
    std::string_view kind_name = "wait";
    if (auto colon = text.find(':'); colon != std::string_view::npos) {
      kind_name = text.substr(colon + 1);
      text = text.substr(0, colon);
    }
    if (text != canonical_name && (any_method.empty() || text != any_method)) continue;
    std::optional<BlockingKind> kind = parse_blocking_kind(kind_name);
    if (!kind) continue;
    return BlockingCall{std::string(text),
                        *kind,
                        "is listed as blocking in the configuration",
                        "an async equivalent, or `await asyncio.to_thread(...)`",
                        *kind == BlockingKind::fs_metadata ? Severity::medium : Severity::high,
                        BlockingCondition::always};
  }
  return std::nullopt;
}

std::optional<std::string_view> django_async_alternative(std::string_view method) {
  static const std::unordered_map<std::string_view, std::string_view> kQueryMethods = {
      {"get", "aget"},
      {"create", "acreate"},
      {"get_or_create", "aget_or_create"},
      {"update_or_create", "aupdate_or_create"},
      {"bulk_create", "abulk_create"},
      {"bulk_update", "abulk_update"},
      {"count", "acount"},
      {"exists", "aexists"},
      {"first", "afirst"},
      {"last", "alast"},
      {"latest", "alatest"},
      {"earliest", "aearliest"},
      {"aggregate", "aaggregate"},
      {"in_bulk", "ain_bulk"},
      {"update", "aupdate"},
      {"delete", "adelete"},
      {"contains", "acontains"},
      {"explain", "aexplain"},
      {"save", "asave"},
      {"refresh_from_db", "arefresh_from_db"},
  };
  auto found = kQueryMethods.find(method);
  if (found == kQueryMethods.end()) return std::nullopt;
  return found->second;
}

}  // namespace perfscan
