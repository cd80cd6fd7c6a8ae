// Stage 1: expand the user's paths into the Python files to scan.
//
// The walk uses POSIX opendir/readdir with an explicit stack (no recursion on directory depth),
// trusts d_type to avoid a stat per entry, and reports problems as FileError values: nothing
// here throws on a filesystem error.
#include "discover/discover.hpp"

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "discover/libgit2.hpp"

namespace perfscan {
namespace {

// Folders that hold tooling, caches, vendored or generated code: never the user's own sources.
constexpr std::array<std::string_view, 17> kDefaultExcludedDirs = {
    ".git",        "__pycache__", ".venv",           "venv", "env",  "node_modules",
    "build",       "dist",        "site-packages",   ".tox", ".nox", ".mypy_cache",
    ".ruff_cache", ".eggs",       ".perfscan_cache", ".hg",  ".svn"};
constexpr std::string_view kEggInfoSuffix = ".egg-info";

bool is_default_excluded_dir(std::string_view name) {
  if (name.ends_with(kEggInfoSuffix)) return true;
  return std::find(kDefaultExcludedDirs.begin(), kDefaultExcludedDirs.end(), name) !=
         kDefaultExcludedDirs.end();
}

bool has_python_extension(std::string_view name, bool include_pyi) {
  // Jupyter notebooks are Python modules too (their code cells, src/syntax/notebook.hpp).
  return name.ends_with(".py") || name.ends_with(".ipynb") ||
         (include_pyi && name.ends_with(".pyi"));
}

bool is_init_file(std::string_view name) { return name == "__init__.py" || name == "__init__.pyi"; }

std::string os_message(int error) { return std::generic_category().message(error); }

// Joins a base folder and a relative part without doubling slashes; "." as a base disappears so
// that walking "." yields "app/x.py" rather than "./app/x.py".
std::string join_path(std::string_view base, std::string_view relative) {
  if (relative.empty()) return std::string(base);
  if (base.empty() || base == ".") return std::string(relative);
  std::string joined(base);
  if (!joined.ends_with('/')) joined += '/';
  joined += relative;
  return joined;
}

// "examples/" → "examples", "src/." → "src", "./" → ".", "/" stays "/".
std::string normalise_root(std::string path) {
  while (true) {
    if (path.size() > 1 && path.ends_with('/')) {
      path.pop_back();
    } else if (path.size() > 2 && path.ends_with("/.")) {
      path.resize(path.size() - 2);
    } else {
      return path;
    }
  }
}

// Lexical absolute path ("." and ".." folded, no symlink resolution): the layout the user sees,
// which is the one Python's import system uses for the folder a script sits in.
std::string absolute_normal(std::string_view path, std::string_view cwd) {
  std::string joined;
  if (!path.starts_with('/')) {
    joined = cwd;
    joined += '/';
  }
  joined += path;
  std::vector<std::string_view> parts;
  std::string_view rest = joined;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    auto part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string result;
  for (auto part : parts) {
    result += '/';
    result += part;
  }
  return result.empty() ? "/" : result;
}

std::string current_directory() {
  std::error_code error;
  auto cwd = std::filesystem::current_path(error);
  return error ? std::string("/") : cwd.string();
}

std::optional<std::string> real_path(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr),
                                                       &std::free);
  if (!resolved) return std::nullopt;
  return std::string(resolved.get());
}

std::optional<std::string> read_link(const std::string& path) {
  std::array<char, 4096> buffer{};
  auto length = ::readlink(path.c_str(), buffer.data(), buffer.size() - 1);
  if (length < 0) return std::nullopt;
  return std::string(buffer.data(), static_cast<std::size_t>(length));
}

// ---------------------------------------------------------------------------------------------
// Module names

