// Stage 1: discover. Each test builds a small tree in a TempDir and checks the files and errors.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "discover/discover.hpp"
#include "test_support.hpp"

using perfscan::discover;
using perfscan::DiscoverOptions;
using perfscan::DiscoverResult;
using perfscan::module_name_for;
using perfscan::testing::TempDir;

namespace {

namespace fs = std::filesystem;

std::vector<std::string> display_paths(const DiscoverResult& result) {
  std::vector<std::string> paths;
  for (const auto& file : result.files) paths.push_back(file.display_path);
  return paths;
}

// The display paths relative to `root` (which must be a prefix of all of them).
std::vector<std::string> relative_paths(const DiscoverResult& result, const TempDir& root) {
  std::string prefix = root.path().string() + "/";
  std::vector<std::string> paths;
  for (const auto& file : result.files) {
    REQUIRE(file.display_path.rfind(prefix, 0) == 0);
    paths.push_back(file.display_path.substr(prefix.size()));
  }
  return paths;
}

DiscoverResult discover_in(const TempDir& dir, DiscoverOptions options = {}) {
  options.paths = {dir.path().string()};
  return discover(options);
}

std::string sub(const TempDir& dir, const std::string& relative) {
  return (dir.path() / relative).string();
}

void git_init(const TempDir& dir) {
  std::string command = "cd '" + dir.path().string() + "' && git init -q . >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
}

// Runs the test body from another working folder, and goes back whatever happens.
class CwdGuard {
 public:
  explicit CwdGuard(const fs::path& target) : previous_(fs::current_path()) {
    fs::current_path(target);
  }
  ~CwdGuard() {
    std::error_code ignored;
    fs::current_path(previous_, ignored);
  }
  CwdGuard(const CwdGuard&) = delete;
  CwdGuard& operator=(const CwdGuard&) = delete;

 private:
  fs::path previous_;
};

}  // namespace

TEST_CASE("discover: walks folders recursively and keeps only .py files") {
  TempDir dir;
  dir.write("a.py", "");
  dir.write("pkg/b.py", "");
  dir.write("pkg/deep/er/c.py", "");
  dir.write("pkg/readme.md", "");
  dir.write("pkg/stub.pyi", "");
  dir.write("pkg/data.pyc", "");
  dir.write("notes.py.txt", "");

  auto result = discover_in(dir);
  CHECK(result.errors.empty());
  CHECK(relative_paths(result, dir) ==
        std::vector<std::string>{"a.py", "pkg/b.py", "pkg/deep/er/c.py"});
  for (const auto& file : result.files) CHECK(file.fs_path == file.display_path);
}

TEST_CASE("discover: include_pyi adds stub files") {
  TempDir dir;
  dir.write("m.py", "");
  dir.write("m.pyi", "");
  DiscoverOptions options;
  CHECK(relative_paths(discover_in(dir, options), dir) == std::vector<std::string>{"m.py"});
  options.include_pyi = true;
  CHECK(relative_paths(discover_in(dir, options), dir) ==
        std::vector<std::string>{"m.py", "m.pyi"});
}

TEST_CASE("discover: a file named explicitly is always kept") {
  TempDir dir;
  git_init(dir);
  dir.write(".gitignore", "ignored.py\n");
  auto script = dir.write("tool", "#!/usr/bin/env python\n");
  auto excluded = dir.write("skip_me.py", "");
  auto in_venv = dir.write(".venv/lib/x.py", "");
  auto ignored = dir.write("ignored.py", "");

  DiscoverOptions options;
  options.paths = {script.string(), excluded.string(), in_venv.string(), ignored.string()};
  options.excludes = {"skip_*"};
  auto result = discover(options);
  CHECK(result.errors.empty());
  CHECK(display_paths(result) == std::vector<std::string>{in_venv.string(), ignored.string(),
                                                          excluded.string(), script.string()});
}

