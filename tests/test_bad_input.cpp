// End-to-end tests of hostile and broken input: unreadable paths, symlink loops, bad encodings,
// huge and deeply nested files, old syntax. perfscan must not crash, must name the file it could
// not handle, and must still scan everything else.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "cli_support.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

namespace fs = std::filesystem;

// PS401 (medium) at 3:5.
constexpr std::string_view kConcat = "s = \"\"\nfor x in xs:\n    s += x\n";
// PS101 (medium) at 2:14.
constexpr std::string_view kNested = "for a in xs:\n    for b in ys:\n        pass\n";

// "PS401 3:5-3:11" for every finding: positions without the path, to compare two files.
std::vector<std::string> spans(const Json& report) {
  std::vector<std::string> out;
  for (const Json& f : report.at("findings")) {
    out.push_back(f.at("rule").get<std::string>() + " " + std::to_string(f.at("line").get<int>()) +
                  ":" + std::to_string(f.at("column").get<int>()) + "-" +
                  std::to_string(f.at("end_line").get<int>()) + ":" +
                  std::to_string(f.at("end_column").get<int>()));
  }
  return out;
}

// The message of the error reported for `path`, or "" when there is none.
std::string error_for(const Json& report, const std::string& path) {
  for (const Json& error : report.at("errors")) {
    if (error.at("path") == path) return error.at("message").get<std::string>();
  }
  return {};
}

// Completed normally: an exit code perfscan defines, no signal, no internal error.
void check_completed(const CommandResult& result) {
  INFO("stderr: " << result.err);
  CHECK((result.exit_code == 0 || result.exit_code == 1 || result.exit_code == 2));
  CHECK_FALSE(contains(result.err, "internal error"));
  CHECK_FALSE(contains(result.err, "terminate called"));
}

int count_rule(const Json& report, const std::string& rule) {
  int count = 0;
  for (const Json& finding : report.at("findings")) count += finding.at("rule") == rule ? 1 : 0;
  return count;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Paths that cannot be read

TEST_CASE("bad input: a directory named like a Python file is walked, not read") {
  TempDir dir;
  dir.write("good.py", kConcat);
  fs::create_directories(dir.path() / "bad.py");
  auto result = run_in(dir, "bad.py good.py --format json");
  check_completed(result);
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS401 good.py:3:5"});
  CHECK(report["summary"]["files_scanned"] == 1);

  SECTION("its contents are scanned") {
    dir.write("bad.py/inner.py", kNested);
    auto inner = parse_json(run_in(dir, "bad.py good.py --format json"));
    CHECK(hits(inner) ==
          std::vector<std::string>{"PS101 bad.py/inner.py:2:14", "PS401 good.py:3:5"});
  }
}

TEST_CASE("bad input: a dangling symlink named explicitly is an error naming it") {
  TempDir dir;
  dir.write("good.py", kConcat);
  fs::create_symlink("nowhere.py", dir.path() / "dangling.py");

  auto result = run_in(dir, "dangling.py good.py --format json");
  check_completed(result);
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS401 good.py:3:5"});
  CHECK(contains(error_for(report, "dangling.py"), "nowhere.py"));

  auto text = run_in(dir, "dangling.py good.py");
  CHECK(contains(text.out, "errors:\n  dangling.py: "));

  auto alone = run_in(dir, "dangling.py");
  CHECK(alone.exit_code == 2);

  SECTION("inside a walked folder it does not stop the walk") {
    auto walked = run_in(dir, ". --format json");
    check_completed(walked);
    CHECK(hits(parse_json(walked)) == std::vector<std::string>{"PS401 good.py:3:5"});
  }
}

TEST_CASE("bad input: a socket named explicitly cannot be read and the rest is scanned") {
  TempDir dir;
  dir.write("good.py", kConcat);
  const std::string socket_path = (dir.path() / "sock.py").string();
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  REQUIRE(socket_path.size() < sizeof(address.sun_path));
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  ::close(fd);

  auto result = run_in(dir, "sock.py good.py --format json");
  check_completed(result);
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS401 good.py:3:5"});
  CHECK(contains(error_for(report, "sock.py"), "cannot read"));

  CHECK(run_in(dir, "sock.py").exit_code == 2);
  auto walked = run_in(dir, ". --format json");
  check_completed(walked);
  CHECK(hits(parse_json(walked)) == std::vector<std::string>{"PS401 good.py:3:5"});
}

TEST_CASE("bad input: files and folders without read permission") {
  TempDir dir;
  dir.write("good.py", kConcat);
  auto locked = dir.write("locked.py", kNested);
  dir.write("closed/inner.py", kNested);
  fs::permissions(locked, fs::perms::none);
  fs::permissions(dir.path() / "closed", fs::perms::none);

  // Permissions do not stop root: as root, run perfscan as `nobody` when setpriv is there.
  const bool root = ::geteuid() == 0;
  const bool can_drop = root && std::system("command -v setpriv >/dev/null 2>&1") == 0;
  CommandResult result;
  if (can_drop) {
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read |
                                    fs::perms::others_exec);
    const fs::path out = dir.path() / "out.json";
    const fs::path err = dir.path() / "err.txt";
    std::string command = "cd " + q(dir.path().string()) +
                          " && setpriv --reuid=65534 --regid=65534 --clear-groups " +
                          q(PERFSCAN_BINARY) + " --extend-select ALL good.py locked.py closed --format json >" +
                          q(out.string()) + " 2>" + q(err.string());
    int status = std::system(command.c_str());
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_file(out);
    result.err = read_file(err);
  } else {
    result = run_in(dir, "good.py locked.py closed --format json");
  }
  fs::permissions(dir.path() / "closed", fs::perms::owner_all);
  check_completed(result);
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  if (!root || can_drop) {
    CHECK(hits(report) == std::vector<std::string>{"PS401 good.py:3:5"});
    CHECK(contains(error_for(report, "locked.py"), "Permission denied"));
    CHECK(contains(error_for(report, "closed"), "Permission denied"));
  } else {
    CHECK(report["summary"]["files_scanned"] == 3);
  }
}

