// Reading a Python file's bytes and turning them into UTF-8 text tree-sitter can parse.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace perfscan {

struct SourceText {
  std::string text;     // UTF-8, BOM removed
  std::string warning;  // non-fatal problem (bytes replaced, transcoded); "" if none
  std::string fatal;    // why the file cannot be analysed at all; "" if it can
};

// tree-sitter addresses bytes with 32-bit offsets; far below that, a "source file" this large
// is generated data, not code anyone reads.
inline constexpr std::uint64_t kMaxSourceBytes = std::uint64_t{256} << 20;

// Reads a whole regular file. On failure returns false and sets `error` to the OS message.
bool read_file_bytes(const std::string& path, std::string& bytes, std::string& error);

// Applies Python's source decoding rules as far as a performance linter needs: strip a BOM,
// refuse NUL bytes (CPython does too), honour a PEP 263 coding cookie, and replace bytes that
// are not valid UTF-8 so the rest of the file is still analysed.
SourceText decode_source(std::string bytes);

// 1-based character column of byte `byte_column` on the line starting at `line_start`.
std::uint32_t char_column(std::string_view source, std::uint32_t line_start,
                          std::uint32_t byte_column);
// The text of the line containing `offset`, without its line terminator.
std::string_view line_containing(std::string_view source, std::uint32_t offset);
std::uint64_t count_lines(std::string_view source);
// `text` with leading and trailing white space dropped and every inner run folded to one
// space. Stops once the result is longer than `limit` (callers that shorten it need no more).
std::string fold_whitespace(std::string_view text,
                            std::size_t limit = std::string_view::npos);

}  // namespace perfscan
