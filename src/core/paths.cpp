#include "core/paths.hpp"

namespace perfscan {

std::filesystem::path normal_absolute(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::path normal = std::filesystem::absolute(path, error).lexically_normal();
  if (normal.has_parent_path() && normal.filename().empty()) normal = normal.parent_path();
  return normal;
}

std::string path_relative_to(const std::string& path, const std::filesystem::path& root) {
  std::filesystem::path absolute = normal_absolute(path);
  std::filesystem::path relative = absolute.lexically_relative(normal_absolute(root));
  if (relative.empty() || *relative.begin() == "..") return absolute.generic_string();
  return relative.generic_string();
}

}  // namespace perfscan
