// End-to-end tests of the result cache: on by default in the project root, `--no-cache`,
// `--cache-dir`, the same report from a warm cache, and cross-file findings re-linked when
// another module changes.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <string_view>

#include "cli_support.hpp"

using namespace perfscan::testing;  // NOLINT(google-build-using-namespace)

namespace {

// PS401 at 3:5.
constexpr std::string_view kConcat = "s = \"\"\nfor x in xs:\n    s += x\n";
// PS101 at 2:14.
constexpr std::string_view kNested = "for a in xs:\n    for b in ys:\n        pass\n";

constexpr std::string_view kGitignore = "# Created by perfscan: the result cache.\n*\n";

// A Django project where views.py loops over a helper of services.py that queries (PS205).
void write_project(const TempDir& dir) {
  dir.write("app/__init__.py", "");
  dir.write("app/models.py",
            "from django.db import models\n"
            "\n"
            "\n"
            "class Author(models.Model):\n"
            "    name = models.CharField(max_length=100, db_index=True)\n");
  dir.write("app/services.py",
            "from .models import Author\n"
            "\n"
            "\n"
            "def get_author(author_id):\n"
            "    return Author.objects.get(pk=author_id)\n");
  dir.write("app/views.py",
            "from .services import get_author\n"
            "\n"
            "\n"
            "def names(author_ids):\n"
            "    for author_id in author_ids:\n"
            "        print(get_author(author_id))\n");
}

Json cache_stats(const Json& report) { return report.at("stats").at("cache"); }

Json cache_counts(bool enabled, int hits, int misses, int failures = 0) {
  return Json{
      {"enabled", enabled}, {"hits", hits}, {"misses", misses}, {"write_failures", failures}};
}

}  // namespace

TEST_CASE("cli cache: a second run answers every file from the cache with the same report",
          "[cache]") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("b.py", kNested);
  auto cold = run_in(dir, ". --format json -j 2 --stats");
  auto warm = run_in(dir, ". --format json -j 2 --stats");
  CHECK(cold.exit_code == 1);
  CHECK(warm.exit_code == 1);
  Json cold_report = parse_json(cold);
  Json warm_report = parse_json(warm);
  CHECK(cache_stats(cold_report) == cache_counts(true, 0, 2));
  CHECK(cache_stats(warm_report) == cache_counts(true, 2, 0));
  CHECK(hits(warm_report) == std::vector<std::string>{"PS401 a.py:3:5", "PS101 b.py:2:14"});
  // Byte for byte, everything but the timings.
  CHECK(warm_report.at("findings").dump() == cold_report.at("findings").dump());
  CHECK(warm_report.at("summary").dump() == cold_report.at("summary").dump());
  CHECK(warm_report.at("errors").dump() == cold_report.at("errors").dump());
  CHECK(contains(cold.err, "\n  cache hits 0  misses 2  write failures 0\n"));
  CHECK(contains(warm.err, "\n  cache hits 2  misses 0  write failures 0\n"));
  // The default folder: the working folder (no configuration file), ignored by git, and never
  // scanned itself.
  CHECK(read_file(dir.path() / ".perfscan_cache/.gitignore") == kGitignore);
  CHECK(std::filesystem::exists(dir.path() / ".perfscan_cache/CACHEDIR.TAG"));
  CHECK(warm_report.at("summary").at("files_scanned") == 2);

  // Text output, a different format of the same scan, also comes from the cache: the same
  // report but for the time taken.
  auto untimed = [](const std::string& text) {
    return std::regex_replace(text, std::regex(R"(time: \d+\.\d+s)"), "time: T");
  };
  auto text_cold = run_in(dir, ". --no-cache --color never");
  auto text_warm = run_in(dir, ". --color never");
  CHECK(contains(text_warm.out, "time: "));
  CHECK(untimed(text_warm.out) == untimed(text_cold.out));
}

TEST_CASE("cli cache: an edited file is analysed again, the others are not", "[cache]") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("b.py", kNested);
  CHECK(cache_stats(parse_json(run_in(dir, ". --format json"))) == cache_counts(true, 0, 2));
  dir.write("b.py", "x = 1\n");
  Json report = parse_json(run_in(dir, ". --format json"));
  CHECK(cache_stats(report) == cache_counts(true, 1, 1));
  CHECK(hits(report) == std::vector<std::string>{"PS401 a.py:3:5"});
  // Another rule selection or target version is another key.
  CHECK(cache_stats(parse_json(run_in(dir, ". --format json --select PS4"))) ==
        cache_counts(true, 0, 2));
  CHECK(cache_stats(parse_json(run_in(dir, ". --format json --target-version 3.9"))) ==
        cache_counts(true, 0, 2));
  CHECK(cache_stats(parse_json(run_in(dir, ". --format json --no-link"))) ==
        cache_counts(true, 0, 2));
  CHECK(cache_stats(parse_json(run_in(dir, ". --format json --no-link"))) ==
        cache_counts(true, 2, 0));
}

TEST_CASE("cli cache: --no-cache neither reads nor creates the folder", "[cache]") {
  TempDir dir;
  dir.write("a.py", kConcat);
  auto result = run_in(dir, "a.py --format json --no-cache --stats -j 2");
  CHECK(result.exit_code == 1);
  CHECK(cache_stats(parse_json(result)) == cache_counts(false, 0, 0));
  CHECK(contains(result.err, "\n  cache off\n"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / ".perfscan_cache"));
  // Both at once is a usage error.
  CHECK(run_in(dir, "a.py --no-cache --cache-dir c").exit_code == 2);
}

