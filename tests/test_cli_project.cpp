// End-to-end tests of the whole-project context (issue 13, item 7): modules without __init__.py
// link like packages, and a scan that names files (pre-commit, an editor) still sees the rest
// of the project for cross-file findings, reporting only the named files.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

// An async handler in handlers.py calls a sync helper of store.py that blocks (PS309), and
// store.py has a finding of its own (PS401) that a scan naming only handlers.py must not show.
void write_async_project(const TempDir& dir, bool with_init) {
  if (with_init) dir.write("app/__init__.py", "");
  dir.write("app/store.py",
            "import time\n"
            "\n"
            "\n"
            "def slow_lookup(key):\n"
            "    time.sleep(0.5)\n"
            "    return key\n"
            "\n"
            "\n"
            "def render(rows):\n"
            "    out = \"\"\n"
            "    for row in open(rows):\n"
            "        out = row + out\n"
            "    return out\n");
  dir.write("app/handlers.py",
            "from .store import slow_lookup\n"
            "\n"
            "\n"
            "async def handle(key):\n"
            "    return slow_lookup(key)\n");
}

std::vector<std::string> rules_and_lines(const Json& report) {
  std::vector<std::string> out;
  for (const Json& finding : report.at("findings")) {
    out.push_back(finding.at("rule").get<std::string>() + " " + finding.at("path").get<std::string>() + ":" +
                  std::to_string(finding.at("line").get<int>()));
  }
  return out;
}

}  // namespace

TEST_CASE("cli project: a package without __init__.py links like one with them", "[project]") {
  for (bool with_init : {true, false}) {
    TempDir dir;
    write_async_project(dir, with_init);
    INFO("with __init__.py: " << with_init);
    Json report = parse_json(run_in(dir, "--no-cache --isolated --select PS309 --format json ."));
    CHECK(rules_and_lines(report) == std::vector<std::string>{"PS309 app/handlers.py:5"});
    // Scanned from inside the folder, `from .store import ...` still finds the module.
    Json inside = parse_json(run_perfscan("--no-cache --isolated --select PS309 --format json .", dir.path() / "app"));
    CHECK(rules_and_lines(inside) == std::vector<std::string>{"PS309 handlers.py:5"});
  }
}

TEST_CASE("cli project: naming one file reads the project for context and reports only that file",
          "[project]") {
  TempDir dir;
  write_async_project(dir, false);
  // The configuration file's folder is the project root.
  dir.write("pyproject.toml", "[tool.perfscan]\nfail-on = \"high\"\n");
  SECTION("the named file's cross-file finding is found; the other module's are not reported") {
    Json report = parse_json(run_in(dir, "--no-cache --format json app/handlers.py"));
    CHECK(rules_and_lines(report) == std::vector<std::string>{"PS309 app/handlers.py:5"});
    CHECK(report.at("summary").at("files_scanned") == 1);
  }
  SECTION("--no-project-context scans the named file alone") {
    Json report = parse_json(run_in(dir, "--no-cache --no-project-context --format json app/handlers.py"));
    CHECK(report.at("findings").empty());
  }
  SECTION("the context comes from the cache on the next run") {
    Json first = parse_json(run_in(dir, "--format json app/handlers.py"));
    Json second = parse_json(run_in(dir, "--format json app/handlers.py"));
    CHECK(rules_and_lines(second) == std::vector<std::string>{"PS309 app/handlers.py:5"});
    CHECK(second.at("stats").at("cache").at("misses") == 0);
    CHECK(second.at("stats").at("cache").at("hits") == 2);
  }
  SECTION("naming both files reports both") {
    Json report = parse_json(run_in(dir, "--no-cache --format json app/handlers.py app/store.py"));
    CHECK(rules_and_lines(report) ==
          std::vector<std::string>{"PS309 app/handlers.py:5", "PS401 app/store.py:12"});
  }
}

TEST_CASE("cli project: without a configuration file the repository root is the project root",
          "[project]") {
  TempDir dir;
  write_async_project(dir, true);
  git_in(dir, "init -q");
  Json report = parse_json(run_in(dir, "--no-cache --isolated --format json app/handlers.py"));
  CHECK(rules_and_lines(report) == std::vector<std::string>{"PS309 app/handlers.py:5"});
}
