// Suppression directives in comments: what `# noqa` and `# perfscan: ...` mean.
#include "semantic/suppressions.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string>

namespace perfscan {
namespace {

// Lower-cases ASCII so directive matching ignores case ("# NOQA" is common).
std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Splits "PS101, PS401 E501" into upper-cased codes.
std::set<std::string> parse_codes(std::string_view list) {
  std::set<std::string> codes;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) codes.insert(current);
    current.clear();
  };
  for (char c : list) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
      current.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    } else {
      flush();
    }
  }
  flush();
  return codes;
}

// The text after `marker` when it starts a directive in a comment: `#`, optional spaces, then
// the marker (so "see the noqa docs" is not a directive). Several `#` segments may follow each
// other (`# type: ignore  # noqa`).
std::optional<std::string_view> directive_after(std::string_view comment, std::string_view lower,
                                                std::string_view marker) {
  for (std::size_t hash = lower.find('#'); hash != std::string_view::npos;
       hash = lower.find('#', hash + 1)) {
    std::size_t at = lower.find_first_not_of(' ', hash + 1);
    if (at != std::string_view::npos && lower.substr(at, marker.size()) == marker) {
      return comment.substr(at + marker.size());
    }
  }
  return std::nullopt;
}

std::string_view skip_spaces(std::string_view text) {
  text.remove_prefix(std::min(text.find_first_not_of(' '), text.size()));
  return text;
}

}  // namespace

// Directives: `# perfscan: skip-file`, `# perfscan: ignore` / `ignore[PS401, PS101]`,
// `# noqa` / `# noqa: PS401`. An empty code set on a line means every rule. `# noqa: E501`
// names other tools' codes only, so it records codes no perfscan rule has: nothing is silenced.
void parse_suppression_comment(std::string_view comment, std::uint32_t line, Suppressions& out) {
  std::string lower = ascii_lower(comment);
  if (auto rest = directive_after(comment, lower, "perfscan:")) {
    std::string_view directive = skip_spaces(*rest);
    std::string directive_lower = ascii_lower(directive);
    if (directive_lower.starts_with("skip-file")) {
      out.skip_file = true;
      return;
    }
    if (!directive_lower.starts_with("ignore")) return;
    std::string_view codes_part = skip_spaces(directive.substr(std::string_view("ignore").size()));
    std::set<std::string> codes;
    if (!codes_part.empty() && codes_part.front() == '[') {
      codes = parse_codes(codes_part.substr(1, codes_part.find(']') - 1));
    }
    out.by_line[line] = std::move(codes);
    return;
  }
  if (auto rest = directive_after(comment, lower, "noqa")) {
    std::string_view codes_part = skip_spaces(*rest);
    std::set<std::string> codes;
    if (!codes_part.empty() && codes_part.front() == ':') codes = parse_codes(codes_part.substr(1));
    out.by_line[line] = std::move(codes);
  }
}

}  // namespace perfscan