TEST_CASE("cli cache: --cache-dir puts the cache there, with its .gitignore", "[cache]") {
  TempDir dir;
  dir.write("a.py", kConcat);
  CHECK(cache_stats(parse_json(run_in(dir, "a.py --format json --cache-dir sub/cc"))) ==
        cache_counts(true, 0, 1));
  CHECK(cache_stats(parse_json(run_in(dir, "a.py --format json --cache-dir sub/cc"))) ==
        cache_counts(true, 1, 0));
  CHECK(read_file(dir.path() / "sub/cc/.gitignore") == kGitignore);
  CHECK_FALSE(std::filesystem::exists(dir.path() / ".perfscan_cache"));
}

TEST_CASE("cli cache: the default folder is the configuration file's, else the working folder",
          "[cache]") {
  TempDir dir;
  dir.write("pyproject.toml", "[tool.perfscan]\nfail-on = \"low\"\n");
  dir.write("pkg/a.py", kConcat);
  TempDir elsewhere;
  auto result = run_in(elsewhere, q((dir.path() / "pkg").string()) + " --format json");
  CHECK(cache_stats(parse_json(result)) == cache_counts(true, 0, 1));
  CHECK(read_file(dir.path() / ".perfscan_cache/.gitignore") == kGitignore);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "pkg/.perfscan_cache"));
  CHECK_FALSE(std::filesystem::exists(elsewhere.path() / ".perfscan_cache"));

  // --isolated reads no configuration: the working folder.
  run_in(elsewhere, q((dir.path() / "pkg").string()) + " --isolated --format json");
  CHECK(read_file(elsewhere.path() / ".perfscan_cache/.gitignore") == kGitignore);
}

TEST_CASE("cli cache: a cache that cannot be written warns once and the scan goes on", "[cache]") {
  TempDir dir;
  dir.write("a.py", kConcat);
  dir.write("b.py", kNested);
  dir.write("blocker", "a file, not a folder\n");
  auto result = run_in(dir, ". --format json --cache-dir blocker/cache");
  CHECK(result.exit_code == 1);
  Json report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS401 a.py:3:5", "PS101 b.py:2:14"});
  CHECK(report.at("errors").empty());
  CHECK(cache_stats(report) == cache_counts(true, 0, 2, 2));
  INFO(result.err);
  CHECK(lines_of(result.err).size() == 1);
  CHECK(contains(result.err,
                 "perfscan: warning: result cache not written (2 results): cannot create "));
}

TEST_CASE("cli cache: cross-file findings follow a change in another module", "[cache]") {
  TempDir dir;
  write_project(dir);
  auto first = parse_json(run_in(dir, "app --format json"));
  CHECK(hits(first) == std::vector<std::string>{"PS205 app/views.py:6:15"});
  CHECK(cache_stats(first) == cache_counts(true, 0, 4));

  // The helper no longer queries: views.py is unchanged (a hit), its finding goes all the same.
  dir.write("app/services.py",
            "from .models import Author\n"
            "\n"
            "\n"
            "def get_author(author_id):\n"
            "    return author_id\n");
  auto second = parse_json(run_in(dir, "app --format json"));
  CHECK(cache_stats(second) == cache_counts(true, 3, 1));
  CHECK(hits(second).empty());

  // And it comes back when the helper queries again, every file answered from the cache.
  write_project(dir);
  auto third = parse_json(run_in(dir, "app --format json"));
  CHECK(hits(third) == std::vector<std::string>{"PS205 app/views.py:6:15"});
  CHECK(cache_stats(third) == cache_counts(true, 3, 1));
  CHECK(third.at("findings").dump() == first.at("findings").dump());
}

TEST_CASE("cli cache: two processes filling one cache at once report what an uncached run does",
          "[cache]") {
  TempDir dir;
  for (int i = 0; i < 40; ++i) {
    std::string source(kConcat);
    source.append(kNested).append(static_cast<std::size_t>(i), '\n');
    dir.write(fmt::format("m{}.py", i), source);
  }
  auto reference = run_in(dir, ". --format json --no-cache");
  std::string binary = PERFSCAN_BINARY;
  std::string command = "cd " + q(dir.path().string()) + " && (" + q(binary) +
                        " --extend-select ALL . --format json -j 2 >one.json 2>one.err & " + q(binary) +
                        " --extend-select ALL . --format json -j 2 >two.json 2>two.err & wait)";
  REQUIRE(std::system(command.c_str()) == 0);
  Json expected = parse_json(reference).at("findings");
  for (const char* name : {"one", "two"}) {
    INFO(name);
    CHECK(read_file(dir.path() / fmt::format("{}.err", name)).empty());
    Json report = Json::parse(read_file(dir.path() / fmt::format("{}.json", name)));
    CHECK(report.at("findings") == expected);
    Json cache = cache_stats(report);
    CHECK(cache.at("hits").get<int>() + cache.at("misses").get<int>() == 40);
    CHECK(cache.at("write_failures") == 0);
  }
  auto warm = parse_json(run_in(dir, ". --format json"));
  CHECK(cache_stats(warm) == cache_counts(true, 40, 0));
  CHECK(warm.at("findings") == expected);
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir.path() / ".perfscan_cache")) {
    if (entry.is_regular_file()) CHECK_FALSE(contains(entry.path().filename().string(), ".tmp."));
  }
}
