// Valid Python that tree-sitter-python misreads, and how perfscan still analyses it.
//
// The grammar's external scanner emits INDENT/DEDENT tokens from a line's indentation even
// inside brackets when the line is indented less than the statement it continues
// (tree-sitter-python issue #256, open upstream):
//
//     def f():
//         (bar.
//     baz)          <- valid: inside brackets indentation means nothing
//
// The parse then fails, often far from that line (CPython's test_compile.py reports an error
// 200 lines earlier), and the rules lose the rest of the block. Python ignores indentation
// inside brackets, so indenting such lines further changes nothing about the program: the
// analysis parses that copy instead. Line numbers are unchanged; only columns on the padded
// lines move.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace perfscan {

struct PaddedSource {
  std::string text;          // the source with each such line indented like its statement
  std::uint32_t first_line;  // 1-based line of the first padded line
};

// The second gap: in an f-string, a format spec that starts with `=` (`f"{items:=}"`, `=` as the
// spec's fill or alignment) reads to the grammar as the walrus operator `:=`, and the file fails
// to parse. Inside an f-string's replacement field a `:` at bracket depth 0 always starts the
// spec (a walrus there must be parenthesised), so the copy respells that `=` as `>`: the same
// length, so every position stays, and the spec is text the analysis never reads. nullopt when
// there is nothing to respell.
std::optional<std::string> respell_equals_format_specs(std::string_view source);

// The copy of `source` in which every line that continues a bracketed expression at less
// indentation than the line that began its statement is indented to that line's indentation;
// nullopt when there is no such line. Strings (single, triple, prefixed) and comments are
// skipped, so their brackets and line breaks do not count.
std::optional<PaddedSource> pad_dedented_continuations(std::string_view source);

}  // namespace perfscan
