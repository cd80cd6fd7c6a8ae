// The result cache: one entry per file under a cache folder, holding what analysing that file
// produced (findings, errors, facts for the link step), keyed by everything the result depends
// on. A later scan that finds the same key uses the entry instead of decoding, parsing and
// walking the file again; the link step still runs over every file's facts.
//
// Entries are written to a temporary file and renamed into place, so two perfscan processes may
// share a folder. An entry is trusted only when its header, its whole key and the checksum of
// its payload match and the payload decodes exactly: anything else is a miss, and the next store
// rewrites it.
#pragma once

#include <xxhash.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "discover/discover.hpp"
#include "perfscan/file_result.hpp"
#include "perfscan/options.hpp"
#include "perfscan/report.hpp"

namespace perfscan {

// Bumped whenever the entry layout or the meaning of a stored field changes.
inline constexpr std::uint32_t kCacheFormatVersion = 9;

// The scan-wide part of every key: format, perfscan's version and build, the rules dispatched
// (fact collectors included; order does not matter), whether facts are kept for linking, and the
// settings rules read. `name` is the same without the build: entries are named from it, so a
// rebuilt perfscan overwrites the entries of the previous build instead of adding to them.
struct CacheConfig {
  XXH128_hash_t key{};
  XXH128_hash_t name{};
};
CacheConfig cache_config_hash(std::vector<std::string_view> dispatched_rule_ids,
                              const RuleSettings& settings, bool keep_facts);

// Serialised payload of a result (no stage times), and its strict inverse: nullopt for anything
// that is not exactly a payload this build wrote. Exposed for tests.
std::string encode_result(const FileResult& result);
std::optional<FileResult> decode_result(std::string_view payload);

// One file's key: where its entry lives, and the bytes the entry must start with (magic, format,
// the scan-wide hash, the content hash, display path, module and is_package).
struct CacheKey {
  std::string entry_path;
  std::string header;
};

class ResultCache {
 public:
  // An empty `dir` disables the cache: lookups miss without counting, stores do nothing.
  // Otherwise the folder is created (with a `.gitignore` of `*` and a CACHEDIR.TAG) on first use;
  // when that fails the scan goes on without storing and `problem()` says why.
  ResultCache(std::filesystem::path dir, CacheConfig config);

  [[nodiscard]] bool enabled() const { return !dir_.empty(); }

  // The key of this file with this content (`bytes`: the file's raw bytes).
  [[nodiscard]] CacheKey key_for(const DiscoveredFile& file, std::string_view bytes) const;
  // The stored result for this key, or nullopt (counted as a miss). Never throws.
  std::optional<FileResult> lookup(const CacheKey& key);
  // Stores `result` as the entry for this key. Never throws; a failure is counted.
  void store(const CacheKey& key, const FileResult& result);

  [[nodiscard]] std::uint64_t hits() const { return hits_; }
  [[nodiscard]] std::uint64_t misses() const { return misses_; }
  [[nodiscard]] std::uint64_t write_failures() const { return write_failures_; }
  // The first reason a store failed ("" when none did).
  [[nodiscard]] std::string problem() const;
  // Copies the counters and the problem into the scan's statistics.
  void report_to(ScanStats& stats) const;

 private:
  void prepare_folder();
  void note_failure(std::string reason);  // a store that did not happen
  void note_problem(std::string reason);

  std::string dir_;  // without a trailing slash; "" when disabled
  CacheConfig config_;
  std::once_flag prepared_;
  bool writable_ = true;
  std::atomic<std::uint64_t> hits_{0}, misses_{0}, write_failures_{0}, temp_counter_{0};
  mutable std::mutex problem_mutex_;
  std::string problem_;
};

}  // namespace perfscan
