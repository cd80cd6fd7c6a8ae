// --fix, --unsafe-fixes and --fix-diff: each fix keeps the program's output (run with python3
// before and after), a second --fix changes no byte, and what must stay untouched does.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "cli_support.hpp"
#include "fix/fixer.hpp"
#include "perfscan/engine.hpp"
#include "test_support.hpp"

namespace perfscan {
namespace {

using testing::contains;
using testing::parse_json;
using testing::q;
using testing::run_in;
using testing::TempDir;
using testing::CommandResult;
using testing::Json;

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// stdout of `python3 main.py data.txt` in `dir`.
std::string run_python(const TempDir& dir) {
  std::string command = "cd " + q(dir.path().string()) + " && python3 main.py data.txt 2>&1";
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, got);
  ::pclose(pipe);
  return out;
}

constexpr std::string_view kData = "3\n1\n4\n1\n5\n";
constexpr std::string_view kJson = "[3, 1, 4, 1, 5, 9, 2, 6]";

// Every rule with a safe fix, in one program whose output shows each result.
constexpr std::string_view kProgram = R"(import json
import sys


def main(path):
    with open(path) as fh:
        for line in fh.readlines():
            print(line.strip())
    rows = json.loads(open(path + ".json").read())
    total = sum([r * 2 for r in rows])
    doubled = []
    for r in rows:
        if r > 1:
            doubled.append(r * 2)
    copy = []
    for r in rows:
        copy.append(r)
    by_value = {}
    for r in rows:
        by_value[r] = r * 3
    for v in list(sorted(rows)):
        print(v)
    for k, v in by_value.items():
        print(v)
    print(total, doubled, copy, by_value, list(rows)[0])


main(sys.argv[1])
)";

void write_program(const TempDir& dir, std::string_view program = kProgram) {
  dir.write("main.py", program);
  dir.write("data.txt", kData);
  dir.write("data.txt.json", kJson);
}

}  // namespace

TEST_CASE("fix: every safe fix keeps the program's output, and a second --fix changes nothing",
          "[fix]") {
  TempDir dir;
  write_program(dir);
  std::string before_output = run_python(dir);
  REQUIRE(contains(before_output, "3"));
  CommandResult fixed = run_in(dir, "--select ALL --no-cache --fix main.py");
  std::string after = read_all(dir.path() / "main.py");
  CHECK(contains(after, "for line in fh:\n"));
  CHECK(contains(after, "total = sum(r * 2 for r in rows)"));
  CHECK(contains(after, "doubled = [r * 2 for r in rows if r > 1]"));
  CHECK(contains(after, "copy = list(rows)"));
  CHECK(contains(after, "by_value = {r: r * 3 for r in rows}"));
  CHECK(contains(after, "for v in sorted(rows):"));
  CHECK(!contains(run_python(dir), "Traceback"));
  CHECK(contains(fixed.out, "Fixed "));
  CHECK(run_python(dir) == before_output);
  CommandResult again = run_in(dir, "--select ALL --no-cache --fix main.py");
  CHECK(read_all(dir.path() / "main.py") == after);
  CHECK(contains(again.out, "Fixed 0 findings in 0 files"));
}

TEST_CASE("fix: unsafe fixes only with --unsafe-fixes", "[fix]") {
  TempDir dir;
  std::string program =
      "import json\nimport sys\n\n\ndef main(path):\n"
      "    rows = json.loads(open(path + \".json\").read())\n"
      "    print(any([r > 4 for r in rows]))\n\n\nmain(sys.argv[1])\n";
  write_program(dir, program);
  std::string before_output = run_python(dir);
  run_in(dir, "--select PS602 --no-cache --fix main.py");
  CHECK(read_all(dir.path() / "main.py") == program);
  CommandResult text = run_in(dir, "--select PS602 --no-cache main.py");
  CHECK(contains(text.out, "1 more with --unsafe-fixes"));
  run_in(dir, "--select PS602 --no-cache --fix --unsafe-fixes main.py");
  CHECK(contains(read_all(dir.path() / "main.py"), "print(any(r > 4 for r in rows))"));
  CHECK(run_python(dir) == before_output);
}

TEST_CASE("fix: --fix-diff prints a unified diff and writes nothing", "[fix]") {
  TempDir dir;
  write_program(dir);
  CommandResult diff = run_in(dir, "--select ALL --no-cache --fix-diff main.py");
  CHECK(diff.exit_code == 1);
  CHECK(contains(diff.out, "--- a/main.py\n+++ b/main.py\n@@ "));
  CHECK(contains(diff.out, "-        for line in fh.readlines():\n+        for line in fh:\n"));
  CHECK(read_all(dir.path() / "main.py") == kProgram);
}

