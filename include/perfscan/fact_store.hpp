// The link facts of every file of a scan, from the end of each file's analysis to the link step.
// Kept in their compact binary form (perfscan/linked_facts.hpp) and, past a few hundred
// kilobytes, in an unlinked temporary file instead of memory: what the scan keeps per file is
// then a few dozen bytes however large the project, and the link step reads the facts back one
// file and one part at a time (pread into a reused buffer, so pages read back do not stay in the
// process).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/facts.hpp"
#include "perfscan/linked_facts.hpp"

namespace perfscan {

// Which parts of a file's facts to read back: a set of FactSections.
using FactParts = std::uint32_t;
constexpr FactParts fact_part(FactSection section) {
  return FactParts{1} << static_cast<unsigned>(section);
}

class FactStore {
 public:
  // In memory up to this many bytes, then in a temporary file: a scan of a few files never
  // makes one, and a larger scan moves its facts out before they weigh (the memory they took
  // is not always given back to the system at once).
  static constexpr std::size_t kDefaultMemoryLimit = std::size_t{256} << 10;

  // `slots` files, numbered by the caller in the order the link step is to see them. The
  // temporary file is made in `folder`, by default the system's temporary folder (TMPDIR), and
  // unlinked at once: nothing is written into the scanned tree, and nothing is left behind.
  // When it cannot be made (or written), the facts stay in memory.
  explicit FactStore(std::size_t slots = 0, std::size_t memory_limit = kDefaultMemoryLimit,
                     std::string folder = {});
  ~FactStore();
  FactStore(const FactStore&) = delete;
  FactStore& operator=(const FactStore&) = delete;

  // More slots, numbered after the present ones (before any add that uses them; not
  // thread-safe).
  void resize(std::size_t slots);
  [[nodiscard]] std::size_t size() const { return slots_.size(); }

  // The facts of file `slot`, each slot at most once. Thread-safe; never throws: a failure is
  // kept for problem().
  void add(std::size_t slot, const EncodedFacts& facts);

  // ---- reading, once every add is done (not thread-safe: one buffer serves every read) ----

  [[nodiscard]] bool has(std::size_t slot) const {
    return slot < slots_.size() && slots_[slot].present;
  }
  // The file's path (FileFacts::path), "" for a slot without facts: a view that lives as long as
  // the store.
  [[nodiscard]] std::string_view path(std::size_t slot) const;
  // The parts `parts` of file `slot`'s facts, decoded; the path is always set, every other
  // member is empty unless its part was asked for. Throws std::runtime_error when the facts
  // cannot be read back.
  [[nodiscard]] FileFacts load(std::size_t slot, FactParts parts) const;

  // Every file with facts, in slot order, with `parts` loaded.
  template <typename Visit>
  void for_each_file(FactParts parts, Visit&& visit) const {
    for (std::size_t slot = 0; slot < slots_.size(); ++slot) {
      if (!slots_[slot].present) continue;
      const FileFacts facts = load(slot, parts);
      visit(facts);
    }
  }
  // Every pending finding recorded for `rule_id`, in slot order and then in the order recorded,
  // with its file (whose path alone is set).
  template <typename Visit>
  void for_each_pending(std::string_view rule_id, Visit&& visit) const {
    auto found = pending_.find(rule_id);
    if (found == pending_.end()) return;
    for (const Chunk& chunk : found->second) {
      FileFacts file = load_pending(chunk, rule_id);
      for (const PendingFinding& pending : file.database.pending)
        visit(static_cast<const FileFacts&>(file), pending);
    }
  }

  // Bytes of facts kept, whether they are in the temporary file, and the first failure (a
  // write that could not be made nor kept in memory), "" when none.
  [[nodiscard]] std::uint64_t bytes() const { return end_; }
  [[nodiscard]] bool on_disk() const { return fd_ >= 0; }
  [[nodiscard]] std::string problem() const;

 private:
  // The fixed parts (head to functions) of a slot lie back to back from `offset`.
  static constexpr std::size_t kFixedParts = static_cast<std::size_t>(FactSection::pending);
  struct Slot {
    std::uint64_t offset = 0;
    std::uint32_t sizes[kFixedParts] = {};
    std::uint32_t path_offset = 0;  // into paths_
    std::uint32_t path_size = 0;
    bool present = false;
  };
  struct Chunk {
    std::uint32_t slot = 0;
    std::uint32_t size = 0;
    std::uint64_t offset = 0;
  };

  // Appends `pieces` at the end of the store, in order; false when they could be kept nowhere.
  bool append(const std::vector<std::string_view>& pieces);
  bool spill();           // moves what memory holds into a new temporary file
  bool back_to_memory();  // reads the temporary file back into memory after a failed write
  // The bytes [offset, offset + size): a view into memory or into the read buffer.
  [[nodiscard]] std::string_view read(std::uint64_t offset, std::size_t size) const;
  [[nodiscard]] FileFacts load_pending(const Chunk& chunk, std::string_view rule_id) const;

  std::size_t memory_limit_;
  std::string folder_;  // "" for the system's temporary folder
  std::vector<Slot> slots_;
  std::string paths_;  // every slot's path, back to back
  // Pending findings by rule: one chunk per file that has some, in slot order.
  std::map<std::string, std::vector<Chunk>, std::less<>> pending_;
  std::string memory_;  // the facts while they are in memory
  int fd_ = -1;         // the temporary file once they are not
  std::uint64_t end_ = 0;
  bool tried_file_ = false;
  std::string problem_;
  mutable std::mutex mutex_;
  mutable std::string buffer_;
};

}  // namespace perfscan
