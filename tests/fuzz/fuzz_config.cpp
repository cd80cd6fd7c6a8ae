// Fuzz target: the configuration loader. The bytes are read both as a .perfscan.toml (keys at
// the top level) and as a pyproject.toml ([tool.perfscan]). A ConfigError is the loader's
// answer to bad input; anything else escaping it is a bug, and so is an error message that does
// not start with the file's name (every configuration error names the file).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace {

const std::vector<std::string> kFormats = {"text",  "json",       "sarif",   "github",   "gitlab",
                                           "junit", "json-lines", "grouped", "markdown", "html"};

void load(std::string_view text, bool pyproject) {
  const std::string shown = pyproject ? "pyproject.toml" : ".perfscan.toml";
  try {
    perfscan::FileConfig config = perfscan::parse_config(text, shown, pyproject, kFormats);
    if (config.path != shown) std::abort();
  } catch (const perfscan::ConfigError& error) {
    if (!std::string_view(error.what()).starts_with(shown + ":")) {
      std::fprintf(stderr, "fuzz_config: an error that does not name the file: %s\n", error.what());
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  load(text, false);
  load(text, true);
  return 0;
}
