// Parse-only baseline: discovers the same files perfscan would, reads and parses each once
// with the same runtime and grammar, and does nothing else. perfscan's own time is quoted as a
// ratio against this, measured in the same session.
//
//   parse_only [--jobs N] PATH...
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <string>
#include <thread>
#include <vector>

#include "discover/discover.hpp"
#include "syntax/parser.hpp"
#include "syntax/source.hpp"

int main(int argc, char** argv) {
  using namespace perfscan;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  DiscoverOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--jobs" && i + 1 < argc) {
      jobs = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
    } else {
      options.paths.push_back(arg);
    }
  }
  auto started = std::chrono::steady_clock::now();
  DiscoverResult discovered = discover(options);
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> lines{0};
  std::atomic<std::uint64_t> nodes_with_errors{0};
  auto worker = [&] {
    Parser parser;
    for (std::size_t i = next++; i < discovered.files.size(); i = next++) {
      std::string raw;
      std::string error;
      if (!read_file_bytes(discovered.files[i].fs_path, raw, error)) continue;
      SourceText source = decode_source(std::move(raw));
      if (!source.fatal.empty()) continue;
      TSTree* tree = parser.parse_raw(source.text);
      bytes += source.text.size();
      lines += count_lines(source.text);
      if (tree != nullptr && ts_node_has_error(ts_tree_root_node(tree))) ++nodes_with_errors;
      ts_tree_delete(tree);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < jobs; ++t) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("parse-only: {} files, {} lines, {} bytes, {} with syntax errors, {:.3f} s, {} jobs\n",
             discovered.files.size(), lines.load(), bytes.load(), nodes_with_errors.load(), seconds,
             jobs);
  return 0;
}
