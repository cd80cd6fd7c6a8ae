// Finding paths are shown as the user gave them ("./src/a.py", "/abs/src/a.py"): the CI
// gate compares them against other roots (a repository, a baseline's folder, a config file's
// folder), so it needs them relative to a chosen folder.
#pragma once

#include <filesystem>
#include <string>

namespace perfscan {

// Absolute and lexically normal, without a trailing separator ("." -> "/work/project").
std::filesystem::path normal_absolute(const std::filesystem::path& path);

// `path` (relative to the working folder, or absolute) relative to `root`, with '/' separators;
// the normalised absolute path when it lies outside `root`.
std::string path_relative_to(const std::string& path, const std::filesystem::path& root);

}  // namespace perfscan
