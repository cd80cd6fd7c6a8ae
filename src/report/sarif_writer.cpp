// SARIF 2.1.0 (OASIS), shaped for GitHub code scanning: every rule in the driver with its
// documentation, each finding as a result with a repository-relative location and a
// partial fingerprint so alerts survive unrelated edits.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/paths.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/version.hpp"
#include "report/ci_support.hpp"
#include "report/ci_writers.hpp"

namespace perfscan {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr std::string_view kSourceRoot = "%SRCROOT%";

std::string_view sarif_level(Severity severity) {
  switch (severity) {
    case Severity::critical:
    case Severity::high:
      return "error";
    case Severity::medium:
      return "warning";
    case Severity::low:
      return "note";
  }
  return "warning";
}

// RFC 3986: everything but unreserved characters and '/' is percent-encoded, so a file named
// "a b#1.py" stays one path.
std::string uri_path(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

Json artifact_location(const std::string& relative) {
  if (!relative.empty() && relative.front() == '/')
    return Json{{"uri", "file://" + uri_path(relative)}};
  return Json{{"uri", uri_path(relative)}, {"uriBaseId", kSourceRoot}};
}

// The rule's markdown as the repository shows it on the main branch: an address that stays
// put while the rule exists. Empty for a rule without a doc (none today: test_rule_table).
std::string help_uri(std::string_view id) {
  std::string_view path = rule_doc_path(id);
  return path.empty() ? std::string{} : fmt::format("{}/blob/main/{}", homepage_url(), path);
}

Json rule_json(const Rule& registered) {
  const RuleInfo& info = registered.info();
  std::string doc(rule_doc(info.id));
  std::string description = rule_description(doc);
  if (description.empty()) description = std::string(info.summary);
  Json rule = Json::object();
  rule["id"] = info.id;
  rule["name"] = info.name;
  rule["shortDescription"] = Json{{"text", info.summary}};
  rule["fullDescription"] = Json{{"text", description}};
  if (std::string uri = help_uri(info.id); !uri.empty()) rule["helpUri"] = uri;
  rule["help"] = Json{
      {"text", fmt::format("{}. Run `perfscan --explain {}` for details.", info.summary, info.id)},
      {"markdown", doc + traits_section(registered.traits())}};
  rule["defaultConfiguration"] = Json{{"level", sarif_level(info.severity)}};
  rule["properties"] = Json{{"tags", Json::array({"performance", category_id(info.category)})},
                            {"severity", severity_name(info.severity)},
                            {"tier", tier_name(registered.traits().tier)},
                            {"precision", precision_text(registered.traits().precision)}};
  return rule;
}

Json region_json(const Span& span) {
  // SARIF lines and columns start at 1; end_column is exclusive in both perfscan and SARIF.
  std::uint32_t line = std::max<std::uint32_t>(span.line, 1);
  std::uint32_t column = std::max<std::uint32_t>(span.column, 1);
  std::uint32_t end_line = std::max(span.end_line, line);
  std::uint32_t end_column = span.end_column;
  if (end_line == line) end_column = std::max(end_column, column);
  end_column = std::max<std::uint32_t>(end_column, 1);
  return Json{{"startLine", line},
              {"startColumn", column},
              {"endLine", end_line},
              {"endColumn", end_column}};
}

// SARIF 2.1.0 §3.55: one artifactChange for the finding's file, each edit a replacement of a
// region (empty for an insertion) by the inserted text. Whether `--fix` applies it by default
// is in the description and in properties.applicability.
Json fix_json(const Fix& fix, const std::string& relative) {
  Json replacements = Json::array();
  for (const Edit& edit : fix.edits) {
    Span span = edit.span;
    Json region = Json{{"startLine", std::max<std::uint32_t>(span.line, 1)},
                       {"startColumn", std::max<std::uint32_t>(span.column, 1)},
                       {"endLine", std::max<std::uint32_t>(span.end_line, 1)},
                       {"endColumn", std::max<std::uint32_t>(span.end_column, 1)}};
    replacements.push_back(Json{{"deletedRegion", region}, {"insertedContent", Json{{"text", edit.content}}}});
  }
  std::string_view safety = fix_safety_name(fix.safety);
  return Json{{"description",
               Json{{"text", fix.safety == FixSafety::safe
                                 ? std::string("Safe fix: `perfscan --fix` applies it")
                                 : std::string("Unsafe fix (may change behaviour): `perfscan "
                                               "--fix --unsafe-fixes` applies it")}}},
              {"artifactChanges",
               Json::array({Json{{"artifactLocation", artifact_location(relative)},
                                 {"replacements", replacements}}})},
              {"properties", Json{{"applicability", safety}}}};
}

Json result_json(const Finding& finding, const std::filesystem::path& root,
                 const std::map<std::string, std::size_t>& rule_index) {
  std::string relative = ci_path(finding, root);
  std::string text = message_with_help(finding);
  Json result = Json::object();
  result["ruleId"] = finding.rule_id;
  if (auto index = rule_index.find(finding.rule_id); index != rule_index.end()) {
    result["ruleIndex"] = index->second;
  }
  result["level"] = sarif_level(finding.severity);
  result["message"] = Json{{"text", text}};
  result["locations"] =
      Json::array({Json{{"physicalLocation", Json{{"artifactLocation", artifact_location(relative)},
                                                  {"region", region_json(ci_span(finding))}}}}});
  result["partialFingerprints"] = Json{{"perfscan/v1", located_fingerprint(relative, finding)}};
  result["properties"] = Json{{"severity", severity_name(finding.severity)},
                              {"category", category_id(finding.category)}};
  if (finding.fix) result["fixes"] = Json::array({fix_json(*finding.fix, relative)});
  return result;
}

// Files that could not be scanned are tool notifications: they are not findings, but a
// reviewer must see that part of the code went unchecked.
Json invocation_json(const Report& report, const std::filesystem::path& root) {
  Json notifications = Json::array();
  for (const FileError& error : report.errors) {
    Finding where;
    where.path = error.path;
    notifications.push_back(Json{
        {"level", error.analysed ? "warning" : "error"},
        {"message", Json{{"text", error.message}}},
        {"locations", Json::array({Json{{"physicalLocation",
                                         Json{{"artifactLocation",
                                               artifact_location(ci_path(where, root))}}}}})}});
  }
  return Json{{"executionSuccessful", true}, {"toolExecutionNotifications", notifications}};
}

}  // namespace

void write_sarif(const Report& report, std::ostream& out,
                 const std::filesystem::path& source_root) {
  Json rules = Json::array();
  std::map<std::string, std::size_t> rule_index;
  for (const auto& rule : all_rules()) {
    rule_index.emplace(std::string(rule->info().id), rules.size());
    rules.push_back(rule_json(*rule));
  }
  Json results = Json::array();
  for (const Finding& finding : report.findings)
    results.push_back(result_json(finding, source_root, rule_index));

  Json driver = Json{{"name", "perfscan"},
                     {"informationUri", homepage_url()},
                     {"version", report.tool_version},
                     {"semanticVersion", report.tool_version},
                     {"rules", std::move(rules)}};
  Json run = Json::object();
  run["tool"] = Json{{"driver", std::move(driver)}};
  run["originalUriBaseIds"] = Json{
      {kSourceRoot,
       Json{{"uri", "file://" + uri_path(normal_absolute(source_root).generic_string()) + "/"}}}};
  run["columnKind"] = "unicodeCodePoints";
  run["invocations"] = Json::array({invocation_json(report, source_root)});
  run["results"] = std::move(results);
  Json document =
      Json{{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", Json::array({std::move(run)})}};
  out << document.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace perfscan