// A path the user names can be a device: reading /dev/zero never ends. perfscan reads it until
// memory runs out and then aborts on std::bad_alloc thrown in a worker thread. Bounded here by
// `ulimit -v` so the failure is quick; a fix would refuse non-regular files named explicitly.
TEST_CASE("bad input: a symlink to /dev/zero named explicitly") {
  TempDir dir;
  dir.write("good.py", kConcat);
  fs::create_symlink("/dev/zero", dir.path() / "zero.py");
  const fs::path out = dir.path() / "out.json";
  const fs::path err = dir.path() / "err.txt";
  // The timeout is the safety net should a regression read the endless device again (no
  // `ulimit -v`: the AddressSanitizer build cannot start under one).
  std::string command = "cd " + q(dir.path().string()) + " && timeout 60 " +
                        q(PERFSCAN_BINARY) + " --extend-select ALL zero.py good.py --format json >" + q(out.string()) +
                        " 2>" + q(err.string());
  int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out);
  result.err = read_file(err);
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 1);
  check_completed(result);
  if (result.exit_code == 1) {
    auto report = parse_json(result);
    CHECK(hits(report) == std::vector<std::string>{"PS401 good.py:3:5"});
    CHECK_FALSE(error_for(report, "zero.py").empty());
  }
}

TEST_CASE("bad input: a directory symlink loop is reported and the scan finishes") {
  TempDir dir;
  dir.write("tree/sub/a.py", kConcat);
  dir.write("tree/b.py", kNested);
  fs::create_directory_symlink("..", dir.path() / "tree/sub/up");
  fs::create_directory_symlink(".", dir.path() / "tree/sub/self");

  auto result = run_in(dir, "tree --format json");
  check_completed(result);
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(hits(report) ==
        std::vector<std::string>{"PS101 tree/b.py:2:14", "PS401 tree/sub/a.py:3:5"});
  CHECK(report["summary"]["files_scanned"] == 2);
  CHECK(contains(error_for(report, "tree/sub/up"), "loop"));
  CHECK(contains(error_for(report, "tree/sub/self"), "loop"));

  auto text = run_in(dir, "tree");
  CHECK(contains(text.out, "  tree/sub/up: "));
}

// ---------------------------------------------------------------------------------------------
// Encodings and line endings

