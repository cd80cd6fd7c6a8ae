#include "fix/fixer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include "engine/analyse.hpp"
#include "fix/edits.hpp"
#include "fix/source_file.hpp"
#include "perfscan/engine.hpp"
#include "syntax/notebook.hpp"
#include "syntax/parser.hpp"
#include "syntax/source.hpp"

namespace perfscan {
namespace {

// One file under rewriting: what is on disk and what the passes made of it so far.
struct FileState {
  std::string original;
  std::string current;
  int fixes = 0;
  bool editable = true;  // false: never touched (see run_fixes)
};

// Checks a rewritten text before it replaces the last good one: it must parse without a syntax
// error and analyse with the scan's rules as any file does (no limit hit, no failure).
class Verifier {
 public:
  explicit Verifier(const ScanOptions& options)
      : dispatch_(with_fact_collectors(
                      select_rules(options.select, options.ignore, options.extend_select)),
                  rule_settings(options)),
        limits_(AnalysisLimits::from(options)) {}

  // "" when `bytes` is fine, else what is wrong with it.
  std::string problem(const std::string& path, const std::string& bytes) {
    SourceText source = decode_source(bytes);
    if (!source.fatal.empty()) return source.fatal;
    Tree tree = parser_.parse(source.text);
    if (!tree.valid()) return "the parser gave up on it";
    SyntaxError error = first_syntax_error(tree.root(), source.text);
    if (error.found) {
      return fmt::format("syntax error at line {}: {}", error.node.line(), error.message);
    }
    FileResult result = analyse_text(path, "", false, bytes, parser_, dispatch_, limits_,
                                     deadline_for(limits_));
    if (!result.scanned) return "it no longer analyses";
    for (const FileError& failure : result.errors) {
      if (!failure.analysed) return failure.message;
    }
    return {};
  }

 private:
  Parser parser_;
  RuleDispatch dispatch_;
  AnalysisLimits limits_;
};

bool reads_stdin(const ScanOptions& options, const std::string& path) {
  if (path == "-") return true;
  bool stdin_given = std::find(options.paths.begin(), options.paths.end(), "-") != options.paths.end();
  return stdin_given && path == options.stdin_filename;
}

std::string changed_while_fixing(const std::string& path) {
  return fmt::format("{}: not written: it changed while perfscan was fixing it", path);
}

// A fix that was dropped is not tried again: (path, rule, line, column).
using FixKey = std::tuple<std::string, std::string, std::uint32_t, std::uint32_t>;
FixKey key_of(const Finding& finding) {
  return {finding.path, finding.rule_id, finding.span.line, finding.span.column};
}

class FixRun {
 public:
  FixRun(const ScanOptions& options, const FixSettings& settings, FixOutcome& outcome)
      : options_(options), settings_(settings), outcome_(outcome), verifier_(options) {}

  // One pass over `report`: returns true when some file changed (or a fix was dropped, which
  // may let an overlapping one apply next time).
  bool rewrite(const Report& report) {
    std::map<std::string, std::vector<const Finding*>> by_file;
    for (const Finding& finding : report.findings) {
      if (fix_applies(finding, settings_.unsafe) && !rejected_.contains(key_of(finding))) {
        by_file[finding.path].push_back(&finding);
      }
    }
    std::set<std::string> with_errors;
    for (const FileError& error : report.errors) with_errors.insert(error.path);
    bool changed = false;
    for (auto& [path, findings] : by_file) {
      // Notebooks are never rewritten (their findings carry no fix either).
      if (reads_stdin(options_, path) || with_errors.contains(path) || is_notebook_path(path)) {
        continue;
      }
      FileState* state = load(path, report);
      if (state == nullptr || !state->editable) continue;
      changed = rewrite_file(path, *state, findings) || changed;
    }
    return changed;
  }

  std::map<std::string, std::string> overrides() const {
    std::map<std::string, std::string> texts;
    for (const auto& [path, state] : files_) {
      if (state.fixes > 0) texts.emplace(path, state.current);
    }
    return texts;
  }

