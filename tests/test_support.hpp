// Helpers shared by the test files: temporary folders and running the perfscan binary.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/report.hpp"

namespace perfscan::testing {

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device device;
    path_ = std::filesystem::temp_directory_path() /
            ("perfscan-test-" + std::to_string(device()) + "-" + std::to_string(device()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  // Writes `content` to `relative` (creating parent folders) and returns the full path.
  std::filesystem::path write(const std::string& relative, std::string_view content) const {
    auto full = path_ / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream out(full, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return full;
  }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout only; stderr is captured separately
  std::string err;
};

// Runs `perfscan <args>` through the shell (args are passed verbatim: quote them yourself),
// from `cwd` when given, capturing stdout and stderr.
//
// The end-to-end tests exercise the CLI with every rule on: which rules are in the default tier
// follows the blind reads (rules/traits.def) and must not change what a test of, say, the
// baseline or the cache sees. So `--extend-select ALL` is added unless the arguments choose
// rules themselves (`--select`, `--extend-select`, `--ignore`) or `tiers` is `Tiers::as_given`
// (the tests of the default selection itself).
enum class Tiers { all, as_given };
CommandResult run_perfscan(const std::string& args, const std::filesystem::path& cwd = {},
                           const std::string& stdin_text = {}, Tiers tiers = Tiers::all);

std::string read_file(const std::filesystem::path& path);

// The findings of one rule in a report, in its order; pointers into `report`, which must outlive
// them.
std::vector<const Finding*> findings_of(const Report& report, std::string_view rule);

}  // namespace perfscan::testing
