// GitHub Actions workflow commands: the runner turns each `::error file=…::message` line into
// an annotation on the pull request. Values are escaped as the runner unescapes them, so a
// hostile file name or message can neither end the command early nor start a new one.
#include <algorithm>
#include <string>

#include "report/ci_support.hpp"
#include "report/ci_writers.hpp"

namespace perfscan {
namespace {

std::string_view command_for(Severity severity) {
  switch (severity) {
    case Severity::critical:
    case Severity::high:
      return "error";
    case Severity::medium:
      return "warning";
    case Severity::low:
      return "notice";
  }
  return "warning";
}

// The message after `::`: '%', CR and LF.
std::string escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A property value: the same, plus ':' and ',' which end a value.
std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    switch (c) {
      case ':':
        out += "%3A";
        break;
      case ',':
        out += "%2C";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void write_finding(const Finding& finding, std::ostream& out, const std::filesystem::path& root) {
  std::string message = message_with_help(finding);
  const Span span = ci_span(finding);
  out << "::" << command_for(finding.severity)
      << " file=" << escape_property(ci_path(finding, root)) << ",line=" << span.line
      << ",col=" << span.column << ",endLine=" << std::max(span.end_line, span.line)
      << ",endColumn=" << span.end_column << ",title=" << escape_property(finding.rule_id)
      << "::" << escape_data(message) << '\n';
}

}  // namespace

void write_github(const Report& report, std::ostream& out, const std::filesystem::path& root) {
  for (const Finding& finding : report.findings) write_finding(finding, out, root);
  for (const FileError& error : report.errors) {
    Finding where;
    where.path = error.path;
    out << "::" << (error.analysed ? "warning" : "error")
        << " file=" << escape_property(ci_path(where, root))
        << ",title=perfscan::" << escape_data(error.message) << '\n';
  }
}

}  // namespace perfscan
