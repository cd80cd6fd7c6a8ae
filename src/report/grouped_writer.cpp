// Grouped text, as linters offer it: the file name once, its findings indented below it with
// line:column, rule, severity and message, then one line of totals.
#include <fmt/format.h>

#include "report/ci_writers.hpp"

namespace perfscan {

void write_grouped(const Report& report, std::ostream& out) {
  const std::string* current = nullptr;
  for (const Finding& finding : report.findings) {
    if (current == nullptr || *current != finding.path) {
      if (current != nullptr) out << '\n';
      out << finding.path << ":\n";
      current = &finding.path;
    }
    // In a notebook: the cell, then the line within it.
    std::string where = finding.cell != 0
                            ? fmt::format("cell {}:{}", finding.cell, finding.cell_line)
                            : fmt::format("{}", finding.span.line);
    out << fmt::format("  {:>5}:{:<4} {} [{}] {}\n", where, finding.span.column, finding.rule_id,
                       severity_name(finding.severity), finding.message);
  }
  if (current != nullptr) out << '\n';
  std::size_t files = report.summary.files.size();
  out << fmt::format("Found {} finding{} in {} file{} ({} file{} scanned).\n", report.summary.total,
                     report.summary.total == 1 ? "" : "s", files, files == 1 ? "" : "s",
                     report.summary.files_scanned, report.summary.files_scanned == 1 ? "" : "s");
}

}  // namespace perfscan
