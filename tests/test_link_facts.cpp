// The link facts between the walk and the link step: their compact encoding (core/facts_codec),
// the store that keeps them out of memory until the link step (perfscan/fact_store.hpp) and
// the name table the project index interns names in (link/name_table.hpp).
#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/facts_codec.hpp"
#include "link/name_table.hpp"
#include "perfscan/fact_store.hpp"
#include "sample_facts.hpp"
#include "test_support.hpp"

namespace perfscan {
namespace {

using testing::every_linked_fact;

// The pending findings of `facts` as the link step sees them: by rule (in rule id order), each
// rule's in the order recorded.
std::vector<PendingFinding> by_rule(std::vector<PendingFinding> pending) {
  std::stable_sort(pending.begin(), pending.end(),
                   [](const PendingFinding& a, const PendingFinding& b) {
                     return a.finding.rule_id < b.finding.rule_id;
                   });
  return pending;
}

}  // namespace

TEST_CASE("facts codec: every linked member decodes to what was encoded", "[facts]") {
  FileFacts facts = every_linked_fact();
  EncodedFacts encoded = encode_linked_facts(facts);
  // head, names, database, suppressions, functions, and one pending section per rule.
  REQUIRE(encoded.sections.size() == 8);
  CHECK(encoded.sections[5].rule_id == "PS-loop-calls");
  CHECK(encoded.sections[6].rule_id == "PS202");
  CHECK(encoded.sections[7].rule_id == "PS205");
  std::optional<FileFacts> back = decode_linked_facts(encoded);
  REQUIRE(back);
  FileFacts expected = facts;
  expected.database.pending = by_rule(facts.database.pending);
  CHECK(*back == expected);

  // The walk's own generic facts are not linked: left out.
  facts.functions = {FunctionFact{"a.b.f", 3, true}};
  facts.calls = {CallFact{"a.c.g", "a.b.f", 4, 5, 65535, true}};
  CHECK(encode_linked_facts(facts) == encoded);

  // Nothing to link: no section at all; a part with nothing in it has none.
  CHECK(encode_linked_facts(FileFacts{}).empty());
  FileFacts only_suppressions;
  only_suppressions.suppressions.skip_file = true;
  EncodedFacts one = encode_linked_facts(only_suppressions);
  REQUIRE(one.sections.size() == 1);
  CHECK(one.sections[0].kind == FactSection::suppressions);
  CHECK(decode_linked_facts(one) == only_suppressions);
}

TEST_CASE("facts codec: a section is decoded alone, into the members of its part", "[facts]") {
  FileFacts facts = every_linked_fact();
  EncodedFacts encoded = encode_linked_facts(facts);
  FileFacts functions_only;
  for (const EncodedFacts::Section& section : encoded.sections) {
    if (section.kind == FactSection::functions) {
      REQUIRE(decode_fact_section(section.kind, section.rule_id, section.bytes, functions_only));
    }
  }
  FileFacts expected;
  expected.database.functions = facts.database.functions;
  CHECK(functions_only == expected);
  // The database part keeps functions and pending findings decoded before it.
  for (const EncodedFacts::Section& section : encoded.sections) {
    if (section.kind == FactSection::database) {
      REQUIRE(decode_fact_section(section.kind, section.rule_id, section.bytes, functions_only));
    }
  }
  CHECK(functions_only.database.functions == facts.database.functions);
  CHECK(functions_only.database.models == facts.database.models);
}

TEST_CASE("facts codec: anything this build would not write is refused", "[facts]") {
  const EncodedFacts good = encode_linked_facts(every_linked_fact());
  REQUIRE(valid_linked_facts(good));
  // Every proper prefix of every section, and a byte more.
  for (std::size_t i = 0; i < good.sections.size(); ++i) {
    const std::string& bytes = good.sections[i].bytes;
    for (std::size_t length = 0; length < bytes.size(); ++length) {
      EncodedFacts cut = good;
      cut.sections[i].bytes.resize(length);
      INFO("section " << i << " cut to " << length);
      CHECK_FALSE(valid_linked_facts(cut));
    }
    EncodedFacts longer = good;
    longer.sections[i].bytes.push_back('\0');
    CHECK_FALSE(valid_linked_facts(longer));
  }
  auto refused = [&](const char* what, auto&& damage) {
    EncodedFacts bad = good;
    damage(bad);
    INFO(what);
    CHECK_FALSE(valid_linked_facts(bad));
    CHECK_FALSE(decode_linked_facts(bad));
  };
  refused("sections out of order",
          [](EncodedFacts& e) { std::swap(e.sections[0], e.sections[1]); });
  refused("a kind twice",
          [](EncodedFacts& e) { e.sections.insert(e.sections.begin() + 1, e.sections[1]); });
  refused("a rule twice", [](EncodedFacts& e) { e.sections.push_back(e.sections.back()); });
  refused("a rule id on another kind", [](EncodedFacts& e) { e.sections[1].rule_id = "PS205"; });
  refused("an unknown kind",
          [](EncodedFacts& e) { e.sections.back().kind = static_cast<FactSection>(6); });
  refused("one part's bytes as another's",
          [](EncodedFacts& e) { e.sections[2].bytes = e.sections[4].bytes; });
  // A flag of 2: the suppressions section starts with skip_file.
  refused("a flag of 2", [](EncodedFacts& e) { e.sections[3].bytes[0] = 2; });
  // An enum out of range: the database part starts with the model list, and its first model with
  // its qualified name, name, line and column, then its ORM.
  refused("an enum out of range", [](EncodedFacts& e) {
    REQUIRE(e.sections[2].bytes[32] == static_cast<char>(Orm::sqlalchemy));
    e.sections[2].bytes[32] = 9;
  });
  // The functions part starts with their count.
  refused("a huge list count", [](EncodedFacts& e) {
    for (int i = 0; i < 4; ++i)
      e.sections[4].bytes[static_cast<std::size_t>(i)] = static_cast<char>(0xFF);
  });
  std::mt19937 random(20261206);
  for (std::size_t size : {1, 7, 64, 3000}) {
    EncodedFacts garbage = good;
    for (EncodedFacts::Section& section : garbage.sections) {
      section.bytes.assign(size, '\0');
      for (char& c : section.bytes) c = static_cast<char>(random() & 0xFF);
    }
    CHECK_FALSE(valid_linked_facts(garbage));
  }
}

TEST_CASE("text table: one id per distinct text, views that survive growth", "[facts]") {
  TextTable texts;
  CHECK(texts.find("a") == kNoName);
  std::uint32_t empty = texts.intern("");
  std::uint32_t a = texts.intern("pkg.mod.f");
  CHECK(texts.intern("pkg.mod.f") == a);
  CHECK(texts.intern("") == empty);
  CHECK(texts.text(empty).empty());
  std::string_view kept = texts.text(a);
  // Enough texts to grow the slots and fill several blocks, and texts longer than a block.
  std::vector<std::string> all;
  for (int i = 0; i < 40000; ++i)
    all.push_back("pkg.module" + std::to_string(i % 97) + ".function_" + std::to_string(i));
  all.push_back(std::string(100000, 'x'));
  all.push_back(std::string(65536, 'y'));
  std::vector<std::uint32_t> ids;
  for (const std::string& text : all) ids.push_back(texts.intern(text));
  CHECK(texts.size() == all.size() + 2);
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(ids[i] == static_cast<std::uint32_t>(i + 2));
    CHECK(texts.find(all[i]) == ids[i]);
    CHECK(texts.text(ids[i]) == all[i]);
  }
  CHECK(kept == "pkg.mod.f");
  CHECK(kept.data() == texts.text(a).data());
  CHECK(texts.find("pkg.module1.function_") == kNoName);
}

