// Joining profiles to the scanned code: frames to files by the longest path suffix, to
// functions by name and line range; then samples per function (once per sample), measures per
// finding, hot functions and the ranking.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/paths.hpp"
#include "measure/profile.hpp"

namespace perfscan {
namespace {

std::vector<std::string> path_components(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

bool name_matches(const FunctionSpan& function, std::string_view name) {
  if (name == function.name || name == function.qualified) return true;
  return function.qualified.size() > name.size() && function.qualified.ends_with(name) &&
         function.qualified[function.qualified.size() - name.size() - 1] == '.';
}

// "pkg/mod.py" -> "pkg.mod": the module part of a dotted folded frame.
std::string module_name(const std::vector<std::string>& components) {
  std::string name;
  for (const std::string& part : components) {
    std::string piece = part;
    if (piece.ends_with(".py")) piece.resize(piece.size() - 3);
    name += (name.empty() ? "" : ".") + piece;
  }
  return name;
}

// Python 3.11's qualified names say "outer.<locals>.inner"; the file's names say "outer.inner".
std::string without_locals(std::string name) {
  constexpr std::string_view kLocals = ".<locals>";
  for (std::size_t at = name.find(kLocals); at != std::string::npos; at = name.find(kLocals, at)) {
    name.erase(at, kLocals.size());
  }
  return name;
}

constexpr std::uint64_t kNoKey = UINT64_MAX;

std::uint64_t make_key(std::size_t file, std::size_t function) {
  return (static_cast<std::uint64_t>(file) << 32U) | static_cast<std::uint64_t>(function);
}
std::size_t key_file(std::uint64_t key) { return static_cast<std::size_t>(key >> 32U); }
std::size_t key_function(std::uint64_t key) { return static_cast<std::size_t>(key & 0xFFFFFFFFU); }

// What a frame is in the scanned code.
struct Resolution {
  enum Kind { unmatched, code, function } kind = unmatched;  // code: a module body, a lambda
  std::uint64_t key = kNoKey;
};

class CodeIndex {
 public:
  CodeIndex(const std::vector<std::string>& files, const SourceLoader& loader)
      : files_(files), loader_(loader), functions_(files.size()) {
    components_.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
      components_.push_back(path_components(normal_absolute(files[i]).generic_string()));
      if (!components_.back().empty()) by_name_[components_.back().back()].push_back(i);
      by_display_.emplace(files[i], i);
    }
  }

  std::optional<std::size_t> file_of_display(const std::string& path) const {
    auto found = by_display_.find(path);
    if (found == by_display_.end()) return std::nullopt;
    return found->second;
  }

  const std::vector<FunctionSpan>& functions(std::size_t file) {
    if (!functions_[file]) {
      std::optional<std::string> source = loader_(files_[file]);
      functions_[file] = source ? functions_in(*source) : std::vector<FunctionSpan>{};
    }
    return *functions_[file];
  }

  // The scanned file a recorded path is, by the longest matching suffix of components; nullopt
  // when none matches or two match equally well.
  std::optional<std::size_t> file_of_frame(std::string_view path) const {
    std::vector<std::string> parts = path_components(path);
    if (parts.empty()) return std::nullopt;
    auto candidates = by_name_.find(parts.back());
    if (candidates == by_name_.end()) return std::nullopt;
    std::size_t best_length = 0;
    std::optional<std::size_t> best;
    bool tie = false;
    for (std::size_t file : candidates->second) {
      const std::vector<std::string>& mine = components_[file];
      std::size_t length = 0;
      while (length < parts.size() && length < mine.size() &&
             parts[parts.size() - 1 - length] == mine[mine.size() - 1 - length]) {
        ++length;
      }
      if (length > best_length) {
        best_length = length;
        best = file;
        tie = false;
      } else if (length == best_length && length > 0) {
        tie = true;
      }
    }
    if (tie) return std::nullopt;
    return best;
  }

  Resolution resolve(const ProfileFrame& frame) {
    const std::string function = without_locals(frame.function);
    if (frame.path.empty()) return resolve_by_name(function);
    std::optional<std::size_t> file = file_of_frame(frame.path);
    if (!file) return {};
    if (function.starts_with('<')) return {Resolution::code, kNoKey};
    const std::vector<FunctionSpan>& spans = functions(*file);
    if (frame.line != 0) {
      // The innermost def of that name holding the line: the last in document order.
      for (std::size_t i = spans.size(); i-- > 0;) {
        if (spans[i].line <= frame.line && frame.line <= spans[i].end_line &&
            name_matches(spans[i], function)) {
          return {Resolution::function, make_key(*file, i)};
        }
      }
    }
    std::optional<std::size_t> only;
    for (std::size_t i = 0; i < spans.size(); ++i) {
      if (!name_matches(spans[i], function)) continue;
      if (only) return {};  // two functions of that name, and no line to tell them apart
      only = i;
    }
    if (only) return {Resolution::function, make_key(*file, *only)};
    return {};
  }

  // A folded frame with no path: "func", "Class.method" or "pkg.mod.func", matched over every
  // scanned file; only a single match counts.
  Resolution resolve_by_name(const std::string& name) {
    if (name.empty() || name.starts_with('<')) return {};
    std::optional<std::uint64_t> only;
    for (std::size_t file = 0; file < files_.size(); ++file) {
      const std::vector<FunctionSpan>& spans = functions(file);
      std::string module;
      for (std::size_t i = 0; i < spans.size(); ++i) {
        bool match = name_matches(spans[i], name);
        if (!match && name.find('.') != std::string::npos) {
          if (module.empty()) module = module_name(components_[file]);
          std::string full = module + "." + spans[i].qualified;
          match = full.ends_with(name) &&
                  (full.size() == name.size() || full[full.size() - name.size() - 1] == '.');
        }
        if (!match) continue;
        if (only) return {};
        only = make_key(file, i);
      }
    }
    if (only) return {Resolution::function, *only};
    return {};
  }

  const std::string& display(std::size_t file) const { return files_[file]; }

 private:
  const std::vector<std::string>& files_;
  const SourceLoader& loader_;
  std::vector<std::optional<std::vector<FunctionSpan>>> functions_;
  std::vector<std::vector<std::string>> components_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_name_;
  std::unordered_map<std::string, std::size_t> by_display_;
};

// The innermost function of `file` holding `line`, or kNoKey.
std::uint64_t enclosing_function(CodeIndex& index, std::size_t file, std::uint32_t line) {
  const std::vector<FunctionSpan>& spans = index.functions(file);
  for (std::size_t i = spans.size(); i-- > 0;) {
    if (spans[i].line <= line && line <= spans[i].end_line) return make_key(file, i);
  }
  return kNoKey;
}

struct Tally {
  std::unordered_map<std::uint64_t, std::uint64_t> by_function;
  std::map<std::string, std::uint64_t> unmatched;
  std::set<std::size_t> sampled_files;
};

void count_profile(const Profile& profile, CodeIndex& index, Tally& tally,
                   ProfileMeasures& measures) {
  std::vector<Resolution> resolved;
  resolved.reserve(profile.frames.size());
  for (const ProfileFrame& frame : profile.frames) resolved.push_back(index.resolve(frame));
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> missing;
  for (const ProfileStack& stack : profile.stacks) {
    keys.clear();
    missing.clear();
    bool in_code = false;
    for (std::uint32_t frame : stack.frames) {
      const Resolution& r = resolved[frame];
      if (r.kind == Resolution::function) {
        keys.push_back(r.key);
        in_code = true;
      } else if (r.kind == Resolution::code) {
        in_code = true;
      } else {
        missing.push_back(frame);
      }
    }
    // Once per sample: a recursive function is on the stack many times, in the sample once.
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    for (std::uint64_t key : keys) {
      tally.by_function[key] += stack.count;
      tally.sampled_files.insert(key_file(key));
    }
    for (std::uint32_t frame : missing) tally.unmatched[profile.frames[frame].label] += stack.count;
    if (!in_code) measures.unmatched_samples += stack.count;
  }
  measures.total_samples += profile.total;
  measures.stacks += profile.stacks.size();
  measures.warnings.insert(measures.warnings.end(), profile.warnings.begin(),
                           profile.warnings.end());
}

void rank_files(Report& report, const ProfileMeasures& measures) {
  std::map<std::string, double> priority;
  std::map<std::string, double> share;
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& finding = report.findings[i];
    priority[finding.path] += finding_priority(finding.severity, true, measures.findings[i]);
    if (measures.findings[i]) {
      share[finding.path] = std::max(share[finding.path], measures.findings[i]->share);
    }
  }
  for (FileSummary& file : report.summary.files) file.share = share[file.path];
  std::stable_sort(report.summary.files.begin(), report.summary.files.end(),
                   [&](const FileSummary& a, const FileSummary& b) {
                     double pa = priority[a.path];
                     double pb = priority[b.path];
                     if (pa != pb) return pa > pb;
                     return a.path < b.path;
                   });
}

}  // namespace