TEST_CASE("discover: default excluded folders are skipped at any depth") {
  TempDir dir;
  dir.write("keep.py", "");
  for (const char* name : {".git", "__pycache__", ".venv", "venv", "env", "node_modules", "build",
                           "dist", "site-packages", ".tox", ".nox", ".mypy_cache", ".ruff_cache",
                           ".eggs", ".perfscan_cache", ".hg", ".svn", "mypkg.egg-info"}) {
    dir.write(std::string(name) + "/x.py", "");
    dir.write(std::string("src/deeper/") + name + "/y.py", "");
  }
  dir.write("src/deeper/ok.py", "");
  dir.write("builder/z.py", "");  // only exact names are excluded

  auto result = discover_in(dir);
  CHECK(relative_paths(result, dir) ==
        std::vector<std::string>{"builder/z.py", "keep.py", "src/deeper/ok.py"});

  SECTION("but a default-excluded folder named explicitly is walked") {
    DiscoverOptions options;
    options.paths = {sub(dir, "build")};
    CHECK(display_paths(discover(options)) == std::vector<std::string>{sub(dir, "build/x.py")});
  }
}

TEST_CASE("discover: user exclude globs match names and relative paths") {
  TempDir dir;
  dir.write("app/main.py", "");
  dir.write("app/test_main.py", "");
  dir.write("app/migrations/0001_initial.py", "");
  dir.write("tests/test_x.py", "");
  dir.write("tests/helpers/h.py", "");
  dir.write("scripts/run.py", "");
  dir.write("generated/scripts/gen.py", "");

  DiscoverOptions options;
  SECTION("a base-name glob excludes files at any depth") {
    options.excludes = {"test_*.py"};
    CHECK(relative_paths(discover_in(dir, options), dir) ==
          std::vector<std::string>{"app/main.py", "app/migrations/0001_initial.py",
                                   "generated/scripts/gen.py", "scripts/run.py",
                                   "tests/helpers/h.py"});
  }
  SECTION("a folder name prunes its whole subtree") {
    options.excludes = {"migrations", "tests"};
    CHECK(relative_paths(discover_in(dir, options), dir) ==
          std::vector<std::string>{"app/main.py", "app/test_main.py", "generated/scripts/gen.py",
                                   "scripts/run.py"});
  }
  SECTION("a relative-path glob matches from the walked root only") {
    options.excludes = {"scripts/*"};
    CHECK(relative_paths(discover_in(dir, options), dir) ==
          std::vector<std::string>{"app/main.py", "app/migrations/0001_initial.py",
                                   "app/test_main.py", "generated/scripts/gen.py",
                                   "tests/helpers/h.py", "tests/test_x.py"});
  }
  SECTION("a trailing slash and a leading ./ are accepted") {
    options.excludes = {"./tests/", "app/migrations/"};
    CHECK(relative_paths(discover_in(dir, options), dir) ==
          std::vector<std::string>{"app/main.py", "app/test_main.py", "generated/scripts/gen.py",
                                   "scripts/run.py"});
  }
}

TEST_CASE("discover: .gitignore is honoured inside a git repository") {
  TempDir dir;
  git_init(dir);
  dir.write(".gitignore", "generated/\n*_pb2.py\nlocal_*.py\n");
  dir.write("app/main.py", "");
  dir.write("app/api_pb2.py", "");
  dir.write("local_settings.py", "");
  dir.write("generated/models.py", "");
  dir.write("app/legacy/.gitignore", "*.py\n!keep.py\n");
  dir.write("app/legacy/old.py", "");
  dir.write("app/legacy/keep.py", "");
  dir.write("other/legacy/old.py", "");  // the nested .gitignore applies under app/legacy only

  DiscoverOptions options;
  SECTION("walking the repository root") {
    auto result = discover_in(dir, options);
    CHECK(result.errors.empty());
    CHECK(relative_paths(result, dir) ==
          std::vector<std::string>{"app/legacy/keep.py", "app/main.py", "other/legacy/old.py"});
  }
  SECTION("walking a folder below the root still reads the root's .gitignore") {
    options.paths = {sub(dir, "app")};
    CHECK(display_paths(discover(options)) ==
          std::vector<std::string>{sub(dir, "app/legacy/keep.py"), sub(dir, "app/main.py")});
  }
  SECTION("respect_gitignore=false scans everything") {
    options.respect_gitignore = false;
    CHECK(relative_paths(discover_in(dir, options), dir) ==
          std::vector<std::string>{"app/api_pb2.py", "app/legacy/keep.py", "app/legacy/old.py",
                                   "app/main.py", "generated/models.py", "local_settings.py",
                                   "other/legacy/old.py"});
  }
  SECTION("an ignored folder named explicitly is scanned whole") {
    options.paths = {sub(dir, "generated")};
    CHECK(display_paths(discover(options)) ==
          std::vector<std::string>{sub(dir, "generated/models.py")});
  }
}

