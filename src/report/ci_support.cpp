#include "report/ci_support.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include "core/paths.hpp"
#include "syntax/utf8.hpp"

namespace perfscan {

std::string ci_path(const Finding& finding, const std::filesystem::path& root) {
  return path_relative_to(finding.path, root);
}

std::string located_fingerprint(const std::string& relative_path, const Finding& finding) {
  std::string key = relative_path + '\n' + finding.fingerprint;
  return fmt::format("{:016x}", XXH3_64bits(key.data(), key.size()));
}

std::string message_with_help(const Finding& finding) {
  std::string message = finding.message;
  if (finding.cell != 0) {
    message = "cell " + std::to_string(finding.cell) + ", line " +
              std::to_string(finding.cell_line) + ": " + message;
  }
  if (finding.suggestion.empty()) return message;
  return message + "\nhelp: " + finding.suggestion;
}

Span ci_span(const Finding& finding) {
  if (finding.cell == 0) return finding.span;
  return Span{1, 1, 1, 1};
}

std::string rule_description(std::string_view doc) {
  constexpr std::string_view kHeading = "## What it does\n";
  auto start = doc.find(kHeading);
  if (start == std::string_view::npos) return {};
  start += kHeading.size();
  auto end = doc.find("\n\n", start);
  std::string paragraph(doc.substr(start, end == std::string_view::npos ? end : end - start));
  for (char& c : paragraph) {
    if (c == '\n') c = ' ';
  }
  return paragraph;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    Utf8Char ch = decode_utf8(text, pos);
    if (ch.length == 0) {
      out += "\xEF\xBF\xBD";
      ++pos;
    } else {
      out.append(text.substr(pos, ch.length));
      pos += ch.length;
    }
  }
  return out;
}

}  // namespace perfscan
