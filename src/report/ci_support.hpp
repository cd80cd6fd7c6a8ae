// Small pieces the CI writers share: repository-relative paths and report-wide identities.
#pragma once

#include <filesystem>
#include <string>

#include "perfscan/finding.hpp"

namespace perfscan {

// The finding's path relative to `root` with '/' separators (absolute when outside it).
std::string ci_path(const Finding& finding, const std::filesystem::path& root);

// A finding's fingerprint identifies it within its file; CI systems want an identity across
// the whole report, so the repository-relative path joins it.
std::string located_fingerprint(const std::string& relative_path, const Finding& finding);

// The message and, on a second line, the suggestion ("help: ...") when there is one. In a
// notebook the message starts with the place in it ("cell 3, line 2: "): see ci_span.
std::string message_with_help(const Finding& finding);

// Where CI systems are told a finding is. A notebook's lines are JSON, not the cell lines its
// findings count, so its findings point at the notebook's first line and name the cell in the
// message; other findings keep their span.
Span ci_span(const Finding& finding);

// The first paragraph under "## What it does" in a rule's documentation.
std::string rule_description(std::string_view doc);

// Replaces invalid UTF-8 with U+FFFD so JSON and XML writers never fail on a hostile file name.
std::string valid_utf8(std::string_view text);

}  // namespace perfscan
