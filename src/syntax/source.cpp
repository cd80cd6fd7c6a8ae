#include "syntax/source.hpp"

#include "syntax/utf8.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <iconv.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>
#include <cctype>

namespace perfscan {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the run of ASCII bytes at `from`, read eight at a time.
std::size_t ascii_run(std::string_view s, std::size_t from) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  std::size_t i = from;
  for (std::uint64_t word = 0; i + sizeof word <= s.size(); i += sizeof word) {
    std::memcpy(&word, s.data() + i, sizeof word);
    if ((word & kHighBits) != 0) break;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i - from;
}

std::size_t first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    i += ascii_run(s, i);  // most source text is ASCII, always valid
    if (i == s.size()) break;
    std::size_t length = decode_utf8(s, i).length;
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::uint64_t line_of_offset(std::string_view s, std::size_t offset) {
  return 1 + static_cast<std::uint64_t>(std::count(s.begin(), s.begin() + offset, '\n'));
}

// The encoding named on one comment line, per PEP 263's `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`.
std::string cookie_on_line(std::string_view line) {
  std::size_t start = line.find_first_not_of(" \t\f");
  if (start == std::string_view::npos || line[start] != '#') return {};
  for (std::size_t at = line.find("coding", start); at != std::string_view::npos;
       at = line.find("coding", at + 1)) {
    std::size_t i = at + 6;
    if (i >= line.size() || (line[i] != ':' && line[i] != '=')) continue;
    ++i;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t end = i;
    while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) ||
                                 line[end] == '-' || line[end] == '_' || line[end] == '.')) {
      ++end;
    }
    if (end > i) return std::string(line.substr(i, end - i));
  }
  return {};
}

// PEP 263: a coding declaration on one of the first two lines, normalised ("latin_1" ->
// "latin-1").
std::string coding_cookie(std::string_view s) {
  std::size_t first_end = std::min(s.find('\n'), s.size());
  std::string name = cookie_on_line(s.substr(0, first_end));
  if (name.empty() && first_end < s.size()) {
    std::string_view rest = s.substr(first_end + 1);
    name = cookie_on_line(rest.substr(0, std::min(rest.find('\n'), rest.size())));
  }
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return c == '_' ? '-' : std::tolower(c); });
  return name;
}

bool is_utf8_name(const std::string& name) {
  return name == "utf-8" || name == "utf8" || name.starts_with("utf-8-");
}

// Python's codec aliases that glibc's iconv spells differently.
std::string iconv_name(const std::string& python_name) {
  if (python_name == "latin-1" || python_name == "latin1" || python_name == "iso-latin-1" ||
      python_name == "l1" || python_name == "iso8859-1" || python_name == "cp819") {
    return "ISO-8859-1";
  }
  if (python_name.starts_with("iso8859-")) return "ISO-8859-" + python_name.substr(8);
  return python_name;
}

// Decodes `s` from a declared PEP 263 encoding with iconv (glibc knows every codec Python
// source files use in practice). False if the codec is unknown or the bytes do not decode.
bool transcode_to_utf8(std::string_view s, const std::string& encoding, std::string& out) {
  iconv_t converter = iconv_open("UTF-8", iconv_name(encoding).c_str());
  if (converter == reinterpret_cast<iconv_t>(-1)) return false;
  out.assign(s.size() * 4 + 16, '\0');
  char* in_ptr = const_cast<char*>(s.data());  // iconv's signature is not const-correct
  std::size_t in_left = s.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  std::size_t rc = iconv(converter, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(converter);
  if (rc == static_cast<std::size_t>(-1) || in_left != 0) return false;
  out.resize(out.size() - out_left);
  return true;
}

// Python accepts a lone CR as a line break (old Mac files); tree-sitter does not. Turning it
// into LF keeps every byte offset, so positions stay exact. CRLF is left alone.
void normalise_lone_carriage_returns(std::string& s) {
  for (std::size_t i = s.find('\r'); i != std::string::npos; i = s.find('\r', i + 1)) {
    if (i + 1 >= s.size() || s[i + 1] != '\n') s[i] = '\n';
  }
}

std::string replace_invalid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t length = decode_utf8(s, i).length;
    if (length == 0) {
      out.append(kReplacement);
      ++i;
    } else {
      out.append(s.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace

bool read_file_bytes(const std::string& path, std::string& bytes, std::string& error) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    error = "not a regular file";
    ::close(fd);
    return false;
  }
  if (static_cast<std::uint64_t>(info.st_size) > kMaxSourceBytes) {
    error = fmt::format("larger than {} MiB, skipped", kMaxSourceBytes >> 20);
    ::close(fd);
    return false;
  }
  bytes.clear();
  bytes.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[1 << 16];
  for (;;) {
    if (bytes.size() > kMaxSourceBytes) {  // the file grew while we read it
      error = fmt::format("larger than {} MiB, skipped", kMaxSourceBytes >> 20);
      ::close(fd);
      return false;
    }
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return true;
}

SourceText decode_source(std::string bytes) {
  SourceText result;
  if (std::string_view(bytes).substr(0, kBom.size()) == kBom) bytes.erase(0, kBom.size());
  if (auto nul = bytes.find('\0'); nul != std::string::npos) {
    result.fatal = fmt::format(
        "contains a NUL byte (line {}): not Python source text, skipped",
        line_of_offset(bytes, nul));
    return result;
  }
  normalise_lone_carriage_returns(bytes);
  std::string cookie = coding_cookie(bytes);
  if (!cookie.empty() && !is_utf8_name(cookie)) {
    std::string decoded;
    if (transcode_to_utf8(bytes, cookie, decoded) && first_invalid_utf8(decoded) == std::string::npos) {
      result.text = std::move(decoded);
      return result;
    }
  }
  std::size_t invalid = first_invalid_utf8(bytes);
  if (invalid == std::string::npos) {
    result.text = std::move(bytes);
    return result;
  }
  result.warning = fmt::format(
      "invalid UTF-8 at line {}{}: undecodable bytes were replaced with U+FFFD and the rest "
      "analysed",
      line_of_offset(bytes, invalid),
      cookie.empty() ? std::string{} : fmt::format(" (declared coding '{}' could not be decoded)", cookie));
  result.text = replace_invalid_utf8(bytes);
  return result;
}

std::uint32_t char_column(std::string_view source, std::uint32_t line_start,
                          std::uint32_t byte_column) {
  std::uint32_t column = 1;
  std::size_t end = std::min<std::size_t>(source.size(), std::size_t{line_start} + byte_column);
  for (std::size_t i = line_start; i < end; ++i) {
    // Count every byte that does not continue a multi-byte sequence.
    if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

std::string_view line_containing(std::string_view source, std::uint32_t offset) {
  if (offset > source.size()) return {};
  std::size_t begin = 0;
  if (offset > 0) {
    std::size_t newline = source.rfind('\n', offset - 1);
    if (newline != std::string_view::npos) begin = newline + 1;
  }
  std::size_t end = source.find('\n', offset);
  if (end == std::string_view::npos) end = source.size();
  std::string_view line = source.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string fold_whitespace(std::string_view text, std::size_t limit) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (out.size() > limit) break;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::uint64_t count_lines(std::string_view source) {
  if (source.empty()) return 0;
  auto lines = static_cast<std::uint64_t>(std::count(source.begin(), source.end(), '\n'));
  return source.back() == '\n' ? lines : lines + 1;
}

}  // namespace perfscan
