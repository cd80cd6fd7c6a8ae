// The PS3xx knowledge table: canonical names and the one lookup the rules (and, later,
// configuration) go through.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "../rules/blocking_io/blocking_calls.hpp"

namespace perfscan {

TEST_CASE("blocking calls: receivers are rewritten to the type they denote", "[blocking]") {
  CHECK(canonical_callee("requests.session.get") == "requests.Session.get");
  CHECK(canonical_callee("requests.sessions.Session.post") == "requests.Session.post");
  CHECK(canonical_callee("sqlite3.connect.cursor.execute") == "sqlite3.Cursor.execute");
  CHECK(canonical_callee("sqlite3.connect.execute.fetchall") == "sqlite3.Cursor.fetchall");
  CHECK(canonical_callee("pathlib.Path.cwd.resolve.read_text") == "pathlib.Path.read_text");
  CHECK(canonical_callee("concurrent.futures.ThreadPoolExecutor.submit.result") ==
        "concurrent.futures.Future.result");
  // The called name itself is kept: `sqlite3.connect` is the connect call, not a Connection.
  CHECK(canonical_callee("sqlite3.connect") == "sqlite3.connect");
  CHECK(canonical_callee("open") == "open");
  CHECK(canonical_callee("") == "");
  CHECK(canonical_type("redis.StrictRedis") == "redis.Redis");
  // httpx2 keeps httpx's API.
  CHECK(canonical_callee("httpx2.get") == "httpx.get");
  CHECK(canonical_callee("httpx2.Client.get") == "httpx.Client.get");
}

TEST_CASE("blocking calls: one lookup answers kind, alternative and conditions", "[blocking]") {
  auto sleep = find_blocking_call("time.sleep");
  REQUIRE(sleep);
  CHECK(sleep->kind == BlockingKind::sleep);
  CHECK(sleep->condition == BlockingCondition::nonzero_argument);
  CHECK_FALSE(sleep->alternative.empty());

  auto exists = find_blocking_call("os.path.exists");
  REQUIRE(exists);
  CHECK(exists->kind == BlockingKind::fs_metadata);
  CHECK(exists->severity == Severity::medium);

  // `*` entries cover every method, minus the listed non-blocking builders.
  auto redis_get = find_blocking_call("redis.Redis.hgetall");
  REQUIRE(redis_get);
  CHECK(redis_get->kind == BlockingKind::db_driver);
  CHECK_FALSE(find_blocking_call("redis.Redis.pipeline"));

  CHECK(find_blocking_call("psycopg2.Cursor.fetchall"));
  CHECK(find_blocking_call("pymongo.Collection.find_one"));
  CHECK_FALSE(find_blocking_call("asyncio.sleep"));
  CHECK_FALSE(find_blocking_call("aiofiles.open"));
  CHECK_FALSE(find_blocking_call("os.path.join"));
  CHECK_FALSE(find_blocking_call("os.path.normpath"));
  CHECK(find_blocking_call("os.path.realpath")->kind == BlockingKind::fs_metadata);
  CHECK(find_blocking_call("httpx.Client.close")->kind == BlockingKind::http);
  // Calls that make file objects block only when they touch a file.
  for (const char* name : {"builtins.open", "os.fdopen", "zipfile.ZipFile", "tarfile.open",
                           "gzip.GzipFile", "shutil.copyfileobj"}) {
    auto entry = find_blocking_call(name);
    REQUIRE(entry);
    CHECK(entry->kind == BlockingKind::file_io);
    CHECK(entry->condition == BlockingCondition::touches_file);
  }
  CHECK_FALSE(find_blocking_call("*"));
}

TEST_CASE("blocking calls: names from configuration extend the same lookup", "[blocking]") {
  std::vector<std::string> extras = {"shop.legacy.fetch_prices:http", "shop.cache.Client.*:db",
                                     "shop.sync.wait_for_worker", "shop.typo:no-such-kind"};
  auto http = find_blocking_call("shop.legacy.fetch_prices", extras);
  REQUIRE(http);
  CHECK(http->kind == BlockingKind::http);
  auto db = find_blocking_call("shop.cache.Client.get", extras);
  REQUIRE(db);
  CHECK(db->kind == BlockingKind::db_driver);
  auto wait = find_blocking_call("shop.sync.wait_for_worker", extras);
  REQUIRE(wait);
  CHECK(wait->kind == BlockingKind::wait);
  CHECK_FALSE(find_blocking_call("shop.typo", extras));
  CHECK_FALSE(find_blocking_call("shop.legacy.other", extras));
  // The built-in table still answers first.
  CHECK(find_blocking_call("time.sleep", extras)->kind == BlockingKind::sleep);
}

TEST_CASE("blocking calls: member steps into pymongo databases and collections", "[blocking]") {
  CHECK(member_type("pymongo.MongoClient") == "pymongo.Database");
  CHECK(member_type("pymongo.Database") == "pymongo.Collection");
  CHECK(member_type("requests.Session").empty());
}

TEST_CASE("blocking calls: Django query methods map to their async forms", "[blocking]") {
  CHECK(django_async_alternative("get") == "aget");
  CHECK(django_async_alternative("save") == "asave");
  CHECK_FALSE(django_async_alternative("filter"));
}

}  // namespace perfscan
