// Output formats for CI systems and linters' habits: SARIF, GitHub workflow commands, GitLab
// Code Quality, JUnit XML, JSON Lines and grouped text. Like the writers in writers.hpp they
// only read the report.
#pragma once

#include <filesystem>
#include <ostream>

#include "perfscan/report.hpp"

namespace perfscan {

// SARIF 2.1.0 for GitHub code scanning. Paths become URIs relative to `source_root` (the
// repository's work tree), under the uriBaseId %SRCROOT%.
void write_sarif(const Report& report, std::ostream& out, const std::filesystem::path& source_root);

// GitHub Actions workflow commands (`::error file=…,line=…::message`), one per finding and
// error, paths relative to `source_root` so annotations land on the pull request's files.
void write_github(const Report& report, std::ostream& out,
                  const std::filesystem::path& source_root);

// GitLab Code Quality report (a JSON array of issues), paths relative to `source_root`.
void write_gitlab(const Report& report, std::ostream& out,
                  const std::filesystem::path& source_root);

// JUnit XML: one testcase per file with findings (a failure per finding) or errors.
void write_junit(const Report& report, std::ostream& out);

// One compact JSON object per finding per line, as the json format writes findings.
void write_json_lines(const Report& report, std::ostream& out);

// Findings grouped under each file, one line each, then a total.
void write_grouped(const Report& report, std::ostream& out);

}  // namespace perfscan
