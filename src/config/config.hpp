// Configuration files: `[tool.perfscan]` in pyproject.toml, or .perfscan.toml / perfscan.toml
// with the same keys at the top level. Every key is checked here, with the file and line of a
// mistake named, so the command line only has to merge values it did not get itself.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/finding.hpp"
#include "perfscan/options.hpp"

namespace perfscan {

// A configuration mistake; what() is the whole message: "file:line: key 'jobs' must be ...".
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `"tests/*" = ["PS101"]`: findings in files matching the glob are dropped for those rules.
struct PerFileIgnore {
  std::string pattern;
  std::vector<std::string> selectors;
};

struct FileConfig {
  std::string path;           // as shown in messages ("" when no file was read)
  std::filesystem::path dir;  // the file's folder: per-file-ignores globs are relative to it

  // Absent when the file does not set them, so the command line and defaults can tell.
  std::optional<std::vector<std::string>> select, ignore, exclude;
  std::vector<std::string> extend_select, extend_ignore, extend_exclude;
  std::vector<PerFileIgnore> per_file_ignores;
  std::map<std::string, Severity> severity;  // rule id -> severity every finding of it gets
  std::optional<Severity> fail_on, min_severity;
  std::optional<std::string> target_version, format;
  std::optional<unsigned> jobs;
  std::optional<TestProfile> tests;  // `tests = "relaxed" | "full" | "skip"`
  std::optional<double> file_timeout;  // seconds; 0: no budget
  KnowledgeExtensions knowledge;
  // `profile = ["prof.txt", ...]`: sampling profiles, relative to the file's folder.
  std::vector<std::string> profiles;
};

// The configuration file that governs `start` (a file or folder): in each folder from `start`
// upwards, .perfscan.toml, then perfscan.toml, then a pyproject.toml that has [tool.perfscan].
std::optional<std::filesystem::path> find_config(const std::filesystem::path& start);

// Reads and checks a configuration file; a pyproject.toml (by name) is read from its
// [tool.perfscan] table. `formats` are the accepted values of `format`. Throws ConfigError.
FileConfig load_config(const std::filesystem::path& file, const std::vector<std::string>& formats);

// The same from text already in memory; `shown_path` names it in messages.
FileConfig parse_config(std::string_view text, const std::string& shown_path, bool pyproject,
                        const std::vector<std::string>& formats);

}  // namespace perfscan
