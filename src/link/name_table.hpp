// Interned strings for the link step: each distinct qualified name (or other text the index
// keys on) is stored once and named by a dense id, so the index's tables hold 4-byte ids
// instead of strings.
//
// Names are stored as a tree of their dotted segments: `django.db.models.Q` is the segment `Q`
// under the node of `django.db.models`, and each segment's text is kept once however many names
// use it. The names of a project share most of their length with their module's and class's
// (`pkg.mod.Class.method`), and a copy of a package under another root shares every segment:
// a node is 8 bytes, where the whole text cost some 50.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace perfscan {

using NameId = std::uint32_t;
inline constexpr NameId kNoName = ~NameId{0};

// Texts, each stored once and named by a dense id; views into it stay valid as it grows.
class TextTable {
 public:
  TextTable() = default;
  TextTable(const TextTable&) = delete;
  TextTable& operator=(const TextTable&) = delete;

  // The id of `text`, added if new. Ids are given in order: 0, 1, 2...
  std::uint32_t intern(std::string_view text);
  // The id of `text`, or kNoName when it was never interned.
  [[nodiscard]] std::uint32_t find(std::string_view text) const;
  [[nodiscard]] std::string_view text(std::uint32_t id) const { return texts_[id]; }
  [[nodiscard]] std::size_t size() const { return texts_.size(); }

 private:
  [[nodiscard]] std::size_t slot_of(std::string_view text, std::size_t hash) const;
  void grow();
  std::string_view store(std::string_view text);

  // Text lives in blocks that never move, so views into it survive growth.
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_left_ = 0;
  char* block_next_ = nullptr;
  std::vector<std::string_view> texts_;  // by id
  std::vector<std::uint32_t> hashes_;    // by id: the low bits of each text's hash
  // Open addressing, linear probing, a power of two in size: id + 1, or 0 for a free slot.
  std::vector<std::uint32_t> slots_;
};

class NameTable {
 public:
  NameTable() = default;
  NameTable(const NameTable&) = delete;
  NameTable& operator=(const NameTable&) = delete;

  // The id of `name`, added if new (its dotted prefixes get ids too, as nodes of the tree).
  NameId intern(std::string_view name);
  // The id of `name`, or kNoName when it was never interned (as a prefix only does not count).
  [[nodiscard]] NameId find(std::string_view name) const;
  // The name of an id.
  [[nodiscard]] std::string text(NameId id) const;
  // Its last dotted segment (all of it when it has no dot): a view that lives as long as the
  // table.
  [[nodiscard]] std::string_view last_segment(NameId id) const {
    return segments_.text(nodes_[id].segment);
  }
  // How many ids have been given (names and their prefixes).
  [[nodiscard]] std::size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    NameId parent = kNoName;    // the name up to the last dot; kNoName for a name without dots
    std::uint32_t segment = 0;  // into segments_
  };
  // Whether `id` names exactly `name`, compared segment by segment from the end.
  [[nodiscard]] bool names(NameId id, std::string_view name) const;
  void grow();

  TextTable segments_;
  std::vector<Node> nodes_;            // by id
  // By id: the low 31 bits of the name's hash, and (the top bit) whether it was interned as
  // itself rather than only as a prefix of longer names.
  std::vector<std::uint32_t> hashes_;
  // Open addressing by the hash of the whole name (chained over its segments, so a prefix's is
  // on the way to it), linear probing, a power of two in size: id + 1, or 0 for a free slot.
  std::vector<NameId> slots_;
};

}  // namespace perfscan
