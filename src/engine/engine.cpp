#include "perfscan/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include "core/stage_clock.hpp"
#include "discover/discover.hpp"
#include "engine/analyse.hpp"
#include "engine/budget.hpp"
#include "engine/cached_analyse.hpp"
#include "perfscan/fact_store.hpp"
#include "perfscan/project.hpp"
#include "perfscan/semantic.hpp"
#include "syntax/notebook.hpp"
#include "syntax/parser.hpp"
#include "syntax/source.hpp"

namespace perfscan {
namespace {

struct Input {
  DiscoveredFile file;
  bool from_stdin = false;
};

bool names_files(const ScanOptions& options) {
  for (const std::string& path : options.paths) {
    std::error_code error;
    if (path == "-" ? !options.stdin_filename.empty() : std::filesystem::is_regular_file(path, error)) return true;
  }
  return false;
}

// Whether this scan reads the rest of the project for context: files are named, the link step
// runs, and a project root is known.
bool wants_project_context(const ScanOptions& options, bool linking) {
  return linking && options.project_context && !options.project_root.empty() && names_files(options);
}

std::vector<Input> collect_inputs(const ScanOptions& options, std::vector<FileError>& errors, bool in_project) {
  DiscoverOptions discover_options;
  discover_options.excludes = options.excludes;
  discover_options.include_pyi = options.include_pyi;
  discover_options.respect_gitignore = options.respect_gitignore;
  if (in_project) discover_options.project_root = options.project_root;
  bool wants_stdin = false;
  for (const std::string& path : options.paths) {
    if (path == "-") {
      wants_stdin = true;
    } else {
      discover_options.paths.push_back(path);
    }
  }
  if (options.paths.empty()) discover_options.paths.emplace_back(".");
  std::vector<Input> inputs;
  if (!discover_options.paths.empty()) {
    DiscoverResult discovered = discover(discover_options);
    for (DiscoveredFile& file : discovered.files) inputs.push_back(Input{std::move(file), false});
    errors.insert(errors.end(), std::make_move_iterator(discovered.errors.begin()),
                  std::make_move_iterator(discovered.errors.end()));
  }
  if (wants_stdin) {
    Input input;
    input.from_stdin = true;
    input.file.display_path = options.stdin_filename.empty() ? "-" : options.stdin_filename;
    if (!options.stdin_filename.empty()) {
      input.file.module = module_name_for(options.stdin_filename, &input.file.is_package,
                                          in_project ? options.project_root : std::string{});
    }
    inputs.push_back(std::move(input));
  }
  return inputs;
}

// The project's other Python files, for their facts: everything under the project root that
// the same excludes and .gitignore keep, except the files being scanned (and the file standing
// for stdin). Discovery problems in the context are not the user's files' errors: dropped.
std::vector<Input> collect_project_context(const ScanOptions& options, const std::vector<Input>& scanned) {
  auto canonical = [](const std::string& path) {
    std::error_code error;
    std::filesystem::path resolved = std::filesystem::weakly_canonical(path, error);
    return error ? std::filesystem::absolute(path).lexically_normal().string() : resolved.string();
  };
  std::set<std::string> named;
  for (const Input& input : scanned) {
    named.insert(canonical(input.from_stdin ? options.stdin_filename : input.file.fs_path));
  }
  DiscoverOptions discover_options;
  discover_options.paths = {options.project_root};
  discover_options.excludes = options.excludes;
  discover_options.include_pyi = options.include_pyi;
  discover_options.respect_gitignore = options.respect_gitignore;
  discover_options.project_root = options.project_root;
  std::vector<Input> context;
  for (DiscoveredFile& file : discover(discover_options).files) {
    if (named.count(canonical(file.fs_path)) != 0) continue;
    context.push_back(Input{std::move(file), false});
  }
  return context;
}

// Keeps only the facts of the files it is handed, in the store's slots from `first_slot` on:
// the project context's findings and errors are not the scan's.
class ContextCollector {
 public:
  ContextCollector(FactStore& store, std::size_t first_slot)
      : store_(store), first_slot_(first_slot) {}
  void operator()(std::size_t index, FileResult result) {
    if (result.scanned) store_.add(first_slot_ + index, result.linked);
  }