bool is_identifier(std::string_view name) {
  auto is_start = [](unsigned char c) { return c == '_' || std::isalpha(c) || c >= 0x80; };
  auto is_rest = [&](unsigned char c) { return is_start(c) || std::isdigit(c); };
  if (name.empty() || !is_start(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin() + 1, name.end(),
                     [&](char c) { return is_rest(static_cast<unsigned char>(c)); });
}

// "Does this folder hold an __init__.py?", keyed by absolute_normal() folder path. Filled from
// directory listings during a walk, and by stat() for folders above the walked roots.
class InitCache {
 public:
  void remember(std::string folder, bool has_init) { known_.emplace(std::move(folder), has_init); }

  bool has_init(const std::string& folder) {
    if (auto found = known_.find(folder); found != known_.end()) return found->second;
    bool result = file_exists(folder + "/__init__.py") || file_exists(folder + "/__init__.pyi");
    known_.emplace(folder, result);
    return result;
  }

 private:
  static bool file_exists(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
  }

  std::unordered_map<std::string, bool> known_;
};

std::string_view strip_extension(std::string_view name) {
  auto dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot);
}

// The dotted module name of `fs_path`: its stem, under the folders that are packages (hold an
// __init__.py). Folders without one (PEP 420 namespace packages, loose script folders) still
// name the module up to `root`, the folder the scan started from or the project root: so
// `app/models.py` under a root without any __init__.py is `app.models`, and `from .core import x`
// inside `app/views.py` means `app.core.x`, exactly as with packages.
std::string module_name_with(const std::string& fs_path, bool* is_package, InitCache& cache,
                             std::string_view cwd, std::string_view root = {}) {
  std::string path = absolute_normal(fs_path, cwd);
  auto slash = path.rfind('/');
  std::string_view file_name = std::string_view(path).substr(slash + 1);
  std::string folder = slash == 0 ? "/" : path.substr(0, slash);
  auto stem = strip_extension(file_name);
  bool package = stem == "__init__";
  if (is_package != nullptr) *is_package = package;

  auto inside_root = [&](const std::string& candidate) {
    return !root.empty() && candidate.size() > root.size() && candidate.starts_with(root) &&
           (root == "/" || candidate[root.size()] == '/');
  };
  std::vector<std::string> parts;  // innermost first
  if (!package) parts.emplace_back(stem);
  // Climb while the folder is an importable package, or a namespace folder inside the root;
  // a loop, not recursion, on depth.
  while (folder != "/" && (cache.has_init(folder) || inside_root(folder))) {
    auto cut = folder.rfind('/');
    std::string name = folder.substr(cut + 1);
    if (!is_identifier(name)) break;
    parts.push_back(std::move(name));
    folder = cut == 0 ? "/" : folder.substr(0, cut);
  }
  std::string module;
  std::reverse(parts.begin(), parts.end());
  for (const auto& part : parts) {
    if (!module.empty()) module += '.';
    module += part;
  }
  return module;
}

// ---------------------------------------------------------------------------------------------
// .gitignore through libgit2

std::string with_trailing_slash(std::string path) {
  if (!path.ends_with('/')) path += '/';
  return path;
}

// Where a walked folder sits for .gitignore purposes: its repository (null outside any
// repository, where nothing is ignored) and its path relative to the work tree ("" or "a/b/").
struct IgnoreScope {
  const GitRepository* repo = nullptr;
  std::string prefix;
};

// The repositories met during one discover() call, one handle per work tree.
class IgnoreRules {
 public:
  // For a walked root: search upwards from the folder, like git does. Outside any repository
  // the scope is empty and nothing is ignored: a stray .gitignore there is just a file, as for
  // git itself. `problem` receives why a repository could not be read, if it could not.
  IgnoreScope scope_for_root(const std::string& canonical_folder, std::string& problem) {
    if (!may_be_in_repository(canonical_folder)) return {};
    auto scope = open_scope(canonical_folder, 0, problem);
    // libgit2 also answers "ignored" for anything inside an ignored folder. A folder the user
    // named explicitly is scanned even if ignored, so its contents must not inherit that.
    if (!scope.prefix.empty() && is_ignored(scope, scope.prefix, true)) return {};
    return scope;
  }

  // For a folder holding its own .git inside the walk: a nested repository (or submodule)
  // follows its own ignore rules, not those of the enclosing repository.
  IgnoreScope scope_for_nested(const std::string& canonical_folder, const IgnoreScope& outer,
                               std::string& problem) {
    auto scope = open_scope(canonical_folder, GIT_REPOSITORY_OPEN_NO_SEARCH, problem);
    return scope.repo != nullptr ? scope : outer;
  }