TEST_CASE("bad input: invalid UTF-8 is reported with its line and the rest of the file analysed") {
  TempDir dir;
  dir.write("bad.py",
            "s = \"\"\nfor x in xs:\n    s += x\nname = \"\xC3\x28 \xFF\"\n"
            "t = \"\"\nfor y in ys:\n    t += y\n");
  auto result = run_in(dir, "bad.py --format json");
  check_completed(result);
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS401 bad.py:3:5", "PS401 bad.py:7:5"});
  CHECK(report["summary"]["files_scanned"] == 1);
  const std::string message = error_for(report, "bad.py");
  CHECK(contains(message, "invalid UTF-8"));
  CHECK(contains(message, "line 4"));

  auto text = run_in(dir, "bad.py");
  CHECK(contains(text.out, "errors:\n  bad.py: invalid UTF-8 at line 4"));
}

TEST_CASE("bad input: a Latin-1 file with an iso-8859-1 coding cookie decodes cleanly") {
  TempDir dir;
  dir.write("latin.py",
            "# -*- coding: iso-8859-1 -*-\npairs = [\"caf\xE9\" for a in xs for b in ys]\n");
  auto result = run_in(dir, "latin.py --format json");
  check_completed(result);
  auto report = parse_json(result);
  CHECK(report["errors"].empty());
  // `é` is one character: the second clause starts at column 29.
  CHECK(hits(report) == std::vector<std::string>{"PS101 latin.py:2:29"});
}

// The PEP 263 spelling Python's own docs use; glibc's iconv calls it "ISO-8859-1".
TEST_CASE("bad input: a Latin-1 file with a `coding: latin-1` cookie decodes cleanly") {
  TempDir dir;
  dir.write("latin.py",
            "# -*- coding: latin-1 -*-\npairs = [\"caf\xE9\" for a in xs for b in ys]\n");
  dir.write("latin_underscore.py", "# coding=latin_1\nname = \"\xE9t\xE9\"\n");
  auto result = run_in(dir, "latin.py latin_underscore.py --format json");
  check_completed(result);
  auto report = parse_json(result);
  CHECK(report["errors"].empty());
  CHECK(hits(report) == std::vector<std::string>{"PS101 latin.py:2:29"});
}

// The coding cookie is looked for on the first two lines; a std::regex search there recursed
// once per character and overflowed the stack on a 100,000-character comment (SIGSEGV).
TEST_CASE("bad input: a megabyte-long comment on the first lines") {
  TempDir dir;
  dir.write("first.py", "#" + std::string(1000000, 'x') + "\n" + std::string(kConcat));
  dir.write("second.py", "#!/usr/bin/env python\n# " + std::string(1000000, 'y') + " coding\n" +
                             std::string(kConcat));
  auto result = run_in(dir, "first.py second.py --format json");
  check_completed(result);
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS401 first.py:4:5", "PS401 second.py:5:5"});
  CHECK(report["errors"].empty());
}

TEST_CASE("bad input: NUL bytes skip the file with an error naming it") {
  TempDir dir;
  dir.write("good.py", kConcat);
  dir.write("nul.py", std::string("x = 1\ny = \"\0\"\n", 14));
  auto result = run_in(dir, ". --format json");
  check_completed(result);
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS401 good.py:3:5"});
  CHECK(report["summary"]["files_scanned"] == 1);
  CHECK(contains(error_for(report, "nul.py"), "NUL"));
  CHECK(contains(error_for(report, "nul.py"), "line 2"));

  auto alone = run_in(dir, "nul.py");
  CHECK(alone.exit_code == 2);
  CHECK(contains(alone.out, "nul.py: "));
}

TEST_CASE("bad input: a UTF-8 BOM does not shift lines or columns") {
  TempDir dir;
  const std::string body = "pairs = [(a, b) for a in xs for b in ys]\n" + std::string(kConcat);
  dir.write("plain.py", body);
  dir.write("bom.py", "\xEF\xBB\xBF" + body);
  auto plain = parse_json(run_in(dir, "plain.py --format json"));
  auto bom = run_in(dir, "bom.py --format json");
  check_completed(bom);
  auto with_bom = parse_json(bom);
  CHECK(spans(plain) == std::vector<std::string>{"PS101 1:29-1:40", "PS401 4:5-4:11"});
  CHECK(spans(with_bom) == spans(plain));
  CHECK(with_bom["errors"].empty());

  auto text = run_in(dir, "bom.py");
  CHECK_FALSE(contains(text.out, "\xEF\xBB\xBF"));
  CHECK(contains(text.out, "    1 | pairs = [(a, b) for a in xs for b in ys]\n"));
}