 private:
  FactStore& store_;
  std::size_t first_slot_;
};

std::string read_stdin() {
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// Files are independent until linking: workers take the next index from a shared counter and
// hand each result to `sink` as soon as it is ready, so no file's results wait in memory for
// the others. `sink` is called from the workers and must be thread-safe.
template <typename Sink>
void analyse_all(const std::vector<Input>& inputs, const RuleDispatch& dispatch, unsigned jobs,
                 const std::string& stdin_text, ResultCache& cache, bool keep_facts,
                 const AnalysisLimits& limits, Sink& sink,
                 const std::map<std::string, std::string>* overrides = nullptr) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    Parser parser;
    for (std::size_t i = next++; i < inputs.size(); i = next++) {
      const Input& input = inputs[i];
      FileResult result;
      // No exception may cross the thread boundary: a failure is this file's error value.
      try {
        auto overridden = overrides != nullptr ? overrides->find(input.file.display_path)
                                               : std::map<std::string, std::string>::const_iterator{};
        if (input.from_stdin) {
          result = analyse_file(input.file, parser, dispatch, &stdin_text, limits);
          keep_linked_facts(result, keep_facts);
        } else if (overrides != nullptr && overridden != overrides->end()) {
          result = analyse_file(input.file, parser, dispatch, &overridden->second, limits);
          keep_linked_facts(result, keep_facts);
        } else {
          result = analyse_cached(input.file, parser, dispatch, cache, keep_facts, limits);
        }
      } catch (const std::exception& failure) {
        result = FileResult{};
        result.errors.push_back(
            FileError{input.file.display_path, std::string("analysis failed: ") + failure.what(), false});
      }
      sink(i, std::move(result));
    }
  };
  unsigned threads = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(inputs.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();
}

// Folds each file's result into the report as it arrives. Findings and errors are sorted once
// all files are in, so arrival order does not matter; facts keep their input slot so the link
// step sees files in a deterministic order.
class ResultCollector {
 public:
  // `facts` (null when nothing is linked) receives each scanned file's link facts in the slot of
  // its input index.
  ResultCollector(Report& report, const std::vector<Input>& inputs, FactStore* facts,
                  Severity min_severity, bool record_digests)
      : report_(report),
        inputs_(inputs),
        facts_(facts),
        min_severity_(min_severity),
        record_digests_(record_digests) {}

  void operator()(std::size_t index, FileResult result) {
    if (facts_ != nullptr && result.scanned) facts_->add(index, result.linked);
    result.linked = {};
    std::lock_guard<std::mutex> lock(mutex_);
    ScanStats& stats = report_.stats;
    stats.stage(Stage::read) += result.read_time;
    stats.stage(Stage::parse) += result.parse_time;
    stats.stage(Stage::analyse) += result.analyse_time;
    if (result.scanned) {
      report_.scanned_files.push_back(inputs_[index].file.display_path);
      if (record_digests_) report_.source_digests.emplace(inputs_[index].file.display_path, result.digest);
      ++report_.summary.files_scanned;
      report_.summary.lines_scanned += result.lines;
      report_.summary.bytes_scanned += result.bytes;
    }
    for (Finding& finding : result.findings) {
      if (at_least(finding.severity, min_severity_)) report_.findings.push_back(std::move(finding));
    }
    for (FileError& error : result.errors) errors_.emplace_back(index, std::move(error));
  }

  // Errors in input order, as the pool would have produced them one file after another.
  void move_errors_into_report() {
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [index, error] : errors_) report_.errors.push_back(std::move(error));
    errors_.clear();
  }

