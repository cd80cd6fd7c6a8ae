// Stage 3 driver for one file: read, decode, parse, walk, then the per-file part of linking
// (suppressions, fingerprints). Runs on a worker thread; touches no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "discover/discover.hpp"
#include "engine/budget.hpp"
#include "perfscan/facts.hpp"
#include "perfscan/options.hpp"
#include "perfscan/finding.hpp"
#include "perfscan/file_result.hpp"
#include "perfscan/report.hpp"
#include "semantic/walker.hpp"
#include "syntax/parser.hpp"

namespace perfscan {

// What one file may cost. Past any of these the file is reported as an error naming the limit,
// and the scan goes on with the next file.
struct AnalysisLimits {
  double timeout_seconds = 0.0;  // wall clock from reading to the end of the walk; 0: none
  TreeLimits tree;
  std::size_t parse_memory = kMaxParseMemory;

  static AnalysisLimits from(const ScanOptions& options);
};

// `source` is used instead of reading fs_path when given (stdin).
FileResult analyse_file(const DiscoveredFile& file, Parser& parser, const RuleDispatch& dispatch,
                        const std::string* source = nullptr, const AnalysisLimits& limits = {});

// Analyses text already in memory (tests, stdin). `deadline` bounds parsing and the walk; the
// walk is bounded only when `dispatch` holds a BudgetCheck (engine/budget.hpp).
FileResult analyse_text(const std::string& display_path, const std::string& module, bool is_package,
                        std::string bytes, Parser& parser, const RuleDispatch& dispatch,
                        const AnalysisLimits& limits = {}, const Deadline& deadline = {});

// When a file analysed from now with `limits` must be done.
Deadline deadline_for(const AnalysisLimits& limits);

// XXH3-64 of a file's bytes as read (FileResult::digest, Report::source_digests).
std::uint64_t source_digest(std::string_view bytes);

// Keeps of `result.facts` only what the link step reads (classes, database facts, suppressions,
// names), encoded into `result.linked`, when `linking`, and nothing otherwise; `result.facts` is
// emptied. Facts outlive the file's analysis (until the link step, and in the result cache), so
// they are kept in their compact form, and the generic call and function facts the rules use
// while walking are left behind.
void keep_linked_facts(FileResult& result, bool linking);

// Stable identity of a finding within its file across unrelated edits: rule, the flagged line's
// text with white space folded (`folded_line`, from fold_whitespace), the enclosing scope, and
// the occurrence number among identical ones. The path is left out on purpose: the same file
// is "a.py", "./a.py" or "/abs/a.py" depending on how perfscan was called, so users of the
// fingerprint (baselines, SARIF, GitLab) pair it with a path relative to a root they choose.
std::string fingerprint(const Finding& finding, std::string_view folded_line, int occurrence);

// The per-file finishing of findings, shared by the walk and the link step: drop those the
// file's comments suppress, fingerprint the rest (findings of one file and rule), and end the
// message of a finding lowered on a one-time path with the note that says why.
void finish_findings(std::vector<Finding>& findings, const Suppressions& suppressions);

}  // namespace perfscan
