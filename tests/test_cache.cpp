// The result cache (src/cache): an entry answers only for exactly the key it was stored under,
// round-trips every field of a result, and anything damaged or half-written is a miss that the
// next store repairs, whoever else writes the folder at the same time.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cache/result_cache.hpp"
#include "core/facts_codec.hpp"
#include "engine/analyse.hpp"
#include "perfscan/engine.hpp"
#include "syntax/parser.hpp"
#include "sample_facts.hpp"
#include "test_support.hpp"

using perfscan::testing::read_file;
using perfscan::testing::TempDir;

namespace perfscan {
namespace {

// Every field of a result but the stage times, which the cache does not keep. The walk's facts
// are gone by the time a result is stored (keep_linked_facts): what the link step reads is in
// `linked`.
bool same_result(const FileResult& a, const FileResult& b) {
  return a.scanned == b.scanned && a.lines == b.lines && a.bytes == b.bytes &&
         a.findings == b.findings && a.errors == b.errors && a.facts == b.facts &&
         a.linked == b.linked;
}

std::vector<const Rule*> every_rule() { return with_fact_collectors(select_rules({"ALL"}, {})); }

CacheConfig default_config() { return cache_config_hash(rule_ids(every_rule()), RuleSettings{}, true); }

// A result as the engine stores it: its link facts encoded.
FileResult analyse(const DiscoveredFile& file, const std::string& bytes) {
  static const RuleDispatch dispatch(every_rule());
  Parser parser;
  FileResult result =
      analyse_text(file.display_path, file.module, file.is_package, bytes, parser, dispatch);
  keep_linked_facts(result, true);
  return result;
}

DiscoveredFile file_named(const std::string& path, const std::string& module = "pkg.mod",
                          bool is_package = false) {
  return DiscoveredFile{path, path, module, is_package};
}

const std::string kSource =
    "import requests\n"
    "s = ''\n"
    "for x in xs:\n"
    "    s += x  # a finding\n"
    "    for y in ys:\n"
    "        requests.get(y)\n"
    "def f(a):\n"
    "    return [g(b) for b in a]  # noqa: PS101\n";

// A result with every field set away from its default, each enum at its last value.
FileResult every_field_set() {
  FileResult result;
  result.scanned = true;
  result.lines = 12345678901ULL;
  result.bytes = 98765;
  Finding finding{"PS205",
                  "query-through-helper-in-loop",
                  Category::syntax,
                  Severity::low,
                  "a/b.py",
                  Span{1, 2, 3, 4},
                  "message ✓",
                  "suggestion",
                  "00ff00ff00ff00ff",
                  "pkg.f",
                  "    for x in y:",
                  7,
                  3,
                  2,
                  true,
                  "`__init__`",
                  Fix{FixSafety::unsafe, {Edit{3, 9, "new\ntext", Span{1, 4, 2, 3}}}}};
  result.findings = {finding, finding};
  result.findings[1].severity = Severity::critical;
  result.findings[1].fix.reset();
  result.errors = {FileError{"a/b.py", "invalid UTF-8 replaced", true}, FileError{"c", "", false}};
  result.linked = encode_linked_facts(testing::every_linked_fact());
  return result;
}

// The names of the files under `dir` that are not entries nor the folder's own two files.
std::vector<std::string> stray_files(const std::filesystem::path& dir) {
  std::vector<std::string> stray;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    if (name != ".gitignore" && name != "CACHEDIR.TAG" && !name.ends_with(".entry")) {
      stray.push_back(name);
    }
  }
  return stray;
}

void overwrite(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("cache: a payload decodes to exactly the result encoded", "[cache]") {
  FileResult full = every_field_set();
  std::optional<FileResult> back = decode_result(encode_result(full));
  REQUIRE(back);
  CHECK(same_result(*back, full));

  // Real results of a project: models, relations, pending link findings, suppressions.
  auto root = std::filesystem::path(PERFSCAN_SOURCE_DIR) / "tests/fixtures/projects/bookshop";
  std::size_t models = 0, pending = 0, functions = 0, suppressed = 0, findings = 0;
  for (const char* name :
       {"shop/models.py", "shop/views.py", "shop/services.py", "shop/__init__.py"}) {
    DiscoveredFile file = file_named((root / name).string());
    FileResult result = analyse(file, read_file(root / name));
    std::optional<FileFacts> facts = decode_linked_facts(result.linked);
    REQUIRE(facts);
    models += facts->database.models.size();
    pending += facts->database.pending.size();
    functions += facts->database.functions.size();
    suppressed += facts->suppressions.by_line.size();
    findings += result.findings.size();
    std::optional<FileResult> decoded = decode_result(encode_result(result));
    REQUIRE(decoded);
    CHECK(same_result(*decoded, result));
  }
  CHECK(models >= 3);
  CHECK(pending >= 3);
  CHECK(functions >= 3);
  CHECK(suppressed >= 1);
  CHECK(findings + pending >= 3);
}

TEST_CASE("cache: lists of the smallest elements, last in the payload, decode", "[cache]") {
  // The reader bounds each count by the smallest size of its element: an element written with
  // every field at its default (empty strings, zeros) must still fit that bound.
  FileResult result;
  result.findings.resize(3);
  result.errors.resize(3);
  FileFacts facts;
  facts.classes.resize(3);
  facts.types.resize(3);
  facts.suppressions.by_line = {{1, {}}, {2, {}}, {3, {}}};
  facts.database.roots.resize(3);
  facts.database.query_sites.resize(3);
  facts.database.query_sites[0].columns.resize(3);
  facts.database.functions.resize(3);
  facts.database.pending.resize(3);
  facts.database.models.resize(3);
  facts.database.models[2].fields.resize(3);
  facts.database.models[2].indexes.resize(3);
  result.linked = encode_linked_facts(facts);
  for (const FileResult& each : {result, FileResult{}}) {
    std::optional<FileResult> back = decode_result(encode_result(each));
    REQUIRE(back);
    CHECK(same_result(*back, each));
  }
  // Each list alone, as the last thing before the payload's end.
  FileResult fields;
  FileFacts one_model;
  one_model.database.models.resize(1);
  one_model.database.models[0].fields.resize(5);
  fields.linked = encode_linked_facts(one_model);
  std::optional<FileResult> back = decode_result(encode_result(fields));
  REQUIRE(back);
  CHECK(same_result(*back, fields));
}

TEST_CASE("cache: a stored result is a hit that returns an identical result", "[cache]") {
  TempDir dir;
  ResultCache cache(dir.path() / "cache", default_config());
  DiscoveredFile file = file_named("pkg/mod.py");
  FileResult result = analyse(file, kSource);
  REQUIRE(result.findings.size() >= 2);
  CacheKey key = cache.key_for(file, kSource);

  CHECK_FALSE(cache.lookup(key));
  cache.store(key, result);
  std::optional<FileResult> hit = cache.lookup(key);
  REQUIRE(hit);
  CHECK(same_result(*hit, result));
  CHECK(cache.hits() == 1);
  CHECK(cache.misses() == 1);
  CHECK(cache.write_failures() == 0);
  CHECK(cache.problem().empty());

  // A second cache object (a later scan) reads the same entry.
  ResultCache later(dir.path() / "cache", default_config());
  std::optional<FileResult> again = later.lookup(later.key_for(file, kSource));
  REQUIRE(again);
  CHECK(same_result(*again, result));

  CHECK(read_file(dir.path() / "cache/.gitignore") ==
        "# Created by perfscan: the result cache.\n*\n");
  CHECK(read_file(dir.path() / "cache/CACHEDIR.TAG")
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55\n"));
  // ab/abcdef....entry
  std::filesystem::path entry = key.entry_path;
  CHECK(entry.parent_path().parent_path() == dir.path() / "cache");
  CHECK(entry.filename().string().size() == 32 + 6);
  CHECK(entry.filename().string().substr(0, 2) == entry.parent_path().filename().string());
  CHECK(stray_files(dir.path() / "cache").empty());
}

TEST_CASE("cache: one changed byte of content is a miss, and the edit overwrites the entry",
          "[cache]") {
  TempDir dir;
  ResultCache cache(dir.path() / "cache", default_config());
  DiscoveredFile file = file_named("pkg/mod.py");
  std::string edited = kSource;
  edited[edited.find("xs")] = 'z';
  CacheKey before = cache.key_for(file, kSource);
  CacheKey after = cache.key_for(file, edited);
  CHECK(before.entry_path == after.entry_path);
  cache.store(before, analyse(file, kSource));
  CHECK_FALSE(cache.lookup(after));

  FileResult edited_result = analyse(file, edited);
  cache.store(after, edited_result);
  std::optional<FileResult> hit = cache.lookup(after);
  REQUIRE(hit);
  CHECK(same_result(*hit, edited_result));
  CHECK_FALSE(cache.lookup(before));
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path() / "cache")) {
    entries += entry.path().extension() == ".entry" ? 1 : 0;
  }
  CHECK(entries == 1);
}

TEST_CASE("cache: the path, module and package flag are part of the key", "[cache]") {
  TempDir dir;
  ResultCache cache(dir.path() / "cache", default_config());
  DiscoveredFile file = file_named("pkg/mod.py", "pkg.mod", false);
  cache.store(cache.key_for(file, kSource), analyse(file, kSource));
  CHECK(cache.lookup(cache.key_for(file, kSource)));
  CHECK_FALSE(cache.lookup(cache.key_for(file_named("./pkg/mod.py"), kSource)));
  CHECK_FALSE(cache.lookup(cache.key_for(file_named("pkg/mod.py", "mod"), kSource)));
  CHECK_FALSE(cache.lookup(cache.key_for(file_named("pkg/mod.py", "pkg.mod", true), kSource)));
}

TEST_CASE("cache: rules, target version, knowledge lists and linking each change the key",
          "[cache]") {
  auto same = [](const CacheConfig& a, const CacheConfig& b) {
    return XXH128_isEqual(a.key, b.key) != 0 && XXH128_isEqual(a.name, b.name) != 0;
  };
  std::vector<const Rule*> rules = every_rule();
  std::vector<const Rule*> reversed(rules.rbegin(), rules.rend());
  CHECK(same(cache_config_hash(rule_ids(reversed), RuleSettings{}, true), default_config()));
  CHECK(same(cache_config_hash(rule_ids(rules), RuleSettings{}, true), default_config()));

  std::vector<CacheConfig> variants;
  std::vector<const Rule*> fewer = rules;
  fewer.erase(fewer.begin() + 1);
  variants.push_back(cache_config_hash(rule_ids(fewer), RuleSettings{}, true));
  variants.push_back(
      cache_config_hash(rule_ids(select_rules({"ALL"}, {})), RuleSettings{}, true));   // no collector
  variants.push_back(cache_config_hash(rule_ids(rules), RuleSettings{}, false));  // link off
  RuleSettings settings;
  settings.target_version = PythonVersion{3, 10};
  variants.push_back(cache_config_hash(rule_ids(rules), settings, true));
  settings.target_version = PythonVersion{3, 11};
  variants.push_back(cache_config_hash(rule_ids(rules), settings, true));
  for (auto list : {&KnowledgeExtensions::blocking_calls, &KnowledgeExtensions::query_methods,
                    &KnowledgeExtensions::http_clients}) {
    RuleSettings knowing;
    (knowing.knowledge.*list).push_back("mylib.fetch");
    variants.push_back(cache_config_hash(rule_ids(rules), knowing, true));
    (knowing.knowledge.*list).push_back("mylib.get");
    variants.push_back(cache_config_hash(rule_ids(rules), knowing, true));
  }
  for (std::size_t i = 0; i < variants.size(); ++i) {
    INFO("variant " << i);
    CHECK_FALSE(XXH128_isEqual(variants[i].key, default_config().key));
    for (std::size_t j = 0; j < i; ++j)
      CHECK_FALSE(XXH128_isEqual(variants[i].key, variants[j].key));
  }

  // An entry stored under one configuration is a miss under every other.
  TempDir dir;
  DiscoveredFile file = file_named("pkg/mod.py");
  ResultCache base(dir.path() / "cache", default_config());
  base.store(base.key_for(file, kSource), analyse(file, kSource));
  REQUIRE(base.lookup(base.key_for(file, kSource)));
  for (const CacheConfig& config : variants) {
    ResultCache other(dir.path() / "cache", config);
    CHECK_FALSE(other.lookup(other.key_for(file, kSource)));
  }
}

TEST_CASE("cache: a damaged entry is a miss, and the next store repairs it", "[cache]") {
  TempDir dir;
  ResultCache cache(dir.path() / "cache", default_config());
  DiscoveredFile file = file_named("pkg/mod.py");
  FileResult result = analyse(file, kSource);
  CacheKey key = cache.key_for(file, kSource);
  cache.store(key, result);
  const std::string good = read_file(key.entry_path);
  const std::size_t header = key.header.size();
  REQUIRE(good.size() > header + 16 + 100);
  REQUIRE(good.compare(0, header, key.header) == 0);

  // Re-seals a payload with a valid length and checksum, so that only the payload reader
  // stands between it and the result.
  auto sealed = [&](const std::string& payload) {
    std::string entry = key.header;
    for (std::uint64_t value :
         {std::uint64_t{payload.size()}, XXH3_64bits(payload.data(), payload.size())}) {
      for (int i = 0; i < 8; ++i) entry.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    }
    return entry + payload;
  };
  const std::string payload = good.substr(header + 16);

  std::vector<std::pair<std::string, std::string>> damaged;
  for (std::size_t length :
       {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{8}, header - 1, header,
        header + 8, header + 16, good.size() / 2, good.size() - 1}) {
    damaged.emplace_back("truncated to " + std::to_string(length), good.substr(0, length));
  }
  for (std::size_t at : {header + 16, header + 40, good.size() / 2, good.size() - 1}) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x01);
    damaged.emplace_back("payload byte flipped at " + std::to_string(at), flipped);
  }
  for (std::size_t at : {std::size_t{12}, std::size_t{30}, header - 1}) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x80);
    damaged.emplace_back("key byte flipped at " + std::to_string(at), flipped);
  }
  std::string magic = good;
  magic[0] = 'X';
  damaged.emplace_back("wrong magic", magic);
  std::string huge = good;
  for (int i = 0; i < 8; ++i) huge[header + i] = static_cast<char>(0xFF);
  damaged.emplace_back("huge length field", huge);
  damaged.emplace_back("longer than its length", good + "x");
  // Checksums that match, payloads that do not decode: a huge finding count, a string length
  // past the end, a flag that is neither 0 nor 1, an enum out of range, a truncated payload.
  std::string counts = payload;
  for (int i = 0; i < 4; ++i) counts[17 + i] = static_cast<char>(0xFF);
  damaged.emplace_back("sealed: huge finding count", sealed(counts));
  std::string long_string = payload;
  for (int i = 0; i < 4; ++i) long_string[21 + i] = static_cast<char>(0xFE);
  damaged.emplace_back("sealed: string longer than the payload", sealed(long_string));
  std::string flag = payload;
  flag[0] = 2;
  damaged.emplace_back("sealed: flag of 2", sealed(flag));
  std::string category = payload;
  std::size_t rule_id_size = static_cast<unsigned char>(payload[21]);
  std::size_t name_size = static_cast<unsigned char>(payload[25 + rule_id_size]);
  category[29 + rule_id_size + name_size] = 42;
  damaged.emplace_back("sealed: category out of range", sealed(category));
  damaged.emplace_back("sealed: truncated payload", sealed(payload.substr(0, payload.size() - 3)));
  damaged.emplace_back("sealed: trailing byte", sealed(payload + '\0'));
  std::mt19937 random(20261129);
  for (std::size_t size : {1, 16, 100, 5000}) {
    std::string garbage(size, '\0');
    for (char& c : garbage) c = static_cast<char>(random() & 0xFF);
    damaged.emplace_back("random garbage of " + std::to_string(size), garbage);
    damaged.emplace_back("header then garbage of " + std::to_string(size), key.header + garbage);
  }

  for (const auto& [what, bytes] : damaged) {
    INFO(what);
    overwrite(key.entry_path, bytes);
    CHECK_FALSE(cache.lookup(key));
    cache.store(key, result);
    std::optional<FileResult> repaired = cache.lookup(key);
    REQUIRE(repaired);
    CHECK(same_result(*repaired, result));
  }
  CHECK(cache.write_failures() == 0);
  CHECK(stray_files(dir.path() / "cache").empty());
}

