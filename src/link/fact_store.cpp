#include "perfscan/fact_store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/facts_codec.hpp"

namespace perfscan {
namespace {

// A new file in `folder` (the system's temporary folder when "") that no other process can open
// and that disappears when closed: O_TMPFILE where the file system has it, else a named file
// unlinked at once.
int open_unlinked_temporary(const std::string& in) {
  std::error_code error;
  std::filesystem::path folder =
      in.empty() ? std::filesystem::temp_directory_path(error) : std::filesystem::path(in);
  if (error) folder = "/tmp";
  int fd = -1;
#ifdef O_TMPFILE
  fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
#endif
  std::string pattern = (folder / "perfscan-facts-XXXXXX").string();
  fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd >= 0) ::unlink(pattern.c_str());
  return fd;
}

// Writes all of `pieces` at `offset`; false on any failure.
bool write_all_at(int fd, std::uint64_t offset, const std::vector<std::string_view>& pieces) {
  for (std::string_view piece : pieces) {
    while (!piece.empty()) {
      ssize_t put = ::pwrite(fd, piece.data(), piece.size(), static_cast<off_t>(offset));
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) return false;
      piece.remove_prefix(static_cast<std::size_t>(put));
      offset += static_cast<std::uint64_t>(put);
    }
  }
  return true;
}

bool read_all_at(int fd, std::uint64_t offset, char* out, std::size_t size) {
  while (size > 0) {
    ssize_t got = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got;
    size -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return true;
}

}  // namespace

FactStore::FactStore(std::size_t slots, std::size_t memory_limit, std::string folder)
    : memory_limit_(memory_limit), folder_(std::move(folder)) {
  resize(slots);
}

FactStore::~FactStore() {
  if (fd_ >= 0) ::close(fd_);
}

void FactStore::resize(std::size_t slots) {
  if (slots > UINT32_MAX) throw std::length_error("too many files for the link step");
  slots_.resize(slots);
}

std::string_view FactStore::path(std::size_t slot) const {
  if (!has(slot)) return {};
  return std::string_view(paths_).substr(slots_[slot].path_offset, slots_[slot].path_size);
}

std::string FactStore::problem() const {
  std::lock_guard lock(mutex_);
  return problem_;
}

void FactStore::add(std::size_t slot, const EncodedFacts& facts) {
  try {
    Slot placed;
    placed.present = true;
    std::vector<std::string_view> pieces;
    std::vector<std::pair<const EncodedFacts::Section*, std::uint64_t>>
        pending;  // section, offset in the file's bytes
    std::uint64_t length = 0;
    std::string path;
    // The fixed parts first, in kind order, then each rule's pending findings.
    for (const EncodedFacts::Section& section : facts.sections) {
      if (section.kind == FactSection::pending) continue;
      auto kind = static_cast<std::size_t>(section.kind);
      if (kind >= kFixedParts || section.bytes.size() > UINT32_MAX) continue;
      placed.sizes[kind] = static_cast<std::uint32_t>(section.bytes.size());
      if (section.kind == FactSection::head) {
        FileFacts head;
        if (decode_fact_section(FactSection::head, {}, section.bytes, head))
          path = std::move(head.path);
      }
    }
    for (std::size_t kind = 0; kind < kFixedParts; ++kind) {
      for (const EncodedFacts::Section& section : facts.sections) {
        if (static_cast<std::size_t>(section.kind) == kind) pieces.push_back(section.bytes);
      }
      length += placed.sizes[kind];
    }
    for (const EncodedFacts::Section& section : facts.sections) {
      if (section.kind != FactSection::pending || section.bytes.size() > UINT32_MAX) continue;
      pending.emplace_back(&section, length);
      pieces.push_back(section.bytes);
      length += section.bytes.size();
    }
    std::lock_guard lock(mutex_);
    if (slot >= slots_.size() || slots_[slot].present) return;
    placed.offset = end_;
    if (paths_.size() + path.size() > UINT32_MAX || path.size() > UINT32_MAX) return;
    if (!append(pieces)) return;
    placed.path_offset = static_cast<std::uint32_t>(paths_.size());
    placed.path_size = static_cast<std::uint32_t>(path.size());
    paths_ += path;
    slots_[slot] = placed;
    for (const auto& [section, offset] : pending) {
      std::vector<Chunk>& chunks = pending_[section->rule_id];
      Chunk chunk{static_cast<std::uint32_t>(slot),
                  static_cast<std::uint32_t>(section->bytes.size()), placed.offset + offset};
      // Files finish nearly in order: the place is almost always the end.
      auto at = std::upper_bound(chunks.begin(), chunks.end(), chunk,
                                 [](const Chunk& a, const Chunk& b) { return a.slot < b.slot; });
      chunks.insert(at, chunk);
    }
  } catch (const std::exception& failure) {
    std::lock_guard lock(mutex_);
    if (problem_.empty()) problem_ = fmt::format("cannot keep the link facts: {}", failure.what());
  }
}

