// Stage 1: expand the paths given by the user into the Python files to scan.
#pragma once

#include <string>
#include <vector>

#include "perfscan/finding.hpp"

namespace perfscan {

struct DiscoveredFile {
  std::string display_path;  // as reported: the user's path joined with the walked part
  std::string fs_path;       // what to open
  std::string module;        // dotted module name from the enclosing packages ("" if unknown)
  bool is_package = false;   // an __init__.py: relative imports resolve against itself
};

struct DiscoverOptions {
  std::vector<std::string> paths;
  std::vector<std::string> excludes;  // glob patterns matched against names and relative paths
  bool include_pyi = false;
  bool respect_gitignore = true;
  // The project's root folder, when known: files named explicitly get module names up to it
  // through folders without __init__.py, as files found under a walked folder do.
  std::string project_root;
};

struct DiscoverResult {
  std::vector<DiscoveredFile> files;  // sorted by display_path, no duplicates
  std::vector<FileError> errors;      // missing paths, unreadable folders, symlink loops
};

DiscoverResult discover(const DiscoverOptions& options);

// Dotted module name of a Python file, from the chain of folders holding an __init__.py and,
// inside `root` (when given), of the folders up to it.
std::string module_name_for(const std::string& fs_path, bool* is_package, const std::string& root = {});

}  // namespace perfscan
