#include "link/name_table.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace perfscan {
namespace {

constexpr std::size_t kBlockBytes = std::size_t{64} << 10;

std::size_t hash_of(std::string_view text) { return std::hash<std::string_view>{}(text); }

}  // namespace

std::size_t NameTable::slot_of(std::string_view text, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  const auto low = static_cast<std::uint32_t>(hash);
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    NameId held = slots_[slot];
    if (held == 0) return slot;
    if (hashes_[held - 1] == low && texts_[held - 1] == text) return slot;
  }
}

NameId NameTable::find(std::string_view text) const {
  if (slots_.empty()) return kNoName;
  NameId held = slots_[slot_of(text, hash_of(text))];
  return held == 0 ? kNoName : held - 1;
}

NameId NameTable::intern(std::string_view text) {
  // At most half full, so probes stay short.
  if ((texts_.size() + 1) * 2 > slots_.size()) grow();
  std::size_t hash = hash_of(text);
  std::size_t slot = slot_of(text, hash);
  if (slots_[slot] != 0) return slots_[slot] - 1;
  if (texts_.size() >= kNoName - 1) throw std::length_error("too many distinct names");
  texts_.push_back(store(text));
  hashes_.push_back(static_cast<std::uint32_t>(hash));
  slots_[slot] = static_cast<NameId>(texts_.size());
  return static_cast<NameId>(texts_.size() - 1);
}

void NameTable::grow() {
  std::vector<NameId> bigger(slots_.empty() ? 1024 : slots_.size() * 2, 0);
  const std::size_t mask = bigger.size() - 1;
  for (NameId id = 0; id < texts_.size(); ++id) {
    // The low 32 bits of the hash are all slot_of uses while the table has fewer slots.
    std::size_t slot = hashes_[id] & mask;
    while (bigger[slot] != 0) slot = (slot + 1) & mask;
    bigger[slot] = id + 1;
  }
  slots_ = std::move(bigger);
}

std::string_view NameTable::store(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > block_left_) {
    // A text longer than a block gets one of its own; the current block keeps its free end.
    std::size_t size = std::max(kBlockBytes, text.size());
    blocks_.push_back(std::make_unique<char[]>(size));
    if (size == kBlockBytes) {
      block_next_ = blocks_.back().get();
      block_left_ = size;
    } else {
      std::memcpy(blocks_.back().get(), text.data(), text.size());
      return {blocks_.back().get(), text.size()};
    }
  }
  std::memcpy(block_next_, text.data(), text.size());
  std::string_view stored(block_next_, text.size());
  block_next_ += text.size();
  block_left_ -= text.size();
  return stored;
}

}  // namespace perfscan
