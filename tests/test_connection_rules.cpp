// The connection and client lifetime rules (PS902, PS506; issue 15) where fixtures' (line, rule)
// sets are not enough: the link step's answer to "does this function run many times, and why?"
// (ProjectIndex::repeated_by), the chain the messages print, and findings that only a test's
// loop repeats.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/facts_codec.hpp"
#include "perfscan/engine.hpp"
#include "perfscan/fact_store.hpp"
#include "perfscan/project.hpp"
#include "test_support.hpp"

namespace perfscan {
namespace {

using testing::findings_of;

FunctionEffectFact function(std::string name, NameList callees, bool cached = false) {
  FunctionEffectFact fact;
  fact.function = std::move(name);
  fact.callees = std::move(callees);
  fact.cached = cached;
  return fact;
}

PendingFinding loop_call(std::string caller, std::string callee, std::uint32_t line, bool in_test = false) {
  PendingFinding pending;
  pending.finding.rule_id = std::string(kLoopCallSite);
  pending.finding.scope = std::move(caller);
  pending.finding.span.line = line;
  pending.finding.in_test_code = in_test;
  pending.subject = std::move(callee);
  return pending;
}

// The files' link facts as the engine keeps them for the link step, in this order.
void store_facts(FactStore& store, const std::vector<const FileFacts*>& files) {
  store.resize(files.size());
  for (std::size_t slot = 0; slot < files.size(); ++slot)
    store.add(slot, encode_linked_facts(*files[slot]));
}

Report scan_dir(const testing::TempDir& dir, TestProfile tests = TestProfile::relaxed) {
  ScanOptions options;
  options.paths = {dir.path().string()};
  options.jobs = 1;
  options.select = {"PS902", "PS506"};
  options.tests = tests;
  return scan(options);
}

}  // namespace

TEST_CASE("link: functions a handler or a loop calls run many times, through any chain", "[link]") {
  FileFacts views;
  views.path = "app/views.py";
  views.module = "app.views";
  views.database.functions = {function("app.views.detail", {"app.services.load"}),
                              function("app.views.helper", {"app.db.unreached"})};
  views.database.request_handlers = {"app.views.detail"};
  FileFacts services;
  services.path = "app/services.py";
  services.module = "app.services";
  services.database.functions = {function("app.services.load", {"app.db.fetch", "app.db.memo"}),
                                 function("app.services.each", {"app.db.bump"}),
                                 function("app.services.on_message", {"app.db.notify"})};
  services.database.event_handlers = {"app.services.on_message"};
  services.database.pending = {loop_call("app.services.each", "app.db.bump", 7),
                               loop_call("tests.test_db.test_all", "app.db.only_tested", 3, true)};
  FileFacts db;
  db.path = "app/db.py";
  db.module = "app.db";
  db.database.functions = {function("app.db.fetch", {}),        function("app.db.memo", {"app.db.inner"}, true),
                           function("app.db.inner", {}),        function("app.db.bump", {}),
                           function("app.db.notify", {}),       function("app.db.only_tested", {}),
                           function("app.db.unreached", {})};
  FactStore store;
  store_facts(store, {&views, &services, &db});
  ProjectIndex index(store);

  std::optional<RepeatOrigin> detail = index.repeated_by("app.views.detail");
  REQUIRE(detail);
  CHECK_FALSE(detail->from_loop);
  CHECK(detail->seed == "app.views.detail");
  CHECK(detail->next.empty());

  std::optional<RepeatOrigin> fetch = index.repeated_by("app.db.fetch");
  REQUIRE(fetch);
  CHECK_FALSE(fetch->from_loop);
  CHECK_FALSE(fetch->event);
  CHECK(fetch->seed == "app.views.detail");
  CHECK(fetch->next == "app.services.load");

  // A cached function runs once per key: neither it nor what it calls repeats through it.
  CHECK_FALSE(index.repeated_by("app.db.memo"));
  CHECK_FALSE(index.repeated_by("app.db.inner"));

  std::optional<RepeatOrigin> bump = index.repeated_by("app.db.bump");
  REQUIRE(bump);
  CHECK(bump->from_loop);
  CHECK(bump->seed == "app.services.each");
  CHECK(bump->path == "app/services.py");
  CHECK(bump->line == 7);
  CHECK(bump->next.empty());
  CHECK_FALSE(bump->in_test_code);

  std::optional<RepeatOrigin> notify = index.repeated_by("app.db.notify");
  REQUIRE(notify);
  CHECK(notify->event);
  CHECK(notify->seed == "app.services.on_message");

  std::optional<RepeatOrigin> tested = index.repeated_by("app.db.only_tested");
  REQUIRE(tested);
  CHECK(tested->in_test_code);

  // `helper` is neither a handler nor called from one, nor from a loop.
  CHECK_FALSE(index.repeated_by("app.views.helper"));
  CHECK_FALSE(index.repeated_by("app.db.unreached"));
}

TEST_CASE("link: repetition seen from production code wins over a test's loop", "[link]") {
  FileFacts file;
  file.path = "app/mod.py";
  file.module = "app.mod";
  file.database.functions = {function("app.mod.view", {"app.mod.fetch"}), function("app.mod.fetch", {})};
  file.database.request_handlers = {"app.mod.view"};
  file.database.pending = {loop_call("app.mod.test_it", "app.mod.fetch", 3, true)};
  FactStore store;
  store_facts(store, {&file});
  ProjectIndex index(store);
  std::optional<RepeatOrigin> fetch = index.repeated_by("app.mod.fetch");
  REQUIRE(fetch);
  CHECK_FALSE(fetch->in_test_code);
  CHECK_FALSE(fetch->from_loop);
}

TEST_CASE("link: a factory's summary comes from its first definition, with the file that makes it",
          "[link]") {
  FileFacts db;
  db.path = "app/db.py";
  db.module = "app.db";
  FunctionEffectFact connect = function("app.db.connect", {});
  connect.fresh_client = "psycopg2.Connection";
  connect.fresh_client_line = 12;
  db.database.functions = {connect, function("app.db.memo", {}, true)};
  FileFacts copy;
  copy.path = "copy/app/db.py";
  copy.module = "app.db";
  copy.database.functions = {function("app.db.connect", {"app.db.other"})};
  FactStore store;
  store_facts(store, {&db, &copy});
  ProjectIndex index(store);

  std::optional<FunctionSummary> factory = index.summary_of("app.db.connect");
  REQUIRE(factory);
  CHECK(factory->path == "app/db.py");
  CHECK_FALSE(factory->cached);
  CHECK(factory->fresh_client == "psycopg2.Connection");
  CHECK(factory->fresh_client_line == 12);
  std::optional<FunctionSummary> memo = index.summary_of("app.db.memo");
  REQUIRE(memo);
  CHECK(memo->cached);
  CHECK(memo->fresh_client.empty());
  CHECK_FALSE(index.summary_of("app.db.missing"));
}

TEST_CASE("PS902: the message names the handler and the chain of calls to the connection", "[connection]") {
  testing::TempDir dir;
  dir.write("shop/__init__.py", "");
  dir.write("shop/db.py", R"(import psycopg2


def fetch(order_id):
    conn = psycopg2.connect("postgresql://shop")
    try:
        return conn.cursor().fetchone()
    finally:
        conn.close()
)");
  dir.write("shop/views.py", R"(from shop.db import fetch


def order(request, order_id):
    return load(order_id)


def load(order_id):
    return fetch(order_id)
)");
  Report report = scan_dir(dir);
  auto found = findings_of(report, "PS902");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->span.line == 5);
  CHECK(found[0]->severity == Severity::high);
  CHECK_THAT(found[0]->message, Catch::Contains("`psycopg2.connect()` opens a new database connection"));
  CHECK_THAT(found[0]->message, Catch::Contains("request handler `order` calls `load()` → `fetch()`"));
  CHECK_THAT(found[0]->suggestion, Catch::Contains("at start-up"));
}

TEST_CASE("PS506: a helper that only a test's loop repeats is test code", "[connection]") {
  testing::TempDir dir;
  dir.write("app/__init__.py", "");
  dir.write("app/client.py", R"(import aiohttp


async def ping(url):
    async with aiohttp.ClientSession() as session:
        await session.get(url)
)");
  dir.write("tests/test_client.py", R"(from app.client import ping


async def test_ping_all(urls):
    for url in urls:
        await ping(url)
)");
  CHECK(findings_of(scan_dir(dir), "PS506").empty());
  Report full_report = scan_dir(dir, TestProfile::full);  // the findings point into it
  auto full = findings_of(full_report, "PS506");
  REQUIRE(full.size() == 1);
  CHECK(full[0]->in_test_code);
  CHECK(full[0]->severity == Severity::high);
  CHECK_THAT(full[0]->message, Catch::Contains("once per item: the loop at"));
}

}  // namespace perfscan
