// Interned strings for the link step: each distinct qualified name (or other text the index
// keys on) is stored once and named by a dense id, so the index's tables hold 4-byte ids
// instead of strings. A project repeats the same names across files (every module that calls
// `django.db.models.Q` names it), so the table grows with the distinct names, not with the
// files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace perfscan {

using NameId = std::uint32_t;
inline constexpr NameId kNoName = ~NameId{0};

class NameTable {
 public:
  NameTable() = default;
  NameTable(const NameTable&) = delete;
  NameTable& operator=(const NameTable&) = delete;
  NameTable(NameTable&&) = default;
  NameTable& operator=(NameTable&&) = default;

  // The id of `text`, added if new. Ids are given in order: 0, 1, 2...
  NameId intern(std::string_view text);
  // The id of `text`, or kNoName when it was never interned.
  [[nodiscard]] NameId find(std::string_view text) const;
  // The text of an id (a view that stays valid as long as the table).
  [[nodiscard]] std::string_view text(NameId id) const { return texts_[id]; }
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
  std::vector<NameId> slots_;
};

}  // namespace perfscan
