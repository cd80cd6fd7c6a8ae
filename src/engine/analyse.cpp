#include "engine/analyse.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <tuple>

#include "core/facts_codec.hpp"
#include "core/stage_clock.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule_info.hpp"
#include "syntax/grammar_gaps.hpp"
#include "syntax/notebook.hpp"
#include "syntax/source.hpp"

namespace perfscan {
namespace {

void drop_suppressed(std::vector<Finding>& findings, const Suppressions& suppressions) {
  if (suppressions.skip_file) {
    findings.clear();
    return;
  }
  if (suppressions.by_line.empty()) return;
  std::erase_if(findings, [&](const Finding& finding) {
    return suppressions.suppresses(finding.span.line, finding.rule_id) ||
           suppressions.suppresses(finding.statement_line, finding.rule_id);
  });
}

// Fingerprints need the whole file: identical flagged lines in one scope are told apart by
// their occurrence number.
void assign_fingerprints(std::vector<Finding>& findings) {
  std::map<std::tuple<std::string, std::string, std::string>, int> seen;
  for (Finding& finding : findings) {
    std::string line = fold_whitespace(finding.source_line);
    int& occurrence = seen[{finding.rule_id, line, finding.scope}];
    finding.fingerprint = fingerprint(finding, line, occurrence++);
  }
}

// Context::report lowered these for a one-time path; the message says so last, after
// whatever the rule (or its link step) wrote.
void add_one_time_notes(std::vector<Finding>& findings) {
  for (Finding& finding : findings) {
    if (finding.lowered_on.empty()) continue;
    std::string note = one_time_note(finding.lowered_on);
    if (!finding.message.ends_with(note)) finding.message += note;
  }
}

}  // namespace

void finish_findings(std::vector<Finding>& findings, const Suppressions& suppressions) {
  drop_suppressed(findings, suppressions);
  assign_fingerprints(findings);
  add_one_time_notes(findings);
}

std::string fingerprint(const Finding& finding, std::string_view folded_line, int occurrence) {
  std::string key =
      fmt::format("{}\n{}\n{}\n{}", finding.rule_id, folded_line, finding.scope, occurrence);
  return fmt::format("{:016x}", XXH3_64bits(key.data(), key.size()));
}

std::uint64_t source_digest(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

void keep_linked_facts(FileResult& result, bool linking) {
  result.linked = linking ? encode_linked_facts(result.facts) : EncodedFacts{};
  result.facts = FileFacts{};
}

AnalysisLimits AnalysisLimits::from(const ScanOptions& options) {
  AnalysisLimits limits;
  limits.timeout_seconds = options.file_timeout_seconds;
  return limits;
}

Deadline deadline_for(const AnalysisLimits& limits) {
  if (limits.timeout_seconds <= 0) return std::nullopt;
  return std::chrono::steady_clock::now() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
             std::chrono::duration<double>(limits.timeout_seconds));
}

namespace {

std::string over_time(const AnalysisLimits& limits, std::string_view stage) {
  return fmt::format("analysis stopped while {}: over the {:g} s budget for one file "
                     "(--file-timeout)",
                     stage, limits.timeout_seconds);
}

// The file as skipped, for one reason: no findings, nothing cached, the scan goes on.
void give_up(FileResult& result, const std::string& path, std::string reason) {
  result.scanned = false;
  result.findings.clear();
  result.facts = FileFacts{};
  result.linked = {};
  result.errors.push_back(FileError{path, std::move(reason), false});
}

// When the parse failed only because of valid Python the grammar misreads, parses the
// equivalent copy instead (syntax/grammar_gaps.hpp: `=` format specs respelled, dedented
// continuations padded): `text` and `parsed` then hold it. Returns whether it did. A copy that
// still does not parse is dropped: the file keeps its own text and PS000 reports the error.
bool work_around_grammar_gaps(std::string& text, TSTree*& parsed, Parser& parser, const ParseLimits& limits) {
  if (!ts_node_has_error(ts_tree_root_node(parsed))) return false;
  std::optional<std::string> respelled = respell_equals_format_specs(text);
  std::string_view respelled_or_text = respelled ? std::string_view(*respelled) : std::string_view(text);
  std::optional<PaddedSource> padded = pad_dedented_continuations(respelled_or_text);
  if (!respelled && !padded) return false;
  std::string copy = padded ? std::move(padded->text) : std::move(*respelled);
  TSTree* reparsed = parser.parse_raw(copy, limits, nullptr);
  if (reparsed == nullptr) return false;
  if (ts_node_has_error(ts_tree_root_node(reparsed))) {
    ts_tree_delete(reparsed);
    return false;
  }
  ts_tree_delete(parsed);
  parsed = reparsed;
  text = std::move(copy);
  return true;
}

}  // namespace

FileResult analyse_text(const std::string& display_path, const std::string& module, bool is_package,
                        std::string bytes, Parser& parser, const RuleDispatch& dispatch,
                        const AnalysisLimits& limits, const Deadline& deadline) {
  StageClock clock;
  FileResult result;
  result.bytes = bytes.size();
  result.digest = source_digest(bytes);
  // A notebook is analysed as the module its code cells make; findings are pointed back at
  // their cells once the walk is done.
  const bool notebook_file = is_notebook_path(display_path);
  NotebookSource notebook;
  if (notebook_file) {
    notebook = read_notebook(bytes);
    if (!notebook.error.empty()) {
      result.errors.push_back(FileError{display_path, notebook.error, false});
      result.read_time += clock.lap();
      return result;
    }
    bytes = std::move(notebook.text);
  }
  SourceText source = decode_source(std::move(bytes));
  if (!source.fatal.empty()) {
    result.errors.push_back(FileError{display_path, source.fatal, false});
    result.read_time += clock.lap();
    return result;
  }
  if (!source.warning.empty()) {
    result.errors.push_back(FileError{display_path, source.warning, true});
  }
  result.scanned = true;
  result.lines = count_lines(source.text);
  result.read_time += clock.lap();
  ParseFailure failure = ParseFailure::none;
  TSTree* parsed = parser.parse_raw(source.text, ParseLimits{deadline, limits.parse_memory}, &failure);
  result.parse_time += clock.lap();
  if (parsed == nullptr) {
    switch (failure) {
      case ParseFailure::deadline: give_up(result, display_path, over_time(limits, "parsing")); break;
      case ParseFailure::memory:
        give_up(result, display_path,
                fmt::format("skipped: parsing it needs more than {} MiB (generated data, not code?)",
                            limits.parse_memory >> 20));
        break;
      case ParseFailure::none: give_up(result, display_path, "the parser gave up on this file"); break;
    }
    return result;
  }
  bool padded = work_around_grammar_gaps(source.text, parsed, parser, ParseLimits{deadline, limits.parse_memory});
  result.parse_time += clock.lap();
  // Copying tree-sitter's tree into the flat one (and freeing it) is perfscan's own work, so it
  // counts as analysis: the parse stage stays comparable with the parse-only benchmark.
  std::string too_large;
  TreeLimits tree_limits = limits.tree;
  tree_limits.deadline = deadline;
  Tree tree = flatten(parsed, tree_limits, &too_large);
  if (!tree.valid()) {
    give_up(result, display_path,
            too_large == kPastDeadline ? over_time(limits, "analysing") : "skipped: " + too_large);
    result.analyse_time += clock.lap();
    return result;
  }
  try {
    ScopedDeadline walk_deadline(deadline);
    check_deadline();
    // Two walks: the first learns what the file's classes and functions are, the second (the
    // one rules see) answers with it (semantic/walker.hpp).
    FileTypes types;
    Context context(display_path, module, is_package, source.text, dispatch.settings());
    walk_file(context, dispatch, tree.root(), types);
    result.findings = std::move(context.findings());
    result.facts = std::move(context.facts());
  } catch (const BudgetExceeded&) {
    give_up(result, display_path, over_time(limits, "analysing"));
    result.analyse_time += clock.lap();
    return result;
  }
  finish_findings(result.findings, result.facts.suppressions);
  // Fixes are byte ranges of the text analysed; on a padded copy they would miss the file's.
  if (padded) {
    for (Finding& finding : result.findings) finding.fix.reset();
  }
  if (notebook_file) {
    for (Finding& finding : result.findings) locate_in_notebook(finding, notebook);
  }
  result.analyse_time += clock.lap();
  return result;
}

FileResult analyse_file(const DiscoveredFile& file, Parser& parser, const RuleDispatch& dispatch,
                        const std::string* source, const AnalysisLimits& limits) {
  StageClock clock;
  Deadline deadline = deadline_for(limits);
  std::string bytes;
  if (source != nullptr) {
    bytes = *source;
  } else {
    std::string error;
    if (!read_file_bytes(file.fs_path, bytes, error)) {
      FileResult result;
      result.errors.push_back(FileError{file.display_path, "cannot read: " + error, false});
      result.read_time += clock.lap();
      return result;
    }
  }
  StageTime reading = clock.lap();
  FileResult result = analyse_text(file.display_path, file.module, file.is_package,
                                   std::move(bytes), parser, dispatch, limits, deadline);
  result.read_time += reading;
  return result;
}

}  // namespace perfscan