TEST_CASE("bad input: CRLF line endings give the same findings as LF") {
  TempDir dir;
  const std::string lf = std::string(kConcat) + std::string(kNested);
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  dir.write("lf.py", lf);
  dir.write("crlf.py", crlf);
  auto from_lf = parse_json(run_in(dir, "lf.py --format json"));
  auto from_crlf_result = run_in(dir, "crlf.py --format json");
  check_completed(from_crlf_result);
  auto from_crlf = parse_json(from_crlf_result);
  CHECK(spans(from_lf) == std::vector<std::string>{"PS401 3:5-3:11", "PS101 5:14-5:16"});
  CHECK(spans(from_crlf) == spans(from_lf));
  CHECK(from_crlf["summary"]["lines_scanned"] == 6);
  CHECK(from_crlf["errors"].empty());

  auto text = run_in(dir, "crlf.py");
  CHECK_FALSE(contains(text.out, "\r"));
  CHECK(contains(text.out, "    3 |     s += x\n      |     ^^^^^^\n"));
}

// CPython accepts a lone CR as a line terminator in source files (classic Mac OS line endings);
// tree-sitter-python does not, so the whole file reads as one line with a syntax error.
TEST_CASE("bad input: CR-only line endings give the same findings as LF") {
  TempDir dir;
  const std::string lf = std::string(kConcat) + std::string(kNested);
  std::string cr = lf;
  for (char& c : cr) {
    if (c == '\n') c = '\r';
  }
  dir.write("lf.py", lf);
  dir.write("cr.py", cr);
  auto result = run_in(dir, "cr.py --format json");
  check_completed(result);
  CHECK(spans(parse_json(result)) == spans(parse_json(run_in(dir, "lf.py --format json"))));
}

TEST_CASE("bad input: control characters and invalid UTF-8 in file names") {
  TempDir dir;
  dir.write("evil\x1b[2J.py", kConcat);
  dir.write("bad\xFF.py", kConcat);
  dir.write("new\nline.py", kConcat);
  auto text = run_in(dir, ".");
  check_completed(text);
  CHECK(text.exit_code == 1);
  CHECK_FALSE(contains(text.out, "\x1b"));
  CHECK_FALSE(contains(text.out,
                       "\n"
                       "line.py"));

  auto json = run_in(dir, ". --format json");
  auto report = parse_json(json);
  CHECK(report["findings"].size() == 3);
  CHECK(report["summary"]["files_scanned"] == 3);
}

// ---------------------------------------------------------------------------------------------
// Size and depth

TEST_CASE("bad input: a 20 MB file is scanned completely") {
  TempDir dir;
  const std::string pad(180, 'x');
  std::string text = std::string(kConcat);  // PS401 at line 3
  int line = 3;
  int middle_line = 0;
  constexpr std::size_t kTarget = 20u * 1000u * 1000u;
  text.reserve(kTarget + 1000);
  for (int i = 0; text.size() < kTarget; ++i) {
    const std::string n = std::to_string(i);
    text += "# " + pad + "\nDATA_" + n + " = \"" + pad + "\"  # " + pad + "\ndef f" + n +
            "(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total\n";
    line += 7;
    if (middle_line == 0 && text.size() > kTarget / 2) {
      text += "def g(xs, ys):\n    for a in xs:\n        for b in ys:\n            pass\n";
      middle_line = line + 3;  // the inner `for`
      line += 4;
    }
  }
  text += "t = \"\"\nfor y in ys:\n    t += y\n";
  const int last_line = line + 3;
  line += 3;
  dir.write("big.py", text);

  // No time budget: this test is about completeness, and under AddressSanitizer on a busy
  // two-core machine a 20 MB file takes longer than the default 10 s (test_limits.cpp tests
  // the budget).
  auto result = run_in(dir, "big.py --format json --file-timeout 0");
  check_completed(result);
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(hits(report) ==
        std::vector<std::string>{"PS401 big.py:3:5",
                                 "PS101 big.py:" + std::to_string(middle_line) + ":18",
                                 "PS401 big.py:" + std::to_string(last_line) + ":5"});
  CHECK(report["summary"]["lines_scanned"] == line);
  CHECK(report["errors"].empty());
}

