#include "syntax/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#ifdef PERFSCAN_USE_MIMALLOC
#include <mimalloc.h>
#else
#include <malloc.h>
#endif

namespace perfscan {

namespace {

// The grammar's field names in an open-addressing table with a cheap hash: rules look fields
// up by name millions of times per scan, and a general hash map spent more time hashing than
// the lookup is worth.
class FieldTable {
 public:
  FieldTable() {
    const TSLanguage* language = tree_sitter_python();
    for (TSFieldId id = 1, count = static_cast<TSFieldId>(ts_language_field_count(language));
         id <= count; ++id) {
      std::string_view name = ts_language_field_name_for_id(language, id);
      std::size_t slot = hash(name) & kMask;
      while (slots_[slot].id != 0) slot = (slot + 1) & kMask;
      slots_[slot] = Slot{name, id};
    }
  }

  [[nodiscard]] TSFieldId find(std::string_view name) const {
    for (std::size_t slot = hash(name) & kMask;; slot = (slot + 1) & kMask) {
      const Slot& entry = slots_[slot];
      if (entry.id == 0) return 0;
      if (entry.name == name) return entry.id;
    }
  }

 private:
  static constexpr std::size_t kSize = 256;  // a power of two, several times the ~40 fields
  static constexpr std::size_t kMask = kSize - 1;
  struct Slot {
    std::string_view name;
    TSFieldId id = 0;
  };
  // Length and the first and last two characters tell the grammar's field names apart almost
  // without collision, at the cost of a few instructions.
  static std::size_t hash(std::string_view name) {
    if (name.size() < 2) return name.size();
    auto at = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(name[i])); };
    std::size_t n = name.size();
    return n * 131 + at(0) * 31 + at(1) * 7 + at(n - 1) * 3 + at(n - 2);
  }
  std::array<Slot, kSize> slots_{};
};

}  // namespace

TSFieldId field_id(std::string_view name) {
  static const FieldTable fields;  // a function-local static: safe to call from any initialiser
  return fields.find(name);
}

std::string grammar_incompatibility() {
  uint32_t version = ts_language_abi_version(tree_sitter_python());
  if (version >= TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION &&
      version <= TREE_SITTER_LANGUAGE_VERSION) {
    return {};
  }
  return fmt::format(
      "the tree-sitter runtime loads grammar ABI {} to {}, but tree-sitter-python was generated "
      "for ABI {}: rebuild against a matching runtime or grammar",
      TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION, TREE_SITTER_LANGUAGE_VERSION, version);
}

namespace {

// ---- tree-sitter's allocator -------------------------------------------------------------------
//
// tree-sitter allocates through the functions below (ts_set_allocator): mimalloc's when perfscan
// is built with it, the C library's otherwise. Each counts the bytes live on its thread, so a
// parse can be cancelled once it holds more than its limit: tree-sitter checks the cancellation
// flag every few operations and returns null. Parsers parse on the thread that created them and
// trees are deleted on the thread that parsed them, so one thread's count is its parses' memory.

#ifdef PERFSCAN_USE_MIMALLOC
void* base_malloc(std::size_t size) { return mi_malloc(size); }
void* base_calloc(std::size_t count, std::size_t size) { return mi_calloc(count, size); }
void* base_realloc(void* block, std::size_t size) { return mi_realloc(block, size); }
void base_free(void* block) { mi_free(block); }
std::size_t usable_size(void* block) { return mi_usable_size(block); }
#else
void* base_malloc(std::size_t size) { return std::malloc(size); }
void* base_calloc(std::size_t count, std::size_t size) { return std::calloc(count, size); }
void* base_realloc(void* block, std::size_t size) { return std::realloc(block, size); }
void base_free(void* block) { std::free(block); }
std::size_t usable_size(void* block) { return malloc_usable_size(block); }
#endif

// Signed: should a block ever be freed on another thread than the one that allocated it, the
// counts drift instead of wrapping around.
thread_local std::int64_t live_bytes = 0;
// Set by the allocator once `live_bytes` passes `memory_ceiling`; the thread's parser reads it.
thread_local std::size_t cancel_parse = 0;
thread_local std::int64_t memory_ceiling = INT64_MAX;

// tree-sitter expects its allocator to abort rather than return null (its default does).
[[noreturn]] void out_of_memory() {
  std::fputs("perfscan: out of memory while parsing\n", stderr);
  std::abort();
}

void* counted(void* block, bool requested) {
  if (block == nullptr) {
    if (requested) out_of_memory();
    return nullptr;
  }
  live_bytes += static_cast<std::int64_t>(usable_size(block));
  if (live_bytes > memory_ceiling) cancel_parse = 1;
  return block;
}

void* ts_counted_malloc(std::size_t size) { return counted(base_malloc(size), size != 0); }
void* ts_counted_calloc(std::size_t count, std::size_t size) {
  return counted(base_calloc(count, size), count != 0 && size != 0);
}
void* ts_counted_realloc(void* block, std::size_t size) {
  std::int64_t before = block == nullptr ? 0 : static_cast<std::int64_t>(usable_size(block));
  void* moved = base_realloc(block, size);
  if (moved == nullptr && size != 0) out_of_memory();  // the old block is still live
  live_bytes -= before;
  return counted(moved, false);
}
void ts_counted_free(void* block) {
  if (block == nullptr) return;
  live_bytes -= static_cast<std::int64_t>(usable_size(block));
  base_free(block);
}

// Installed before the first tree-sitter object exists: memory allocated by one allocator
// must never be freed by the other.
bool install_tree_sitter_allocator() {
  ts_set_allocator(ts_counted_malloc, ts_counted_calloc, ts_counted_realloc, ts_counted_free);
  return true;
}

TSParser* new_parser() {
  static const bool installed = install_tree_sitter_allocator();
  (void)installed;
  return ts_parser_new();
}

std::uint64_t micros_until(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::microseconds>(
      deadline - std::chrono::steady_clock::now());
  // tree-sitter reads 0 as "no timeout": a deadline already past still gets one microsecond.
  return left.count() > 0 ? static_cast<std::uint64_t>(left.count()) : 1;
}

}  // namespace

