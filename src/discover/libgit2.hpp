// What every libgit2 user in perfscan needs: process-wide initialisation, a repository handle
// that frees itself, opening a repository whatever user owns it, and the last error's text.
// Used by discovery (.gitignore) and by the CI gate (--diff).
#pragma once

#include <git2.h>

#include <string>

namespace perfscan {

// True when `canonical_folder` or one of its parents holds a .git entry (folder, or file for
// worktrees and submodules). git_libgit2_init() costs ~10 ms (it loads the TLS certificates),
// so a scan outside any repository should not pay it: a few lstat() calls decide first.
bool may_be_in_repository(std::string canonical_folder);

// libgit2 keeps global state: initialise it once per process, shut it down at exit.
void ensure_libgit2();

class GitRepository {
 public:
  explicit GitRepository(git_repository* repo) : repo_(repo) {}
  ~GitRepository() { git_repository_free(repo_); }
  GitRepository(const GitRepository&) = delete;
  GitRepository& operator=(const GitRepository&) = delete;

  [[nodiscard]] git_repository* get() const { return repo_; }

 private:
  git_repository* repo_;
};

// Opens the repository holding `folder` (git_repository_open_ext flags). libgit2 refuses a
// checkout owned by another user (safe.directory; typical for root in a CI container), and 1.5
// reports that as GIT_ENOTFOUND, indistinguishable from "no repository". The check guards
// against running commands from a hostile config; perfscan only reads, so it is switched off
// for this call and restored.
int open_repository(git_repository** out, const std::string& folder, unsigned int flags);

std::string last_git_error();

}  // namespace perfscan