TEST_CASE("bad input: deeply nested and very long expressions complete") {
  TempDir dir;
  std::string name;
  std::string text;
  SECTION("10,000 nested parentheses") {
    name = "parens.py";
    text = "x = " + std::string(10000, '(') + "1" + std::string(10000, ')') + "\n";
  }
  SECTION("10,000 nested list brackets") {
    name = "lists.py";
    text = "x = " + std::string(10000, '[') + "1" + std::string(10000, ']') + "\n";
  }
  SECTION("10,000 nested calls inside a loop") {
    name = "calls.py";
    text = "s = \"\"\nfor x in xs:\n    s += ";
    for (int i = 0; i < 10000; ++i) text += "f(";
    text += "x" + std::string(10000, ')') + "\n";
  }
  SECTION("3,000 nested if blocks") {
    name = "ifs.py";
    for (int i = 0; i < 3000; ++i) text += std::string(i, ' ') + "if x" + std::to_string(i) + ":\n";
    text += std::string(3000, ' ') + "pass\n";
  }
  SECTION("3,000 nested for loops") {
    name = "fors.py";
    for (int i = 0; i < 3000; ++i) {
      text +=
          std::string(i, ' ') + "for x" + std::to_string(i) + " in y" + std::to_string(i) + ":\n";
    }
    text += std::string(3000, ' ') + "pass\n";
  }
  SECTION("a 10,000-term a + a + ... + a chain") {
    name = "chain.py";
    text = "x = a";
    for (int i = 1; i < 10000; ++i) text += " + a";
    text += "\n";
  }
  SECTION("a 10,000-term string concatenation onto an accumulator in a loop") {
    name = "concat_chain.py";
    text = "s = \"\"\nfor x in xs:\n    s = s";
    for (int i = 0; i < 10000; ++i) text += " + x";
    text += "\n";
  }
  SECTION("a 5,000-call method chain inside a loop") {
    name = "methods.py";
    text = "s = \"\"\nfor x in xs:\n    y = x";
    for (int i = 0; i < 5000; ++i) text += ".f()";
    text += "\n    s += y\n";
  }
  SECTION("a 5,000-call method chain as a nested loop's iterable") {
    name = "method_loop.py";
    text = "for a in xs:\n    for b in y";
    for (int i = 0; i < 5000; ++i) text += ".f()";
    text += ":\n        pass\n";
  }
  SECTION("2,000 nested lambdas") {
    name = "lambdas.py";
    text = "x = ";
    for (int i = 0; i < 2000; ++i) text += "lambda: ";
    text += "1\n";
  }
  dir.write(name, text);
  INFO(name);
  auto result = run_in(dir, q(name) + " --format json");
  check_completed(result);
  auto report = parse_json(result);
  CHECK(report["summary"]["files_scanned"] == 1);
  CHECK(count_rule(report, "PS000") <= 1);
  if (name == "concat_chain.py" || name == "calls.py") {
    CHECK(hits(report) == std::vector<std::string>{"PS401 " + name + ":3:5"});
  }
  if (name == "methods.py") {
    CHECK(hits(report) == std::vector<std::string>{"PS401 methods.py:4:5"});
  }
  if (name == "method_loop.py") {
    CHECK(hits(report) == std::vector<std::string>{"PS101 method_loop.py:2:14"});
  }
}