TEST_CASE("name table: dotted names as a tree of their segments", "[facts]") {
  NameTable names;
  CHECK(names.find("pkg") == kNoName);
  NameId f = names.intern("pkg.mod.Class.f");
  // Its prefixes are nodes of the tree, with ids, but are not names until interned as such.
  CHECK(names.size() == 4);
  CHECK(names.find("pkg.mod") == kNoName);
  CHECK(names.find("pkg") == kNoName);
  NameId mod = names.intern("pkg.mod");
  CHECK(names.size() == 4);
  CHECK(names.find("pkg.mod") == mod);
  CHECK(names.intern("pkg.mod") == mod);
  CHECK(names.intern("pkg.mod.Class.f") == f);
  CHECK(names.size() == 4);
  CHECK(names.text(f) == "pkg.mod.Class.f");
  CHECK(names.text(mod) == "pkg.mod");
  CHECK(names.last_segment(f) == "f");
  CHECK(names.last_segment(mod) == "mod");
  CHECK(names.find("pkg.mod.Class.g") == kNoName);
  CHECK(names.find("mod.Class.f") == kNoName);
  CHECK(names.find("pkg.mod.Class.f.x") == kNoName);
  // Any text is a name: empty segments, leading and trailing dots, no dot at all.
  for (std::string_view text : {"", ".", "..", ".models.Tag", "pkg.", "a..b", "`Book.objects.get`",
                                "re.compile(r\"\\d+\")", "pkg.mod.Client#session", "plain"}) {
    NameId id = names.intern(text);
    CHECK(names.find(text) == id);
    CHECK(names.text(id) == text);
  }
  // Many names under shared prefixes (the copies of a package under other roots), ids in order.
  std::vector<std::string> all;
  for (int copy = 0; copy < 4; ++copy) {
    for (int i = 0; i < 20000; ++i) {
      all.push_back("copy" + std::to_string(copy) + ".django.db.models.m" + std::to_string(i % 50) +
                    ".C" + std::to_string(i % 7) + ".method_" + std::to_string(i));
    }
  }
  std::vector<NameId> ids;
  for (const std::string& name : all) ids.push_back(names.intern(name));
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(names.find(all[i]) == ids[i]);
    CHECK(names.text(ids[i]) == all[i]);
  }
  CHECK(names.text(f) == "pkg.mod.Class.f");
}