 private:
  Report& report_;
  const std::vector<Input>& inputs_;
  FactStore* facts_;
  Severity min_severity_;
  bool record_digests_;
  std::mutex mutex_;
  std::vector<std::pair<std::size_t, FileError>> errors_;
};

bool finding_order(const Finding& a, const Finding& b) {
  return std::tie(a.path, a.span.line, a.span.column, a.rule_id, a.span.end_line,
                  a.span.end_column, a.message) < std::tie(b.path, b.span.line, b.span.column,
                                                           b.rule_id, b.span.end_line,
                                                           b.span.end_column, b.message);
}

std::string utc_timestamp(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// The scanned root's own name: "django" for "/usr/lib/python3/dist-packages/django" or for
// "." run inside it.
std::string project_name(const std::string& root) {
  if (root == "-") return "stdin";
  std::error_code ignored;
  std::filesystem::path absolute = std::filesystem::weakly_canonical(root, ignored);
  if (absolute.empty()) absolute = root;
  std::string name = absolute.filename().string();
  if (name.empty()) name = absolute.parent_path().filename().string();
  return name.empty() ? root : name;
}

// Header and appendix data for review reports: where, when, which rules, which settings.
ScanSetup describe_setup(const ScanOptions& options, const std::vector<const Rule*>& selected) {
  ScanSetup setup;
  setup.roots = options.paths.empty() ? std::vector<std::string>{"."} : options.paths;
  setup.project = project_name(setup.roots.front());
  setup.started_at = utc_timestamp(std::chrono::system_clock::now());
  for (const Rule* rule : selected) {
    setup.rule_ids.emplace_back(rule->info().id);
  }
  setup.options = options;
  return setup;
}

std::vector<const ProjectRule*> project_rules(const std::vector<const Rule*>& rules) {
  std::vector<const ProjectRule*> linked;
  for (const Rule* rule : rules) {
    if (const auto* project_rule = dynamic_cast<const ProjectRule*>(rule)) linked.push_back(project_rule);
  }
  return linked;
}

// The text of line `line` (1-based) of a decoded source, without its line break.
std::string line_text(std::string_view source, std::uint32_t line) {
  std::size_t offset = 0;
  for (std::uint32_t current = 1; current < line; ++current) {
    offset = source.find('\n', offset);
    if (offset == std::string_view::npos) return {};
    ++offset;
  }
  return std::string(line_containing(source, static_cast<std::uint32_t>(offset)));
}

// Link findings carry no source text (facts keep none): read back the flagged lines of the
// few files that have one, then finish them per file exactly like per-file findings.
void finish_link_findings(std::vector<Finding>& linked, const std::vector<Input>& inputs,
                          const FactStore& facts, const std::string& stdin_text) {
  std::map<std::string, std::vector<Finding>> by_path;
  for (Finding& finding : linked) by_path[finding.path].push_back(std::move(finding));
  linked.clear();
  std::unordered_map<std::string_view, const Input*> input_by_path;
  for (const Input& input : inputs) input_by_path.emplace(input.file.display_path, &input);
  // The first file with facts under each path (the scanned files come first in the store).
  std::unordered_map<std::string_view, std::size_t> slot_by_path;
  for (std::size_t slot = 0; slot < facts.size(); ++slot) {
    if (facts.has(slot)) slot_by_path.emplace(facts.path(slot), slot);
  }
  for (auto& [path, findings] : by_path) {
    auto input_it = input_by_path.find(path);
    auto slot_it = slot_by_path.find(path);
    if (input_it == input_by_path.end() || slot_it == slot_by_path.end()) continue;
    const Input* input = input_it->second;
    const FileFacts file = facts.load(slot_it->second, fact_part(FactSection::suppressions));
    std::string bytes;
    std::string error;
    if (input->from_stdin) {
      bytes = stdin_text;
    } else if (!read_file_bytes(input->file.fs_path, bytes, error)) {
      bytes.clear();
    }
    NotebookSource notebook;
    const bool notebook_file = is_notebook_path(path);
    if (notebook_file) {
      notebook = read_notebook(bytes);
      bytes = std::move(notebook.text);
    }
    SourceText source = decode_source(std::move(bytes));
    for (Finding& finding : findings) {
      finding.source_line = line_text(source.text, finding.span.line);
      if (notebook_file) locate_in_notebook(finding, notebook);
    }
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.span.line, a.span.column, a.rule_id) < std::tie(b.span.line, b.span.column, b.rule_id);
    });
    finish_findings(findings, file.suppressions);
    for (Finding& finding : findings) linked.push_back(std::move(finding));
  }
}

// Link-step findings have no context to ask: a finding in a test module is test code.
void mark_test_files(std::vector<Finding>& linked) {
  for (Finding& finding : linked) {
    if (!finding.in_test_code) finding.in_test_code = is_test_file_path(finding.path);
  }
}

// The test profile (ScanOptions::tests), applied to per-file and link findings alike once
// both are in: returns how many findings in test code it hid.
int apply_test_profile(std::vector<Finding>& findings, TestProfile profile) {
  if (profile == TestProfile::full) return 0;
  std::set<std::string_view> exempt;
  for (const auto& rule : all_rules()) {
    if (rule->traits().in_tests == InTests::exempt) exempt.insert(rule->info().id);
  }
  std::size_t before = findings.size();
  std::erase_if(findings, [&](const Finding& finding) {
    if (!finding.in_test_code) return false;
    return profile == TestProfile::skip || exempt.contains(finding.rule_id);
  });
  return static_cast<int>(before - findings.size());
}

}  // namespace

std::vector<const Rule*> with_fact_collectors(std::vector<const Rule*> selected) {
  if (!project_rules(selected).empty()) {
    selected.push_back(&database_fact_collector());
    selected.push_back(&async_call_site_collector());
    selected.push_back(&loop_call_site_collector());
  }
  return selected;
}

