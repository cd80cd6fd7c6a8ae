// Impact × effort: the effort table (rules/effort.def) has one row per rule, and the Markdown
// and HTML reviews carry an action plan ordered high impact / low effort first.
#include <catch2/catch.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli_support.hpp"
#include "perfscan/effort.hpp"
#include "html_check.hpp"
#include "perfscan/rule.hpp"
#include "report/review.hpp"
#include "report/writers.hpp"
#include "review_samples.hpp"

namespace perfscan {
namespace {

using testing::contains;
using testing::sample_finding;

TEST_CASE("effort: every rule has exactly one row, every row names a rule, sorted by id") {
  std::set<std::string> rules;
  for (const auto& rule : all_rules()) rules.emplace(rule->info().id);
  std::set<std::string> rows;
  std::string previous;
  for (const auto& [id, effort] : effort_table()) {
    INFO(id);
    CHECK(rules.contains(std::string(id)));
    CHECK(rows.emplace(id).second);
    CHECK(previous < std::string(id));
    previous = std::string(id);
  }
  CHECK(rows == rules);
  CHECK(rule_effort("PS401") == Effort::mechanical);
  CHECK(rule_effort("PS101") == Effort::local_refactor);
  CHECK(rule_effort("PS901") == Effort::design);
  CHECK_FALSE(rule_effort("PS999").has_value());
  CHECK(effort_name(Effort::local_refactor) == "local refactor");
}

// A high-impact mechanical rule (PS401 × 6 medium), a high-impact design rule (PS901 × 5
// medium), a low-impact mechanical rule (PS801 × 1 low) and a low-impact design one (PS204
// once, lowered to low).
Report plan_report() {
  Report report = testing::sample_review_report();
  report.findings.clear();
  for (std::uint32_t line = 1; line <= 6; ++line) {
    report.findings.push_back(
        sample_finding("PS401", "shop/a.py", line, Severity::medium, Category::string_concat));
  }
  for (std::uint32_t line = 1; line <= 5; ++line) {
    report.findings.push_back(
        sample_finding("PS901", "shop/models.py", line, Severity::medium, Category::database));
  }
  report.findings.push_back(
      sample_finding("PS801", "shop/b.py", 2, Severity::low, Category::loops));
  report.findings.push_back(
      sample_finding("PS204", "shop/c.py", 2, Severity::low, Category::n_plus_one));
  summarize_findings(report);
  return report;
}

TEST_CASE("action plan: quadrants high impact / low effort first, each with its findings") {
  Report report = plan_report();
  Review review = build_review(report, ReviewLimits{});
  REQUIRE(review.action_plan.size() == 4);
  CHECK(review.action_plan[0].title == "Quick wins: high impact, low effort");
  CHECK(review.action_plan[0].items.at(0).rule_id == "PS401");
  CHECK(review.action_plan[0].items.at(0).findings.size() == 6);
  CHECK(review.action_plan[0].items.at(0).files == std::vector<std::string>{"shop/a.py"});
  CHECK(review.action_plan[1].items.at(0).rule_id == "PS901");
  CHECK(review.action_plan[2].items.at(0).rule_id == "PS801");
  CHECK(review.action_plan[3].items.at(0).rule_id == "PS204");
}

TEST_CASE("action plan: a profile's share lifts a rule to high impact") {
  Report report = plan_report();
  ProfileMeasures profile;
  profile.findings.assign(report.findings.size(), std::nullopt);
  profile.findings[11] = FindingMeasure{40, 0.4};  // the PS801 finding
  for (std::size_t i = 0; i < report.findings.size(); ++i) profile.ranked.push_back(i);
  report.profile = profile;
  Review review = build_review(report, ReviewLimits{});
  REQUIRE_FALSE(review.action_plan.empty());
  std::vector<std::string> quick;
  for (const ActionItem& item : review.action_plan[0].items) quick.push_back(item.rule_id);
  // PS801 is measured at 40%; PS401's findings the profile never saw count half (impact 6).
  CHECK(quick == std::vector<std::string>{"PS801"});
  CHECK(review.action_plan[0].items[0].share == Approx(0.4));
}

TEST_CASE("action plan: markdown and html print it in order, as a checklist") {
  Report report = plan_report();
  std::ostringstream md;
  write_markdown(report, md);
  const std::string markdown = md.str();
  std::size_t plan = markdown.find("## Action plan");
  REQUIRE(plan != std::string::npos);
  std::size_t quick = markdown.find("### Quick wins: high impact, low effort", plan);
  std::size_t major = markdown.find("### Major projects: high impact, high effort", plan);
  std::size_t fill = markdown.find("### Fill-ins: low impact, low effort", plan);
  std::size_t later = markdown.find("### Later: low impact, high effort", plan);
  CHECK(plan < quick);
  CHECK(quick < major);
  CHECK(major < fill);
  CHECK(fill < later);
  CHECK(contains(markdown, "#### 1. PS401 `string-concat-in-loop`: mechanical, impact 12"));
  CHECK(contains(markdown, "#### 2. PS901 `missing-index`: design, impact 10"));
  CHECK(contains(markdown, "- [ ] `shop/a.py:1:5`"));

  std::ostringstream out;
  write_html(report, out);
  const std::string html = out.str();
  CHECK(testing::check_well_formed(html).empty());
  CHECK(contains(html, "<section id=\"action-plan\">"));
  CHECK(contains(html, "<a href=\"#action-plan\">Action plan</a>"));
  CHECK(contains(html, "<ul class=\"checklist\">"));
  CHECK(html.find("Quick wins") < html.find("Major projects"));
}

TEST_CASE("action plan: a review with no findings has none") {
  Report report = testing::sample_review_report();
  report.findings.clear();
  summarize_findings(report);
  std::ostringstream md;
  write_markdown(report, md);
  CHECK_FALSE(contains(md.str(), "## Action plan"));
}

}  // namespace
}  // namespace perfscan