void attach_profiles(Report& report, const std::vector<Profile>& profiles,
                     const std::vector<std::string>& sources, const SourceLoader& loader) {
  ProfileMeasures measures;
  measures.sources = sources;
  CodeIndex index(report.scanned_files, loader);
  Tally tally;
  for (const Profile& profile : profiles) count_profile(profile, index, tally, measures);
  const double total = static_cast<double>(measures.total_samples);

  // Each finding's innermost enclosing function, and its measure.
  std::vector<std::uint64_t> enclosing(report.findings.size(), kNoKey);
  measures.findings.assign(report.findings.size(), std::nullopt);
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& finding = report.findings[i];
    std::optional<std::size_t> file = index.file_of_display(finding.path);
    if (!file || !tally.sampled_files.contains(*file)) continue;
    enclosing[i] = enclosing_function(index, *file, finding.span.line);
    auto found = tally.by_function.find(enclosing[i]);
    if (found == tally.by_function.end() || total <= 0) continue;
    measures.findings[i] = FindingMeasure{found->second, static_cast<double>(found->second) / total};
  }

  measures.ranked.resize(report.findings.size());
  for (std::size_t i = 0; i < measures.ranked.size(); ++i) measures.ranked[i] = i;
  std::vector<double> priority(report.findings.size());
  for (std::size_t i = 0; i < priority.size(); ++i) {
    priority[i] = finding_priority(report.findings[i].severity, true, measures.findings[i]);
  }
  std::stable_sort(measures.ranked.begin(), measures.ranked.end(),
                   [&](std::size_t a, std::size_t b) { return priority[a] > priority[b]; });

  // The hottest functions, each with its findings in rank order.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> hottest(tally.by_function.begin(),
                                                               tally.by_function.end());
  std::sort(hottest.begin(), hottest.end(), [&](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;
  });
  if (hottest.size() > kMaxHotFunctions) hottest.resize(kMaxHotFunctions);
  for (const auto& [key, samples] : hottest) {
    const FunctionSpan& span = index.functions(key_file(key))[key_function(key)];
    HotFunction hot;
    hot.path = index.display(key_file(key));
    hot.name = span.qualified;
    hot.line = span.line;
    hot.end_line = span.end_line;
    hot.samples = samples;
    hot.share = total > 0 ? static_cast<double>(samples) / total : 0.0;
    for (std::size_t i : measures.ranked) {
      if (enclosing[i] == key) hot.findings.push_back(i);
    }
    measures.hot.push_back(std::move(hot));
  }

  measures.unmatched_frames = tally.unmatched.size();
  std::vector<UnmatchedFrame> unmatched;
  for (const auto& [label, samples] : tally.unmatched) unmatched.push_back({label, samples});
  std::stable_sort(unmatched.begin(), unmatched.end(),
                   [](const UnmatchedFrame& a, const UnmatchedFrame& b) {
                     return a.samples > b.samples;
                   });
  if (unmatched.size() > kMaxUnmatchedNamed) unmatched.resize(kMaxUnmatchedNamed);
  measures.top_unmatched = std::move(unmatched);

  rank_files(report, measures);
  report.profile = std::move(measures);
}

}  // namespace perfscan