TEST_CASE("fix: a file with a syntax error is never touched", "[fix]") {
  TempDir dir;
  std::string broken =
      "import json\n\ndef f(p):\n    rows = json.loads(open(p).read())\n"
      "    for v in list(sorted(rows)):\n        print(v)\n\ndef g(:\n    pass\n";
  dir.write("broken.py", broken);
  run_in(dir, "--select ALL --no-cache --fix broken.py");
  CHECK(read_all(dir.path() / "broken.py") == broken);
}

TEST_CASE("fix: broken and excluded files stay untouched, the others are fixed", "[fix]") {
  TempDir dir;
  std::string broken =
      "import json\n\ndef f(p):\n    rows = json.loads(open(p).read())\n"
      "    for v in list(sorted(rows)):\n        print(v)\n\ndef g(:\n    pass\n";
  std::string good =
      "import json\n\n\ndef f(p):\n    rows = json.loads(open(p).read())\n"
      "    for v in list(sorted(rows)):\n        print(v)\n";
  dir.write("broken.py", broken);
  dir.write("good.py", good);
  dir.write("skipped.py", good);
  run_in(dir, "--select ALL --no-cache --fix --unsafe-fixes --exclude skipped.py .");
  CHECK(read_all(dir.path() / "broken.py") == broken);
  CHECK(read_all(dir.path() / "skipped.py") == good);
  CHECK(contains(read_all(dir.path() / "good.py"), "    for v in sorted(rows):\n"));
}

TEST_CASE("fix: a BOM without CRLF, and an executable's mode, are kept", "[fix]") {
  TempDir dir;
  std::string source =
      "\xEF\xBB\xBF#!/usr/bin/env python3\nimport json\n\n\ndef f(p):\n"
      "    rows = json.loads(open(p).read())\n"
      "    for v in list(sorted(rows)):\n        print(v)\n";
  auto path = dir.write("tool.py", source);
  REQUIRE(::chmod(path.c_str(), 0755) == 0);
  run_in(dir, "--select ALL --no-cache --fix tool.py");
  CHECK(read_all(path) ==
        "\xEF\xBB\xBF#!/usr/bin/env python3\nimport json\n\n\ndef f(p):\n"
        "    rows = json.loads(open(p).read())\n"
        "    for v in sorted(rows):\n        print(v)\n");
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0755);
}

TEST_CASE("fix: a symbolic link stays a link, and the file it names is fixed", "[fix]") {
  TempDir dir;
  std::string source =
      "import json\n\n\ndef f(p):\n    rows = json.loads(open(p).read())\n"
      "    for v in list(sorted(rows)):\n        print(v)\n";
  auto target = dir.write("real.py", source);
  auto link = dir.path() / "link.py";
  std::filesystem::create_symlink("real.py", link);
  run_in(dir, "--select ALL --no-cache --fix link.py");
  CHECK(std::filesystem::is_symlink(link));
  CHECK(contains(read_all(target), "    for v in sorted(rows):\n"));
}

TEST_CASE("fix: CRLF line endings, the BOM and the file mode are kept", "[fix]") {
  TempDir dir;
  std::string source =
      "\xEF\xBB\xBFimport json\r\n\r\n\r\ndef f(p):\r\n"
      "    rows = json.loads(open(p).read())\r\n"
      "    out = []\r\n    for r in rows:\r\n        out.append(r + 1)\r\n"
      "    for v in list(sorted(rows)):\r\n        print(v)\r\n    return out\r\n";
  auto path = dir.write("crlf.py", source);
  REQUIRE(::chmod(path.c_str(), 0750) == 0);
  run_in(dir, "--select ALL --no-cache --fix crlf.py");
  std::string after = read_all(path);
  CHECK(after ==
        "\xEF\xBB\xBFimport json\r\n\r\n\r\ndef f(p):\r\n"
        "    rows = json.loads(open(p).read())\r\n"
        "    out = [r + 1 for r in rows]\r\n"
        "    for v in sorted(rows):\r\n        print(v)\r\n    return out\r\n");
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0750);
}

TEST_CASE("fix: JSON findings carry a fix object, SARIF results carry fixes", "[fix]") {
  TempDir dir;
  write_program(dir);
  Json report = parse_json(run_in(dir, "--select PS801 --no-cache --format json main.py"));
  const Json& finding = report["findings"].at(0);
  REQUIRE(finding.contains("fix"));
  CHECK(finding["fix"]["applicability"] == "safe");
  const Json& edit = finding["fix"]["edits"].at(0);
  CHECK(edit["content"] == "sorted(rows)");
  CHECK(edit["line"] == 21);
  CHECK(edit["column"] == 14);
  CHECK(edit["end_column"] == 32);
  Json sarif = parse_json(run_in(dir, "--select PS801 --no-cache --format sarif main.py"));
  const Json& result = sarif["runs"][0]["results"].at(0);
  const Json& change = result["fixes"].at(0)["artifactChanges"].at(0);
  CHECK(change["artifactLocation"]["uri"].get<std::string>().ends_with("main.py"));
  const Json& replacement = change["replacements"].at(0);
  CHECK(replacement["insertedContent"]["text"] == "sorted(rows)");
  CHECK(replacement["deletedRegion"]["startLine"] == 21);
  CHECK(replacement["deletedRegion"]["startColumn"] == 14);
}

