// JUnit XML for CI systems that show test reports: one testcase per scanned file, with one
// <failure> per finding (a clean file passes); a file that could not be scanned is a testcase
// with an <error>. A scan of nothing is one passing testcase, so the suite is never empty.
#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "report/ci_support.hpp"
#include "report/ci_writers.hpp"
#include "syntax/utf8.hpp"

namespace perfscan {
namespace {

// XML 1.0 allows tab, LF, CR and code points from U+0020 except U+FFFE/U+FFFF; anything else
// (a NUL in a file name, a stray control character) becomes U+FFFD. In attributes the white
// space characters are written as references so they survive attribute normalisation.
std::string xml_escape(std::string_view raw, bool attribute) {
  std::string text = valid_utf8(raw);
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    Utf8Char ch = decode_utf8(text, pos);
    std::string_view bytes(text.data() + pos, ch.length);
    pos += ch.length;
    switch (ch.code_point) {
      case '&':
        out += "&amp;";
        continue;
      case '<':
        out += "&lt;";
        continue;
      case '>':
        out += "&gt;";
        continue;
      case '"':
        out += attribute ? "&quot;" : "\"";
        continue;
      case '\'':
        out += attribute ? "&apos;" : "'";
        continue;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        continue;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        continue;
      case '\r':
        out += "&#13;";
        continue;
      default:
        break;
    }
    bool allowed = ch.code_point >= 0x20 && ch.code_point != 0xFFFE && ch.code_point != 0xFFFF;
    out += allowed ? bytes : std::string_view("\xEF\xBF\xBD");
  }
  return out;
}

std::string attr(std::string_view text) { return xml_escape(text, true); }

struct FileCase {
  std::vector<const Finding*> findings;
  std::vector<const FileError*> errors;
};

void write_case(const std::string& path, const FileCase& file, std::ostream& out) {
  out << fmt::format("    <testcase name=\"{}\" classname=\"perfscan\" file=\"{}\">\n", attr(path),
                     attr(path));
  for (const Finding* finding : file.findings) {
    std::string body =
        fmt::format("{}:{}:{}: {} [{}] {}", finding->path, finding->span.line, finding->span.column,
                    finding->rule_id, severity_name(finding->severity), finding->message);
    if (!finding->suggestion.empty()) body += "\n" + finding->suggestion;
    out << fmt::format(
        "      <failure type=\"{}\" message=\"{}\">{}</failure>\n", attr(finding->rule_id),
        attr(fmt::format("{}:{}: {}", finding->span.line, finding->span.column, finding->message)),
        xml_escape(body, false));
  }
  for (const FileError* error : file.errors) {
    out << fmt::format("      <error type=\"scan-error\" message=\"{}\"/>\n", attr(error->message));
  }
  out << "    </testcase>\n";
}

}  // namespace

void write_junit(const Report& report, std::ostream& out) {
  std::map<std::string, FileCase> files;
  for (const std::string& path : report.scanned_files) files[path];
  for (const Finding& finding : report.findings) files[finding.path].findings.push_back(&finding);
  for (const FileError& error : report.errors) files[error.path].errors.push_back(&error);
  std::size_t tests = std::max<std::size_t>(files.size(), 1);
  auto failures = report.findings.size();
  auto errors = report.errors.size();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format(
      "<testsuites name=\"perfscan\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
      tests, failures, errors, report.stats.seconds);
  out << fmt::format(
      "  <testsuite name=\"perfscan\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
      "time=\"{:.3f}\">\n",
      tests, failures, errors, report.stats.seconds);
  for (const auto& [path, file] : files) write_case(path, file, out);
  if (files.empty()) {
    out << fmt::format("    <testcase name=\"{} files scanned\" classname=\"perfscan\"/>\n",
                       report.summary.files_scanned);
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace perfscan
