// The CI gate end to end: baselines (written, applied, surviving unrelated edits) and
// diff-only mode on a real git repository built in the test.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

// Two functions, one PS401 each (lines 4 and 9).
const std::string kTwoFunctions =
    "def first(xs):\n    s = \"\"\n    for x in xs:\n        s += x\n    return s\n\n\n"
    "def second(ys):\n    t = \"\"\n    for y in ys:\n        t += y\n    return t\n";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Baseline

TEST_CASE("baseline: recorded findings are hidden, new ones fail the build") {
  TempDir dir;
  dir.write("m.py", kTwoFunctions);
  auto written = run_in(dir, "m.py --write-baseline perfscan-baseline.json");
  CHECK(written.exit_code == 0);
  CHECK(written.out.empty());
  CHECK(written.err == "perfscan: wrote 2 findings to perfscan-baseline.json\n");

  auto clean = run_in(dir, "m.py --baseline perfscan-baseline.json --format json");
  CHECK(clean.exit_code == 0);
  CHECK(hits(parse_json(clean)).empty());
  CHECK(clean.err ==
        "perfscan: baseline perfscan-baseline.json: 2 findings hidden, 0 baseline entries no "
        "longer occur\n");

  SECTION("lines inserted above, functions moved and unrelated code reformatted") {
    std::string second = kTwoFunctions.substr(kTwoFunctions.find("def second"));
    std::string first = kTwoFunctions.substr(0, kTwoFunctions.find("\n\n\ndef second"));
    dir.write("m.py", "import os\n\n\nCONSTANT   =  {'a':1,\n  'b' :2}\n\n\n" + second + "\n\n" +
                          replace_all(first, "return s", "return   ( s )") + "\n");
    auto moved = run_in(dir, "m.py --baseline perfscan-baseline.json --format json");
    CHECK(moved.exit_code == 0);
    CHECK(hits(parse_json(moved)).empty());
  }
  SECTION("the same baseline works from another folder and path spelling") {
    dir.write("sub/keep.txt", "");
    auto elsewhere = run_perfscan("../m.py --baseline ../perfscan-baseline.json --format json",
                                  dir.path() / "sub");
    CHECK(hits(parse_json(elsewhere)).empty());
    CHECK(hits(parse_json(run_in(dir, "./m.py --baseline perfscan-baseline.json --format json")))
              .empty());
    CHECK(
        hits(parse_json(run_in(dir, ". --baseline perfscan-baseline.json --format json"))).empty());
  }
  SECTION("changing the flagged line makes its finding reappear; fixing one counts it") {
    dir.write("m.py", replace_all(replace_all(kTwoFunctions, "t += y", "t += y.upper()"),
                                  "        s += x\n", "        pass\n"));
    auto changed = run_in(dir, "m.py --baseline perfscan-baseline.json --format json");
    CHECK(changed.exit_code == 1);
    CHECK(hits(parse_json(changed)) == std::vector<std::string>{"PS401 m.py:11:9"});
    CHECK(changed.err ==
          "perfscan: baseline perfscan-baseline.json: 0 findings hidden, 2 baseline entries no "
          "longer occur\n");
  }
  SECTION("entries for files outside the scanned paths are not counted as fixed") {
    dir.write("other/o.py", "def f():\n    return 1\n");
    auto other = run_in(dir, "other --baseline perfscan-baseline.json --format json");
    CHECK(other.err ==
          "perfscan: baseline perfscan-baseline.json: 0 findings hidden, 0 baseline entries no "
          "longer occur\n");
  }
}

TEST_CASE("baseline: the file is sorted, stable and reviewable") {
  TempDir dir;
  dir.write("b.py", kTwoFunctions);
  dir.write("a.py", "s = ''\nfor x in xs:\n    s += x\n");
  REQUIRE(run_in(dir, ". --write-baseline base.json").exit_code == 0);
  std::string first = read_file(dir.path() / "base.json");
  REQUIRE(run_in(dir, ". --write-baseline base.json -j 1").exit_code == 0);
  CHECK(read_file(dir.path() / "base.json") == first);  // byte for byte

  Json baseline = Json::parse(first);
  CHECK(baseline["perfscan_baseline"] == 1);
  REQUIRE(baseline["findings"].size() == 3);
  CHECK(baseline["findings"][0]["path"] == "a.py");
  CHECK(baseline["findings"][0]["rule"] == "PS401");
  CHECK(baseline["findings"][0]["code"] == "s += x");
  CHECK(baseline["findings"][1]["path"] == "b.py");
  CHECK(baseline["findings"][1]["fingerprint"] < baseline["findings"][2]["fingerprint"]);
  // Written through a temporary file that is gone afterwards.
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  // .perfscan_cache: the result cache, on by default in the working folder.
  CHECK(names == std::vector<std::string>{".perfscan_cache", "a.py", "b.py", "base.json"});
}