// tree-sitter returns a tree whose root is an ERROR node (not `module`) when it cannot parse a
// file at all. PS000 subscribes to "ERROR", but the rule dispatch only indexes the grammar's
// regular symbols and ERROR is the builtin symbol 65535, so PS000 never runs: the file reads as
// clean (exit 0). Two ways to get such a root: garbage, and 256+ levels of indentation (the
// grammar's indent stack limit).
TEST_CASE("bad input: a file tree-sitter cannot parse at all gets a PS000") {
  TempDir dir;
  dir.write("garbage.py", ": \n (\n");
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += std::string(i, ' ') + "if x" + std::to_string(i) + ":\n";
  deep += std::string(300, ' ') + "pass\n";
  dir.write("deep.py", deep);

  for (const char* name : {"garbage.py", "deep.py"}) {
    INFO(name);
    auto result = run_in(dir, std::string(name) + " --format json");
    check_completed(result);
    CHECK(result.exit_code == 1);
    CHECK(count_rule(parse_json(result), "PS000") == 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax

TEST_CASE("bad input: Python 2 syntax completes and later findings are still reported") {
  TempDir dir;
  dir.write("print.py", "print \"hello\"\n");
  dir.write("exec.py", "exec \"code\"\n");
  dir.write("backticks.py", "x = `y`\n");
  dir.write("except.py", "try:\n    pass\nexcept Exception, e:\n    pass\n");
  dir.write("mixed.py",
            "import sys\nprint >>sys.stderr, \"start\"\nprint \"a\", `b`\n"
            "try:\n    pass\nexcept (KeyError, ValueError), e:\n    raise E, \"m\"\n"
            "x = 0777L\nif a <> b:\n    exec \"code\" in ns\n" +
                std::string(kConcat));
  auto result = run_in(dir, ". --format json");
  check_completed(result);
  CHECK((result.exit_code == 0 || result.exit_code == 1));
  auto report = parse_json(result);
  CHECK(report["summary"]["files_scanned"] == 5);
  CHECK(report["errors"].empty());
  for (const char* name : {"print.py", "exec.py", "backticks.py", "except.py", "mixed.py"}) {
    INFO(name);
    int syntax_errors = 0;
    for (const Json& finding : report["findings"]) {
      if (finding["path"] == name && finding["rule"] == "PS000") ++syntax_errors;
    }
    CHECK(syntax_errors <= 1);
  }
  bool concat_found = false;
  for (const std::string& hit : hits(report))
    concat_found = concat_found || hit == "PS401 mixed.py:13:5";
  CHECK(concat_found);
}

TEST_CASE("bad input: a syntax error mid-file gives one PS000 at its line, later findings stay") {
  TempDir dir;
  dir.write("mid.py",
            "import os\n\n\ndef ok():\n    return 1\n\n\ndef broken(:\n    return 2\n\n\n"
            "def after(xs):\n    s = \"\"\n    for x in xs:\n        s += x\n    return s\n");
  auto result = run_in(dir, "mid.py --format json");
  check_completed(result);
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(count_rule(report, "PS000") == 1);
  CHECK(hits(report) == std::vector<std::string>{"PS000 mid.py:8:12", "PS401 mid.py:15:9"});
  CHECK(report["findings"][0]["severity"] == "high");

  SECTION("two errors still give one PS000, at the first") {
    dir.write("two.py", "x = 1\ny = = 2\nz = 3\nw = )\n");
    auto two = parse_json(run_in(dir, "two.py --format json"));
    CHECK(hits(two) == std::vector<std::string>{"PS000 two.py:2:5"});
  }
}

TEST_CASE("bad input: empty and comment-only files have no findings and count as scanned") {
  TempDir dir;
  dir.write("empty.py", "");
  dir.write("comments.py", "# just a comment\n# another one\n");
  dir.write("blank.py", "\n\n\n");
  auto result = run_in(dir, ". --format json");
  check_completed(result);
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  auto report = parse_json(result);
  CHECK(report["findings"].empty());
  CHECK(report["errors"].empty());
  CHECK(report["summary"]["files_scanned"] == 3);
  CHECK(report["summary"]["lines_scanned"] == 0 + 2 + 3);

  auto alone = run_in(dir, "empty.py");
  CHECK(alone.exit_code == 0);
  CHECK(contains(alone.out, "files scanned: 1, lines scanned: 0"));
}

TEST_CASE("bad input: random binary bytes without NULs complete") {
  TempDir dir;
  std::mt19937 generator(12345);
  std::uniform_int_distribution<int> byte(1, 255);
  std::string junk;
  for (int i = 0; i < 50000; ++i) junk += static_cast<char>(byte(generator));
  dir.write("junk.py", junk);
  dir.write("good.py", kConcat);
  auto result = run_in(dir, ". --format json");
  check_completed(result);
  CHECK(result.exit_code == 1);
  auto report = parse_json(result);
  CHECK(report["summary"]["files_scanned"] == 2);
  CHECK(contains(error_for(report, "junk.py"), "invalid UTF-8"));
  bool good_found = false;
  for (const std::string& hit : hits(report)) good_found = good_found || hit == "PS401 good.py:3:5";
  CHECK(good_found);
}
