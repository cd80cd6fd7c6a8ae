#include "cache/result_cache.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "core/codec.hpp"
#include "core/facts_codec.hpp"
#include "perfscan/version.hpp"

namespace perfscan {
namespace {

using codec::finding_fields;
using codec::kFindingBytes;
using codec::Reader;
using codec::Writer;

// Fields are written one by one below: a fact or finding that gains a member must be added to
// the codec (and kCacheFormatVersion bumped), or the cache would silently drop it. These sizes
// are the tripwire (x86-64, libstdc++): update them together with encode/decode.
static_assert(sizeof(Finding) == 368, "Finding changed: update the result cache codec");
static_assert(sizeof(FileError) == 72, "FileError changed: update the result cache codec");
static_assert(sizeof(KnowledgeExtensions) == 72,
              "KnowledgeExtensions changed: update cache_config_hash");
static_assert(sizeof(RuleSettings) == 88, "RuleSettings changed: update cache_config_hash");

// Larger than any entry this build writes for a source it accepts: not read at all.
constexpr off_t kMaxEntryBytes = off_t{1} << 30;
constexpr std::string_view kMagic = "PSCACHE\n";
constexpr std::string_view kGitignore = "# Created by perfscan: the result cache.\n*\n";
constexpr std::string_view kCachedirTag =
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by perfscan.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n";

// A file's link facts as their sections (core/facts_codec), stored as they are: a hit hands the
// same bytes to the link step. The reader checks each section decodes (decode_result).
template <typename Io, typename E>
void linked_fields(Io& io, E& linked) {
  io.list(linked.sections, 9, [&](auto& section) {
    io.enumerated(section.kind, FactSection::pending);
    io.field(section.rule_id);
    io.field(section.bytes);
  });
}

template <typename Io, typename R>
void result_fields(Io& io, R& result) {
  io.field(result.scanned);
  io.field(result.lines);
  io.field(result.bytes);
  io.list(result.findings, kFindingBytes, [&](auto& finding) { finding_fields(io, finding); });
  io.list(result.errors, 9, [&](auto& error) {
    io.field(error.path);
    io.field(error.message);
    io.field(error.analysed);
  });
  linked_fields(io, result.linked);
}

// ---- files -------------------------------------------------------------------------------------

void append_hash(std::string& out, XXH128_hash_t hash) {
  Writer w(out);
  w.u64(hash.low64);
  w.u64(hash.high64);
}

std::string hex128(XXH128_hash_t hash) {
  return fmt::format("{:016x}{:016x}", hash.high64, hash.low64);
}

// The whole file in one read, or false.
bool read_whole(const std::string& path, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat info {};
  bool ok = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size <= kMaxEntryBytes;
  if (ok) {
    out.resize(static_cast<std::size_t>(info.st_size));
    std::size_t done = 0;
    while (done < out.size()) {
      ssize_t got = ::read(fd, out.data() + done, out.size() - done);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      done += static_cast<std::size_t>(got);
    }
    ok = done == out.size();
  }
  ::close(fd);
  return ok;
}

// Writes `data` to a new file `path` (which must not exist). Returns 0 or an errno value.
int write_new(const std::string& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  std::size_t done = 0;
  int failure = 0;
  while (done < data.size()) {
    ssize_t put = ::write(fd, data.data() + done, data.size() - done);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) {
      failure = put < 0 ? errno : EIO;
      break;
    }
    done += static_cast<std::size_t>(put);
  }
  if (::close(fd) != 0 && failure == 0) failure = errno;
  return failure;
}

// `path`'s exact content, written by rename so readers never see half of it.
void write_if_missing(const std::string& path, std::string_view content) {
  if (::access(path.c_str(), F_OK) == 0) return;
  std::string temp = fmt::format("{}.tmp.{}", path, ::getpid());
  if (write_new(temp, content) == 0 && ::rename(temp.c_str(), path.c_str()) == 0) return;
  ::unlink(temp.c_str());
}

// Identifies the running build beyond its version number: a rebuilt binary (rules changed
// during development, same version) must not reuse entries of the old one.
std::string build_identity() {
  struct stat info {};
  if (::stat("/proc/self/exe", &info) != 0) return {};
  return fmt::format("{}:{}.{}", info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec);
}

}  // namespace

