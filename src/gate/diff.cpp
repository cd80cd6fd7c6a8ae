#include "gate/diff.hpp"

#include <algorithm>
#include <memory>

#include "discover/libgit2.hpp"
#include "core/paths.hpp"
#include "perfscan/errors.hpp"

namespace perfscan {
namespace {

namespace fs = std::filesystem;

template <typename T, void (*Free)(T*)>
struct GitFree {
  void operator()(T* object) const { Free(object); }
};
using ObjectPtr = std::unique_ptr<git_object, GitFree<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, GitFree<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, GitFree<git_tree, git_tree_free>>;
using DiffPtr = std::unique_ptr<git_diff, GitFree<git_diff, git_diff_free>>;

[[noreturn]] void fail(const std::string& what) {
  throw UsageError("--diff: " + what + ": " + last_git_error());
}

std::unique_ptr<GitRepository> open_for_diff(const fs::path& from) {
  ensure_libgit2();
  git_repository* raw = nullptr;
  int rc = open_repository(&raw, from.string(), 0);
  if (rc == GIT_ENOTFOUND) {
    throw UsageError("--diff needs a git repository, and " + from.string() +
                     " is not inside one (run it in a clone, or drop --diff)");
  }
  if (rc < 0) fail("cannot open the repository at " + from.string());
  auto repo = std::make_unique<GitRepository>(raw);
  if (git_repository_is_bare(raw) != 0) {
    throw UsageError("--diff needs a work tree, and the repository at " + from.string() +
                     " is bare");
  }
  return repo;
}

git_oid commit_id(git_repository* repo, const std::string& spec) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, spec.c_str()) < 0) fail("cannot resolve '" + spec + "'");
  ObjectPtr object(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) < 0)
    fail("'" + spec + "' is not a commit");
  ObjectPtr commit(peeled);
  return *git_object_id(commit.get());
}

TreePtr merge_base_tree(git_repository* repo, const std::string& ref) {
  git_oid theirs = commit_id(repo, ref);
  git_oid head = commit_id(repo, "HEAD");
  git_oid base;
  if (git_merge_base(&base, repo, &theirs, &head) < 0)
    fail("no merge base between '" + ref + "' and HEAD");
  git_commit* raw_commit = nullptr;
  if (git_commit_lookup(&raw_commit, repo, &base) < 0) fail("cannot read the merge base");
  CommitPtr commit(raw_commit);
  git_tree* raw_tree = nullptr;
  if (git_commit_tree(&raw_tree, commit.get()) < 0) fail("cannot read the merge base's tree");
  return TreePtr(raw_tree);
}

// A hunk that only deletes has no new line to mark: the lines on either side of the cut are
// what changed (a deleted `break` changes the loop around it).
int on_hunk(const git_diff_delta* delta, const git_diff_hunk* hunk, void* payload) {
  auto& changed = *static_cast<ChangedLines*>(payload);
  if (hunk->new_lines == 0) {
    auto& lines = changed.by_path[delta->new_file.path];
    auto before = static_cast<std::uint32_t>(std::max(hunk->new_start, 1));
    lines.insert(before);
    lines.insert(before + 1);
  }
  return 0;
}

int on_line(const git_diff_delta* delta, const git_diff_hunk* /*hunk*/, const git_diff_line* line,
            void* payload) {
  if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0) {
    static_cast<ChangedLines*>(payload)->by_path[delta->new_file.path].insert(
        static_cast<std::uint32_t>(line->new_lineno));
  }
  return 0;
}

}  // namespace

ChangedLines changed_lines_since(const std::string& ref, const fs::path& from) {
  std::unique_ptr<GitRepository> repo = open_for_diff(from);
  TreePtr base = merge_base_tree(repo->get(), ref);
  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  options.context_lines = 0;
  options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
                  GIT_DIFF_SHOW_UNTRACKED_CONTENT;
  git_diff* raw_diff = nullptr;
  if (git_diff_tree_to_workdir_with_index(&raw_diff, repo->get(), base.get(), &options) < 0) {
    fail("cannot diff the work tree against the merge base");
  }
  DiffPtr diff(raw_diff);
  ChangedLines changed;
  std::error_code error;
  changed.workdir = fs::weakly_canonical(git_repository_workdir(repo->get()), error);
  if (git_diff_foreach(diff.get(), nullptr, nullptr, on_hunk, on_line, &changed) < 0) {
    fail("cannot read the diff");
  }
  return changed;
}

std::optional<fs::path> repository_root(const fs::path& from) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(normal_absolute(from), error);
  if (error) canonical = normal_absolute(from);
  if (!may_be_in_repository(canonical.string())) return std::nullopt;
  ensure_libgit2();
  git_repository* raw = nullptr;
  if (open_repository(&raw, from.string(), 0) < 0) return std::nullopt;
  GitRepository repo(raw);
  const char* workdir = git_repository_workdir(raw);
  if (workdir == nullptr) return std::nullopt;
  return normal_absolute(workdir);
}

int keep_changed(Report& report, const ChangedLines& changed) {
  auto before = report.findings.size();
  std::erase_if(report.findings, [&](const Finding& finding) {
    // Canonical, because the work tree is: a path through a symlink must still match.
    std::error_code error;
    fs::path real = fs::weakly_canonical(normal_absolute(finding.path), error);
    auto lines = changed.by_path.find(path_relative_to(real.string(), changed.workdir));
    if (lines == changed.by_path.end()) return true;
    // A notebook's changed lines are lines of its JSON, not of its cells: any change to the
    // notebook keeps all of its findings.
    if (finding.cell != 0) return lines->second.empty();
    std::uint32_t last = std::max(finding.span.end_line, finding.span.line);
    auto touched = lines->second.lower_bound(finding.span.line);
    return touched == lines->second.end() || *touched > last;
  });
  return static_cast<int>(before - report.findings.size());
}

}  // namespace perfscan