TEST_CASE("baseline: a file that is not a baseline is an error") {
  TempDir dir;
  dir.write("a.py", "x = 1\n");
  dir.write("bad.json", "{\"findings\": []}");
  auto bad = run_in(dir, "a.py --baseline bad.json");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "perfscan: bad.json: not a perfscan baseline: no \"perfscan_baseline\": 1\n");
  auto missing = run_in(dir, "a.py --baseline none.json");
  CHECK(missing.exit_code == 2);
  CHECK(missing.err ==
        "perfscan: none.json: cannot read the baseline: No such file or directory\n");
}

// ---------------------------------------------------------------------------------------------
// Diff-only mode

TEST_CASE("diff: only findings on lines changed since the merge base are reported") {
  TempDir dir;
  git_in(dir, "init -q -b main .");
  dir.write("m.py", kTwoFunctions);
  dir.write("old.py", "s = ''\nfor x in xs:\n    s += x\n");
  git_in(dir, "add -A");
  git_in(dir, "commit -q -m base");
  git_in(dir, "checkout -q -b feature");

  auto nothing = run_in(dir, ". --diff main --format json");
  CHECK(nothing.exit_code == 0);
  CHECK(hits(parse_json(nothing)).empty());
  CHECK(nothing.err == "perfscan: --diff main: 3 findings on unchanged lines hidden\n");

  SECTION("inserted lines above a finding do not bring it back; a changed flagged line does") {
    dir.write("m.py", "import os\n\n" + replace_all(kTwoFunctions, "t += y", "t += y.strip()"));
    git_in(dir, "commit -q -am edit");
    CHECK(hits(parse_json(run_in(dir, ". --diff main --format json"))) ==
          std::vector<std::string>{"PS401 m.py:13:9"});
  }
  SECTION("a moved function counts as changed where it now stands (git sees `first` move down)") {
    std::string second = kTwoFunctions.substr(kTwoFunctions.find("def second"));
    std::string first = kTwoFunctions.substr(0, kTwoFunctions.find("\n\n\ndef second"));
    dir.write("m.py", second + "\n\n" + first + "\n");
    CHECK(hits(parse_json(run_in(dir, ". --diff main --format json"))) ==
          std::vector<std::string>{"PS401 m.py:11:9"});
  }
  SECTION("staged, unstaged and untracked work counts") {
    dir.write("new.py", "s = ''\nfor x in xs:\n    s += x\n");        // untracked
    dir.write("old.py", "s = ''\nfor x in xs:\n    s += x + 'y'\n");  // unstaged
    CHECK(hits(parse_json(run_in(dir, ". --diff main --format json"))) ==
          std::vector<std::string>{"PS401 new.py:3:5", "PS401 old.py:3:5"});
    git_in(dir, "add old.py");
    CHECK(hits(parse_json(run_in(dir, "old.py --diff main --format json"))) ==
          std::vector<std::string>{"PS401 old.py:3:5"});
  }
  SECTION("the merge base, not the tip of REF, is the reference") {
    git_in(dir, "checkout -q main");
    dir.write("main_only.py", "s = ''\nfor x in xs:\n    s += x\n");
    git_in(dir, "add -A");
    git_in(dir, "commit -q -m main-moves-on");
    git_in(dir, "checkout -q feature");
    dir.write("f.py", "s = ''\nfor x in xs:\n    s += x\n");
    CHECK(hits(parse_json(run_in(dir, ". --diff main --format json"))) ==
          std::vector<std::string>{"PS401 f.py:3:5"});
  }
  SECTION("a REF that does not resolve is an error") {
    auto bad = run_in(dir, ". --diff no-such-branch");
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.starts_with("perfscan: --diff: cannot resolve 'no-such-branch': "));
  }
}

TEST_CASE("diff: outside a repository is a clear error") {
  TempDir dir;
  dir.write("a.py", "x = 1\n");
  auto result = run_in(dir, "a.py --diff main");
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());
  CHECK(result.err == "perfscan: --diff needs a git repository, and " +
                          std::filesystem::canonical(dir.path()).string() +
                          " is not inside one (run it in a clone, or drop --diff)\n");
}
