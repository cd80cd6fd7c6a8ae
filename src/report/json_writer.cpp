// JSON output, schema_version 1. The key order is part of the format (diffs between runs stay
// readable), hence ordered_json.
#include <cmath>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "perfscan/effort.hpp"
#include "perfscan/rule.hpp"
#include "report/json_finding.hpp"
#include "report/writers.hpp"

namespace perfscan {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kSchemaVersion = 1;

Json severity_counts(const Summary& summary) {
  Json counts = Json::object();
  for (Severity severity : kAllSeverities) {
    counts[std::string(severity_name(severity))] =
        summary.by_severity.at(static_cast<std::size_t>(severity));
  }
  return counts;
}

// Every category is listed, zeros included, so consumers never have to test for a key.
Json category_counts(const Summary& summary) {
  Json counts = Json::object();
  for (Category category : kAllCategories) {
    counts[std::string(category_id(category))] =
        summary.by_category.at(static_cast<std::size_t>(category));
  }
  return counts;
}

Json rule_counts(const Summary& summary) {
  Json counts = Json::object();
  for (const auto& [rule_id, count] : summary.by_rule) counts[rule_id] = count;
  return counts;
}

// Shares rounded to four places: enough to rank by, and stable in diffs.
double rounded_share(double share) { return std::round(share * 10000.0) / 10000.0; }

Json file_list(const Report& report) {
  Json files = Json::array();
  for (const FileSummary& file : report.summary.files) {
    Json json{{"path", file.path}, {"findings", file.findings}, {"score", file.score}};
    if (report.profile) json["share"] = rounded_share(file.share);
    files.push_back(std::move(json));
  }
  return files;
}

Json summary_json(const Report& report) {
  const Summary& summary = report.summary;
  Json json = Json::object();
  json["files_scanned"] = summary.files_scanned;
  json["lines_scanned"] = summary.lines_scanned;
  json["total"] = summary.total;
  json["by_severity"] = severity_counts(summary);
  json["by_category"] = category_counts(summary);
  json["by_rule"] = rule_counts(summary);
  json["files"] = file_list(report);
  // The test profile in effect and the findings in test code it left out (--tests full).
  json["test_profile"] = std::string(test_profile_name(report.setup.options.tests));
  json["hidden_in_tests"] = summary.hidden_in_tests;
  return json;
}

// With a profile, findings come in rank order (severity and share together) and each one in a
// function the profile saw says how much of it: {"samples": N, "share": S}.
Json findings_json(const Report& report) {
  Json findings = Json::array();
  if (!report.profile) {
    for (const Finding& finding : report.findings) findings.push_back(finding_to_json(finding));
    return findings;
  }
  for (std::size_t i : report.profile->ranked) {
    Json json = finding_to_json(report.findings[i]);
    if (const auto& measure = report.profile->findings[i]) {
      json["profile"] = Json{{"samples", measure->samples}, {"share", rounded_share(measure->share)}};
    }
    findings.push_back(std::move(json));
  }
  return findings;
}

// The `profile` block: what was read, the hottest functions of the scanned code with their
// findings (by fingerprint), and the frames outside it.
Json profile_json(const Report& report) {
  const ProfileMeasures& profile = *report.profile;
  Json hot = Json::array();
  for (const HotFunction& function : profile.hot) {
    Json findings = Json::array();
    for (std::size_t i : function.findings) {
      const Finding& finding = report.findings[i];
      findings.push_back(Json{{"rule", finding.rule_id},
                              {"line", finding.span.line},
                              {"severity", std::string(severity_name(finding.severity))},
                              {"fingerprint", finding.fingerprint}});
    }
    hot.push_back(Json{{"path", function.path},
                       {"function", function.name},
                       {"line", function.line},
                       {"end_line", function.end_line},
                       {"samples", function.samples},
                       {"share", rounded_share(function.share)},
                       {"findings", std::move(findings)}});
  }
  Json unmatched = Json::array();
  for (const UnmatchedFrame& frame : profile.top_unmatched) {
    unmatched.push_back(Json{{"frame", frame.frame}, {"samples", frame.samples}});
  }
  std::size_t measured = 0;
  for (const auto& measure : profile.findings) measured += measure ? 1 : 0;
  return Json{{"sources", profile.sources},
              {"samples", profile.total_samples},
              {"stacks", profile.stacks},
              {"measured_findings", measured},
              {"hot_functions", std::move(hot)},
              {"unmatched_frames", profile.unmatched_frames},
              {"unmatched_samples", profile.unmatched_samples},
              {"top_unmatched", std::move(unmatched)},
              {"warnings", profile.warnings}};
}

Json errors_json(const Report& report) {
  Json errors = Json::array();
  for (const FileError& error : report.errors) {
    errors.push_back(Json{{"path", error.path}, {"message", error.message}});
  }
  return errors;
}

// Milliseconds are all the precision a timing deserves; more would only add noise to diffs.
double rounded_seconds(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }

Json stats_json(const ScanStats& stats) {
  Json json = Json{{"seconds", rounded_seconds(stats.seconds)},
                   {"link_seconds", rounded_seconds(stats.link_seconds)},
                   {"jobs", stats.jobs}};
  // The result cache's counters: all zero when it is off.
  json["cache"] = Json{{"enabled", stats.cache_enabled},
                       {"hits", stats.cache_hits},
                       {"misses", stats.cache_misses},
                       {"write_failures", stats.cache_write_failures}};
  return json;
}

// `--compare`: the new findings by fingerprint, the fixed ones in brief, and the counts per
// severity and category before and now.
Json comparison_json(const Report& report) {
  const Comparison& c = *report.comparison;
  Json added = Json::array();
  for (std::size_t i : c.added) {
    const Finding& finding = report.findings[i];
    added.push_back(Json{{"rule", finding.rule_id}, {"path", finding.path},
                         {"line", finding.span.line}, {"fingerprint", finding.fingerprint}});
  }
  Json fixed = Json::array();
  for (const PreviousFinding& finding : c.fixed) {
    fixed.push_back(Json{{"rule", finding.rule}, {"path", finding.path}, {"line", finding.line},
                         {"severity", std::string(severity_name(finding.severity))}});
  }
  Json severity = Json::object();
  for (Severity s : kAllSeverities) {
    auto i = static_cast<std::size_t>(s);
    severity[std::string(severity_name(s))] =
        Json{{"before", c.before_severity.at(i)}, {"now", c.after_severity.at(i)}};
  }
  Json category = Json::object();
  for (Category k : kAllCategories) {
    auto i = static_cast<std::size_t>(k);
    category[std::string(category_id(k))] =
        Json{{"before", c.before_category.at(i)}, {"now", c.after_category.at(i)}};
  }
  return Json{{"previous", c.source},        {"new", c.added.size()},
              {"fixed", c.fixed.size()},     {"remaining", c.remaining},
              {"by_severity", severity},     {"by_category", category},
              {"new_findings", std::move(added)}, {"fixed_findings", std::move(fixed)}};
}

}  // namespace