  // `path` is relative to the work tree; a trailing slash tells libgit2 it is a folder, so that
  // "build/" patterns apply and libgit2 does not stat() the path to find out.
  static bool is_ignored(const IgnoreScope& scope, const std::string& path, bool is_dir) {
    if (scope.repo == nullptr) return false;
    int ignored = 0;
    const std::string query = is_dir ? with_trailing_slash(path) : path;
    // On a libgit2 error, scan the entry: a false alarm is better than a silently skipped file.
    if (git_ignore_path_is_ignored(&ignored, scope.repo->get(), query.c_str()) < 0) return false;
    return ignored != 0;
  }

 private:
  IgnoreScope open_scope(const std::string& canonical_folder, unsigned int flags,
                         std::string& problem) {
    ensure_libgit2();
    git_repository* raw = nullptr;
    if (int rc = open_repository(&raw, canonical_folder, flags); rc < 0) {
      // "Not a repository" is the normal case; anything else (an unreadable config, a corrupt
      // .git) means rules the user relies on are not applied, which they should hear about.
      if (rc != GIT_ENOTFOUND) problem = last_git_error();
      return {};
    }
    auto repo = std::make_unique<GitRepository>(raw);
    const char* workdir_text = git_repository_workdir(raw);
    if (workdir_text == nullptr) return {};  // bare repository: no work tree, nothing ignored
    std::string workdir = with_trailing_slash(workdir_text);
    std::string folder = with_trailing_slash(canonical_folder);
    if (!folder.starts_with(workdir)) return {};
    auto [slot, inserted] = by_workdir_.try_emplace(workdir, nullptr);
    if (inserted) slot->second = std::move(repo);
    return IgnoreScope{slot->second.get(), folder.substr(workdir.size())};
  }

  std::unordered_map<std::string, std::unique_ptr<GitRepository>> by_workdir_;
};

// ---------------------------------------------------------------------------------------------
// User excludes

class ExcludeMatcher {
 public:
  explicit ExcludeMatcher(const std::vector<std::string>& patterns) {
    for (std::string pattern : patterns) {
      while (pattern.starts_with("./")) pattern.erase(0, 2);
      bool dir_only = false;
      while (pattern.size() > 1 && pattern.ends_with('/')) {
        pattern.pop_back();
        dir_only = true;  // "build/" names folders only, as in .gitignore
      }
      if (!pattern.empty()) patterns_.push_back({std::move(pattern), dir_only});
    }
  }

  [[nodiscard]] bool empty() const { return patterns_.empty(); }

  // fnmatch(3) without FNM_PATHNAME: "*" crosses "/", so "tests/*" covers a whole subtree.
  [[nodiscard]] bool matches(const std::string& name, const std::string& relative,
                             const std::string& display, bool is_dir) const {
    return std::any_of(patterns_.begin(), patterns_.end(), [&](const Pattern& pattern) {
      if (pattern.dir_only && !is_dir) return false;
      const char* glob = pattern.glob.c_str();
      return ::fnmatch(glob, name.c_str(), 0) == 0 || ::fnmatch(glob, relative.c_str(), 0) == 0 ||
             ::fnmatch(glob, display.c_str(), 0) == 0;
    });
  }

 private:
  struct Pattern {
    std::string glob;
    bool dir_only = false;
  };
  std::vector<Pattern> patterns_;
};

// ---------------------------------------------------------------------------------------------
// The walk

struct DirId {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const DirId&) const = default;
};

struct DirIdHash {
  std::size_t operator()(const DirId& id) const noexcept {
    return std::hash<unsigned long long>{}(static_cast<unsigned long long>(id.ino)) ^
           (std::hash<unsigned long long>{}(static_cast<unsigned long long>(id.dev)) << 1U);
  }
};

constexpr std::size_t kNoParent = static_cast<std::size_t>(-1);

