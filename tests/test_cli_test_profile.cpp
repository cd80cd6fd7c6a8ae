// End-to-end tests of the test profile (`--tests relaxed|full|skip`, `tests = ...` in the
// configuration): which findings in test code are reported, how many were hidden, and that the
// result cache and the link step keep what the profile needs.
#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli_support.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

// Application code: a blocking call in async code (PS302), and a helper that calls out.
constexpr std::string_view kRates =
    "import time\n"
    "\n"
    "import requests\n"
    "\n"
    "\n"
    "def fetch_rate(currency):\n"
    "    return requests.get(\"https://rates.example/\" + currency).json()\n"
    "\n"
    "\n"
    "async def poll():\n"
    "    time.sleep(1)\n";

// A test module. Tests block (PS302) and call out per item (PS205, found by the link step) on
// purpose: the relaxed profile hides those. A cache that keeps every instance (PS604) costs in
// tests too: reported unless the profile is skip.
constexpr std::string_view kTestRates =
    "import functools\n"
    "import time\n"
    "\n"
    "from app.rates import fetch_rate\n"
    "\n"
    "\n"
    "async def test_poll():\n"
    "    time.sleep(1)\n"
    "\n"
    "\n"
    "def test_convert(prices):\n"
    "    for price in prices:\n"
    "        price.rate = fetch_rate(price.currency)\n"
    "\n"
    "\n"
    "class TestCache:\n"
    "    @functools.lru_cache(maxsize=None)\n"
    "    def lookup(self, key):\n"
    "        return key\n";

void write_project(const TempDir& dir) {
  dir.write("app/__init__.py", "");
  dir.write("app/rates.py", kRates);
  dir.write("tests/test_rates.py", kTestRates);
}

using Hits = std::vector<std::string>;

// The rules these tests are about, named so that they run whatever their tier.
std::string scan_args(std::string_view more) {
  return std::string(". --select PS205,PS302,PS604 ") + std::string(more);
}

const Hits kApplication = {"PS302 app/rates.py:11:5"};
const Hits kRelaxed = {"PS302 app/rates.py:11:5", "PS604 tests/test_rates.py:17:5"};
const Hits kFull = {"PS302 app/rates.py:11:5", "PS302 tests/test_rates.py:8:5",
                    "PS205 tests/test_rates.py:13:22", "PS604 tests/test_rates.py:17:5"};

}  // namespace

TEST_CASE("test profile: relaxed, the default, hides only what tests do on purpose") {
  TempDir dir;
  write_project(dir);
  auto result = run_in(dir, scan_args("--format json --no-cache"));
  CHECK(result.exit_code == 1);
  Json report = parse_json(result);
  CHECK(hits(report) == kRelaxed);
  CHECK(report["summary"]["test_profile"] == "relaxed");
  CHECK(report["summary"]["hidden_in_tests"] == 2);
  CHECK(report["summary"]["total"] == 2);

  auto explicit_relaxed =
      parse_json(run_in(dir, scan_args("--format json --no-cache --tests relaxed")));
  CHECK(hits(explicit_relaxed) == kRelaxed);

  SECTION("the text summary says how many were hidden and how to see them") {
    auto text = run_in(dir, scan_args("--no-cache"));
    CHECK(contains(text.out,
                   "\n2 findings in test code hidden by the relaxed test profile "
                   "(--tests full shows them)\n"));
    auto quiet = run_in(dir, scan_args("--no-cache -q"));
    CHECK(quiet.out.ends_with("Total issues: 2 in 2 files  (2 hidden in test code)\n"));
  }
  SECTION("the review reports say it too") {
    auto markdown = run_in(dir, scan_args("--no-cache --format markdown"));
    CHECK(
        contains(markdown.out, "2 findings in test code were hidden by the relaxed test profile"));
    CHECK(contains(markdown.out, "| tests | `relaxed (2 hidden in test code)` |"));
    auto html = run_in(dir, scan_args("--no-cache --format html"));
    CHECK(contains(html.out, "2 findings in test code were hidden by the relaxed test profile"));
  }
}

TEST_CASE("test profile: full restores everything, skip drops all test code") {
  TempDir dir;
  write_project(dir);
  Json full = parse_json(run_in(dir, scan_args("--format json --no-cache --tests full")));
  CHECK(hits(full) == kFull);
  CHECK(full["summary"]["test_profile"] == "full");
  CHECK(full["summary"]["hidden_in_tests"] == 0);
  auto full_text = run_in(dir, scan_args("--no-cache --tests full"));
  CHECK_FALSE(contains(full_text.out, "hidden by the"));

  Json skip = parse_json(run_in(dir, scan_args("--format json --no-cache --tests skip")));
  CHECK(hits(skip) == kApplication);
  CHECK(skip["summary"]["test_profile"] == "skip");
  CHECK(skip["summary"]["hidden_in_tests"] == 3);
  auto skip_text = run_in(dir, scan_args("--no-cache --tests skip"));
  CHECK(contains(skip_text.out, "\n3 findings in test code hidden by the skip test profile"));
}