Json finding_to_json(const Finding& finding) {
  Json json = Json::object();
  json["rule"] = finding.rule_id;
  json["name"] = finding.rule_name;
  json["category"] = std::string(category_id(finding.category));
  json["severity"] = std::string(severity_name(finding.severity));
  json["path"] = finding.path;
  json["line"] = finding.span.line;
  json["column"] = finding.span.column;
  json["end_line"] = finding.span.end_line;
  json["end_column"] = finding.span.end_column;
  if (finding.cell != 0) {
    json["cell"] = finding.cell;
    json["cell_line"] = finding.cell_line;
  }
  json["message"] = finding.message;
  json["suggestion"] = finding.suggestion;
  json["fingerprint"] = finding.fingerprint;
  // The tier of the rule (rules/traits.def): CI can tell extended-tier findings apart.
  const Rule* rule = find_rule(finding.rule_id);
  json["tier"] = std::string(tier_name(rule != nullptr ? rule->traits().tier : Tier::extended));
  // What the fix takes (rules/effort.def), so a consumer can pick the cheap fixes first as the
  // review's action plan does.
  json["effort"] = std::string(effort_name(effort_of(finding.rule_id)));
  // Only on findings that have one: the edits `--fix` (safe) or `--unsafe-fixes` would make,
  // as 1-based lines and character columns (end exclusive), like the finding's own span.
  if (finding.fix) {
    Json edits = Json::array();
    for (const Edit& edit : finding.fix->edits) {
      edits.push_back(Json{{"line", edit.span.line},
                           {"column", edit.span.column},
                           {"end_line", edit.span.end_line},
                           {"end_column", edit.span.end_column},
                           {"content", edit.content}});
    }
    json["fix"] = Json{{"applicability", std::string(fix_safety_name(finding.fix->safety))},
                       {"edits", std::move(edits)}};
  }
  return json;
}

void write_json(const Report& report, std::ostream& out) {
  Json document = Json::object();
  document["tool"] = Json{{"name", "perfscan"}, {"version", report.tool_version}};
  document["schema_version"] = kSchemaVersion;
  document["summary"] = summary_json(report);
  if (report.profile) document["profile"] = profile_json(report);
  if (report.comparison) document["comparison"] = comparison_json(report);
  document["findings"] = findings_json(report);
  document["errors"] = errors_json(report);
  document["stats"] = stats_json(report.stats);
  // Paths and messages can carry bytes from a user's broken file: replace invalid UTF-8
  // (with U+FFFD) rather than let the dump throw and lose the whole report.
  out << document.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace perfscan