TEST_CASE("cache: the payload reader refuses every prefix and survives every flipped byte",
          "[cache]") {
  DiscoveredFile file = file_named("pkg/mod.py");
  const std::string payload = encode_result(analyse(file, kSource));
  for (std::size_t length = 0; length < payload.size(); ++length) {
    INFO("prefix of " << length);
    CHECK_FALSE(decode_result(std::string_view(payload).substr(0, length)));
  }
  std::size_t decoded = 0;
  for (std::size_t at = 0; at < payload.size(); ++at) {
    for (unsigned char mask : {0x01, 0x80, 0xFF}) {
      std::string flipped = payload;
      flipped[at] = static_cast<char>(flipped[at] ^ mask);
      decoded += decode_result(flipped) ? 1 : 0;  // a changed character may still decode
    }
  }
  CHECK(decoded < payload.size() * 3);
}

TEST_CASE("cache: concurrent writers in threads and processes never yield a wrong result",
          "[cache]") {
  TempDir dir;
  const std::filesystem::path folder = dir.path() / "cache";
  // Each file has two contents that writers alternate between, so entries are overwritten with
  // another key all the time while others read them.
  struct Case {
    DiscoveredFile file;
    std::string bytes[2];
    FileResult result[2];
  };
  std::vector<Case> cases;
  for (int i = 0; i < 6; ++i) {
    Case c;
    c.file = file_named("pkg/mod" + std::to_string(i) + ".py");
    for (int v = 0; v < 2; ++v) {
      c.bytes[v] =
          kSource + std::string(static_cast<std::size_t>(i + 1), '\n') + (v ? "x = 1\n" : "");
      c.result[v] = analyse(c.file, c.bytes[v]);
    }
    cases.push_back(std::move(c));
  }
  // Returns the number of wrong answers (0 expected).
  auto hammer = [&](int seed) {
    ResultCache cache(folder, default_config());
    std::mt19937 random(static_cast<unsigned>(seed));
    int wrong = 0;
    for (int round = 0; round < 300; ++round) {
      const Case& c = cases[random() % cases.size()];
      int v = static_cast<int>(random() % 2);
      CacheKey key = cache.key_for(c.file, c.bytes[v]);
      if (random() % 2 == 0) {
        cache.store(key, c.result[v]);
      } else if (std::optional<FileResult> got = cache.lookup(key)) {
        wrong += same_result(*got, c.result[v]) ? 0 : 1;
      }
    }
    return wrong + static_cast<int>(cache.write_failures());
  };
  auto threads_hammer = [&](int seed) {
    std::vector<int> wrong(4, 0);
    std::vector<std::thread> pool;
    for (int t = 0; t < 4; ++t)
      pool.emplace_back([&, t] { wrong[static_cast<std::size_t>(t)] = hammer(seed * 10 + t); });
    for (std::thread& thread : pool) thread.join();
    int total = 0;
    for (int w : wrong) total += w;
    return total;
  };
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) ::_exit(threads_hammer(p + 1) == 0 ? 0 : 1);
    children.push_back(child);
  }
  int parent_wrong = threads_hammer(7);
  for (pid_t child : children) {
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  CHECK(parent_wrong == 0);
  CHECK(stray_files(folder).empty());

  // Whatever order the writers finished in, every entry is whole: one of the two contents.
  ResultCache cache(folder, default_config());
  for (const Case& c : cases) {
    int found = 0;
    for (int v = 0; v < 2; ++v) {
      if (std::optional<FileResult> got = cache.lookup(cache.key_for(c.file, c.bytes[v]))) {
        CHECK(same_result(*got, c.result[v]));
        ++found;
      }
    }
    CHECK(found <= 1);
  }
}