TEST_CASE("test profile: a link-step finding in a test module follows the profile by its path") {
  // PS901 is decided in the link step, from facts: no context says "test code", the path does.
  TempDir dir;
  dir.write("tests/testapp/models.py",
            "from django.db import models\n"
            "\n"
            "\n"
            "class Customer(models.Model):\n"
            "    email = models.CharField(max_length=200)\n"
            "\n"
            "\n"
            "def lookups(email):\n"
            "    Customer.objects.get(email=email)\n"
            "    Customer.objects.filter(email=email).exists()\n");
  Json relaxed = parse_json(run_in(dir, ". --format json --no-cache --select PS901"));
  CHECK(hits(relaxed) == Hits{"PS901 tests/testapp/models.py:5:5"});
  CHECK(relaxed["summary"]["hidden_in_tests"] == 0);
  Json skip = parse_json(run_in(dir, ". --format json --no-cache --select PS901 --tests skip"));
  CHECK(hits(skip).empty());
  CHECK(skip["summary"]["hidden_in_tests"] == 1);
}

TEST_CASE("test profile: the configuration sets it, the command line wins, bad values exit 2") {
  TempDir dir;
  write_project(dir);
  dir.write(".perfscan.toml", "tests = \"full\"\n");
  CHECK(hits(parse_json(run_in(dir, scan_args("--format json --no-cache")))) == kFull);
  CHECK(hits(parse_json(run_in(dir, scan_args("--format json --no-cache --tests skip")))) ==
        kApplication);

  dir.write(".perfscan.toml", "\n\ntests = \"some\"\n");
  auto bad_config = run_in(dir, scan_args("--no-cache"));
  CHECK(bad_config.exit_code == 2);
  CHECK(contains(bad_config.err,
                 ".perfscan.toml:3: key 'tests' must be one of relaxed, full, skip, not 'some'"));

  auto bad_option = run_in(dir, scan_args("--isolated --tests none"));
  CHECK(bad_option.exit_code == 2);
  CHECK(contains(bad_option.err, "--tests"));
}

TEST_CASE(
    "test profile: the cache keeps what the profile needs, so switching it re-analyses nothing",
    "[cache]") {
  TempDir dir;
  write_project(dir);
  Json relaxed = parse_json(run_in(dir, scan_args("--format json")));
  CHECK(hits(relaxed) == kRelaxed);
  Json full = parse_json(run_in(dir, scan_args("--format json --tests full")));
  CHECK(full["stats"]["cache"]["hits"] == 3);
  CHECK(full["stats"]["cache"]["misses"] == 0);
  CHECK(hits(full) == kFull);
  Json uncached = parse_json(run_in(dir, scan_args("--format json --tests full --no-cache")));
  CHECK(full["findings"] == uncached["findings"]);
}

TEST_CASE("test profile: outside test modules only TestCase subclasses are test code") {
  // pytest collects `test*` functions and `Test*` classes only from test modules. Elsewhere
  // `TestJob` is a Django model (lava's) and `test_png` a format detector (the standard
  // library's imghdr): their findings are application findings. A TestCase subclass is a
  // test wherever it is defined.
  TempDir dir;
  dir.write("app/__init__.py", "");
  dir.write("app/rates.py", kRates);
  dir.write("app/models.py",
            "import time\n"
            "import unittest\n"
            "\n"
            "from app.rates import fetch_rate\n"
            "\n"
            "\n"
            "class TestJob:\n"
            "    def refresh(self, prices):\n"
            "        for price in prices:\n"
            "            price.rate = fetch_rate(price.currency)\n"
            "\n"
            "\n"
            "def test_png(prices):\n"
            "    for price in prices:\n"
            "        price.rate = fetch_rate(price.currency)\n"
            "\n"
            "\n"
            "class RatesTest(unittest.IsolatedAsyncioTestCase):\n"
            "    async def test_poll(self):\n"
            "        time.sleep(1)\n");
  Json relaxed = parse_json(run_in(dir, scan_args("--format json --no-cache")));
  CHECK(hits(relaxed) ==
        Hits{"PS205 app/models.py:10:26", "PS205 app/models.py:15:22", "PS302 app/rates.py:11:5"});
  CHECK(relaxed["summary"]["hidden_in_tests"] == 1);
}
