#include "perfscan/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <set>
#include <thread>

#include "discover/discover.hpp"
#include "engine/analyse.hpp"
#include "syntax/parser.hpp"

namespace perfscan {
namespace {

bool selector_matches(std::string_view selector, const RuleInfo& info) {
  if (selector == "ALL") return true;
  if (selector == info.id || selector == info.name) return true;
  if (selector == category_id(info.category)) return true;
  return selector.size() >= 2 && selector.substr(0, 2) == "PS" && info.id.starts_with(selector);
}

std::set<const Rule*> rules_matching(const std::vector<std::string>& selectors) {
  std::set<const Rule*> matched;
  for (const std::string& selector : selectors) {
    bool any = false;
    for (const auto& rule : all_rules()) {
      if (selector_matches(selector, rule->info())) {
        matched.insert(rule.get());
        any = true;
      }
    }
    if (!any) {
      throw UsageError("unknown rule selector '" + selector +
                       "' (use a rule id like PS401, a prefix like PS4, a category like "
                       "string-concat, a rule name, or ALL; see --list-rules)");
    }
  }
  return matched;
}

struct Input {
  DiscoveredFile file;
  bool from_stdin = false;
};

std::vector<Input> collect_inputs(const ScanOptions& options, std::vector<FileError>& errors) {
  DiscoverOptions discover_options;
  discover_options.excludes = options.excludes;
  discover_options.include_pyi = options.include_pyi;
  discover_options.respect_gitignore = options.respect_gitignore;
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
      input.file.module = module_name_for(options.stdin_filename, &input.file.is_package);
    }
    inputs.push_back(std::move(input));
  }
  return inputs;
}

std::string read_stdin() {
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// Files are independent until linking: workers take the next index from a shared counter and
// write only their own result slot, so no locks are needed and the output order is the input
// order whatever the thread count.
std::vector<FileResult> analyse_all(const std::vector<Input>& inputs, const RuleDispatch& dispatch,
                                    unsigned jobs) {
  std::vector<FileResult> results(inputs.size());
  std::string stdin_text;
  bool has_stdin = std::any_of(inputs.begin(), inputs.end(), [](const Input& in) { return in.from_stdin; });
  if (has_stdin) stdin_text = read_stdin();
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    Parser parser;
    for (std::size_t i = next++; i < inputs.size(); i = next++) {
      const Input& input = inputs[i];
      // No exception may cross the thread boundary: a failure is this file's error value.
      try {
        results[i] = analyse_file(input.file, parser, dispatch,
                                  input.from_stdin ? &stdin_text : nullptr);
      } catch (const std::exception& failure) {
        results[i] = FileResult{};
        results[i].errors.push_back(
            FileError{input.file.display_path, std::string("analysis failed: ") + failure.what(), false});
      }
    }
  };
  unsigned threads = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(inputs.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();
  return results;
}

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
ScanSetup describe_setup(const ScanOptions& options) {
  ScanSetup setup;
  setup.roots = options.paths.empty() ? std::vector<std::string>{"."} : options.paths;
  setup.project = project_name(setup.roots.front());
  setup.started_at = utc_timestamp(std::chrono::system_clock::now());
  for (const Rule* rule : select_rules(options.select, options.ignore)) {
    setup.rule_ids.emplace_back(rule->info().id);
  }
  setup.options = options;
  return setup;
}

}  // namespace

std::string_view version() { return PERFSCAN_VERSION; }

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

std::vector<const Rule*> select_rules(const std::vector<std::string>& select,
                                      const std::vector<std::string>& ignore) {
  std::set<const Rule*> selected;
  if (select.empty()) {
    for (const auto& rule : all_rules()) selected.insert(rule.get());
  } else {
    selected = rules_matching(select);
  }
  for (const Rule* rule : rules_matching(ignore)) selected.erase(rule);
  std::vector<const Rule*> ordered(selected.begin(), selected.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const Rule* a, const Rule* b) { return a->info().id < b->info().id; });
  return ordered;
}

Report scan(const ScanOptions& options) {
  auto started = std::chrono::steady_clock::now();
  if (std::string problem = grammar_incompatibility(); !problem.empty()) throw UsageError(problem);
  Report report;
  report.tool_version = std::string(version());
  report.setup = describe_setup(options);
  RuleDispatch dispatch(select_rules(options.select, options.ignore), rule_settings(options));
  std::vector<Input> inputs = collect_inputs(options, report.errors);
  unsigned jobs = options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<FileResult> results = analyse_all(inputs, dispatch, jobs);

  for (FileResult& result : results) {
    if (result.scanned) {
      ++report.summary.files_scanned;
      report.summary.lines_scanned += result.lines;
      report.summary.bytes_scanned += result.bytes;
    }
    for (Finding& finding : result.findings) {
      if (at_least(finding.severity, options.min_severity)) report.findings.push_back(std::move(finding));
    }
    report.errors.insert(report.errors.end(), std::make_move_iterator(result.errors.begin()),
                         std::make_move_iterator(result.errors.end()));
  }
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