TEST_CASE("cache: a folder that cannot be created costs the stores, not the scan", "[cache]") {
  TempDir dir;
  dir.write("file", "not a folder\n");
  ResultCache cache(dir.path() / "file" / "cache", default_config());
  DiscoveredFile file = file_named("pkg/mod.py");
  CacheKey key = cache.key_for(file, kSource);
  FileResult result = analyse(file, kSource);
  CHECK_NOTHROW(cache.store(key, result));
  CHECK_NOTHROW(cache.store(key, result));
  CHECK_FALSE(cache.lookup(key));
  CHECK(cache.write_failures() == 2);
  CHECK(cache.problem().starts_with("cannot create " + (dir.path() / "file" / "cache").string()));
  ScanStats stats;
  cache.report_to(stats);
  CHECK(stats.cache_enabled);
  CHECK(stats.cache_misses == 1);
  CHECK(stats.cache_write_failures == 2);
  CHECK(stats.cache_problem == cache.problem());
}

TEST_CASE("cache: without a folder the cache is off and counts nothing", "[cache]") {
  ResultCache cache("", default_config());
  CHECK_FALSE(cache.enabled());
  DiscoveredFile file = file_named("pkg/mod.py");
  CacheKey key = cache.key_for(file, kSource);
  cache.store(key, analyse(file, kSource));
  CHECK_FALSE(cache.lookup(key));
  CHECK(cache.hits() + cache.misses() + cache.write_failures() == 0);
}

}  // namespace perfscan