// A folder being walked, linked to the folder it was reached from: following the links gives
// the chain of folders above it, which is what a symlink loop points back into.
struct ChainNode {
  DirId id;
  std::string path;
  std::size_t parent = kNoParent;
};

// One folder to read.
struct DirTask {
  std::string path;       // display path, also the path to open
  std::string relative;   // relative to the walked root ("" for the root itself)
  std::string canonical;  // resolved path: files below are deduplicated by it
  std::string root;       // absolute path of the walked root: modules are named up to it
  IgnoreScope ignore;
  std::size_t parent = kNoParent;  // index into Walker::chain_
  bool via_symlink = false;        // this folder or one above it was reached through a symlink
};

struct Entry {
  std::string name;
  unsigned char type = DT_UNKNOWN;
};

enum class EntryKind { skip, file, dir };

struct ResolvedEntry {
  EntryKind kind = EntryKind::skip;
  bool via_symlink = false;
};

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

class Walker {
 public:
  explicit Walker(const DiscoverOptions& options)
      : options_(options), excludes_(options.excludes), cwd_(current_directory()) {
    if (!options.project_root.empty()) named_root_ = absolute_normal(options.project_root, cwd_);
  }

  void add_path(const std::string& path) {
    if (path == "-") return;  // stdin is the engine's business
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      report_unreachable(path, errno);
      return;
    }
    if (S_ISDIR(info.st_mode)) {
      stack_.push_back(make_root(path));
      drain_stack();
    } else {
      // Named explicitly: kept whatever its extension, excludes or .gitignore say.
      add_file(path, real_path(path).value_or(absolute_normal(path, cwd_)), false, named_root_);
    }
  }

  DiscoverResult finish() && {
    // Folders reached through a symlink are walked last, after every real folder of every
    // root: a folder reachable both ways is then listed under its real path, not the alias.
    while (!deferred_.empty()) {
      std::reverse(deferred_.begin(), deferred_.end());
      stack_.swap(deferred_);
      drain_stack();
    }
    std::sort(result_.files.begin(), result_.files.end(),
              [](const DiscoveredFile& a, const DiscoveredFile& b) {
                return a.display_path < b.display_path;
              });
    auto& errors = result_.errors;
    auto key = [](const FileError& e) { return std::tie(e.path, e.message); };
    std::sort(errors.begin(), errors.end(),
              [&](const FileError& a, const FileError& b) { return key(a) < key(b); });
    errors.erase(
        std::unique(errors.begin(), errors.end(),
                    [&](const FileError& a, const FileError& b) { return key(a) == key(b); }),
        errors.end());
    return std::move(result_);
  }

 private:
  void report_unreachable(const std::string& path, int error) {
    struct stat link_info {};
    if (error == ENOENT && ::lstat(path.c_str(), &link_info) == 0 && S_ISLNK(link_info.st_mode)) {
      add_error(path, "broken symlink: points to " + read_link(path).value_or("?"));
      return;
    }
    add_error(path, os_message(error));
  }

  void add_error(std::string path, std::string message, bool analysed = false) {
    result_.errors.push_back(FileError{std::move(path), std::move(message), analysed});
  }

  // The folder is still scanned, only without its .gitignore rules: hence analysed = true.
  void report_gitignore_problem(const std::string& path, const std::string& problem) {
    if (!problem.empty()) add_error(path, ".gitignore not applied: " + problem, true);
  }

  // The same file reached twice (named and walked, or through a symlink) is scanned once. The
  // first route wins (paths in the order given, real folders before symlinked ones, names in
  // sorted order), except that a real path replaces an alias reached through a symlink.
  void add_file(const std::string& path, const std::string& canonical, bool alias, std::string_view root) {
    auto [seen, inserted] =
        seen_files_.try_emplace(canonical, SeenFile{result_.files.size(), alias});
    if (!inserted && !(seen->second.alias && !alias)) return;
    DiscoveredFile file;
    file.display_path = path;
    file.fs_path = path;
    file.module = module_name_with(path, &file.is_package, init_cache_, cwd_, root);
    if (inserted) {
      result_.files.push_back(std::move(file));
    } else {
      result_.files[seen->second.index] = std::move(file);
      seen->second.alias = false;
    }
  }

  DirTask make_root(const std::string& user_path) {
    DirTask root;
    root.path = normalise_root(user_path);
    root.canonical = real_path(root.path).value_or(absolute_normal(root.path, cwd_));
    root.root = absolute_normal(root.path, cwd_);
    if (options_.respect_gitignore) {
      std::string problem;
      root.ignore = ignore_rules_.scope_for_root(root.canonical, problem);
      report_gitignore_problem(root.path, problem);
    }
    return root;
  }

  // Depth-first over an explicit stack: directory depth never becomes call depth.
  void drain_stack() {
    while (!stack_.empty()) {
      DirTask task = std::move(stack_.back());
      stack_.pop_back();
      visit(task);
    }
  }

  [[nodiscard]] const ChainNode* find_on_chain(std::size_t node, const DirId& id) const {
    for (; node != kNoParent; node = chain_[node].parent) {
      if (chain_[node].id == id) return &chain_[node];
    }
    return nullptr;
  }

  void visit(const DirTask& task) {
    DirHandle dir(::opendir(task.path.c_str()));
    if (!dir) {
      add_error(task.path, os_message(errno));
      return;
    }
    struct stat info {};
    if (::fstat(::dirfd(dir.get()), &info) != 0) {
      add_error(task.path, os_message(errno));
      return;
    }
    DirId id{info.st_dev, info.st_ino};
    if (!visited_.insert(id).second) {
      // Seen before: either a folder above this one (a loop, reported once since the folder
      // holding the link is read once) or another route to a folder already listed.
      if (const auto* ancestor = find_on_chain(task.parent, id); ancestor != nullptr) {
        add_error(task.path, "symlink loop: " + task.path + " points back to " + ancestor->path);
      }
      return;
    }
    chain_.push_back(ChainNode{id, task.path, task.parent});

    auto entries = read_entries(dir.get(), task.path);
    dir.reset();
    scan_entries(task, chain_.size() - 1, entries);
  }

  std::vector<Entry> read_entries(DIR* dir, const std::string& path) {
    std::vector<Entry> entries;
    while (true) {
      errno = 0;
      const dirent* raw = ::readdir(dir);
      if (raw == nullptr) {
        if (errno != 0) add_error(path, os_message(errno));
        break;
      }
      std::string_view name = raw->d_name;
      if (name == "." || name == "..") continue;
      entries.push_back(Entry{std::string(name), raw->d_type});
    }
    // readdir order depends on the filesystem; sorting makes "first reached" reproducible.
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.name < b.name; });
    return entries;
  }

  void scan_entries(const DirTask& task, std::size_t node, const std::vector<Entry>& entries) {
    bool has_init = false;
    bool has_git = false;
    for (const auto& entry : entries) {
      has_init = has_init || is_init_file(entry.name);
      has_git = has_git || entry.name == ".git";
    }
    init_cache_.remember(absolute_normal(task.path, cwd_), has_init);
    IgnoreScope scope = task.ignore;
    if (has_git && !task.relative.empty() && options_.respect_gitignore) {
      std::string problem;
      scope = ignore_rules_.scope_for_nested(task.canonical, scope, problem);
      report_gitignore_problem(task.path, problem);
    }

    std::vector<DirTask> subdirs;
    for (const auto& entry : entries) {
      auto resolved = resolve(task, entry);
      if (resolved.kind == EntryKind::file) {
        consider_file(task, scope, entry.name, resolved.via_symlink);
      } else if (resolved.kind == EntryKind::dir) {
        consider_dir(task, node, scope, entry.name, resolved.via_symlink, subdirs);
      }
    }
    // Pushed in reverse so that they are walked in name order.
    std::reverse(subdirs.begin(), subdirs.end());
    for (auto& sub : subdirs) stack_.push_back(std::move(sub));
  }

  // Uses d_type when the filesystem provides it; only symlinks and unknown types cost a stat.
  static ResolvedEntry resolve(const DirTask& task, const Entry& entry) {
    if (entry.type == DT_DIR) return {EntryKind::dir, false};
    if (entry.type == DT_REG) return {EntryKind::file, false};
    if (entry.type != DT_LNK && entry.type != DT_UNKNOWN) return {};
    std::string full = join_path(task.path, entry.name);
    bool via_symlink = entry.type == DT_LNK;
    if (entry.type == DT_UNKNOWN) {
      struct stat link_info {};
      if (::lstat(full.c_str(), &link_info) != 0) return {};
      via_symlink = S_ISLNK(link_info.st_mode);
    }
    struct stat info {};
    // A broken symlink found while walking is skipped silently: only named paths get an error.
    if (::stat(full.c_str(), &info) != 0) return {};
    if (S_ISDIR(info.st_mode)) return {EntryKind::dir, via_symlink};
    if (S_ISREG(info.st_mode)) return {EntryKind::file, via_symlink};
    return {};
  }

  std::string canonical_of(const DirTask& task, const std::string& name, bool via_symlink) const {
    if (!via_symlink) return join_path(task.canonical, name);
    std::string full = join_path(task.path, name);
    return real_path(full).value_or(absolute_normal(full, cwd_));
  }

  bool excluded(const std::string& name, const std::string& relative, const std::string& path,
                bool is_dir) const {
    return !excludes_.empty() && excludes_.matches(name, relative, path, is_dir);
  }

  void consider_file(const DirTask& task, const IgnoreScope& scope, const std::string& name,
                     bool via_symlink) {
    if (!has_python_extension(name, options_.include_pyi)) return;
    std::string relative = join_path(task.relative, name);
    std::string path = join_path(task.path, name);
    if (excluded(name, relative, path, false)) return;
    if (IgnoreRules::is_ignored(scope, scope.prefix + name, false)) return;
    add_file(path, canonical_of(task, name, via_symlink), task.via_symlink || via_symlink, task.root);
  }

  void consider_dir(const DirTask& task, std::size_t node, const IgnoreScope& scope,
                    const std::string& name, bool via_symlink, std::vector<DirTask>& subdirs) {
    if (is_default_excluded_dir(name)) return;
    std::string relative = join_path(task.relative, name);
    std::string path = join_path(task.path, name);
    if (excluded(name, relative, path, true)) return;
    if (IgnoreRules::is_ignored(scope, scope.prefix + name, true)) return;
    DirTask sub;
    sub.path = std::move(path);
    sub.relative = std::move(relative);
    sub.canonical = canonical_of(task, name, via_symlink);
    sub.root = task.root;
    if (scope.repo != nullptr) sub.ignore = IgnoreScope{scope.repo, scope.prefix + name + "/"};
    sub.parent = node;
    sub.via_symlink = task.via_symlink || via_symlink;
    (via_symlink ? deferred_ : subdirs).push_back(std::move(sub));
  }

  const DiscoverOptions& options_;
  ExcludeMatcher excludes_;
  std::string cwd_;
  std::string named_root_;  // files named explicitly are named up to the project root, if known
  std::vector<DirTask> stack_;
  std::vector<DirTask> deferred_;  // folders reached through a symlink, walked after the rest
  std::vector<ChainNode> chain_;   // every folder read, linked to the folder it was reached from
  std::unordered_set<DirId, DirIdHash> visited_;
  struct SeenFile {
    std::size_t index = 0;  // into result_.files
    bool alias = false;
  };
  std::unordered_map<std::string, SeenFile> seen_files_;  // canonical path → where listed
  IgnoreRules ignore_rules_;
  InitCache init_cache_;
  DiscoverResult result_;
};

}  // namespace

DiscoverResult discover(const DiscoverOptions& options) {
  Walker walker(options);
  for (const auto& path : options.paths) walker.add_path(path);
  return std::move(walker).finish();
}

std::string module_name_for(const std::string& fs_path, bool* is_package, const std::string& root) {
  InitCache cache;  // fresh per call: a standalone caller may have changed the tree since
  std::string cwd = current_directory();
  return module_name_with(fs_path, is_package, cache, cwd, root.empty() ? std::string{} : absolute_normal(root, cwd));
}

}  // namespace perfscan
