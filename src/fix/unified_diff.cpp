#include "fix/unified_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace perfscan {
namespace {

constexpr std::size_t kContext = 3;
// Past this many changed lines on either side the middle is shown as one replaced block
// instead of a line-by-line alignment (quadratic in time and memory).
constexpr std::size_t kMaxAligned = 4000;

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

enum class Op : char { same = ' ', removed = '-', added = '+' };
struct Line {
  Op op;
  std::string_view text;
};

// The longest common subsequence alignment of a[lo..] and b[lo..] between the common prefix
// and suffix, as a script of kept, removed and added lines.
std::vector<Line> align(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  std::vector<Line> script;
  for (std::size_t i = 0; i < prefix; ++i) script.push_back({Op::same, a[i]});
  std::size_t n = a.size() - prefix - suffix;
  std::size_t m = b.size() - prefix - suffix;
  if (n > kMaxAligned || m > kMaxAligned) {
    for (std::size_t i = 0; i < n; ++i) script.push_back({Op::removed, a[prefix + i]});
    for (std::size_t j = 0; j < m; ++j) script.push_back({Op::added, b[prefix + j]});
  } else {
    // lcs[i][j]: length of the common subsequence of a's middle from i and b's from j.
    std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        lcs[i][j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1][j + 1] + 1
                                                   : std::max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
        script.push_back({Op::same, a[prefix + i]});
        ++i;
        ++j;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        // Removals before additions, as diff -u prints them.
        script.push_back({Op::removed, a[prefix + i]});
        ++i;
      } else {
        script.push_back({Op::added, b[prefix + j]});
        ++j;
      }
    }
  }
  for (std::size_t i = a.size() - suffix; i < a.size(); ++i) script.push_back({Op::same, a[i]});
  return script;
}

std::string range(std::size_t start, std::size_t count) {
  // diff -u: an empty range names the line before it.
  if (count == 0) return fmt::format("{},0", start == 0 ? 0 : start - 1);
  if (count == 1) return fmt::format("{}", start);
  return fmt::format("{},{}", start, count);
}

void append_line(std::string& out, char op, std::string_view text) {
  out.push_back(op);
  out.append(text);
  if (!text.ends_with('\n')) out.append("\n\\ No newline at end of file\n");
}

}  // namespace

std::string unified_diff(std::string_view path, std::string_view before, std::string_view after) {
  if (before == after) return {};
  std::vector<Line> script = align(split_lines(before), split_lines(after));
  std::string out = fmt::format("--- a/{0}\n+++ b/{0}\n", path);
  std::size_t k = 0;
  while (k < script.size()) {
    if (script[k].op == Op::same) {
      ++k;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext lines after the last change
    // that is at most 2 * kContext kept lines away from the previous one.
    std::size_t begin = k >= kContext ? k - kContext : 0;
    std::size_t end = k;
    std::size_t last_change = k;
    while (end < script.size()) {
      if (script[end].op != Op::same) last_change = end;
      if (end - last_change > 2 * kContext) break;
      ++end;
    }
    end = std::min(script.size(), last_change + 1 + kContext);
    // Line numbers of the hunk's first line in each file.
    std::size_t old_line = 1;
    std::size_t new_line = 1;
    for (std::size_t i = 0; i < begin; ++i) {
      if (script[i].op != Op::added) ++old_line;
      if (script[i].op != Op::removed) ++new_line;
    }
    std::size_t old_count = 0;
    std::size_t new_count = 0;
    for (std::size_t i = begin; i < end; ++i) {
      if (script[i].op != Op::added) ++old_count;
      if (script[i].op != Op::removed) ++new_count;
    }
    out += fmt::format("@@ -{} +{} @@\n", range(old_line, old_count), range(new_line, new_count));
    for (std::size_t i = begin; i < end; ++i) {
      append_line(out, static_cast<char>(script[i].op), script[i].text);
    }
    k = end;
  }
  return out;
}

}  // namespace perfscan