  void finish() {
    for (auto& [path, state] : files_) {
      if (state.fixes == 0 || state.current == state.original) continue;
      outcome_.files.push_back(FixedFile{path, state.original, state.current, state.fixes});
      outcome_.fixed += state.fixes;
    }
  }

 private:
  // The file's state, read on first use (the first pass: its findings come from disk). A file
  // that does not parse as it is on disk is never touched: its findings come from a partial
  // tree, and so would its fixes. Nor is one whose bytes are not those the scan analysed (an
  // editor or another perfscan rewrote it since): the findings' positions are not its.
  FileState* load(const std::string& path, const Report& report) {
    auto found = files_.find(path);
    if (found != files_.end()) return &found->second;
    FileState state;
    std::string error;
    if (!read_file_bytes(path, state.original, error)) return nullptr;
    state.current = state.original;
    auto scanned = report.source_digests.find(path);
    if (scanned == report.source_digests.end() || scanned->second != source_digest(state.original)) {
      outcome_.problems.push_back(
          changed_while_fixing(path));
      state.editable = false;
      return &files_.emplace(path, std::move(state)).first->second;
    }
    FileForm form;
    state.editable = editable_text(state.original, form).has_value() &&
                     verifier_.problem(path, state.original).empty();
    return &files_.emplace(path, std::move(state)).first->second;
  }

  // Applies every chosen fix at once; when the result fails verification, the first fix alone,
  // which is dropped (and reported) if it fails too. The others are tried again next pass.
  bool rewrite_file(const std::string& path, FileState& state,
                    const std::vector<const Finding*>& findings) {
    FileForm form;
    std::optional<std::string> text = editable_text(state.current, form);
    if (!text) return false;
    std::vector<const Finding*> chosen = non_overlapping_fixes(findings, settings_.unsafe);
    if (chosen.empty()) return false;
    std::string_view line_break = form.crlf ? "\r\n" : "\n";
    std::string all = encode_like(apply_fixes(*text, chosen, line_break), form);
    if (verifier_.problem(path, all).empty()) {
      state.current = std::move(all);
      state.fixes += static_cast<int>(chosen.size());
      return true;
    }
    const Finding* first = chosen.front();
    std::string one = encode_like(apply_fixes(*text, {first}, line_break), form);
    if (std::string problem = verifier_.problem(path, one); !problem.empty()) {
      rejected_.insert(key_of(*first));
      outcome_.problems.push_back(fmt::format("{}:{}:{}: {} fix not applied: {}", path,
                                              first->span.line, first->span.column,
                                              first->rule_id, problem));
      return true;
    }
    state.current = std::move(one);
    state.fixes += 1;
    return true;
  }

  const ScanOptions& options_;
  const FixSettings& settings_;
  FixOutcome& outcome_;
  Verifier verifier_;
  std::map<std::string, FileState> files_;
  std::set<FixKey> rejected_;
};

}  // namespace

FixOutcome run_fixes(const ScanOptions& options,
                     const std::function<Report(const ScanOptions&)>& scan_pass,
                     const FixSettings& settings) {
  FixOutcome outcome;
  FixRun run(options, settings, outcome);
  ScanOptions pass_options = options;
  pass_options.record_source_digests = true;
  for (int pass = 0;; ++pass) {
    outcome.report = scan_pass(pass_options);
    if (pass == settings.max_passes || !run.rewrite(outcome.report)) break;
    pass_options.source_overrides =
        std::make_shared<const std::map<std::string, std::string>>(run.overrides());
  }
  run.finish();
  return outcome;
}

int write_fixed_files(FixOutcome& outcome) {
  int written = 0;
  for (const FixedFile& file : outcome.files) {
    std::string now;
    std::string error;
    if (!read_file_bytes(file.path, now, error) || now != file.before) {
      outcome.problems.push_back(
          changed_while_fixing(file.path));
      continue;
    }
    if (std::string failure = write_atomically(file.path, file.after); !failure.empty()) {
      outcome.problems.push_back(fmt::format("{}: not written: {}", file.path, failure));
      continue;
    }
    ++written;
  }
  return written;
}

}  // namespace perfscan
