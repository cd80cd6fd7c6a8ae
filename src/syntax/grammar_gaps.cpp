#include "syntax/grammar_gaps.hpp"

#include <vector>

namespace perfscan {
namespace {

struct Pad {
  std::size_t at;       // byte offset of the line's start
  std::size_t spaces;   // how many spaces to insert there
  std::uint32_t line;   // 1-based
};

// Reads a line's leading spaces. Tabs make indentation widths ambiguous to compare, so a line
// that indents with one gives up (nullopt) and the file is left as it is.
std::optional<std::size_t> indentation(std::string_view source, std::size_t start, std::size_t* end) {
  std::size_t i = start;
  while (i < source.size() && (source[i] == ' ' || source[i] == '\f')) ++i;
  *end = i;
  if (i < source.size() && source[i] == '\t') return std::nullopt;
  return i - start;
}

bool is_blank_or_comment(std::string_view source, std::size_t first_non_space) {
  if (first_non_space >= source.size()) return true;
  char c = source[first_non_space];
  return c == '\n' || c == '\r' || c == '#';
}

// Does the string literal whose opening quote is at `i` open with three of them?
bool opens_triple(std::string_view source, std::size_t i) {
  return i + 2 < source.size() && source[i + 1] == source[i] && source[i + 2] == source[i];
}

// Does the literal opened by `quote` (three of them when `triple`) close at `i`?
bool closes_at(std::string_view source, std::size_t i, char quote, bool triple) {
  if (source[i] != quote) return false;
  return !triple || (i + 2 < source.size() && source[i + 1] == quote && source[i + 2] == quote);
}

// A scanner of just enough Python: brackets, strings, comments and line starts.
class ContinuationScanner {
 public:
  explicit ContinuationScanner(std::string_view source) : source_(source) {}

  // The pads needed, or nullopt when the file indents with tabs where it matters.
  std::optional<std::vector<Pad>> scan() {
    if (!start_line(0)) return std::nullopt;
    std::size_t i = line_body_;
    while (i < source_.size()) {
      char c = source_[i];
      if (c == '#') {
        i = source_.find('\n', i);
        continue;  // at the newline, or npos ends the loop
      }
      if (c == '\'' || c == '"') {
        i = skip_string(i);
        continue;
      }
      if (c == '\\' && is_line_break_at(i + 1)) {
        continued_ = true;  // a backslash continuation: the next line belongs to this statement
        i += source_[i + 1] == '\r' ? 3 : 2;
        if (!start_line(i)) return std::nullopt;
        i = line_body_;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') ++depth_;
      if ((c == ')' || c == ']' || c == '}') && depth_ > 0) --depth_;
      if (c == '\n') {
        ++i;
        if (!start_line(i)) return std::nullopt;
        i = line_body_;
        continue;
      }
      ++i;
    }
    return pads_;
  }

 private:
  bool is_line_break_at(std::size_t i) const {
    if (i >= source_.size()) return false;
    return source_[i] == '\n' || (source_[i] == '\r' && i + 1 < source_.size() && source_[i + 1] == '\n');
  }

  // At the start of a physical line: a new statement sets the indentation to compare with; a
  // line inside brackets indented less than it needs a pad.
  bool start_line(std::size_t start) {
    ++line_;
    std::optional<std::size_t> indent = indentation(source_, start, &line_body_);
    bool blank = is_blank_or_comment(source_, line_body_);
    bool inside = depth_ > 0 || continued_;
    continued_ = false;
    if (blank) return true;  // blank and comment-only lines do not count, even with tabs
    if (!indent) return false;
    if (!inside) {
      statement_indent_ = *indent;
    } else if (depth_ > 0 && *indent < statement_indent_) {
      pads_.push_back(Pad{start, statement_indent_ - *indent, line_});
    }
    return true;
  }

  // From an opening quote to just past the closing one. Line breaks inside a triple-quoted
  // string are counted, but they start no statement.
  std::size_t skip_string(std::size_t i) {
    char quote = source_[i];
    bool triple = opens_triple(source_, i);
    i += triple ? 3 : 1;
    while (i < source_.size()) {
      char c = source_[i];
      if (c == '\\') {
        if (i + 1 < source_.size() && source_[i + 1] == '\n') ++line_;
        i += 2;
        continue;
      }
      if (c == '\n') {
        if (!triple) return i;  // unterminated: the newline ends it, as the tokenizer says
        ++line_;
      }
      if (closes_at(source_, i, quote, triple)) return i + (triple ? 3 : 1);
      ++i;
    }
    return i;
  }

  std::string_view source_;
  std::vector<Pad> pads_;
  std::size_t line_body_ = 0;  // first non-space byte of the current line
  std::size_t statement_indent_ = 0;
  std::uint32_t line_ = 0;
  int depth_ = 0;
  bool continued_ = false;
};


// Finds f-strings and, in their replacement fields, the `=` that opens a format spec.
class FormatSpecScanner {
 public:
  explicit FormatSpecScanner(std::string_view source) : source_(source) {}