TEST_CASE("discover: .gitignore means nothing outside a git repository") {
  TempDir dir;
  dir.write(".gitignore", "*.py\n");
  dir.write("a.py", "");
  CHECK(relative_paths(discover_in(dir), dir) == std::vector<std::string>{"a.py"});
}

TEST_CASE("discover: a nested repository follows its own .gitignore") {
  TempDir dir;
  dir.write("outer.py", "");
  dir.write("vendored/lib.py", "");
  dir.write("vendored/scratch.py", "");
  dir.write("vendored/.gitignore", "scratch.py\n");
  // The outer folder is not a repository; the inner one is.
  std::string command = "cd '" + sub(dir, "vendored") + "' && git init -q . >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  CHECK(relative_paths(discover_in(dir), dir) ==
        std::vector<std::string>{"outer.py", "vendored/lib.py"});
}

TEST_CASE("discover: a missing path is reported and the others are still scanned") {
  TempDir dir;
  dir.write("a.py", "");
  DiscoverOptions options;
  options.paths = {sub(dir, "nope"), sub(dir, "a.py"), sub(dir, "also/missing.py")};
  auto result = discover(options);
  CHECK(display_paths(result) == std::vector<std::string>{sub(dir, "a.py")});
  REQUIRE(result.errors.size() == 2);
  CHECK(result.errors[0].path == sub(dir, "also/missing.py"));  // errors are sorted by path
  CHECK(result.errors[1].path == sub(dir, "nope"));
  for (const auto& error : result.errors) {
    CHECK(error.message == "No such file or directory");
    CHECK_FALSE(error.analysed);
  }
}

TEST_CASE("discover: '-' is left to the engine") {
  DiscoverOptions options;
  options.paths = {"-"};
  auto result = discover(options);
  CHECK(result.files.empty());
  CHECK(result.errors.empty());
}

TEST_CASE("discover: a broken symlink is an error only when named") {
  TempDir dir;
  dir.write("a.py", "");
  fs::create_symlink(dir.path() / "gone.py", dir.path() / "dangling.py");

  auto walked = discover_in(dir);
  CHECK(relative_paths(walked, dir) == std::vector<std::string>{"a.py"});
  CHECK(walked.errors.empty());

  DiscoverOptions options;
  options.paths = {sub(dir, "dangling.py")};
  auto named = discover(options);
  CHECK(named.files.empty());
  REQUIRE(named.errors.size() == 1);
  CHECK(named.errors[0].path == sub(dir, "dangling.py"));
  CHECK_THAT(named.errors[0].message, Catch::Contains("broken symlink"));
}

TEST_CASE("discover: symlinked files and folders are followed") {
  TempDir dir;
  dir.write("real/mod.py", "");
  dir.write("elsewhere/lib/util.py", "");
  fs::create_directories(dir.path() / "proj");
  dir.write("proj/main.py", "");
  fs::create_directory_symlink(dir.path() / "elsewhere/lib", dir.path() / "proj/lib");
  fs::create_symlink(dir.path() / "real/mod.py", dir.path() / "proj/linked.py");

  DiscoverOptions options;
  options.paths = {sub(dir, "proj")};
  auto result = discover(options);
  CHECK(result.errors.empty());
  CHECK(display_paths(result) == std::vector<std::string>{sub(dir, "proj/lib/util.py"),
                                                          sub(dir, "proj/linked.py"),
                                                          sub(dir, "proj/main.py")});
}

TEST_CASE("discover: a symlink loop is reported once and the walk finishes") {
  TempDir dir;
  dir.write("top.py", "");
  dir.write("dir/inner.py", "");
  fs::create_directory_symlink("..", dir.path() / "dir/loop");

  auto result = discover_in(dir);
  CHECK(relative_paths(result, dir) == std::vector<std::string>{"dir/inner.py", "top.py"});
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].path == sub(dir, "dir/loop"));
  CHECK(result.errors[0].message ==
        "symlink loop: " + sub(dir, "dir/loop") + " points back to " + dir.path().string());
}

