#include "link/name_table.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace perfscan {
namespace {

constexpr std::size_t kBlockBytes = std::size_t{64} << 10;
constexpr std::size_t kFirstSlots = 1024;

std::size_t hash_of(std::string_view text) { return std::hash<std::string_view>{}(text); }

// A node's hash, from its parent's id and its segment's: nodes compare as two integers.
std::size_t hash_of(NameId parent, std::uint32_t segment) {
  std::uint64_t key = (std::uint64_t{parent} << 32) | segment;
  // splitmix64's finaliser: every bit of the key moves the low bits the slots use.
  key ^= key >> 30;
  key *= 0xbf58476d1ce4e5b9ULL;
  key ^= key >> 27;
  key *= 0x94d049bb133111ebULL;
  key ^= key >> 31;
  return static_cast<std::size_t>(key);
}

}  // namespace

// ---- TextTable --------------------------------------------------------------------------------

std::size_t TextTable::slot_of(std::string_view text, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  const auto low = static_cast<std::uint32_t>(hash);
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    std::uint32_t held = slots_[slot];
    if (held == 0) return slot;
    if (hashes_[held - 1] == low && texts_[held - 1] == text) return slot;
  }
}

std::uint32_t TextTable::find(std::string_view text) const {
  if (slots_.empty()) return kNoName;
  std::uint32_t held = slots_[slot_of(text, hash_of(text))];
  return held == 0 ? kNoName : held - 1;
}

std::uint32_t TextTable::intern(std::string_view text) {
  // At most half full, so probes stay short.
  if ((texts_.size() + 1) * 2 > slots_.size()) grow();
  std::size_t hash = hash_of(text);
  std::size_t slot = slot_of(text, hash);
  if (slots_[slot] != 0) return slots_[slot] - 1;
  if (texts_.size() >= kNoName - 1) throw std::length_error("too many distinct names");
  texts_.push_back(store(text));
  hashes_.push_back(static_cast<std::uint32_t>(hash));
  slots_[slot] = static_cast<std::uint32_t>(texts_.size());
  return static_cast<std::uint32_t>(texts_.size() - 1);
}

void TextTable::grow() {
  std::vector<std::uint32_t> bigger(slots_.empty() ? kFirstSlots : slots_.size() * 2, 0);
  const std::size_t mask = bigger.size() - 1;
  for (std::uint32_t id = 0; id < texts_.size(); ++id) {
    // The low 32 bits of the hash are all slot_of uses while the table has fewer slots.
    std::size_t slot = hashes_[id] & mask;
    while (bigger[slot] != 0) slot = (slot + 1) & mask;
    bigger[slot] = id + 1;
  }
  slots_ = std::move(bigger);
}

std::string_view TextTable::store(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > block_left_) {
    // A text longer than a block gets one of its own; the current block keeps its free end.
    std::size_t size = std::max(kBlockBytes, text.size());
    blocks_.push_back(std::make_unique<char[]>(size));
    if (size != kBlockBytes) {
      std::memcpy(blocks_.back().get(), text.data(), text.size());
      return {blocks_.back().get(), text.size()};
    }
    block_next_ = blocks_.back().get();
    block_left_ = size;
  }
  std::memcpy(block_next_, text.data(), text.size());
  std::string_view stored(block_next_, text.size());
  block_next_ += text.size();
  block_left_ -= text.size();
  return stored;
}

// ---- NameTable --------------------------------------------------------------------------------

std::size_t NameTable::slot_of(NameId parent, std::uint32_t segment) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = hash_of(parent, segment) & mask;; slot = (slot + 1) & mask) {
    NameId held = slots_[slot];
    if (held == 0) return slot;
    const Node& node = nodes_[held - 1];
    if (node.parent == parent && node.segment == segment) return slot;
  }
}

void NameTable::grow() {
  std::vector<NameId> bigger(slots_.empty() ? kFirstSlots : slots_.size() * 2, 0);
  const std::size_t mask = bigger.size() - 1;
  for (NameId id = 0; id < nodes_.size(); ++id) {
    std::size_t slot = hash_of(nodes_[id].parent, nodes_[id].segment) & mask;
    while (bigger[slot] != 0) slot = (slot + 1) & mask;
    bigger[slot] = id + 1;
  }
  slots_ = std::move(bigger);
}

NameId NameTable::intern(std::string_view name) {
  NameId node = kNoName;
  for (std::size_t start = 0;;) {
    std::size_t dot = name.find('.', start);
    std::string_view piece =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    std::uint32_t segment = segments_.intern(piece);
    if ((nodes_.size() + 1) * 2 > slots_.size()) grow();
    std::size_t slot = slot_of(node, segment);
    if (slots_[slot] == 0) {
      if (nodes_.size() >= kNoName - 1) throw std::length_error("too many distinct names");
      nodes_.push_back(Node{node, segment});
      slots_[slot] = static_cast<NameId>(nodes_.size());
    }
    node = slots_[slot] - 1;
    if (dot == std::string_view::npos) return node;
    start = dot + 1;
  }
}

NameId NameTable::find(std::string_view name) const {
  if (slots_.empty()) return kNoName;
  NameId node = kNoName;
  for (std::size_t start = 0;;) {
    std::size_t dot = name.find('.', start);
    std::string_view piece =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    std::uint32_t segment = segments_.find(piece);
    if (segment == kNoName) return kNoName;
    NameId held = slots_[slot_of(node, segment)];
    if (held == 0) return kNoName;
    node = held - 1;
    if (dot == std::string_view::npos) return node;
    start = dot + 1;
  }
}

std::string NameTable::text(NameId id) const {
  std::size_t length = 0;
  for (NameId at = id; at != kNoName; at = nodes_[at].parent)
    length += segments_.text(nodes_[at].segment).size() + 1;
  std::string out(length - 1, '.');
  std::size_t end = out.size();
  for (NameId at = id; at != kNoName; at = nodes_[at].parent) {
    std::string_view piece = segments_.text(nodes_[at].segment);
    end -= piece.size();
    if (!piece.empty()) std::memcpy(out.data() + end, piece.data(), piece.size());
    if (end > 0) --end;  // the dot before it, already in place
  }
  return out;
}

}  // namespace perfscan
