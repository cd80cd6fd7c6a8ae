// One UTF-8 decoder for the whole tool: source validation and the terminal writer must agree
// on what a character is.
#pragma once

#include <cstddef>
#include <string_view>

namespace perfscan {

struct Utf8Char {
  char32_t code_point = 0;
  std::size_t length = 0;  // bytes; 0 when the bytes at `pos` are not valid UTF-8
};

// Decodes the character at `pos` (< text.size()), rejecting truncated, overlong and surrogate
// sequences and code points past U+10FFFF.
inline Utf8Char decode_utf8(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  char32_t smallest = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    smallest = 0x10000;
  } else {
    return {};
  }
  if (pos + length > text.size()) return {};
  char32_t value = lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[pos + i]);
    if ((byte & 0xC0) != 0x80) return {};
    value = (value << 6) | (byte & 0x3F);
  }
  const bool surrogate = value >= 0xD800 && value <= 0xDFFF;
  if (value < smallest || surrogate || value > 0x10FFFF) return {};
  return {value, length};
}

}  // namespace perfscan