TEST_CASE("fix: a list a try could see half-filled gets an unsafe fix", "[fix]") {
  TempDir dir;
  std::string source =
      "import json\n\n\ndef f(p):\n    rows = json.loads(open(p).read())\n    try:\n"
      "        out = []\n        for r in rows:\n            out.append(r + 1)\n"
      "    except ValueError:\n        out = None\n    return out\n";
  dir.write("t.py", source);
  Json report = parse_json(run_in(dir, "--select PS804 --no-cache --format json t.py"));
  const Json& finding = report["findings"].at(0);
  CHECK(finding["fix"]["applicability"] == "unsafe");
  CHECK(finding["fix"]["edits"].at(0)["content"] == "[r + 1 for r in rows]");
  run_in(dir, "--select PS804 --no-cache --fix t.py");
  CHECK(read_all(dir.path() / "t.py") == source);
}

TEST_CASE("fix: a file rewritten between the scan and the fix is left alone", "[fix]") {
  TempDir dir;
  write_program(dir);
  const std::string path = (dir.path() / "main.py").string();
  // Another writer (an editor, a second --fix) shifts every line once the first pass has
  // scanned: the findings' positions are no longer this text's, so none may be applied to it.
  const std::string edited = "# edited meanwhile\n" + std::string(kProgram);
  ScanOptions options;
  options.paths = {path};
  options.jobs = 1;
  options.select = {"ALL"};
  int passes = 0;
  auto scan_then_edit = [&](const ScanOptions& pass_options) {
    Report report = scan(pass_options);
    if (passes++ == 0) dir.write("main.py", edited);
    return report;
  };
  FixOutcome outcome = run_fixes(options, scan_then_edit, FixSettings{});
  CHECK(outcome.files.empty());
  CHECK(outcome.fixed == 0);
  CHECK(outcome.problems ==
        std::vector<std::string>{path + ": not written: it changed while perfscan was fixing it"});
  CHECK(write_fixed_files(outcome) == 0);
  CHECK(read_all(path) == edited);
}

TEST_CASE("fix: concurrent runs on one tree, fixers and scanners sharing the cache, corrupt nothing",
          "[fix]") {
  // What one --fix alone makes of the program: every concurrent outcome must be exactly this.
  TempDir reference;
  write_program(reference);
  run_in(reference, "--select ALL --no-cache --fix main.py");
  const std::string fixed = read_all(reference.path() / "main.py");
  REQUIRE(fixed != kProgram);

  TempDir dir;
  constexpr int kFiles = 8;
  auto module_name = [](int i) { return fmt::format("m{}.py", i); };
  for (int i = 0; i < kFiles; ++i) dir.write("pkg/" + module_name(i), kProgram);
  // Two fixers and two scanners at once, all on the default cache folder of the tree.
  std::vector<CommandResult> results(4);
  std::vector<std::thread> runs;
  const char* const commands[] = {"--select ALL --fix pkg", "--select ALL --fix pkg",
                                  "--select ALL --format json --exit-zero pkg",
                                  "--select ALL --format json --exit-zero pkg"};
  for (std::size_t r = 0; r < results.size(); ++r) {
    runs.emplace_back([&, r] { results[r] = run_in(dir, commands[r]); });
  }
  for (std::thread& run : runs) run.join();
  for (std::size_t r = 0; r < results.size(); ++r) {
    INFO(commands[r] << "\nstderr: " << results[r].err);
    // The only message: a fixer that finds a file rewritten by the other since it read it
    // leaves it to that one.
    for (const std::string& line : testing::lines_of(results[r].err)) {
      CHECK(line.ends_with(": not written: it changed while perfscan was fixing it"));
    }
    if (r >= 2) CHECK_NOTHROW(Json::parse(results[r].out));
  }
  for (int i = 0; i < kFiles; ++i) {
    INFO(module_name(i));
    CHECK(read_all(dir.path() / "pkg" / module_name(i)) == fixed);
  }
  // No temporary file of a write is left next to the sources.
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "pkg")) {
    CHECK(entry.path().extension() == ".py");
    ++files;
  }
  CHECK(files == kFiles);
  // The cache the four runs shared answers exactly what a scan without it finds.
  CommandResult fresh = run_in(dir, "--select ALL --format json --exit-zero --no-cache pkg");
  for (int run = 0; run < 2; ++run) {  // the second answers every file from the cache
    CommandResult cached = run_in(dir, "--select ALL --format json --exit-zero --stats pkg");
    CHECK(testing::hits(parse_json(cached)) == testing::hits(parse_json(fresh)));
    if (run == 1) CHECK(parse_json(cached).at("stats").at("cache").at("hits").get<int>() == kFiles);
  }
}

}  // namespace perfscan
