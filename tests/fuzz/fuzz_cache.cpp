// Fuzz target: the result cache's entry reader. The bytes are a payload (what encode_result
// writes). decode_result must refuse anything that is not exactly a payload this build writes,
// so whatever it accepts must encode back to the same bytes. The payload is then framed as a real
// entry (the header of a key, its length and checksum, so the fuzzer does not have to forge
// hashes), written to a cache folder, and read through ResultCache::lookup, which must agree:
// a hit with the same result exactly when decode_result accepts the payload.
#include <unistd.h>
#include <xxhash.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "cache/result_cache.hpp"

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_cache: %s\n", what);
  std::abort();
}

// One cache folder per process, removed at exit.
const fs::path& cache_folder() {
  static const fs::path folder = [] {
    std::string pattern = (fs::temp_directory_path() / "perfscan-fuzz-cache-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) fail("cannot create a temporary folder");
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(cache_folder(), ignored);
    });
    return fs::path(pattern);
  }();
  return folder;
}

void append_u64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// Writes `payload` as the entry of `key`, framed as ResultCache::store frames it.
void write_entry(const perfscan::CacheKey& key, std::string_view payload) {
  std::string entry = key.header;
  append_u64(entry, payload.size());
  append_u64(entry, XXH3_64bits(payload.data(), payload.size()));
  entry.append(payload);
  fs::create_directories(fs::path(key.entry_path).parent_path());
  std::ofstream out(key.entry_path, std::ios::binary | std::ios::trunc);
  out.write(entry.data(), static_cast<std::streamsize>(entry.size()));
  if (!out.flush()) fail("cannot write the entry");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  std::optional<perfscan::FileResult> decoded = perfscan::decode_result(payload);
  if (decoded && perfscan::encode_result(*decoded) != payload) {
    fail("decode_result accepted a payload that encodes differently");
  }

  perfscan::ResultCache cache(cache_folder(), perfscan::CacheConfig{});
  perfscan::DiscoveredFile file{"pkg/fuzzed.py", "pkg/fuzzed.py", "pkg.fuzzed", false};
  perfscan::CacheKey key = cache.key_for(file, "x = 1\n");
  write_entry(key, payload);
  std::optional<perfscan::FileResult> found = cache.lookup(key);
  if (found.has_value() != decoded.has_value()) fail("lookup and decode_result disagree");
  if (found && perfscan::encode_result(*found) != payload) fail("lookup returned another result");
  return 0;
}