bool FactStore::append(const std::vector<std::string_view>& pieces) {
  std::uint64_t length = 0;
  for (std::string_view piece : pieces) length += piece.size();
  if (fd_ < 0 && !tried_file_ && memory_.size() + length > memory_limit_) {
    tried_file_ = true;
    spill();
  }
  if (fd_ >= 0) {
    if (write_all_at(fd_, end_, pieces)) {
      end_ += length;
      return true;
    }
    if (!back_to_memory()) return false;
  }
  for (std::string_view piece : pieces) memory_.append(piece);
  end_ += length;
  return true;
}

bool FactStore::spill() {
  int fd = open_unlinked_temporary(folder_);
  if (fd < 0) return false;
  if (!write_all_at(fd, 0, {memory_})) {
    ::close(fd);
    return false;
  }
  fd_ = fd;
  memory_ = std::string();
  return true;
}

bool FactStore::back_to_memory() {
  std::string bytes(end_, '\0');
  bool ok = read_all_at(fd_, 0, bytes.data(), bytes.size());
  ::close(fd_);
  fd_ = -1;
  if (!ok) {
    if (problem_.empty())
      problem_ = fmt::format("cannot read back the link facts: {}", std::strerror(errno));
    return false;
  }
  memory_ = std::move(bytes);
  return true;
}

std::string_view FactStore::read(std::uint64_t offset, std::size_t size) const {
  if (offset + size > end_) throw std::runtime_error("the link facts end early");
  if (fd_ < 0) return std::string_view(memory_).substr(offset, size);
  if (buffer_.size() < size) buffer_.resize(std::max(size, buffer_.size() * 2));
  if (!read_all_at(fd_, offset, buffer_.data(), size)) {
    throw std::runtime_error(
        fmt::format("cannot read back the link facts: {}", std::strerror(errno)));
  }
  return std::string_view(buffer_).substr(0, size);
}

FileFacts FactStore::load(std::size_t slot, FactParts parts) const {
  FileFacts facts;
  if (!has(slot)) return facts;
  facts.path = path(slot);
  const Slot& placed = slots_[slot];
  // One read from the first part asked for to the last.
  std::uint64_t first = 0, last = 0, at = 0;
  bool any = false;
  for (std::size_t kind = 0; kind < kFixedParts; ++kind) {
    if ((parts & fact_part(static_cast<FactSection>(kind))) != 0 && placed.sizes[kind] != 0) {
      if (!any) first = at;
      last = at + placed.sizes[kind];
      any = true;
    }
    at += placed.sizes[kind];
  }
  if (!any) return facts;
  std::string_view bytes = read(placed.offset + first, static_cast<std::size_t>(last - first));
  at = 0;
  for (std::size_t kind = 0; kind < kFixedParts; ++kind) {
    std::size_t size = placed.sizes[kind];
    auto section = static_cast<FactSection>(kind);
    if ((parts & fact_part(section)) != 0 && size != 0) {
      if (!decode_fact_section(section, {}, bytes.substr(at - first, size), facts)) {
        throw std::runtime_error("the link facts read back do not decode");
      }
    }
    at += size;
  }
  // The head section holds the path too: the one kept in memory is the same.
  facts.path = path(slot);
  return facts;
}

FileFacts FactStore::load_pending(const Chunk& chunk, std::string_view rule_id) const {
  FileFacts facts;
  facts.path = path(chunk.slot);
  if (!decode_fact_section(FactSection::pending, rule_id, read(chunk.offset, chunk.size), facts)) {
    throw std::runtime_error("the link facts read back do not decode");
  }
  return facts;
}

}  // namespace perfscan
