// The output formats a Report can be written in. Writers only read the report: counts come
// from `report.summary` (see summarize_findings), never recounted here.
#pragma once

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

}  // namespace perfscan