CacheConfig cache_config_hash(std::vector<std::string_view> dispatched_rule_ids,
                              const RuleSettings& settings, bool keep_facts) {
  std::string text;
  Writer w(text);
  w.u32(kCacheFormatVersion);
  w.str(version());
  std::vector<std::string> ids(dispatched_rule_ids.begin(), dispatched_rule_ids.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  w.strings(ids);
  w.flag(keep_facts);
  w.flag(settings.target_version.has_value());
  if (settings.target_version) {
    w.u32(static_cast<std::uint32_t>(settings.target_version->major));
    w.u32(static_cast<std::uint32_t>(settings.target_version->minor));
  }
  w.strings(settings.knowledge.blocking_calls);
  w.strings(settings.knowledge.query_methods);
  w.strings(settings.knowledge.http_clients);
  CacheConfig config;
  config.name = XXH3_128bits(text.data(), text.size());
  static const std::string kBuild = build_identity();
  w.str(kBuild);
  config.key = XXH3_128bits(text.data(), text.size());
  return config;
}

std::string encode_result(const FileResult& result) {
  std::string out;
  out.reserve(1024);
  Writer w(out);
  result_fields(w, result);
  return out;
}

std::optional<FileResult> decode_result(std::string_view payload) {
  Reader r(payload);
  FileResult result;
  result_fields(r, result);
  if (!r.at_end() || !valid_linked_facts(result.linked)) return std::nullopt;
  return result;
}

ResultCache::ResultCache(std::filesystem::path dir, CacheConfig config) : config_(config) {
  if (dir.empty()) return;
  dir_ = dir.lexically_normal().string();
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

CacheKey ResultCache::key_for(const DiscoveredFile& file, std::string_view bytes) const {
  CacheKey key;
  if (!enabled()) return key;
  // The entry's name leaves the content out, so an edited file overwrites its own entry.
  std::string named;
  append_hash(named, config_.name);
  named += file.display_path;
  std::string hex = hex128(XXH3_128bits(named.data(), named.size()));
  key.entry_path = fmt::format("{}/{}/{}.entry", dir_, std::string_view(hex).substr(0, 2), hex);
  key.header.reserve(64 + file.display_path.size() + file.module.size());
  key.header = kMagic;
  Writer w(key.header);
  w.u32(kCacheFormatVersion);
  append_hash(key.header, config_.key);
  append_hash(key.header, XXH3_128bits(bytes.data(), bytes.size()));
  w.str(file.display_path);
  w.str(file.module);
  w.flag(file.is_package);
  return key;
}

std::optional<FileResult> ResultCache::lookup(const CacheKey& key) {
  if (!enabled()) return std::nullopt;
  std::optional<FileResult> found;
  try {
    std::string entry;
    const std::string& header = key.header;
    if (read_whole(key.entry_path, entry) && entry.size() >= header.size() + 16 &&
        entry.compare(0, header.size(), header) == 0) {
      Reader r(std::string_view(entry).substr(header.size(), 16));
      std::uint64_t length = r.u64();
      std::uint64_t checksum = r.u64();
      std::string_view payload = std::string_view(entry).substr(header.size() + 16);
      if (length == payload.size() && XXH3_64bits(payload.data(), payload.size()) == checksum) {
        found = decode_result(payload);
      }
    }
  } catch (const std::exception&) {
    found.reset();  // out of memory on a legitimate entry: analyse the file instead
  }
  ++(found ? hits_ : misses_);
  return found;
}

void ResultCache::note_failure(std::string reason) {
  ++write_failures_;
  note_problem(std::move(reason));
}

void ResultCache::note_problem(std::string reason) {
  std::lock_guard lock(problem_mutex_);
  if (problem_.empty()) problem_ = std::move(reason);
}

std::string ResultCache::problem() const {
  std::lock_guard lock(problem_mutex_);
  return problem_;
}

void ResultCache::prepare_folder() {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error || !std::filesystem::is_directory(dir_, error)) {
    writable_ = false;
    note_problem(
        fmt::format("cannot create {}: {}", dir_, error ? error.message() : "not a folder"));
    return;
  }
  write_if_missing(dir_ + "/.gitignore", kGitignore);
  write_if_missing(dir_ + "/CACHEDIR.TAG", kCachedirTag);
}

void ResultCache::store(const CacheKey& key, const FileResult& result) {
  if (!enabled()) return;
  try {
    std::call_once(prepared_, [this] { prepare_folder(); });
    if (!writable_) {
      ++write_failures_;
      return;
    }
    std::string data = key.header;
    std::string payload = encode_result(result);
    Writer w(data);
    w.u64(payload.size());
    w.u64(XXH3_64bits(payload.data(), payload.size()));
    data += payload;
    const std::string& path = key.entry_path;
    std::string temp =
        fmt::format("{}.tmp.{}.{:x}.{}", path, ::getpid(),
                    std::hash<std::thread::id>{}(std::this_thread::get_id()), temp_counter_++);
    int failure = write_new(temp, data);
    if (failure == ENOENT) {
      // The first entry of its fan-out folder.
      std::string folder = path.substr(0, path.rfind('/'));
      if (::mkdir(folder.c_str(), 0755) != 0 && errno != EEXIST) {
        note_failure(fmt::format("cannot create {}: {}", folder, std::strerror(errno)));
        return;
      }
      failure = write_new(temp, data);
    }
    if (failure == 0 && ::rename(temp.c_str(), path.c_str()) != 0) failure = errno;
    if (failure != 0) {
      ::unlink(temp.c_str());
      note_failure(fmt::format("cannot write {}: {}", path, std::strerror(failure)));
    }
  } catch (const std::exception& failure) {
    note_failure(fmt::format("cannot store an entry in {}: {}", dir_, failure.what()));
  }
}

void ResultCache::report_to(ScanStats& stats) const {
  stats.cache_enabled = enabled();
  stats.cache_hits = hits_;
  stats.cache_misses = misses_;
  stats.cache_write_failures = write_failures_;
  stats.cache_problem = problem();
}

}  // namespace perfscan