TEST_CASE("discover: an unreadable folder is reported and the walk continues") {
  TempDir dir;
  dir.write("a.py", "");
  dir.write("locked/secret.py", "");
  dir.write("z/b.py", "");
  fs::permissions(dir.path() / "locked", fs::perms::none);

  // root (CAP_DAC_OVERRIDE) reads it anyway: then there is nothing to check.
  DIR* probe = ::opendir(sub(dir, "locked").c_str());
  if (probe != nullptr) {
    ::closedir(probe);
    fs::permissions(dir.path() / "locked", fs::perms::owner_all);
    WARN("folder with mode 000 is still readable (running as uid " << ::geteuid()
                                                                   << "): assertion skipped");
    return;
  }
  auto result = discover_in(dir);
  fs::permissions(dir.path() / "locked", fs::perms::owner_all);
  CHECK(relative_paths(result, dir) == std::vector<std::string>{"a.py", "z/b.py"});
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].path == sub(dir, "locked"));
  CHECK(result.errors[0].message == "Permission denied");
}

TEST_CASE("discover: display paths join the user's path with the walked part") {
  TempDir dir;
  dir.write("examples/app/x.py", "");
  CwdGuard cwd(dir.path());
  DiscoverOptions options;

  SECTION("'.' adds no ./ prefix") {
    options.paths = {"."};
    auto result = discover(options);
    REQUIRE(result.files.size() == 1);
    CHECK(result.files[0].display_path == "examples/app/x.py");
    CHECK(result.files[0].fs_path == "examples/app/x.py");
  }
  SECTION("'./' behaves as '.'") {
    options.paths = {"./"};
    CHECK(display_paths(discover(options)) == std::vector<std::string>{"examples/app/x.py"});
  }
  SECTION("a trailing slash is not doubled") {
    options.paths = {"examples/"};
    CHECK(display_paths(discover(options)) == std::vector<std::string>{"examples/app/x.py"});
  }
  SECTION("a plain folder name") {
    options.paths = {"examples"};
    CHECK(display_paths(discover(options)) == std::vector<std::string>{"examples/app/x.py"});
  }
  SECTION("an absolute folder") {
    options.paths = {sub(dir, "examples")};
    CHECK(display_paths(discover(options)) ==
          std::vector<std::string>{sub(dir, "examples/app/x.py")});
  }
  SECTION("a file keeps the spelling it was given") {
    options.paths = {"./examples/app/x.py"};
    CHECK(display_paths(discover(options)) == std::vector<std::string>{"./examples/app/x.py"});
  }
}

TEST_CASE("discover: the same file reached twice is listed once") {
  TempDir dir;
  dir.write("a/b.py", "");
  dir.write("a/c/d.py", "");
  fs::create_directory_symlink(dir.path() / "a", dir.path() / "alias");

  DiscoverOptions options;
  SECTION("a folder and a file inside it") {
    options.paths = {sub(dir, "a"), sub(dir, "a/b.py")};
    CHECK(display_paths(discover(options)) ==
          std::vector<std::string>{sub(dir, "a/b.py"), sub(dir, "a/c/d.py")});
  }
  SECTION("overlapping folders") {
    options.paths = {sub(dir, "a/c"), sub(dir, "a")};
    CHECK(display_paths(discover(options)) ==
          std::vector<std::string>{sub(dir, "a/b.py"), sub(dir, "a/c/d.py")});
  }
  SECTION("a folder reached through a symlink too") {
    options.paths = {dir.path().string()};
    auto result = discover(options);
    CHECK(result.errors.empty());
    CHECK(relative_paths(result, dir) == std::vector<std::string>{"a/b.py", "a/c/d.py"});
  }
  SECTION("the real path wins over a symlinked alias that sorts first") {
    TempDir project;
    project.write("examples/demo.py", "");
    project.write("z_real.py", "");
    fs::create_directories(project.path() / "docs");
    fs::create_directory_symlink("../examples", project.path() / "docs/examples");
    fs::create_symlink("z_real.py", project.path() / "a_alias.py");
    auto result = discover_in(project);
    CHECK(result.errors.empty());
    CHECK(relative_paths(result, project) ==
          std::vector<std::string>{"examples/demo.py", "z_real.py"});
  }
  SECTION("the same path twice") {
    options.paths = {sub(dir, "a/b.py"), sub(dir, "a/b.py")};
    CHECK(display_paths(discover(options)) == std::vector<std::string>{sub(dir, "a/b.py")});
  }
}