TEST_CASE("fact store: what is added is read back, in memory or on disk", "[facts]") {
  for (std::size_t limit : {std::size_t{0}, std::size_t{2000}, FactStore::kDefaultMemoryLimit}) {
    INFO("memory limit " << limit);
    FactStore store(6, limit);
    std::vector<FileFacts> files(6);
    // Added out of order, from several threads, as workers finish; slot 3 has no facts.
    std::vector<std::thread> workers;
    for (std::size_t slot : {5, 0, 2, 4, 1}) {
      files[slot] = every_linked_fact();
      files[slot].path = "pkg/file" + std::to_string(slot) + ".py";
      files[slot].database.pending[1].subject = "subject of " + std::to_string(slot);
      if (slot == 2) files[slot].database.pending.clear();
      if (slot == 4) files[slot].classes.clear();
    }
    for (std::size_t slot : {5, 0, 2, 4, 1}) {
      workers.emplace_back(
          [&store, &files, slot] { store.add(slot, encode_linked_facts(files[slot])); });
    }
    for (std::thread& worker : workers) worker.join();
    CHECK(store.problem().empty());
    CHECK(store.on_disk() == (limit < FactStore::kDefaultMemoryLimit));
    CHECK_FALSE(store.has(3));
    CHECK_FALSE(store.has(6));
    CHECK(store.path(3).empty());

    const FactParts all = fact_part(FactSection::head) | fact_part(FactSection::names) |
                          fact_part(FactSection::database) | fact_part(FactSection::suppressions) |
                          fact_part(FactSection::functions);
    for (std::size_t slot : {0, 1, 2, 4, 5}) {
      CHECK(store.path(slot) == files[slot].path);
      FileFacts loaded = store.load(slot, all);
      FileFacts expected = files[slot];
      expected.database.pending.clear();
      CHECK(loaded == expected);
      // One part alone: the path, and that part.
      FileFacts names_only = store.load(slot, fact_part(FactSection::names));
      FileFacts expected_names;
      expected_names.path = files[slot].path;
      expected_names.classes = files[slot].classes;
      expected_names.types = files[slot].types;
      CHECK(names_only == expected_names);
    }
    std::vector<std::size_t> visited;
    store.for_each_file(fact_part(FactSection::suppressions), [&](const FileFacts& file) {
      visited.push_back(file.path.size());
      CHECK(file.suppressions == files[0].suppressions);
      CHECK(file.classes.empty());
    });
    CHECK(visited.size() == 5);

    // Each rule's pending findings in slot order, then in the order recorded.
    std::vector<std::string> seen;
    store.for_each_pending("PS205", [&](const FileFacts& file, const PendingFinding& pending) {
      CHECK(pending.finding.rule_id == "PS205");
      seen.push_back(file.path + " " + pending.subject);
    });
    CHECK(seen == std::vector<std::string>{"pkg/file0.py a.b.g", "pkg/file0.py a.b.f",
                                           "pkg/file1.py a.b.g", "pkg/file1.py a.b.f",
                                           "pkg/file4.py a.b.g", "pkg/file4.py a.b.f",
                                           "pkg/file5.py a.b.g", "pkg/file5.py a.b.f"});
    seen.clear();
    store.for_each_pending("PS-loop-calls",
                           [&](const FileFacts& file, const PendingFinding& pending) {
                             if (file.path == "pkg/file1.py")
                               CHECK(pending == files[1].database.pending[1]);
                             seen.push_back(pending.subject);
                           });
    CHECK(seen ==
          std::vector<std::string>{"subject of 0", "subject of 1", "subject of 4", "subject of 5"});
    int none = 0;
    store.for_each_pending("PS999", [&](const FileFacts&, const PendingFinding&) { ++none; });
    CHECK(none == 0);
  }
}

