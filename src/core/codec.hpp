// The binary layout shared by the result cache's entries (src/cache) and the link facts' compact
// form (core/facts_codec): little-endian integers, length-prefixed strings and lists, one byte
// per flag or enum, every read checked against the bytes left.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "perfscan/finding.hpp"

namespace perfscan::codec {

// One description of the layout serves both directions: the *_fields templates below name every
// stored member once, in order, and run with a Writer (over const values) to encode or with a
// Reader (over values to fill) to decode. Integers are little-endian, strings and lists are
// prefixed with a u32 count, flags are one byte of 0 or 1, enums one byte.

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void flag(bool value) { u8(value ? 1 : 0); }
  void u32(std::uint32_t value) { little(value, 4); }
  void u64(std::uint64_t value) { little(value, 8); }
  void str(std::string_view text) {
    u32(static_cast<std::uint32_t>(text.size()));
    if (!text.empty()) out_.append(text);
  }
  void strings(const std::vector<std::string>& items) {
    u32(static_cast<std::uint32_t>(items.size()));
    for (const std::string& text : items) str(text);
  }

  void field(bool value) { flag(value); }
  void field(std::uint16_t value) { little(value, 2); }
  void field(std::uint32_t value) { u32(value); }
  void field(std::uint64_t value) { u64(value); }
  void field(const std::string& text) { str(text); }
  template <typename E>
  void enumerated(E value, E /*last*/) {
    u8(static_cast<std::uint8_t>(value));
  }
  template <typename T, typename Each>
  void list(const std::vector<T>& items, std::size_t /*min_bytes*/, Each each) {
    u32(static_cast<std::uint32_t>(items.size()));
    for (const T& item : items) each(item);
  }
  void by_line(const std::map<std::uint32_t, std::set<std::string>>& lines) {
    u32(static_cast<std::uint32_t>(lines.size()));
    for (const auto& [line, rules] : lines) {
      u32(line);
      u32(static_cast<std::uint32_t>(rules.size()));
      for (const std::string& rule : rules) str(rule);
    }
  }

 private:
  // One append for the whole integer: byte by byte, encoding is a fair part of a file's facts.
  void little(std::uint64_t value, int bytes) {
    char buffer[8];
    for (int i = 0; i < bytes; ++i) buffer[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
    out_.append(buffer, static_cast<std::size_t>(bytes));
  }
  std::string& out_;
};

// Reads what Writer wrote, checking every length against the bytes left: on the first
// inconsistency it stops, and everything read afterwards is zero or empty. No allocation is
// larger than the input.
class Reader {
 public:
  explicit Reader(std::string_view in)
      : p_(reinterpret_cast<const unsigned char*>(in.data())), end_(p_ + in.size()) {}

  [[nodiscard]] bool at_end() const { return ok_ && p_ == end_; }
  std::uint64_t u64() { return little(8); }

  void field(bool& value) {
    std::uint64_t byte = little(1);
    if (byte > 1) ok_ = false;
    value = byte == 1;
  }
  void field(std::uint16_t& value) { value = static_cast<std::uint16_t>(little(2)); }
  void field(std::uint32_t& value) { value = static_cast<std::uint32_t>(little(4)); }
  void field(std::uint64_t& value) { value = little(8); }
  void field(std::string& text) {
    std::uint32_t size = 0;
    field(size);
    if (!ok_ || size > remaining()) {
      ok_ = false;
      return;
    }
    // Most strings of a fact are empty (an absent detail, a finding's fix-less fields).
    if (size == 0) {
      text.clear();
      return;
    }
    text.assign(reinterpret_cast<const char*>(p_), size);
    p_ += size;
  }
  // An enum stored as one byte, at most `last`.
  template <typename E>
  void enumerated(E& value, E last) {
    std::uint64_t byte = little(1);
    if (byte > static_cast<std::uint64_t>(last)) ok_ = false;
    value = ok_ ? static_cast<E>(byte) : E{};
  }
  // Each element takes at least `min_bytes`: a count that could not fit is corrupt.
  template <typename T, typename Each>
  void list(std::vector<T>& items, std::size_t min_bytes, Each each) {
    std::uint32_t count = 0;
    field(count);
    if (!ok_ || count > remaining() / min_bytes) {
      ok_ = false;
      return;
    }
    items.resize(count);
    for (T& item : items) {
      each(item);
      if (!ok_) return;
    }
  }
  // The map is rebuilt in key order: keys out of order or repeated, or a rule named twice on
  // one line, mean a corrupt entry.
  void by_line(std::map<std::uint32_t, std::set<std::string>>& lines) {
    std::vector<std::pair<std::uint32_t, std::vector<std::string>>> read;
    list(read, 8, [&](auto& entry) {
      field(entry.first);
      list(entry.second, 4, [&](std::string& rule) { field(rule); });
    });
    for (auto& [line, rules] : read) {
      std::set<std::string> set(std::make_move_iterator(rules.begin()),
                                std::make_move_iterator(rules.end()));
      if (set.size() != rules.size() || (!lines.empty() && lines.rbegin()->first >= line)) {
        ok_ = false;
        return;
      }
      lines.emplace_hint(lines.end(), line, std::move(set));
    }
  }

