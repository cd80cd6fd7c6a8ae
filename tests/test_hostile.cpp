// Hostile configuration and cache (issue 17): wrong types, unknown keys, huge arrays, deep
// nesting and invalid UTF-8 in the configuration; a cache folder that is read-only, full, a
// symlink elsewhere, or holds entries of another version. Each gets one clear message naming
// the file, or the entry is simply not used; nothing crashes and the scan goes on.
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

namespace fs = std::filesystem;

// PS401 at 3:5; PS101 at 2:14.
constexpr std::string_view kConcat = "s = \"\"\nfor x in xs:\n    s += x\n";
constexpr std::string_view kNested = "for a in xs:\n    for b in ys:\n        pass\n";

std::string repeated(std::string_view part, int times, std::string_view separator) {
  std::string out;
  for (int i = 0; i < times; ++i) {
    if (i > 0) out += separator;
    out += part;
  }
  return out;
}

// Runs a shell command line in `dir` and captures what perfscan printed.
CommandResult run_shell(const TempDir& dir, const std::string& command) {
  const fs::path out = dir.path() / "shell.out";
  const fs::path err = dir.path() / "shell.err";
  std::string line = "cd " + q(dir.path().string()) + " && (" + command + ") >" +
                     q(out.string()) + " 2>" + q(err.string());
  int status = std::system(line.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out);
  result.err = read_file(err);
  return result;
}

// A configuration the scan refuses: exit 2, nothing on stdout, one line on stderr.
std::string refused(const TempDir& dir, const std::string& config) {
  dir.write("cfg.toml", config);
  auto result = run_in(dir, "good.py --config cfg.toml --no-cache");
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(lines_of(result.err).size() == 1);
  return result.err;
}

// A whole scan of `dir` as JSON, with `extra` options.
Json scan_json(const TempDir& dir, const std::string& extra = {}) {
  auto result = run_in(dir, ". --format json " + extra);
  INFO(result.err);
  CHECK(result.exit_code == 1);
  return parse_json(result);
}

Json cache_of(const Json& report) { return report.at("stats").at("cache"); }

std::vector<fs::path> entries_under(const fs::path& folder) {
  std::vector<fs::path> entries;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.path().extension() == ".entry") entries.push_back(entry.path());
  }
  return entries;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Configuration

TEST_CASE("hostile config: keys nested tens of thousands deep are refused, not a stack overflow") {
  TempDir dir;
  dir.write("good.py", kConcat);
  const std::string expected =
      "perfscan: cfg.toml: invalid TOML: tables or arrays nested deeper than 1000 levels\n";
  SECTION("a dotted key") {
    CHECK(refused(dir, fmt::format("{} = 1\n", repeated("a", 100000, "."))) == expected);
  }
  SECTION("a table header") {
    CHECK(refused(dir, fmt::format("[{}]\n", repeated("t", 100000, "."))) == expected);
  }
  SECTION("quoted parts") {
    CHECK(refused(dir, fmt::format("{} = 1\n", repeated("\"q\"", 50000, "."))) == expected);
  }
  SECTION("digits") {
    CHECK(refused(dir, fmt::format("{} = 1\n", repeated("1", 100000, "."))) == expected);
  }
  SECTION("dotted keys inside inline tables") {
    CHECK(refused(dir, fmt::format("x = {{{} = 1}}\n", repeated("a", 50000, "."))) == expected);
  }
  SECTION("a header and dotted keys under it") {
    CHECK(refused(dir, fmt::format("[{}]\n{} = 1\n", repeated("t", 600, "."),
                                   repeated("k", 600, "."))) == expected);
  }
}

TEST_CASE("hostile config: a pyproject.toml nested too deep is named, not a crash") {
  TempDir dir;
  dir.write("good.py", kConcat);
  dir.write("pyproject.toml", fmt::format("[tool.other]\n{} = 1\n", repeated("a", 100000, ".")));
  auto result = run_in(dir, "good.py --no-cache");
  CHECK(result.exit_code == 2);
  CHECK(result.err ==
        "perfscan: pyproject.toml: invalid TOML: tables or arrays nested deeper than 1000 "
        "levels\n");
}

