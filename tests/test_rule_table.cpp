// The rule table (rules/traits.def): one row per rule, the tiers rule selection reads, the docs
// that must not contradict it, and the policies it drives (one-time paths, the test profile).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "perfscan/engine.hpp"
#include "perfscan/errors.hpp"
#include "perfscan/rule.hpp"
#include "test_support.hpp"

namespace perfscan {
namespace {

// A rule that checks nothing: selection only reads its metadata and traits.
class FakeRule final : public Rule {
 public:
  FakeRule(std::string_view id, std::string_view name, Category category, Tier tier)
      : Rule(RuleInfo{id, name, category, Severity::low, "fake"},
             RuleTraits{tier, {}, InTests::applies, CostScale::fixed}) {}
  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {}; }
  void check(Node, Context&) const override {}
};

// Two default-tier rules and two extended ones in two categories.
struct FakeRules {
  FakeRule concat{"PS401", "string-concat-in-loop", Category::string_concat, Tier::standard};
  FakeRule plain_local{"PS404", "plain-local-concat", Category::string_concat, Tier::extended};
  FakeRule nested{"PS101", "nested-loop", Category::nested_loops, Tier::standard};
  FakeRule keys_view{"PS105", "keys-view-membership", Category::nested_loops, Tier::extended};
  std::vector<const Rule*> all{&concat, &plain_local, &nested, &keys_view};
};

std::vector<std::string> selected(const FakeRules& rules, const std::vector<std::string>& select,
                                  const std::vector<std::string>& ignore = {},
                                  const std::vector<std::string>& extend_select = {}) {
  std::vector<std::string> ids;
  for (const Rule* rule : select_rules_from(rules.all, select, ignore, extend_select)) {
    ids.emplace_back(rule->info().id);
  }
  return ids;
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("rule table: one row per registered rule, sorted by id, and the registry attaches it") {
  std::vector<std::string_view> row_ids;
  for (const RuleTableRow& row : rule_table()) row_ids.push_back(row.id);
  CHECK(std::is_sorted(row_ids.begin(), row_ids.end()));
  CHECK(std::adjacent_find(row_ids.begin(), row_ids.end()) == row_ids.end());
  std::vector<std::string_view> rule_ids_registered;
  for (const auto& rule : all_rules()) rule_ids_registered.push_back(rule->info().id);
  CHECK(row_ids == rule_ids_registered);
  for (const auto& rule : all_rules()) {
    INFO(rule->info().id);
    const RuleTableRow* row = rule_table_row(rule->info().id);
    REQUIRE(row != nullptr);
    CHECK(rule->traits().tier == row->traits.tier);
    CHECK(rule->traits().in_tests == row->traits.in_tests);
    CHECK(rule->traits().cost == row->traits.cost);
    CHECK(rule->traits().precision.where == row->traits.precision.where);
  }
}

TEST_CASE("rule table: a default-tier rule that was measured is at least 90% right") {
  for (const auto& rule : all_rules()) {
    const RuleTraits& traits = rule->traits();
    if (traits.tier != Tier::standard || !traits.precision.measured()) continue;
    // PS000 is the analyser's own diagnostic (a file it could not parse), not a performance
    // claim: rules/traits.def keeps it in the default tier whatever its sample says.
    if (rule->info().id == "PS000") continue;
    INFO(rule->info().id << ": " << precision_text(traits.precision));
    REQUIRE(traits.precision.percent().has_value());
    CHECK(*traits.precision.percent() >= 90.0);
  }
}

TEST_CASE("rule table: every rule but PS000, PS604 and PS901 is exempt in test code") {
  // Tests block, poll, fire tasks, import and query in loops on purpose, and walk small
  // fixtures: every cost model but the parse diagnostic, the cache that keeps every instance
  // alive (a test session is long-lived too) and the index advice (schema, not test code)
  // assumes production data.
  std::set<std::string> exempt;
  for (const auto& rule : all_rules()) exempt.insert(std::string(rule->info().id));
  exempt.erase("PS000");
  exempt.erase("PS604");
  exempt.erase("PS901");
  for (const auto& rule : all_rules()) {
    INFO(rule->info().id);
    CHECK((rule->traits().in_tests == InTests::exempt) ==
          exempt.contains(std::string(rule->info().id)));
  }
}

TEST_CASE(
    "rule table: no rule doc states a tier other than the table's, nor its own tier section") {
  // The tier, precision and cost traits are appended to --explain from the table
  // (traits_section); a doc that restates them would drift.
  static const std::regex kTierMention(R"(\b(default|extended)`?\s+tier\b)", std::regex::icase);
  for (const auto& rule : all_rules()) {
    std::string doc(rule_doc(rule->info().id));
    INFO(rule->info().id);
    REQUIRE_FALSE(doc.empty());
    CHECK(doc.find("## Tier") == std::string::npos);
    std::string tier(tier_name(rule->traits().tier));
    for (std::sregex_iterator it(doc.begin(), doc.end(), kTierMention), end; it != end; ++it) {
      std::string said = (*it)[1].str();
      std::transform(said.begin(), said.end(), said.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      INFO("the doc says: " << it->str());
      CHECK(said == tier);
    }
  }
}

TEST_CASE("rule table: each rule's doc path names its file in the source tree") {
  // SARIF's helpUri and the installed docs point at that path.
  for (const auto& rule : all_rules()) {
    std::string_view id = rule->info().id;
    std::string path(rule_doc_path(id));
    INFO(id);
    CHECK(path.starts_with("rules/"));
    CHECK(std::filesystem::path(path).filename() == std::string(id) + ".md");
    CHECK(std::filesystem::is_regular_file(std::filesystem::path(PERFSCAN_SOURCE_DIR) / path));
  }
  CHECK(rule_doc_path("PS999").empty());
}

TEST_CASE("rule table: --explain's section is generated from the traits") {
  RuleTraits traits{Tier::extended,
                    Precision{27, 3, 2, "blind read 2026-12, 16 library + 16 application findings"},
                    InTests::exempt, CostScale::per_iteration};
  std::string section = traits_section(traits);
  CHECK(section.starts_with("\n## Tier and precision\n\n"));
  CHECK(section.find("- **Tier:** extended (runs with `--select ALL`") != std::string::npos);
  CHECK(section.find("- **Measured precision:** 90.0% (27 right, 3 wrong, 2 unclear of 32), blind "
                     "read 2026-12, "
                     "16 library + 16 application findings.\n") != std::string::npos);
  CHECK(section.find("the `relaxed` test profile (the default) hides its findings in test code") !=
        std::string::npos);
  CHECK(section.find("is lowered one step") != std::string::npos);

  CHECK(precision_text(Precision{}) == "not yet measured");
  CHECK(precision_text(Precision{0, 0, 4, "somewhere"}) ==
        "no judged findings (0 right, 0 wrong, 4 unclear of 4)");
  std::string fixed =
      traits_section(RuleTraits{Tier::standard, {}, InTests::applies, CostScale::fixed});
  CHECK(fixed.find("- **Tier:** default (runs unless deselected)") != std::string::npos);
  CHECK(fixed.find("- **Measured precision:** not yet measured.") != std::string::npos);
  CHECK(fixed.find("one-time paths do not lower it") != std::string::npos);
}

TEST_CASE(
    "selection: the default run takes the default tier; ALL and extend-select add the extended "
    "one") {
  FakeRules rules;
  SECTION("no selection: default-tier rules only") {
    CHECK(selected(rules, {}) == Ids{"PS101", "PS401"});
  }
  SECTION("--select ALL: both tiers") {
    CHECK(selected(rules, {"ALL"}) == Ids{"PS101", "PS105", "PS401", "PS404"});
  }
  SECTION("a rule named by id or name is selected whatever its tier") {
    CHECK(selected(rules, {"PS404"}) == Ids{"PS404"});
    CHECK(selected(rules, {"keys-view-membership", "PS401"}) == Ids{"PS105", "PS401"});
  }
  SECTION("a prefix or a category in --select takes its default-tier rules") {
    CHECK(selected(rules, {"PS4"}) == Ids{"PS401"});
    CHECK(selected(rules, {"nested-loops"}) == Ids{"PS101"});
  }
  SECTION("extend-select takes both tiers, on top of the default run or of --select") {
    CHECK(selected(rules, {}, {}, {"PS4"}) == Ids{"PS101", "PS401", "PS404"});
    CHECK(selected(rules, {}, {}, {"ALL"}) == Ids{"PS101", "PS105", "PS401", "PS404"});
    CHECK(selected(rules, {"PS1"}, {}, {"string-concat"}) == Ids{"PS101", "PS401", "PS404"});
  }
  SECTION("ignore removes rules of both tiers") {
    CHECK(selected(rules, {"ALL"}, {"PS4"}) == Ids{"PS101", "PS105"});
    CHECK(selected(rules, {}, {"nested-loops"}, {"ALL"}) == Ids{"PS401", "PS404"});
  }
  SECTION("a group with only extended rules is known, though --select takes nothing from it") {
    CHECK(selected(rules, {"PS40"}) == Ids{"PS401"});
    CHECK(selected(rules, {"PS404", "PS10"}) == Ids{"PS101", "PS404"});
  }
  SECTION("an unknown selector is an error wherever it appears") {
    CHECK_THROWS_AS(selected(rules, {"PS9"}), UsageError);
    CHECK_THROWS_AS(selected(rules, {}, {"nope"}), UsageError);
    CHECK_THROWS_AS(selected(rules, {}, {}, {"PS7"}), UsageError);
  }
}

TEST_CASE("selection: the registry's default run is the table's default tier") {
  std::vector<std::string_view> standard;
  std::vector<std::string_view> every;
  for (const auto& rule : all_rules()) {
    every.push_back(rule->info().id);
    if (rule->traits().tier == Tier::standard) standard.push_back(rule->info().id);
  }
  CHECK(rule_ids(select_rules({}, {})) == standard);
  CHECK(rule_ids(select_rules({"ALL"}, {})) == every);
  CHECK(rule_ids(select_rules({}, {}, {"ALL"})) == every);
  CHECK(rule_ids(rules_matching({"PS4"})).size() == 3);
}

TEST_CASE("one-time paths: per-iteration costs are lowered one step, per-call ones only in loops") {
  RuleTraits per_iteration{Tier::standard, {}, InTests::applies, CostScale::per_iteration};
  RuleTraits per_call{Tier::standard, {}, InTests::applies, CostScale::per_call};
  RuleTraits fixed{Tier::standard, {}, InTests::applies, CostScale::fixed};
  const LoopPlace none = LoopPlace::none;
  const LoopPlace in_for = LoopPlace::for_loops;
  const LoopPlace in_while = LoopPlace::while_loop;
  auto lowered = [](const RuleTraits& traits, Severity severity, std::string_view reason,
                    LoopPlace place) {
    return lowered_on_one_time_path(traits, severity, reason, place);
  };
  CHECK(lowered(per_iteration, Severity::critical, "`__init__`", none) == Severity::high);
  CHECK(lowered(per_iteration, Severity::high, "`__init__`", in_for) == Severity::medium);
  CHECK(lowered(per_iteration, Severity::medium, "module top level", in_for) == Severity::low);
  CHECK_FALSE(lowered(per_iteration, Severity::low, "module top level", in_for).has_value());
  CHECK_FALSE(lowered(per_iteration, Severity::high, "", in_for).has_value());
  CHECK(lowered(per_call, Severity::critical, "CLI `main()`", in_for) == Severity::high);
  CHECK_FALSE(lowered(per_call, Severity::high, "CLI `main()`", none).has_value());
  CHECK_FALSE(lowered(fixed, Severity::high, "module top level", in_for).has_value());
  // A `while` loop on a one-time path is a service loop: nothing in it is lowered.
  CHECK_FALSE(lowered(per_iteration, Severity::high, "CLI `main()`", in_while).has_value());
  CHECK_FALSE(lowered(per_call, Severity::critical, "CLI `main()`", in_while).has_value());
  CHECK(one_time_note("module top level") == " (lowered one step: runs once, at module top level)");
  CHECK(one_time_note("Django `AppConfig.ready()`") ==
        " (lowered one step: runs once, in Django `AppConfig.ready()`)");
}

TEST_CASE("one-time paths: the message of a lowered finding says why, once, and others do not") {
  ScanOptions options;
  options.paths = {std::string(PERFSCAN_SOURCE_DIR) + "/tests/fixtures/one_time_paths.py"};
  options.select = {"PS101", "PS302"};
  options.tests = TestProfile::full;
  options.jobs = 1;
  Report report = scan(options);
  std::map<std::uint32_t, std::string> messages;
  for (const Finding& finding : report.findings) messages[finding.span.line] = finding.message;
  REQUIRE(messages.size() >= 10);
  auto note_count = [](const std::string& message) {
    std::size_t count = 0;
    for (std::size_t at = message.find("(lowered one step"); at != std::string::npos;
         at = message.find("(lowered one step", at + 1)) {
      ++count;
    }
    return count;
  };
  for (const Finding& finding : report.findings) {
    INFO(finding.span.line << ": " << finding.message);
    bool lowered = !finding.lowered_on.empty();
    CHECK(note_count(finding.message) == (lowered ? 1U : 0U));
    if (lowered) CHECK(finding.message.ends_with(one_time_note(finding.lowered_on)));
  }
  // Spot checks, by the reason each path gives.
  auto message_containing = [&](std::string_view reason) {
    return std::any_of(messages.begin(), messages.end(), [&](const auto& item) {
      return item.second.find(reason) != std::string::npos;
    });
  };
  CHECK(message_containing("runs once, at module top level)"));
  CHECK(message_containing("runs once, in `__init__`)"));
  CHECK(message_containing("runs once, in Django `AppConfig.ready()`)"));
  CHECK(message_containing("runs once, in CLI `main()`)"));
  CHECK(message_containing("runs once, in start-up `setup()`)"));
}

}  // namespace perfscan
