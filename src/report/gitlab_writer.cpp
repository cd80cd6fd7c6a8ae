// GitLab Code Quality: a JSON array of Code Climate issues. GitLab shows them in merge
// requests, matching issues between pipelines by `fingerprint`, which must be unique.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/ci_support.hpp"
#include "report/ci_writers.hpp"

namespace perfscan {
namespace {

using Json = nlohmann::ordered_json;

// GitLab's scale is info < minor < major < critical < blocker; blocker is left for problems
// that stop a build, which a performance finding never is.
std::string_view gitlab_severity(Severity severity) {
  switch (severity) {
    case Severity::critical:
      return "critical";
    case Severity::high:
      return "major";
    case Severity::medium:
      return "minor";
    case Severity::low:
      return "info";
  }
  return "minor";
}

}  // namespace

void write_gitlab(const Report& report, std::ostream& out, const std::filesystem::path& root) {
  Json issues = Json::array();
  for (const Finding& finding : report.findings) {
    std::string path = ci_path(finding, root);
    std::string description = finding.rule_id + ": " + finding.message;
    if (finding.cell != 0) {
      description = fmt::format("{}: cell {}, line {}: {}", finding.rule_id, finding.cell,
                                finding.cell_line, finding.message);
    }
    const Span span = ci_span(finding);
    issues.push_back(
        Json{{"type", "issue"},
             {"description", description},
             {"check_name", finding.rule_id},
             {"categories", Json::array({"Performance"})},
             {"fingerprint", located_fingerprint(path, finding)},
             {"severity", gitlab_severity(finding.severity)},
             {"location",
              Json{{"path", path},
                   {"lines", Json{{"begin", span.line},
                                  {"end", std::max(span.end_line, span.line)}}}}}});
  }
  out << issues.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace perfscan
