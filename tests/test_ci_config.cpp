// Configuration files end to end: discovery, precedence, every key, and the exact message of
// every mistake (file, line, key; exit 2).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "config/config.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

// PS401 (medium) at 3:5.
constexpr std::string_view kConcat = "s = \"\"\nfor x in xs:\n    s += x\n";
// PS101 (medium) at 2:14.
constexpr std::string_view kNested = "for a in xs:\n    for b in ys:\n        pass\n";

const std::vector<std::string> kFormats = {"text", "json"};

std::string config_error(std::string_view toml, bool pyproject = false) {
  try {
    (void)perfscan::parse_config(toml, "cfg.toml", pyproject, kFormats);
  } catch (const perfscan::ConfigError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("config: [tool.perfscan] in pyproject.toml is found from a sub-folder") {
  TempDir dir;
  dir.write("pyproject.toml", "[project]\nname = \"x\"\n\n[tool.perfscan]\nselect = [\"PS401\"]\n");
  dir.write("pkg/a.py", std::string(kConcat) + std::string(kNested));
  // The configuration chooses the rules: the run takes them as given.
  auto result = run_in(dir, "pkg --format json", {}, Tiers::as_given);
  CHECK(hits(parse_json(result)) == std::vector<std::string>{"PS401 pkg/a.py:3:5"});

  SECTION("command-line options override the file") {
    CHECK(hits(parse_json(run_in(dir, "pkg --format json --select PS101"))) ==
          std::vector<std::string>{"PS101 pkg/a.py:5:14"});
  }
  SECTION("--isolated ignores it") {
    CHECK(hits(parse_json(run_in(dir, "pkg --format json --isolated"))).size() == 2);
  }
  SECTION("a nearer .perfscan.toml wins") {
    dir.write("pkg/.perfscan.toml", "select = [\"PS101\"]\n");
    CHECK(hits(parse_json(run_in(dir, "pkg --format json", {}, Tiers::as_given))) ==
          std::vector<std::string>{"PS101 pkg/a.py:5:14"});
  }
  SECTION("a pyproject.toml without [tool.perfscan] does not stop the search") {
    dir.write("pkg/pyproject.toml", "[project]\nname = \"inner\"\n");
    CHECK(hits(parse_json(run_in(dir, "pkg --format json", {}, Tiers::as_given))) ==
          std::vector<std::string>{"PS401 pkg/a.py:3:5"});
  }
}

TEST_CASE("config: --config names the file explicitly") {
  TempDir dir;
  dir.write("a.py", std::string(kConcat));
  dir.write("ci/strict.toml", "ignore = [\"PS401\"]\n");
  auto result = run_in(dir, "a.py --format json --config ci/strict.toml");
  CHECK(result.exit_code == 0);
  CHECK(hits(parse_json(result)).empty());

  auto missing = run_in(dir, "a.py --config nowhere.toml");
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "perfscan: nowhere.toml: cannot read the configuration file\n");
}

TEST_CASE("config: keys shape the scan and the gate") {
  TempDir dir;
  dir.write("a.py", std::string(kConcat));
  dir.write("tests/test_a.py", std::string(kConcat));
  dir.write("vendor/v.py", std::string(kConcat));

  SECTION("per-file-ignores, extend-exclude and format") {
    dir.write(".perfscan.toml",
              "format = \"json\"\nextend-exclude = [\"vendor\"]\n"
              "[per-file-ignores]\n\"tests/*\" = [\"string-concat\"]\n");
    CHECK(hits(parse_json(run_in(dir, "."))) == std::vector<std::string>{"PS401 a.py:3:5"});
  }
  SECTION("severity overrides, min-severity and fail-on") {
    dir.write(".perfscan.toml",
              "exclude = [\"tests\", \"vendor\"]\nmin-severity = \"high\"\nfail-on = \"critical\"\n"
              "[severity]\nPS401 = \"high\"\n");
    auto result = run_in(dir, ". --format json");
    CHECK(result.exit_code == 0);  // high is below fail-on = critical
    auto report = parse_json(result);
    REQUIRE(hits(report) == std::vector<std::string>{"PS401 a.py:3:5"});
    CHECK(report["findings"][0]["severity"] == "high");
    CHECK(run_in(dir, ". --fail-on high").exit_code == 1);
    CHECK(hits(parse_json(run_in(dir, ". --format json --min-severity low"))).size() == 1);
  }
  SECTION("extend-ignore adds to the command line's --ignore") {
    dir.write(".perfscan.toml", "extend-ignore = [\"PS401\"]\nexclude = [\"tests\", \"vendor\"]\n");
    dir.write("b.py", std::string(kNested));
    CHECK(hits(parse_json(run_in(dir, ". --format json --ignore PS101"))).empty());
  }
}

TEST_CASE("config: every key is read into the options") {
  auto config = perfscan::parse_config(
      "[tool.perfscan]\nselect = [\"PS4\"]\nignore = [\"PS401\"]\nextend-select = [\"PS1\"]\n"
      "extend-ignore = [\"PS000\"]\nexclude = [\"gen\"]\nextend-exclude = [\"build2\"]\n"
      "fail-on = \"high\"\nmin-severity = \"medium\"\ntarget-version = \"3.10\"\n"
      "format = \"json\"\njobs = 3\nextra-blocking-calls = [\"mylib.io.fetch\"]\n"
      "extra-query-methods = [\"repo.Repository.find\"]\nextra-http-clients = [\"corp.http\"]\n"
      "[tool.perfscan.severity]\nstring-concat-in-loop = \"low\"\n"
      "[tool.perfscan.per-file-ignores]\n\"tests/*\" = [\"PS1\", \"PS4\"]\n",
      "pyproject.toml", true, kFormats);
  CHECK(config.select == std::vector<std::string>{"PS4"});
  CHECK(config.ignore == std::vector<std::string>{"PS401"});
  CHECK(config.extend_select == std::vector<std::string>{"PS1"});
  CHECK(config.extend_ignore == std::vector<std::string>{"PS000"});
  CHECK(config.exclude == std::vector<std::string>{"gen"});
  CHECK(config.extend_exclude == std::vector<std::string>{"build2"});
  CHECK(config.fail_on == perfscan::Severity::high);
  CHECK(config.min_severity == perfscan::Severity::medium);
  CHECK(config.target_version == "3.10");
  CHECK(config.format == "json");
  CHECK(config.jobs == 3u);
  CHECK(config.knowledge.blocking_calls == std::vector<std::string>{"mylib.io.fetch"});
  CHECK(config.knowledge.query_methods == std::vector<std::string>{"repo.Repository.find"});
  CHECK(config.knowledge.http_clients == std::vector<std::string>{"corp.http"});
  CHECK(config.severity ==
        std::map<std::string, perfscan::Severity>{{"PS401", perfscan::Severity::low}});
  REQUIRE(config.per_file_ignores.size() == 1);
  CHECK(config.per_file_ignores[0].pattern == "tests/*");
  CHECK(config.per_file_ignores[0].selectors == std::vector<std::string>{"PS1", "PS4"});
}

TEST_CASE("config: mistakes are named with file, line and key") {
  CHECK(config_error("select = [\"PS4\"]\nselct = [\"PS1\"]\n") ==
        "cfg.toml:2: unknown key 'selct' (see docs/ci.md for the keys perfscan reads)");
  CHECK(config_error("jobs = \"4\"\n") ==
        "cfg.toml:1: key 'jobs' must be an integer, not a string");
  CHECK(config_error("jobs = 0\n") == "cfg.toml:1: key 'jobs' must be from 1 to 1024, not 0");
  CHECK(config_error("select = [\n  \"PS4\",\n  \"PS999\",\n]\n") ==
        "cfg.toml:3: key 'select' names no rule: 'PS999' (use an id like PS401, a prefix like "
        "PS4, a category, a rule name or ALL; see --list-rules)");
  CHECK(config_error("ignore = [\"PS4\", 7]\n") ==
        "cfg.toml:1: key 'ignore' must be an array of strings, but holds an integer");
  CHECK(config_error("select = \"PS4\"\n") ==
        "cfg.toml:1: key 'select' must be an array of strings, not a string");
  CHECK(config_error("exclude = true\n") ==
        "cfg.toml:1: key 'exclude' must be an array of strings, not a boolean");
  CHECK(config_error("fail-on = \"urgent\"\n") ==
        "cfg.toml:1: key 'fail-on' must be one of critical, high, medium, low, not 'urgent'");
  CHECK(config_error("format = \"xml\"\n") ==
        "cfg.toml:1: key 'format' must be one of text, json, not 'xml'");
  CHECK(config_error("target-version = \"2.7\"\n") ==
        "cfg.toml:1: key 'target-version' must be a Python version like \"3.10\", not '2.7'");
  CHECK(config_error("\n[severity]\nPS999 = \"high\"\n") ==
        "cfg.toml:3: key 'severity.PS999' names no rule: use a rule id like PS401 or a rule name "
        "(see --list-rules)");
  CHECK(config_error("[severity]\nPS401 = 3\n") ==
        "cfg.toml:2: key 'severity.PS401' must be a string, not an integer");
  CHECK(config_error("[per-file-ignores]\n\"tests/*\" = [\"PS99\"]\n") ==
        "cfg.toml:2: key 'per-file-ignores.\"tests/*\"' names no rule: 'PS99' (use an id like "
        "PS401, a prefix like PS4, a category, a rule name or ALL; see --list-rules)");
  CHECK(config_error("per-file-ignores = [\"tests\"]\n") ==
        "cfg.toml:1: key 'per-file-ignores' must be a table, not an array");
  CHECK(config_error("extra-blocking-calls = [\"my lib.fetch\"]\n") ==
        "cfg.toml:1: key 'extra-blocking-calls' must hold dotted Python names, optionally "
        "`Type.*` and `:kind` (kind one of http, sleep, subprocess, file-io, fs-metadata, db, "
        "socket, wait), like \"mylib.io.fetch:http\", not 'my lib.fetch'");
  CHECK(config_error("extra-blocking-calls = [\"mylib.fetch:slow\"]\n").ends_with(
      "not 'mylib.fetch:slow'"));
  CHECK(config_error("extra-blocking-calls = [\"mylib.Client.*:http\", \"mylib.wait\"]\n") ==
        "no error");
  CHECK(config_error("extra-query-methods = [\"my lib.fetch\"]\n") ==
        "cfg.toml:1: key 'extra-query-methods' must hold dotted Python names like "
        "\"mylib.io.fetch\", not 'my lib.fetch'");
  CHECK(config_error("select = [\"PS4\"\n").starts_with("cfg.toml:1:"));
  CHECK(config_error("[tool]\nperfscan = 3\n", true) ==
        "cfg.toml:2: key 'tool.perfscan' must be a table");
  CHECK(config_error("[tool.black]\nline-length = 99\n", true) ==
        "cfg.toml: no [tool.perfscan] table");
}

TEST_CASE("config: extra-blocking-calls reach the PS3xx rules") {
  TempDir dir;
  dir.write("pyproject.toml",
            "[tool.perfscan]\nextra-blocking-calls = [\"vendor.storage.download:http\", "
            "\"vendor.Lock.*\"]\n");
  dir.write("svc.py",
            "from vendor import storage\nimport vendor\n\n"
            "async def handler(key):\n"
            "    storage.download(key)\n"
            "    vendor.Lock().hold()\n"
            "    storage.upload(key)\n");
  CHECK(hits(parse_json(run_in(dir, "svc.py --format json"))) ==
        std::vector<std::string>{"PS301 svc.py:5:5", "PS308 svc.py:6:5"});
  CHECK(hits(parse_json(run_in(dir, "svc.py --format json --isolated"))).empty());
}

TEST_CASE("config: extra-query-methods and extra-http-clients reach the PS2xx rules") {
  TempDir dir;
  dir.write("pyproject.toml",
            "[tool.perfscan]\nselect = [\"PS2\"]\n"
            "extra-query-methods = [\"vendor.db.Repository.fetch\"]\n"
            "extra-http-clients = [\"vendor.http.Client\"]\n");
  dir.write("jobs.py",
            "from vendor.db import Repository\nfrom vendor.http import Client\n\n"
            "def sync(ids):\n"
            "    repo = Repository()\n"
            "    api = Client()\n"
            "    for i in ids:\n"
            "        repo.fetch(i)\n"
            "        api.post(i)\n"
            "        repo.other(i)\n");
  CHECK(hits(parse_json(run_in(dir, "jobs.py --format json"))) ==
        std::vector<std::string>{"PS201 jobs.py:8:9", "PS204 jobs.py:9:9"});
  CHECK(hits(parse_json(run_in(dir, "jobs.py --format json --isolated --select PS2"))).empty());
}

TEST_CASE("config: a mistake stops the command line with exit 2") {
  TempDir dir;
  dir.write("a.py", std::string(kConcat));
  dir.write("pyproject.toml", "[tool.perfscan]\nselect = [\"PS401\"]\nfail_on = \"high\"\n");
  auto result = run_in(dir, "a.py");
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err ==
        "perfscan: pyproject.toml:3: unknown key 'fail_on' (see docs/ci.md for the keys perfscan "
        "reads)\n");

  SECTION("invalid TOML names line and column") {
    dir.write("pyproject.toml", "[tool.perfscan]\nselect = [\"PS401\"\n");
    auto broken = run_in(dir, "a.py");
    CHECK(broken.exit_code == 2);
    CHECK(broken.err ==
          "perfscan: pyproject.toml:2:19: invalid TOML: Error while parsing array: encountered "
          "end-of-file\n");
  }
  SECTION("--extend-select on the command line is checked too") {
    dir.write("pyproject.toml", "[tool.perfscan]\n");
    auto bad = run_in(dir, "a.py --extend-select PS998");
    CHECK(bad.exit_code == 2);
    CHECK(contains(bad.err, "unknown rule selector 'PS998'"));
  }
}
