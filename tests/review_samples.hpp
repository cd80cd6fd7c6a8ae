// Hand-built reports for the Markdown and HTML review tests.
#pragma once

#include <cstdint>
#include <string>

#include "perfscan/report.hpp"

namespace perfscan::testing {

inline Finding sample_finding(std::string rule_id, std::string path, std::uint32_t line,
                              Severity severity, Category category) {
  Finding finding;
  finding.rule_id = std::move(rule_id);
  finding.rule_name = "rule-" + finding.rule_id;
  finding.category = category;
  finding.severity = severity;
  finding.path = std::move(path);
  finding.span = {line, 5, line, 9};
  finding.message = "`s` grows by concatenation inside the loop";
  finding.suggestion = "collect the pieces in a list and `''.join()` them once";
  finding.source_line = "    s += piece";
  return finding;
}

// Three findings in two files of a project "shop": a.py scores 5 + 2, b.py 2.
inline Report sample_review_report() {
  Report report;
  report.tool_version = "0.1.0";
  report.setup.project = "shop";
  report.setup.roots = {"shop"};
  report.setup.started_at = "2026-11-29T13:25:25Z";
  report.setup.rule_ids = {"PS000", "PS101", "PS401"};
  report.findings = {
      sample_finding("PS101", "shop/a.py", 3, Severity::high, Category::nested_loops),
      sample_finding("PS401", "shop/a.py", 9, Severity::medium, Category::string_concat),
      sample_finding("PS401", "shop/b.py", 4, Severity::medium, Category::string_concat),
  };
  report.summary.files_scanned = 12;
  report.summary.lines_scanned = 3456;
  report.stats.seconds = 0.25;
  report.stats.jobs = 2;
  summarize_findings(report);
  return report;
}

}  // namespace perfscan::testing
