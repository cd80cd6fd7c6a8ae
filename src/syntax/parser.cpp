#include "syntax/parser.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#ifdef PERFSCAN_USE_MIMALLOC
#include <mimalloc.h>
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
  uint32_t version = ts_language_version(tree_sitter_python());
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

#ifdef PERFSCAN_USE_MIMALLOC
// tree-sitter expects its allocator to abort rather than return null (its default does).
[[noreturn]] void out_of_memory() {
  std::fputs("perfscan: out of memory while parsing\n", stderr);
  std::abort();
}
void* checked(void* block, bool requested) {
  if (block == nullptr && requested) out_of_memory();
  return block;
}
void* ts_mi_malloc(std::size_t size) { return checked(mi_malloc(size), size != 0); }
void* ts_mi_calloc(std::size_t count, std::size_t size) {
  return checked(mi_calloc(count, size), count != 0 && size != 0);
}
void* ts_mi_realloc(void* block, std::size_t size) { return checked(mi_realloc(block, size), size != 0); }
#endif

// Installed before the first tree-sitter object exists: memory allocated by one allocator
// must never be freed by the other.
bool install_tree_sitter_allocator() {
#ifdef PERFSCAN_USE_MIMALLOC
  ts_set_allocator(ts_mi_malloc, ts_mi_calloc, ts_mi_realloc, mi_free);
#endif
  return true;
}

TSParser* new_parser() {
  static const bool installed = install_tree_sitter_allocator();
  (void)installed;
  return ts_parser_new();
}

}  // namespace

Parser::Parser() : raw_(new_parser()) { ts_parser_set_language(raw_.get(), tree_sitter_python()); }

TSTree* Parser::parse_raw(std::string_view source) {
  return ts_parser_parse_string(raw_.get(), nullptr, source.data(),
                                static_cast<uint32_t>(source.size()));
}

Tree flatten(TSTree* parsed) {
  auto nodes = std::make_unique<SyntaxTree>();
  nodes->build(parsed);
  ts_tree_delete(parsed);
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