TEST_CASE("discover: module_name_for follows __init__.py folders") {
  TempDir dir;
  dir.write("pkg/__init__.py", "");
  dir.write("pkg/sub/__init__.py", "");
  dir.write("pkg/sub/mod.py", "");
  dir.write("pkg/loose/thing.py", "");  // no __init__.py: a namespace folder stops the climb
  dir.write("script.py", "");
  dir.write("bad-name/__init__.py", "");
  dir.write("bad-name/inner.py", "");

  bool is_package = true;
  CHECK(module_name_for(sub(dir, "pkg/sub/mod.py"), &is_package) == "pkg.sub.mod");
  CHECK_FALSE(is_package);
  CHECK(module_name_for(sub(dir, "pkg/__init__.py"), &is_package) == "pkg");
  CHECK(is_package);
  CHECK(module_name_for(sub(dir, "pkg/sub/__init__.py"), &is_package) == "pkg.sub");
  CHECK(is_package);
  CHECK(module_name_for(sub(dir, "script.py"), &is_package) == "script");
  CHECK_FALSE(is_package);
  CHECK(module_name_for(sub(dir, "pkg/loose/thing.py"), nullptr) == "thing");
  // A folder that is not an identifier cannot be imported as a package.
  CHECK(module_name_for(sub(dir, "bad-name/inner.py"), nullptr) == "inner");

  SECTION("relative paths resolve against the working folder") {
    CwdGuard cwd(dir.path() / "pkg/sub");
    CHECK(module_name_for("mod.py", &is_package) == "pkg.sub.mod");
    CHECK(module_name_for("./../sub/mod.py", &is_package) == "pkg.sub.mod");
  }
  SECTION("inside a root, folders without __init__.py still name the module") {
    std::string root = dir.path().string();
    CHECK(module_name_for(sub(dir, "pkg/loose/thing.py"), nullptr, root) == "pkg.loose.thing");
    CHECK(module_name_for(sub(dir, "script.py"), nullptr, root) == "script");
    CHECK(module_name_for(sub(dir, "pkg/sub/mod.py"), nullptr, root) == "pkg.sub.mod");
    // A package above the root still names itself: `pkg` holds an __init__.py.
    CHECK(module_name_for(sub(dir, "pkg/loose/thing.py"), nullptr, sub(dir, "pkg")) == "pkg.loose.thing");
    // The root itself is not part of the name, and a folder outside it stops the climb.
    CHECK(module_name_for(sub(dir, "pkg/loose/thing.py"), nullptr, sub(dir, "pkg/loose")) == "thing");
  }
  SECTION("discover fills module and is_package") {
    auto result = discover_in(dir);
    std::vector<std::pair<std::string, bool>> modules;
    for (const auto& file : result.files) modules.emplace_back(file.module, file.is_package);
    // Walked from the temporary folder: `pkg/loose` has no __init__.py but lies inside the
    // walked root, so it names the module (a PEP 420 namespace package).
    CHECK(modules == std::vector<std::pair<std::string, bool>>{{"", true},
                                                               {"inner", false},
                                                               {"pkg", true},
                                                               {"pkg.loose.thing", false},
                                                               {"pkg.sub", true},
                                                               {"pkg.sub.mod", false},
                                                               {"script", false}});
  }
}

TEST_CASE("discover: a very deep tree is walked to the bottom") {
  TempDir dir;
  std::string relative;
  for (int depth = 0; depth < 500; ++depth) relative += "d/";
  dir.write(relative + "bottom.py", "");
  auto result = discover_in(dir);
  CHECK(result.errors.empty());
  CHECK(relative_paths(result, dir) == std::vector<std::string>{relative + "bottom.py"});
}