  std::vector<std::size_t> scan() {
    std::size_t i = 0;
    while (i < source_.size()) {
      char c = source_[i];
      if (c == '#') {
        i = source_.find('\n', i);
        if (i == std::string_view::npos) break;
        continue;
      }
      if (c == '\'' || c == '"') {
        i = string_from(i);
        continue;
      }
      ++i;
    }
    return equals_;
  }

 private:
  // The string literal whose opening quote is at `i`, to just past its end; an f-string's
  // fields are scanned on the way.
  std::size_t string_from(std::size_t i) {
    bool formatted = false;
    for (std::size_t p = i; p > 0 && is_prefix_letter(source_[p - 1]); --p) {
      if (p - 1 > 0 && is_identifier_char(source_[p - 2]) && !is_prefix_letter(source_[p - 2])) break;
      formatted = formatted || source_[p - 1] == 'f' || source_[p - 1] == 'F';
    }
    char quote = source_[i];
    bool triple = opens_triple(source_, i);
    i += triple ? 3 : 1;
    while (i < source_.size()) {
      char c = source_[i];
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '\n' && !triple) return i;  // unterminated: the newline ends it
      if (closes_at(source_, i, quote, triple)) return i + (triple ? 3 : 1);
      if (formatted && c == '{') {
        if (i + 1 < source_.size() && source_[i + 1] == '{') {
          i += 2;
          continue;
        }
        i = field_from(i + 1, quote, triple);
        continue;
      }
      ++i;
    }
    return i;
  }

  // A replacement field's expression from `i` (just past its `{`), to just past its `}`. Stops
  // early, leaving the rest to string_from, at the outer string's end or an unbalanced bracket.
  std::size_t field_from(std::size_t i, char quote, bool triple) {
    int depth = 0;
    while (i < source_.size()) {
      char c = source_[i];
      if (c == '\n' && !triple) return i;
      if (c == '\'' || c == '"') {
        if (c == quote && !triple) return i;  // the outer string ends here (invalid before 3.12)
        std::size_t end = source_.find(c, i + 1);
        if (end == std::string_view::npos) return source_.size();
        i = end + 1;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) return c == '}' ? i + 1 : i;
        --depth;
      }
      if (depth == 0 && c == ':') return spec_from(i + 1);
      ++i;
    }
    return i;
  }

  // A format spec from `i` to just past the field's closing `}`; nested fields count.
  std::size_t spec_from(std::size_t i) {
    if (i < source_.size() && source_[i] == '=') equals_.push_back(i);
    int depth = 0;
    while (i < source_.size()) {
      char c = source_[i];
      if (c == '\n' || c == '\'' || c == '"') return i;
      if (c == '{') ++depth;
      if (c == '}') {
        if (depth == 0) return i + 1;
        --depth;
      }
      ++i;
    }
    return i;
  }

  static bool is_prefix_letter(char c) {
    return c == 'f' || c == 'F' || c == 'r' || c == 'R' || c == 'b' || c == 'B' || c == 'u' || c == 'U';
  }
  static bool is_identifier_char(char c) {
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           static_cast<unsigned char>(c) >= 0x80;
  }

  std::string_view source_;
  std::vector<std::size_t> equals_;
};

}  // namespace

std::optional<std::string> respell_equals_format_specs(std::string_view source) {
  std::vector<std::size_t> equals = FormatSpecScanner(source).scan();
  if (equals.empty()) return std::nullopt;
  std::string copy(source);
  for (std::size_t at : equals) copy[at] = '>';
  return copy;
}

std::optional<PaddedSource> pad_dedented_continuations(std::string_view source) {
  std::optional<std::vector<Pad>> pads = ContinuationScanner(source).scan();
  if (!pads || pads->empty()) return std::nullopt;
  std::size_t extra = 0;
  for (const Pad& pad : *pads) extra += pad.spaces;
  PaddedSource padded{std::string(), pads->front().line};
  padded.text.reserve(source.size() + extra);
  std::size_t copied = 0;
  for (const Pad& pad : *pads) {
    padded.text.append(source.substr(copied, pad.at - copied));
    padded.text.append(pad.spaces, ' ');
    copied = pad.at;
  }
  padded.text.append(source.substr(copied));
  return padded;
}

}  // namespace perfscan