 private:
  [[nodiscard]] std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
  std::uint64_t little(std::size_t bytes) {
    if (!ok_ || remaining() < bytes) {
      ok_ = false;
      return 0;
    }
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i) value |= std::uint64_t{p_[i]} << (8 * i);
    p_ += bytes;
    return value;
  }

  const unsigned char* p_;
  const unsigned char* end_;
  bool ok_ = true;
};

// The minimum sizes given to list() are those of an element whose strings and lists are empty.
template <typename Io, typename Strings>
void strings_field(Io& io, Strings& items) {
  io.list(items, 4, [&](auto& text) { io.field(text); });
}

template <typename Io, typename S>
void span_fields(Io& io, S& span) {
  io.field(span.line);
  io.field(span.column);
  io.field(span.end_line);
  io.field(span.end_column);
}

// A flag, then (when set) the safety and the edits. Writing reads the optional; reading fills it.
inline void fix_fields(Writer& io, const std::optional<Fix>& fix) {
  io.flag(fix.has_value());
  if (!fix) return;
  io.enumerated(fix->safety, FixSafety::unsafe);
  io.list(fix->edits, 28, [&](const Edit& edit) {
    io.field(edit.start);
    io.field(edit.end);
    io.field(edit.content);
    span_fields(io, edit.span);
  });
}
inline void fix_fields(Reader& io, std::optional<Fix>& fix) {
  bool present = false;
  io.field(present);
  if (!present) {
    fix.reset();
    return;
  }
  fix.emplace();
  io.enumerated(fix->safety, FixSafety::unsafe);
  io.list(fix->edits, 28, [&](Edit& edit) {
    io.field(edit.start);
    io.field(edit.end);
    io.field(edit.content);
    span_fields(io, edit.span);
  });
}

// `with_rule_id` false leaves the rule id out, for findings stored under their rule already.
template <typename Io, typename F>
void finding_fields(Io& io, F& f, bool with_rule_id = true) {
  if (with_rule_id) io.field(f.rule_id);
  io.field(f.rule_name);
  io.enumerated(f.category, Category::syntax);
  io.enumerated(f.severity, Severity::low);
  io.field(f.path);
  io.field(f.span.line);
  io.field(f.span.column);
  io.field(f.span.end_line);
  io.field(f.span.end_column);
  io.field(f.message);
  io.field(f.suggestion);
  io.field(f.fingerprint);
  io.field(f.scope);
  io.field(f.source_line);
  io.field(f.statement_line);
  io.field(f.cell);
  io.field(f.cell_line);
  io.field(f.in_test_code);
  io.field(f.lowered_on);
  fix_fields(io, f.fix);
}
// strings, enums, span and line, cell and cell line, the test-code flag, the has-fix flag
constexpr std::size_t kFindingBytes = 9 * 4 + 2 + 5 * 4 + 2 * 4 + 1 + 1;

}  // namespace perfscan::codec
