#include "discover/libgit2.hpp"

#include <sys/stat.h>

namespace perfscan {

bool may_be_in_repository(std::string folder) {
  while (true) {
    struct stat info {};
    std::string marker = folder.ends_with('/') ? folder + ".git" : folder + "/.git";
    if (::lstat(marker.c_str(), &info) == 0) return true;
    auto cut = folder.rfind('/');
    if (folder == "/" || cut == std::string::npos) return false;
    folder = cut == 0 ? "/" : folder.substr(0, cut);
  }
}

void ensure_libgit2() {
  struct LibGit2Guard {
    LibGit2Guard() { git_libgit2_init(); }
    ~LibGit2Guard() { git_libgit2_shutdown(); }
    LibGit2Guard(const LibGit2Guard&) = delete;
    LibGit2Guard& operator=(const LibGit2Guard&) = delete;
  };
  static const LibGit2Guard guard;
}

int open_repository(git_repository** out, const std::string& folder, unsigned int flags) {
  int previous = 1;
  git_libgit2_opts(GIT_OPT_GET_OWNER_VALIDATION, &previous);
  git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
  int rc = git_repository_open_ext(out, folder.c_str(), flags, nullptr);
  git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, previous);
  return rc;
}

std::string last_git_error() {
  const git_error* error = git_error_last();
  return error != nullptr && error->message != nullptr ? error->message : "unknown libgit2 error";
}

}  // namespace perfscan
