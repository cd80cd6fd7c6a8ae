// Writes the seeds of the fuzz targets whose inputs perfscan itself writes: for every test
// fixture and example, the cache payload of its analysis (as stored, and with every fact) and
// the baseline of its findings. Generated from the repository at test time rather than
// committed, so they follow the formats as they change.
//
//   fuzz_seeds REPO_DIR OUT_DIR   ->   OUT_DIR/cache/*.bin, OUT_DIR/baseline/*.json
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cache/result_cache.hpp"
#include "engine/analyse.hpp"
#include "gate/baseline.hpp"
#include "perfscan/engine.hpp"
#include "semantic/walker.hpp"
#include "syntax/parser.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> python_files(const fs::path& repo) {
  std::vector<fs::path> files;
  for (const char* folder : {"tests/fixtures", "examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(repo / folder)) {
      if (entry.is_regular_file() && entry.path().extension() == ".py") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void write(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s REPO_DIR OUT_DIR\n", argv[0]);
    return 2;
  }
  const fs::path repo = argv[1];
  const fs::path out = argv[2];
  fs::create_directories(out / "cache");
  fs::create_directories(out / "baseline");
  std::vector<const perfscan::Rule*> rules =
      perfscan::with_fact_collectors(perfscan::select_rules({"ALL"}, {}));
  perfscan::RuleDispatch dispatch(rules);
  perfscan::Parser parser;
  int written = 0;
  for (const fs::path& file : python_files(repo)) {
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string relative = fs::relative(file, repo).string();
    std::string stem = relative;
    std::replace(stem.begin(), stem.end(), '/', '_');
    perfscan::FileResult result =
        perfscan::analyse_text(relative, "pkg.module", false, bytes, parser, dispatch);
    write(out / "cache" / (stem + ".full.bin"), perfscan::encode_result(result));
    perfscan::keep_linked_facts(result, true);
    write(out / "cache" / (stem + ".bin"), perfscan::encode_result(result));
    perfscan::write_baseline(out / "baseline" / (stem + ".json"), result.findings);
    written += 3;
  }
  std::printf("wrote %d seeds to %s\n", written, out.c_str());
  return 0;
}
