// The output formats a Report can be written in. Writers only read the report: counts come
// from `report.summary` (see summarize_findings), never recounted here.
#pragma once

#include <cstdint>
#include <ostream>

#include "perfscan/report.hpp"

namespace perfscan {

struct TextStyle {
  bool color = false;       // ANSI colours (the caller decides: tty, NO_COLOR, --color)
  bool quiet = false;       // findings, errors and a one-line total; no summary tables
  bool statistics = false;  // add the "FINDINGS BY RULE" table
};

// Human-readable diagnostics with source excerpts, followed by a summary.
void write_text(const Report& report, std::ostream& out, const TextStyle& style);

// One pretty-printed JSON document (schema_version 1) followed by a newline.
void write_json(const Report& report, std::ostream& out);

// A performance review of the codebase for people: GitHub-flavoured Markdown (fits a
// pull-request comment), or one self-contained HTML page (inline CSS and SVG, no script).
void write_markdown(const Report& report, std::ostream& out);
void write_html(const Report& report, std::ostream& out);

// Whole-process figures the caller measures at the end of a run, for write_stats.
struct ProcessUsage {
  double wall_seconds = 0.0;        // from the start of the run to the report written
  double cpu_seconds = 0.0;         // user + system, every thread
  std::uint64_t peak_rss_bytes = 0;  // ru_maxrss
};

// `--stats`: wall and CPU time per stage, files, bytes, lines, findings per rule and peak
// memory, as a plain block meant for stderr (any report format on stdout is left alone).
void write_stats(const Report& report, const ProcessUsage& usage, std::ostream& out);

}  // namespace perfscan