TEST_CASE("hostile config: non-ASCII text outside strings and comments is refused before toml++") {
  // toml++ 3.3's whitespace test is undefined behaviour on such code points (fuzz_config).
  TempDir dir;
  dir.write("good.py", kConcat);
  CHECK(refused(dir, "[tool.perfscan]\nselect = [\"PS401\"]\ncaf\u00e9 = 1\n") ==
        "perfscan: cfg.toml:3:4: invalid TOML: a non-ASCII character outside a string or comment "
        "(TOML allows it only there)\n");
  CHECK(refused(dir, "\u0145 = 1\n") ==
        "perfscan: cfg.toml:1:1: invalid TOML: a non-ASCII character outside a string or comment "
        "(TOML allows it only there)\n");
  SECTION("a malformed value is reported from its ASCII text, strings and all") {
    CHECK(refused(dir, "a = 0[\"\u044b\"]\n").starts_with("perfscan: cfg.toml:1:"));
  }
  SECTION("a line-ending backslash before it in a multi-line string is refused with a way out") {
    CHECK(refused(dir, "exclude = [\"\"\"x \\\n  \u044by\"\"\"]\n") ==
          "perfscan: cfg.toml:2:3: invalid TOML: a non-ASCII character right after a line-ending "
          "backslash, which the TOML library perfscan uses mis-reads; escape it (\\uXXXX) or join "
          "the lines\n");
  }
  SECTION("inside strings and comments it is text like any other") {
    dir.write("cfg.toml",
              "# r\u00e9glages \u2014 caf\u00e9\n"
              "exclude = [\"donn\u00e9es/\", 'd\u00e9j\u00e0/',\n"
              "  \"\"\"m\u00e9\"\"\"]  # fin \u00e9\n");
    auto result = run_in(dir, "good.py --config cfg.toml --no-cache --exit-zero");
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
  }
}

TEST_CASE("hostile config: nesting TOML itself limits gets toml++'s message") {
  TempDir dir;
  dir.write("good.py", kConcat);
  CHECK(refused(dir, fmt::format("select = {}{}\n", std::string(300, '['), std::string(300, ']')))
            .starts_with("perfscan: cfg.toml:1:"));
}

TEST_CASE("hostile config: ordinary configurations are well inside the nesting bound") {
  TempDir dir;
  dir.write("good.py", kConcat);
  dir.write("cfg.toml",
            "# a comment with dots... and [brackets] and {braces}\n"
            "select = [\"PS4\", 'PS1'] # trailing.dots.here\n"
            "exclude = [\"\"\"a.b.c\"\"\", '''d.e''', \"x\\\".y\"]\n"
            "[severity]\nPS401 = \"high\"\n"
            "[per-file-ignores]\n\"tests/a.b.c/*.py\" = [\"PS1\"]\n");
  auto result = run_in(dir, "good.py --config cfg.toml --no-cache --format json");
  CHECK(result.exit_code == 1);
  CHECK(hits(parse_json(result)) == std::vector<std::string>{"PS401 good.py:3:5"});
}

TEST_CASE("hostile config: huge arrays are read, and their mistakes named by line") {
  TempDir dir;
  dir.write("good.py", kConcat);
  dir.write("huge.toml", fmt::format("select = [{}]\nexclude = [{}]\n",
                                     repeated("\"PS4\"", 200000, ", "),
                                     repeated("\"nothing/*\"", 100000, ",\n")));
  auto result = run_in(dir, "good.py --config huge.toml --no-cache --format json");
  CHECK(result.exit_code == 1);
  CHECK(hits(parse_json(result)) == std::vector<std::string>{"PS401 good.py:3:5"});

  std::string bad =
      fmt::format("select = [\n{},\n  \"PS9999\",\n]\n", repeated("  \"PS4\"", 50000, ",\n"));
  CHECK(refused(dir, bad) ==
        "perfscan: cfg.toml:50002: key 'select' names no rule: 'PS9999' (use an id like PS401, a "
        "prefix like PS4, a category, a rule name or ALL; see --list-rules)\n");
}

TEST_CASE("hostile config: invalid UTF-8 is named with its line and column") {
  TempDir dir;
  dir.write("good.py", kConcat);
  CHECK(refused(dir, "select = [\"PS4\"]\n# caf\xE9\n") ==
        "perfscan: cfg.toml:2:5: invalid TOML: Encountered invalid utf-8 sequence\n");
  CHECK(refused(dir, "[per-file-ignores]\n\"t\xC3(*\" = [\"PS4\"]\n") ==
        "perfscan: cfg.toml:2:2: invalid TOML: Encountered invalid utf-8 sequence\n");
}