TEST_CASE("fact store: a slot is filled once, and more slots can follow", "[facts]") {
  FactStore store(1, 0);
  FileFacts first = every_linked_fact();
  FileFacts second = every_linked_fact();
  second.path = "other.py";
  store.add(0, encode_linked_facts(first));
  store.add(0, encode_linked_facts(second));
  store.add(1, encode_linked_facts(second));  // no such slot yet: ignored
  CHECK(store.path(0) == "a/b.py");
  CHECK_FALSE(store.has(1));
  store.resize(2);
  store.add(1, encode_linked_facts(second));
  CHECK(store.path(1) == "other.py");
  CHECK(store.load(1, fact_part(FactSection::functions)).database.functions ==
        second.database.functions);
  CHECK(store.bytes() > 0);
}

TEST_CASE("fact store: the temporary file leaves nothing behind, and without one memory serves",
          "[facts]") {
  testing::TempDir dir;
  FileFacts facts = every_linked_fact();
  {
    FactStore store(2, 0, dir.path().string());
    store.add(0, encode_linked_facts(facts));
    store.add(1, encode_linked_facts(facts));
    CHECK(store.on_disk());
    CHECK(std::filesystem::is_empty(dir.path()));
    CHECK(store.load(1, fact_part(FactSection::names)).classes == facts.classes);
  }
  CHECK(std::filesystem::is_empty(dir.path()));
  // A folder that is not one: the facts stay in memory, and read back the same.
  dir.write("not-a-folder", "x");
  FactStore store(2, 0, (dir.path() / "not-a-folder").string());
  store.add(0, encode_linked_facts(facts));
  store.add(1, encode_linked_facts(facts));
  CHECK_FALSE(store.on_disk());
  CHECK(store.problem().empty());
  CHECK(store.load(1, fact_part(FactSection::names)).classes == facts.classes);
  int pending = 0;
  store.for_each_pending("PS205", [&](const FileFacts&, const PendingFinding&) { ++pending; });
  CHECK(pending == 4);
}

}  // namespace perfscan
