#include "engine/analyse.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "core/stage_clock.hpp"
#include "perfscan/context.hpp"
#include "perfscan/rule_info.hpp"
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

void keep_linked_facts(FileResult& result, bool linking) {
  if (!linking) {
    result.facts = FileFacts{};
    return;
  }
  result.facts.calls = {};
  result.facts.functions = {};
}

FileResult analyse_text(const std::string& display_path, const std::string& module, bool is_package,
                        std::string bytes, Parser& parser, const RuleDispatch& dispatch) {
  StageClock clock;
  FileResult result;
  result.bytes = bytes.size();
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
  TSTree* parsed = parser.parse_raw(source.text);
  result.parse_time += clock.lap();
  if (parsed == nullptr) {
    result.scanned = false;
    result.errors.push_back(FileError{display_path, "the parser gave up on this file", false});
    return result;
  }
  // Copying tree-sitter's tree into the flat one (and freeing it) is perfscan's own work, so it
  // counts as analysis: the parse stage stays comparable with the parse-only benchmark.
  Tree tree = flatten(parsed);
  // Two walks: the first learns what the file's classes and functions are, the second (the
  // one rules see) answers with it (semantic/walker.hpp).
  FileTypes types;
  Context context(display_path, module, is_package, source.text, dispatch.settings());
  walk_file(context, dispatch, tree.root(), types);
  result.findings = std::move(context.findings());
  result.facts = std::move(context.facts());
  finish_findings(result.findings, result.facts.suppressions);
  result.analyse_time += clock.lap();
  return result;
}

FileResult analyse_file(const DiscoveredFile& file, Parser& parser, const RuleDispatch& dispatch,
                        const std::string* source) {
  StageClock clock;
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
                                   std::move(bytes), parser, dispatch);
  result.read_time += reading;
  return result;
}

}  // namespace perfscan