TEST_CASE("hostile config: wrong types and unknown keys, one line each") {
  TempDir dir;
  dir.write("good.py", kConcat);
  CHECK(refused(dir, "jobs = 1e400\n").starts_with("perfscan: cfg.toml:1:"));
  CHECK(refused(dir, "jobs = 99999999999999999999\n").starts_with("perfscan: cfg.toml:1:"));
  CHECK(refused(dir, "file-timeout = nan\n") ==
        "perfscan: cfg.toml:1: key 'file-timeout' must be from 0 to 86400 seconds, not nan\n");
  CHECK(refused(dir, "file-timeout = inf\n") ==
        "perfscan: cfg.toml:1: key 'file-timeout' must be from 0 to 86400 seconds, not inf\n");
  CHECK(refused(dir, "severity = 1979-05-27\n") ==
        "perfscan: cfg.toml:1: key 'severity' must be a table, not a date or time\n");
  CHECK(refused(dir, "[select]\nPS4 = true\n") ==
        "perfscan: cfg.toml:1: key 'select' must be an array of strings, not a table\n");
  // Keys and values are shown escaped and shortened: a message stays one readable line.
  CHECK(refused(dir, "\"a\\u0000b\\nc\" = 1\n") ==
        "perfscan: cfg.toml:1: unknown key 'a\\x00b\\nc' (see docs/ci.md for the keys perfscan "
        "reads)\n");
  // A name long enough to overflow std::regex's recursion is refused before it is matched.
  CHECK(refused(dir, fmt::format("extra-query-methods = [\"{}\"]\n", std::string(1000000, 'a'))) ==
        fmt::format("perfscan: cfg.toml:1: key 'extra-query-methods' must hold names of at most "
                    "1000 characters, not '{}...' (1000000 characters)\n",
                    std::string(80, 'a')));
  CHECK(refused(dir, fmt::format("extra-blocking-calls = [\"{}\"]\n", std::string(1000000, 'a')))
            .starts_with("perfscan: cfg.toml:1: key 'extra-blocking-calls' must hold names of at "
                         "most 1000 characters"));
  CHECK(refused(dir, fmt::format("target-version = \"{}\"\n", std::string(1000000, 'x'))) ==
        fmt::format("perfscan: cfg.toml:1: key 'target-version' must be a Python version like "
                    "\"3.10\", not '{}...'\n",
                    std::string(80, 'x')));
}

// ---------------------------------------------------------------------------------------------
// The result cache

TEST_CASE("hostile cache: a read-only cache folder warns once and the scan is complete") {
  if (::geteuid() == 0 && std::system("command -v setpriv >/dev/null 2>&1") != 0) {
    WARN("root without setpriv: permissions cannot be taken away, nothing to test");
    return;
  }
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("b.py", kNested);
  fs::create_directories(dir.path() / "cache");
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(dir.path() / "cache", fs::perms::owner_read | fs::perms::owner_exec |
                                            fs::perms::others_read | fs::perms::others_exec);
  // Root ignores permissions: run as `nobody`, who may read but not write anything here.
  std::string as_user = ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  auto result = run_shell(dir, as_user + q(PERFSCAN_BINARY) + " --extend-select ALL a.py b.py --format json --cache-dir cache");
  fs::permissions(dir.path() / "cache", fs::perms::owner_all);
  CHECK(result.exit_code == 1);
  Json report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS401 a.py:3:5", "PS101 b.py:2:14"});
  CHECK(cache_of(report)["write_failures"] == 2);
  CHECK(lines_of(result.err).size() == 1);
  CHECK(contains(result.err, "perfscan: warning: result cache not written (2 results): cannot "));
  CHECK(contains(result.err, "Permission denied"));
}

// perfscan with every file it writes limited to 0 bytes (`ulimit -f 0`: writes fail with EFBIG,
// as on a full disk they fail with ENOSPC; the signal that would kill the writer is ignored, as
// it is where disks fill up). Its stdout and stderr go through pipes, which the limit spares.
CommandResult run_with_no_room(const TempDir& dir, const std::string& args) {
  std::string limited = "{ { trap '' XFSZ; ulimit -f 0; exec " + q(PERFSCAN_BINARY) + " --extend-select ALL " + args +
                        "; } 2>&1 1>&3 3>&- | cat >&2; } 3>&1 | cat";
  return run_shell(dir, "bash -c " + q("set -o pipefail; " + limited));
}

