#include "link/name_table.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace perfscan {
namespace {

constexpr std::size_t kBlockBytes = std::size_t{64} << 10;
constexpr std::size_t kFirstSlots = 1024;
// A node's entry in NameTable::hashes_: the low 31 bits of its name's hash, and whether the name
// was interned as itself (not only as a prefix of longer names).
constexpr std::uint32_t kHashBits = 0x7fffffffU;
constexpr std::uint32_t kInterned = 0x80000000U;

std::size_t hash_of(std::string_view text) { return std::hash<std::string_view>{}(text); }

// A name's hash, read eight bytes at a time: the state absorbs whole words, and the hash of
// what was read so far is `finish(state, tail, length)` with the bytes after the last whole word
// as `tail`. Interning a name streams it once and takes the hash of each prefix at its dot on the
// way; finding one hashes it whole, with the same result.
constexpr std::uint64_t kNameSeed = 0x243f6a8885a308d3ULL;
constexpr std::uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;

inline std::uint64_t word_at(const char* at) {
  std::uint64_t word = 0;
  std::memcpy(&word, at, sizeof word);
  return word;
}
inline std::uint64_t tail_of(const char* at, std::size_t count) {
  std::uint64_t tail = 0;
  for (std::size_t i = 0; i < count; ++i)
    tail |= std::uint64_t{static_cast<unsigned char>(at[i])} << (8 * i);
  return tail;
}
inline std::uint64_t absorb(std::uint64_t state, std::uint64_t word) {
  state = (state ^ word) * kMultiplier;
  return state ^ (state >> 29);
}
inline std::uint64_t finish(std::uint64_t state, std::uint64_t tail, std::size_t length) {
  std::uint64_t hash = absorb(state, tail ^ (std::uint64_t{length} << 56));
  hash ^= hash >> 32;
  hash *= 0xff51afd7ed558ccdULL;
  return hash ^ (hash >> 33);
}
std::uint64_t hash_name(std::string_view name) {
  std::uint64_t state = kNameSeed;
  std::size_t at = 0;
  for (; at + 8 <= name.size(); at += 8) state = absorb(state, word_at(name.data() + at));
  return finish(state, tail_of(name.data() + at, name.size() - at), name.size());
}

// Whether the `count` bytes at `a` and `b` are the same, compared a word at a time without a
// call (segments are short, and names are compared often).
inline bool same_bytes(const char* a, const char* b, std::size_t count) {
  if (count >= 8) {
    for (std::size_t at = 0; at + 8 < count; at += 8) {
      if (word_at(a + at) != word_at(b + at)) return false;
    }
    return word_at(a + count - 8) == word_at(b + count - 8);
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
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

bool NameTable::names(NameId id, std::string_view name) const {
  // From the end of `name`, one segment after the other.
  const char* begin = name.data();
  const char* end = begin + name.size();
  for (NameId at = id;;) {
    const Node& node = nodes_[at];
    std::string_view piece = segments_.text(node.segment);
    if (static_cast<std::size_t>(end - begin) < piece.size()) return false;
    end -= piece.size();
    if (!same_bytes(end, piece.data(), piece.size())) return false;
    if (node.parent == kNoName) return end == begin;
    if (end == begin || *--end != '.') return false;
    at = node.parent;
  }
}

void NameTable::grow() {
  std::vector<NameId> bigger(slots_.empty() ? kFirstSlots : slots_.size() * 2, 0);
  const std::size_t mask = bigger.size() - 1;
  for (NameId id = 0; id < nodes_.size(); ++id) {
    // The low 31 bits of the hash are all the slots use while there are fewer of them.
    std::size_t slot = (hashes_[id] & kHashBits) & mask;
    while (bigger[slot] != 0) slot = (slot + 1) & mask;
    bigger[slot] = id + 1;
  }
  slots_ = std::move(bigger);
}

NameId NameTable::find(std::string_view name) const {
  if (slots_.empty()) return kNoName;
  const std::uint64_t hash = hash_name(name);
  const std::size_t mask = slots_.size() - 1;
  // Only names interned as themselves answer: a prefix that is only a prefix is skipped
  // without comparing its text.
  const auto wanted = (static_cast<std::uint32_t>(hash) & kHashBits) | kInterned;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    NameId held = slots_[slot];
    if (held == 0) return kNoName;
    if (hashes_[held - 1] == wanted && names(held - 1, name)) return held - 1;
  }
}

NameId NameTable::intern(std::string_view name) {
  if (NameId found = find(name); found != kNoName) return found;
  NameId node = kNoName;
  std::uint64_t state = kNameSeed;
  std::size_t absorbed = 0;  // bytes of `name` in `state`, a multiple of 8
  for (std::size_t start = 0;;) {
    std::size_t dot = name.find('.', start);
    std::size_t end = dot == std::string_view::npos ? name.size() : dot;
    std::string_view piece = name.substr(start, end - start);
    // The hash of name[0, end), as hash_name would give it.
    for (; absorbed + 8 <= end; absorbed += 8)
      state = absorb(state, word_at(name.data() + absorbed));
    const std::uint64_t hash = finish(state, tail_of(name.data() + absorbed, end - absorbed), end);
    if ((nodes_.size() + 1) * 2 > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    const auto low = static_cast<std::uint32_t>(hash) & kHashBits;
    std::size_t slot = hash & mask;
    // Most prefixes of a new name are there already (its module's, its class's): found by
    // their parent and segment text, without looking the segment up.
    for (;; slot = (slot + 1) & mask) {
      NameId held = slots_[slot];
      if (held == 0) break;
      const Node& other = nodes_[held - 1];
      if ((hashes_[held - 1] & kHashBits) == low && other.parent == node) {
        std::string_view text = segments_.text(other.segment);
        if (text.size() == piece.size() && same_bytes(text.data(), piece.data(), piece.size()))
          break;
      }
    }
    if (slots_[slot] == 0) {
      if (nodes_.size() >= kNoName - 1) throw std::length_error("too many distinct names");
      std::uint32_t segment = segments_.intern(piece);
      nodes_.push_back(Node{node, segment});
      hashes_.push_back(low);
      slots_[slot] = static_cast<NameId>(nodes_.size());
    }
    node = slots_[slot] - 1;
    if (dot == std::string_view::npos) {
      hashes_[node] |= kInterned;
      return node;
    }
    start = dot + 1;
  }
}

std::string NameTable::text(NameId id) const {
  std::size_t length = 0;
  for (NameId at = id; at != kNoName; at = nodes_[at].parent) {
    length += segments_.text(nodes_[at].segment).size() + 1;
  }
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