RuleSettings rule_settings(const ScanOptions& options) {
  RuleSettings settings;
  settings.knowledge = options.knowledge;
  if (!options.target_version.empty()) {
    settings.target_version = parse_python_version(options.target_version);
    if (!settings.target_version) {
      throw UsageError(fmt::format("invalid target version '{}': expected 3.N, e.g. 3.10",
                                   options.target_version));
    }
  }
  return settings;
}

Report scan(const ScanOptions& options) {
  auto started = std::chrono::steady_clock::now();
  if (std::string problem = grammar_incompatibility(); !problem.empty()) throw UsageError(problem);
  Report report;
  report.tool_version = std::string(version());
  std::vector<const Rule*> selected =
      select_rules(options.select, options.ignore, options.extend_select);
  report.setup = describe_setup(options, selected);
  std::vector<const ProjectRule*> linkers =
      options.link ? project_rules(selected) : std::vector<const ProjectRule*>{};
  std::vector<const Rule*> dispatched = linkers.empty() ? selected : with_fact_collectors(selected);
  // The budget check is dispatched but not part of the cache key: it changes no result.
  BudgetCheck budget_check(dispatched);
  RuleDispatch dispatch(with_budget_check(budget_check, dispatched), rule_settings(options));
  ResultCache cache(options.cache_dir,
                    cache_config_hash(rule_ids(dispatched), dispatch.settings(), !linkers.empty()));
  StageClock clock;
  bool in_project = wants_project_context(options, !linkers.empty());
  std::vector<Input> inputs = collect_inputs(options, report.errors, in_project);
  std::vector<Input> context = in_project ? collect_project_context(options, inputs) : std::vector<Input>{};
  report.stats.stage(Stage::discover) += clock.lap();
  unsigned jobs = options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::string stdin_text;
  if (std::any_of(inputs.begin(), inputs.end(), [](const Input& in) { return in.from_stdin; })) {
    stdin_text = options.stdin_text ? *options.stdin_text : read_stdin();
    report.stats.stage(Stage::read) += clock.lap();
  }
  auto workers_started = std::chrono::steady_clock::now();
  // Each file's link facts, from the end of its analysis to the link step: the scanned files
  // in input order, then the project context's.
  std::optional<FactStore> facts;
  if (!linkers.empty()) facts.emplace(inputs.size() + context.size());
  ResultCollector collector(report, inputs, facts ? &*facts : nullptr, options.min_severity,
                            options.record_source_digests);
  const AnalysisLimits limits = AnalysisLimits::from(options);
  analyse_all(inputs, dispatch, jobs, stdin_text, cache, !linkers.empty(), limits, collector,
              options.source_overrides.get());
  cache.report_to(report.stats);
  report.stats.workers_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - workers_started).count();
  collector.move_errors_into_report();
  if (!context.empty()) {
    // The rest of the project, for the link step only (cache hits make this cheap after the
    // first run). Its own findings are not reported: finish_link_findings keeps only findings
    // in the scanned files.
    ContextCollector context_facts(*facts, inputs.size());
    analyse_all(context, dispatch, jobs, stdin_text, cache, true, limits, context_facts,
                options.source_overrides.get());
    report.stats.context_files = context.size();
    cache.report_to(report.stats);
  }
  std::sort(report.scanned_files.begin(), report.scanned_files.end());
  if (!linkers.empty()) {
    StageClock link_clock;
    std::vector<Finding> linked;
    {
      ProjectIndex index(*facts, dispatch.settings());
      for (const ProjectRule* rule : linkers) rule->link(index, linked);
    }
    finish_link_findings(linked, inputs, *facts, stdin_text);
    mark_test_files(linked);
    for (Finding& finding : linked) {
      if (at_least(finding.severity, options.min_severity)) report.findings.push_back(std::move(finding));
    }
    report.stats.stage(Stage::link) += link_clock.lap();
    report.stats.link_seconds = report.stats.stage(Stage::link).wall_seconds;
  }
  report.summary.hidden_in_tests = apply_test_profile(report.findings, options.tests);
  std::sort(report.findings.begin(), report.findings.end(), finding_order);
  std::stable_sort(report.errors.begin(), report.errors.end(),
                   [](const FileError& a, const FileError& b) { return a.path < b.path; });
  summarize_findings(report);
  report.stats.jobs = jobs;
  report.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace perfscan