TEST_CASE("hostile cache: a full disk warns once, leaves no temporary file, and the scan is complete") {
  TempDir dir;
  for (int i = 0; i < 5; ++i) dir.write(fmt::format("m{}.py", i), kConcat);
  auto result = run_with_no_room(dir, ". --format json --cache-dir cache");
  CHECK(result.exit_code == 1);
  Json report = parse_json(result);
  CHECK(report["summary"]["files_scanned"] == 5);
  CHECK(report["findings"].size() == 5);
  CHECK(cache_of(report)["write_failures"] == 5);
  CHECK(lines_of(result.err).size() == 1);
  CHECK(contains(result.err, "perfscan: warning: result cache not written (5 results): cannot write "));
  CHECK(contains(result.err, "File too large"));
  for (const auto& entry : fs::recursive_directory_iterator(dir.path() / "cache")) {
    CHECK_FALSE(contains(entry.path().filename().string(), ".tmp."));
  }
  // A report that cannot be written is an error that says so.
  auto to_file = run_with_no_room(dir, ". --cache-dir cache -o report.txt");
  CHECK(to_file.exit_code == 2);
  CHECK(contains(to_file.err, "perfscan: cannot write report.txt"));
  // With room again, the same cache fills and answers the next run.
  CHECK(cache_of(scan_json(dir, "--cache-dir cache"))["misses"] == 5);
  CHECK(cache_of(scan_json(dir, "--cache-dir cache"))["hits"] == 5);
}

TEST_CASE("hostile cache: a cache folder that is a symlink") {
  TempDir dir;
  TempDir elsewhere;
  dir.write("a.py", kConcat);
  SECTION("to a folder elsewhere: the cache lives there") {
    fs::create_directory_symlink(elsewhere.path(), dir.path() / ".perfscan_cache");
    CHECK(cache_of(scan_json(dir))["misses"] == 1);
    CHECK(entries_under(elsewhere.path()).size() == 1);
    CHECK(cache_of(scan_json(dir))["hits"] == 1);
  }
  SECTION("dangling: the cache is not written, the scan goes on") {
    fs::create_directory_symlink(elsewhere.path() / "gone", dir.path() / ".perfscan_cache");
    auto result = run_in(dir, ". --format json");
    CHECK(result.exit_code == 1);
    CHECK(hits(parse_json(result)) == std::vector<std::string>{"PS401 a.py:3:5"});
    CHECK(lines_of(result.err).size() <= 1);
  }
  SECTION("to a file: one warning, the scan goes on, the file is untouched") {
    auto target = elsewhere.write("precious.txt", "keep me\n");
    fs::create_symlink(target, dir.path() / ".perfscan_cache");
    auto result = run_in(dir, ". --format json");
    CHECK(result.exit_code == 1);
    CHECK(hits(parse_json(result)) == std::vector<std::string>{"PS401 a.py:3:5"});
    CHECK(lines_of(result.err).size() == 1);
    CHECK(contains(result.err, "perfscan: warning: result cache not written (1 result): cannot create "));
    CHECK(read_file(target) == "keep me\n");
  }
  SECTION("an entry that is a symlink to a device or a FIFO is a miss, then replaced") {
    scan_json(dir);
    std::vector<fs::path> entries = entries_under(dir.path() / ".perfscan_cache");
    REQUIRE(entries.size() == 1);
    fs::remove(entries[0]);
    fs::create_symlink("/dev/zero", entries[0]);
    Json report = scan_json(dir);
    CHECK(cache_of(report)["misses"] == 1);
    CHECK(hits(report) == std::vector<std::string>{"PS401 a.py:3:5"});
    CHECK(fs::is_regular_file(fs::symlink_status(entries[0])));
    fs::remove(entries[0]);
    REQUIRE(::mkfifo(entries[0].c_str(), 0644) == 0);
    CHECK(cache_of(scan_json(dir))["misses"] == 1);  // not blocked waiting for a writer
  }
}

TEST_CASE("hostile cache: entries written by another version or build are not used") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("b.py", kNested);
  Json first = scan_json(dir);
  std::vector<fs::path> entries = entries_under(dir.path() / ".perfscan_cache");
  REQUIRE(entries.size() == 2);
  // The format version follows the 8-byte magic; the scan-wide key (perfscan's version and
  // build) follows it. Change one byte of each in turn: every entry is then another version's.
  for (std::size_t offset : {std::size_t{8}, std::size_t{12}, std::size_t{20}}) {
    INFO("offset " << offset);
    for (const fs::path& entry : entries) {
      std::fstream file(entry, std::ios::in | std::ios::out | std::ios::binary);
      file.seekg(static_cast<std::streamoff>(offset));
      char byte = 0;
      file.get(byte);
      file.seekp(static_cast<std::streamoff>(offset));
      file.put(static_cast<char>(byte ^ 0x5A));
    }
    Json report = scan_json(dir);
    CHECK(cache_of(report)["hits"] == 0);
    CHECK(cache_of(report)["misses"] == 2);
    CHECK(report["findings"] == first["findings"]);
    CHECK(cache_of(scan_json(dir))["hits"] == 2);  // rewritten by the run that missed
  }
}
