// Fuzz target: Python source bytes through the whole public pipeline. The bytes are scanned as
// one file given on standard input (decode, parse, the walk with every rule, the link step),
// then the report is written in every format and the machine-readable ones are checked: JSON,
// SARIF and GitLab parse, every JSON line parses, and the HTML is well-formed. Any exception
// that escapes scan() or a writer is a bug (libFuzzer reports it as a crash), and so is a
// finding whose position cannot exist in the file.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "html_check.hpp"
#include "perfscan/engine.hpp"
#include "report/ci_writers.hpp"
#include "report/writers.hpp"

namespace {

using perfscan::Report;

[[noreturn]] void fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "fuzz_source: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

perfscan::ScanOptions options_for(std::string source) {
  perfscan::ScanOptions options;
  options.paths = {"-"};
  options.stdin_filename = "pkg/fuzzed.py";  // a module in a package: module names are derived
  options.stdin_text = std::move(source);
  options.select = {"ALL"};
  options.jobs = 1;
  // Half the inputs run with a target version, which switches the rules that read it (PS803).
  // Taken from the size rather than a byte so every input stays plain Python source.
  if (options.stdin_text->size() % 2 == 1) options.target_version = "3.10";
  return options;
}

// Every finding lies inside the file: 1-based, its end not before its start, and on a line
// the file has (one past the last line for a missing token at the very end).
void check_positions(const Report& report) {
  const std::uint64_t lines = report.summary.lines_scanned;
  for (const perfscan::Finding& finding : report.findings) {
    const perfscan::Span& span = finding.span;
    bool valid = span.line >= 1 && span.column >= 1 && span.line <= lines + 1 &&
                 (span.end_line > span.line ||
                  (span.end_line == span.line && span.end_column >= span.column));
    if (!valid) {
      fail("finding outside the file",
           finding.rule_id + " at " + std::to_string(span.line) + ":" +
               std::to_string(span.column) + "-" + std::to_string(span.end_line) + ":" +
               std::to_string(span.end_column) + " in a file of " + std::to_string(lines) +
               " lines");
    }
  }
}

nlohmann::json parsed_json(const std::string& text, std::string_view format) {
  nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded()) fail(format, "not valid JSON");
  return document;
}

void check_json(const Report& report) {
  std::ostringstream out;
  perfscan::write_json(report, out);
  nlohmann::json document = parsed_json(out.str(), "json");
  if (document.at("findings").size() != report.findings.size()) {
    fail("json", "the number of findings differs from the report's");
  }
}

void check_ci_formats(const Report& report) {
  const std::filesystem::path root = "/nonexistent-root";
  std::ostringstream sarif;
  perfscan::write_sarif(report, sarif, root);
  (void)parsed_json(sarif.str(), "sarif");
  std::ostringstream gitlab;
  perfscan::write_gitlab(report, gitlab, root);
  (void)parsed_json(gitlab.str(), "gitlab");
  std::ostringstream lines;
  perfscan::write_json_lines(report, lines);
  std::istringstream in(lines.str());
  for (std::string line; std::getline(in, line);) (void)parsed_json(line, "json-lines");
  std::ostringstream ignored;
  perfscan::write_github(report, ignored, root);
  perfscan::write_junit(report, ignored);
  perfscan::write_grouped(report, ignored);
}

void check_human_formats(const Report& report) {
  std::ostringstream html;
  perfscan::write_html(report, html);
  if (std::string problem = perfscan::testing::check_well_formed(html.str()); !problem.empty()) {
    fail("html", problem);
  }
  std::ostringstream ignored;
  perfscan::write_text(report, ignored, perfscan::TextStyle{true, false, true});
  perfscan::write_markdown(report, ignored);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string source(reinterpret_cast<const char*>(data), size);
  Report report = perfscan::scan(options_for(std::move(source)));
  check_positions(report);
  check_json(report);
  check_ci_formats(report);
  check_human_formats(report);
  return 0;
}