Parser::Parser() : raw_(new_parser()) {
  ts_parser_set_language(raw_.get(), tree_sitter_python());
  ts_parser_set_cancellation_flag(raw_.get(), &cancel_parse);
}

TSTree* Parser::parse_raw(std::string_view source, const ParseLimits& limits,
                          ParseFailure* failure) {
  // tree-sitter 0.25 still has the timeout and the cancellation flag, deprecated for a
  // progress callback (ts_parser_parse_with_options) and 0.26 removes them.
  ts_parser_set_timeout_micros(raw_.get(), limits.deadline ? micros_until(*limits.deadline) : 0);
  cancel_parse = 0;
  memory_ceiling = live_bytes + static_cast<std::int64_t>(
                                    std::min<std::size_t>(limits.max_memory, INT64_MAX / 2));
  TSTree* tree = ts_parser_parse_string(raw_.get(), nullptr, source.data(),
                                        static_cast<uint32_t>(source.size()));
  bool out_of_budget = cancel_parse != 0;
  memory_ceiling = INT64_MAX;
  cancel_parse = 0;
  if (tree == nullptr) {
    // A stopped parse resumes on the next call unless reset: the next file starts afresh.
    ts_parser_reset(raw_.get());
    if (failure != nullptr) *failure = out_of_budget ? ParseFailure::memory : ParseFailure::deadline;
  } else if (failure != nullptr) {
    *failure = ParseFailure::none;
  }
  return tree;
}

Tree flatten(TSTree* parsed, const TreeLimits& limits, std::string* problem) {
  auto nodes = std::make_unique<SyntaxTree>();
  std::string why = nodes->build(parsed, limits);
  ts_tree_delete(parsed);
  if (!why.empty()) {
    if (problem != nullptr) *problem = std::move(why);
    return Tree{};
  }
  return Tree{std::move(nodes)};
}

Tree Parser::parse(std::string_view source) {
  TSTree* parsed = parse_raw(source);
  return parsed == nullptr ? Tree{} : flatten(parsed);
}

namespace {

std::string describe_error(Node node, std::string_view source) {
  if (node.is_missing()) return fmt::format("syntax error: missing `{}`", node.kind());
  auto begin = node.start_byte();
  auto end = std::min<std::size_t>(node.end_byte(), source.size());
  std::string_view token = source.substr(begin, end - begin);
  token = token.substr(0, token.find_first_of("\r\n"));
  if (token.size() > 40) token = token.substr(0, 40);
  if (token.empty()) return "syntax error: unexpected end of input";
  return fmt::format("syntax error: unexpected `{}`", token);
}

bool is_complete_unit(Node node) {
  std::string_view kind = node.kind();
  return node.is_named() && !node.has_error() &&
         (kind.ends_with("_statement") || kind.ends_with("_definition") || kind == "comment");
}

// An ERROR node often starts at the first statement of a region tree-sitter could not fit
// together (for a whole-file failure, at line 1). Inside it, statements that parsed whole
// are fine; the first piece that is not one is where the trouble starts.
Node narrow_error(Node error) {
  Node node = error;
  for (;;) {
    Node culprit;
    for (uint32_t i = 0, n = node.child_count(); i < n && !culprit; ++i) {
      Node child = node.child(i);
      if (child.is_missing()) return child;
      if (!is_complete_unit(child)) culprit = child;
    }
    if (!culprit) return node;
    bool broken_inside = culprit.is("ERROR") || culprit.has_error();
    if (culprit.child_count() == 0 || !broken_inside) return culprit;
    node = culprit;
  }
}

}  // namespace

// Descends towards the first ERROR or MISSING node in document order. Each step goes one level
// deeper, so the loop is bounded by the tree depth without using the call stack.
SyntaxError first_syntax_error(Node root, std::string_view source) {
  SyntaxError result;
  if (!root.has_error()) return result;
  Node node = root;
  while (!node.is("ERROR") && !node.is_missing()) {
    Node next;
    for (uint32_t i = 0, n = node.child_count(); i < n && !next; ++i) {
      Node child = node.child(i);
      if (child.has_error() || child.is_missing()) next = child;
    }
    if (!next) break;  // the error is this node itself
    node = next;
  }
  if (node.is("ERROR")) node = narrow_error(node);
  result.found = true;
  result.node = node;
  result.message = describe_error(node, source);
  return result;
}

}  // namespace perfscan
