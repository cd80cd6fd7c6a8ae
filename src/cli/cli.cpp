#include "cli/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "config/config.hpp"
#include "core/stage_clock.hpp"
#include "gate/baseline.hpp"
#include "gate/compare.hpp"
#include "gate/diff.hpp"
#include "core/paths.hpp"
#include "fix/fixer.hpp"
#include "fix/unified_diff.hpp"
#include "gate/policy.hpp"
#include "measure/profile.hpp"
#include "perfscan/effort.hpp"
#include "perfscan/engine.hpp"
#include "report/ci_writers.hpp"
#include "report/writers.hpp"

namespace perfscan {
namespace {

struct CliOptions {
  ScanOptions scan;
  std::string format = "text";
  std::string output;
  std::string min_severity = "low";
  std::string fail_on = "low";
  std::string color = "auto";
  std::string tests;  // --tests ("" : the configuration's, else relaxed)
  std::string explain;
  bool exit_zero = false;
  bool quiet = false;
  bool statistics = false;
  bool list_rules = false;
  bool no_gitignore = false;
  // The CI gate: configuration file, baseline and diff-only mode.
  std::string config_file;
  bool isolated = false;
  std::vector<std::string> extend_select;
  std::vector<std::string> extend_ignore;
  std::string baseline;
  std::string write_baseline;
  std::string diff_ref;
  std::string config_path;  // the configuration file read ("" when none)
  FindingPolicy policy;
  bool no_link = false;
  bool no_project_context = false;
  bool stats = false;
  bool no_cache = false;
  std::string cache_dir;  // --cache-dir ("" : .perfscan_cache in the project root)
  // --fix / --fix-diff / --unsafe-fixes (src/fix).
  bool fix = false;
  bool fix_diff = false;
  bool unsafe_fixes = false;
  // --profile files (repeatable), else the configuration's `profile` list.
  std::vector<std::string> profiles;
  std::string compare;  // --compare PREVIOUS.json
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

const std::vector<std::string> kFormats = {"text",   "json",  "sarif",      "github",   "gitlab",
                                           "junit",  "json-lines", "grouped", "markdown", "html"};

const std::vector<std::string> kSeverityChoices = {"critical", "high", "medium", "low"};

void define_gate_options(CLI::App& app, CliOptions& o) {
  app.add_option("--extend-select", o.extend_select,
                 "Rules to run in addition to --select, extended tier included")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("RULES");
  app.add_option("--extend-ignore", o.extend_ignore, "Rules not to run, in addition to --ignore")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("RULES");
  app.add_option("--config", o.config_file,
                 "Read settings from FILE (pyproject.toml, .perfscan.toml or perfscan.toml) "
                 "instead of searching upwards from the first path")
      ->type_name("FILE");
  app.add_flag("--isolated", o.isolated, "Ignore configuration files");
  app.add_option("--baseline", o.baseline, "Hide the findings recorded in FILE")->type_name("FILE");
  app.add_option("--write-baseline", o.write_baseline,
                 "Record the current findings in FILE and exit 0")
      ->type_name("FILE");
  app.add_option("--diff", o.diff_ref,
                 "Report only findings on lines changed since the merge base of REF and HEAD, "
                 "working tree included")
      ->type_name("REF");
}

void define_options(CLI::App& app, CliOptions& o) {
  app.add_option("paths", o.scan.paths, "Files and directories to scan ('-' reads stdin)")
      ->type_name("PATH...");
  app.add_option("--format", o.format, "Output format")
      ->check(CLI::IsMember(kFormats))
      ->default_str("text");
  app.add_option("-o,--output", o.output, "Write the report to FILE instead of stdout")
      ->type_name("FILE");
  app.add_option("--select", o.scan.select,
                 "Rules to run: ids (PS401), prefixes (PS4), categories (string-concat), names "
                 "or ALL; comma-separated, repeatable. Default: the default tier; ALL and "
                 "named rules include the extended tier")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("RULES");
  app.add_option("--ignore", o.scan.ignore, "Rules not to run (same forms as --select)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("RULES");
  app.add_option("--min-severity", o.min_severity, "Hide findings below this severity")
      ->check(CLI::IsMember(kSeverityChoices));
  app.add_option("--fail-on", o.fail_on,
                 "Exit 1 only for findings at or above this severity (default: low, any)")
      ->check(CLI::IsMember(kSeverityChoices));
  app.add_option("--target-version", o.scan.target_version,
                 "Oldest Python version the code must run on (3.N, e.g. 3.10); rules whose "
                 "advice depends on the interpreter use it")
      ->type_name("3.N")
      ->check(CLI::Validator(
          [](std::string& value) {
            return parse_python_version(value)
                       ? std::string{}
                       : fmt::format("'{}' is not a Python version: expected 3.N, e.g. 3.10",
                                     value);
          },
          "", "python version"));
  app.add_flag("--exit-zero", o.exit_zero, "Exit 0 even when there are findings");
  app.add_option("--tests", o.tests,
                 "Findings in test code: relaxed (default: not those of rules whose cost model "
                 "does not hold in tests), full (all), skip (none)")
      ->check(CLI::IsMember({"relaxed", "full", "skip"}))
      ->type_name("PROFILE");
  app.add_option("-j,--jobs", o.scan.jobs, "Worker threads (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--file-timeout", o.scan.file_timeout_seconds,
                 "Stop analysing a file after SECONDS and report it as an error (default 10; "
                 "0: no limit)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.0, 86400.0));
  app.add_option("--color", o.color, "Colour the text output")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-q,--quiet", o.quiet, "Print findings and a one-line total only");
  app.add_flag("--statistics", o.statistics, "Add counts per rule to the summary");
  app.add_flag("--stats", o.stats,
               "Print time per stage, files, bytes, lines, findings per rule and peak memory "
               "on stderr");
  app.add_option("--exclude", o.scan.excludes, "Glob of paths to skip (repeatable)")
      ->allow_extra_args(false)
      ->type_name("GLOB");
  app.add_flag("--include-pyi", o.scan.include_pyi, "Also scan *.pyi stub files");
  app.add_flag("--no-gitignore", o.no_gitignore, "Scan files that .gitignore excludes");
  app.add_flag("--no-link", o.no_link,
               "Skip the project link step (cross-file N+1 and missing-index findings)");
  app.add_flag("--no-project-context", o.no_project_context,
               "When files are named, do not read the rest of the project for cross-file findings");
  CLI::Option* no_cache =
      app.add_flag("--no-cache", o.no_cache,
                   "Analyse every file again: neither read nor write the result cache");
  app.add_option("--cache-dir", o.cache_dir,
                 "Keep the result cache in DIR (default: .perfscan_cache in the folder of the "
                 "configuration file, else the current folder)")
      ->type_name("DIR")
      ->excludes(no_cache);
  app.add_flag("--fix", o.fix,
               "Rewrite the scanned files to apply the safe fixes ([*] in the report), then "
               "report what remains");
  app.add_flag("--unsafe-fixes", o.unsafe_fixes,
               "With --fix or --fix-diff, apply the unsafe fixes too (they may change behaviour "
               "in corner cases: see each rule's doc)");
  app.add_flag("--fix-diff", o.fix_diff,
               "Print the unified diff --fix would make and write nothing (exit 1 when there is "
               "one)");
  app.add_option("--profile", o.profiles,
                 "A sampling profile to rank findings by (py-spy raw or speedscope, Austin, "
                 "collapsed stacks); repeatable")
      ->allow_extra_args(false)
      ->type_name("FILE");
  app.add_option("--compare", o.compare,
                 "Show the changes since an earlier JSON report: new, fixed and remaining "
                 "findings")
      ->type_name("PREVIOUS.json");
  app.add_option("--stdin-filename", o.scan.stdin_filename, "Path to report for '-' (stdin)")
      ->type_name("PATH");
  app.add_flag("--list-rules", o.list_rules, "List every rule and exit");
  app.add_option("--explain", o.explain, "Print a rule's documentation and exit")
      ->type_name("RULE");
  define_gate_options(app, o);
  app.set_version_flag("--version", std::string("perfscan ") + std::string(version()));
}

bool use_color(const CliOptions& o) {
  if (o.color == "always") return true;
  if (o.color == "never" || !o.output.empty()) return false;
  const char* term = std::getenv("TERM");
  bool dumb = term != nullptr && std::string_view(term) == "dumb";
  return isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr && !dumb;
}

// "93.3% of 30", "not measured": the precision column of --list-rules.
std::string precision_column(const Precision& precision) {
  if (!precision.measured()) return "not measured";
  std::optional<double> percent = precision.percent();
  if (!percent) return fmt::format("- of {}", precision.sample());
  return fmt::format("{:.1f}% of {}", *percent, precision.sample());
}

nlohmann::ordered_json precision_json(const Precision& precision) {
  if (!precision.measured()) return nullptr;
  std::optional<double> percent = precision.percent();
  return {{"percent", percent ? nlohmann::ordered_json(*percent) : nlohmann::ordered_json(nullptr)},
          {"right", precision.right},
          {"wrong", precision.wrong},
          {"unclear", precision.unclear},
          {"sample", precision.sample()},
          {"where", precision.where}};
}

std::string_view cost_name(CostScale cost) {
  switch (cost) {
    case CostScale::per_iteration:
      return "per-iteration";
    case CostScale::per_call:
      return "per-call";
    case CostScale::fixed:
      break;
  }
  return "fixed";
}

int list_rules(const CliOptions& o) {
  if (o.format == "json") {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const auto& rule : all_rules()) {
      const RuleInfo& info = rule->info();
      const RuleTraits& traits = rule->traits();
      rules.push_back({{"id", info.id},
                       {"name", info.name},
                       {"category", category_id(info.category)},
                       {"severity", severity_name(info.severity)},
                       {"summary", info.summary},
                       {"tier", tier_name(traits.tier)},
                       {"precision", precision_json(traits.precision)},
                       {"in_tests", traits.in_tests == InTests::exempt ? "exempt" : "applies"},
                       {"cost", cost_name(traits.cost)},
                       {"effort", effort_name(effort_of(info.id))}});
    }
    std::cout << rules.dump(2) << '\n';
    return kExitClean;
  }
  // The summary last: it is the only column of varying length.
  constexpr std::string_view kRow = "{:<7}{:<34}{:<15}{:<10}{:<10}{:<14}{:<16}{}\n";
  std::cout << fmt::format(kRow, "ID", "NAME", "CATEGORY", "SEVERITY", "TIER", "PRECISION",
                           "EFFORT", "SUMMARY");
  for (const auto& rule : all_rules()) {
    const RuleInfo& info = rule->info();
    std::cout << fmt::format(kRow, info.id, info.name, category_id(info.category),
                             severity_name(info.severity), tier_name(rule->traits().tier),
                             precision_column(rule->traits().precision),
                             effort_name(effort_of(info.id)), info.summary);
  }
  return kExitClean;
}

int explain(const std::string& which) {
  std::string upper = which;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (const auto& rule : all_rules()) {
    if (rule->info().id == upper || rule->info().name == which) {
      // The tier, precision and cost traits come from the rule table, never from the doc.
      std::cout << rule_doc(rule->info().id) << traits_section(rule->traits());
      return kExitClean;
    }
  }
  std::cerr << "perfscan: no rule named '" << which << "' (see --list-rules)\n";
  return kExitError;
}

// The folder the scan starts from: the first path given (its folder, for a file), else ".".
// Configuration is searched upwards from it, and --diff reads the repository holding it.
std::filesystem::path first_folder(const CliOptions& o) {
  for (const std::string& path : o.scan.paths) {
    if (path == "-") continue;
    std::error_code error;
    std::filesystem::path absolute = normal_absolute(path);
    return std::filesystem::is_directory(absolute, error) ? absolute : absolute.parent_path();
  }
  return normal_absolute(".");
}

FileConfig read_configuration(const CliOptions& o) {
  if (o.isolated) return {};
  if (!o.config_file.empty()) return load_config(o.config_file, kFormats);
  std::optional<std::filesystem::path> found = find_config(first_folder(o));
  return found ? load_config(*found, kFormats) : FileConfig{};
}

void append(std::vector<std::string>& to, const std::vector<std::string>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

// Rule ids a list of selectors stands for, of both tiers (already checked when the file was
// read).
std::set<std::string> rule_ids(const std::vector<std::string>& selectors) {
  std::set<std::string> ids;
  for (const Rule* rule : rules_matching(selectors)) ids.emplace(rule->info().id);
  return ids;
}

// The configuration fills in what the command line did not say; list options named on the
// command line replace the file's list, the extend-* lists add to whatever was chosen.
void apply_configuration(const CLI::App& app, const FileConfig& config, CliOptions& o) {
  auto given = [&](const char* option) { return app.count(option) > 0; };
  if (!given("--select") && config.select) o.scan.select = *config.select;
  if (!given("--ignore") && config.ignore) o.scan.ignore = *config.ignore;
  if (!given("--exclude") && config.exclude) o.scan.excludes = *config.exclude;
  if (!given("--format") && config.format) o.format = *config.format;
  if (!given("--jobs") && config.jobs) o.scan.jobs = *config.jobs;
  if (!given("--file-timeout") && config.file_timeout) {
    o.scan.file_timeout_seconds = *config.file_timeout;
  }
  if (!given("--fail-on") && config.fail_on) o.fail_on = severity_name(*config.fail_on);
  if (!given("--min-severity") && config.min_severity) {
    o.min_severity = severity_name(*config.min_severity);
  }
  if (o.scan.target_version.empty() && config.target_version) {
    o.scan.target_version = *config.target_version;
  }
  // extend-select adds to whatever was selected, the default tier included, and takes the
  // extended-tier rules its selectors match (rule.hpp, select_rules).
  o.scan.extend_select = config.extend_select;
  append(o.scan.extend_select, o.extend_select);
  if (!o.tests.empty()) {
    o.scan.tests = parse_test_profile(o.tests).value_or(TestProfile::relaxed);
  } else if (config.tests) {
    o.scan.tests = *config.tests;
  }
  append(o.scan.ignore, config.extend_ignore);
  append(o.scan.ignore, o.extend_ignore);
  append(o.scan.excludes, config.extend_exclude);
  o.scan.knowledge = config.knowledge;
  // The configuration's profiles are relative to its folder.
  if (!given("--profile")) {
    for (const std::string& profile : config.profiles) {
      std::filesystem::path path(profile);
      o.profiles.push_back(path.is_absolute() || config.dir.empty()
                               ? profile
                               : (config.dir / path).lexically_normal().string());
    }
  }
  o.config_path = config.path;
  o.policy.root = config.dir.empty() ? normal_absolute(".") : config.dir;
  o.policy.severity = config.severity;
  for (const PerFileIgnore& ignore : config.per_file_ignores) {
    o.policy.per_file_ignores.push_back(PathRuleIgnore{ignore.pattern, rule_ids(ignore.selectors)});
  }
}

// Where CI formats make paths relative to: the repository holding the first path (so
// annotations land on the right files), else the working folder.
std::filesystem::path source_root(const CliOptions& o) {
  return repository_root(first_folder(o)).value_or(normal_absolute("."));
}

void write_report(const Report& report, const CliOptions& o, std::ostream& out) {
  if (o.format == "json") {
    write_json(report, out);
  } else if (o.format == "markdown") {
    write_markdown(report, out);
  } else if (o.format == "html") {
    write_html(report, out);
  } else if (o.format == "sarif") {
    write_sarif(report, out, source_root(o));
  } else if (o.format == "github") {
    write_github(report, out, source_root(o));
  } else if (o.format == "gitlab") {
    write_gitlab(report, out, source_root(o));
  } else if (o.format == "junit") {
    write_junit(report, out);
  } else if (o.format == "json-lines") {
    write_json_lines(report, out);
  } else if (o.format == "grouped") {
    write_grouped(report, out);
  } else {
    write_text(report, out, TextStyle{use_color(o), o.quiet, o.statistics});
  }
}

int exit_code_for(const Report& report, const CliOptions& o) {
  if (report.summary.files_scanned == 0 && !report.errors.empty()) return kExitError;
  if (o.exit_zero) return kExitClean;
  Severity threshold = parse_severity(o.fail_on).value_or(Severity::low);
  for (const Finding& finding : report.findings) {
    if (at_least(finding.severity, threshold)) return kExitFindings;
  }
  return kExitClean;
}

// What the baseline and diff filters hid, said on stderr whatever the format, so that a CI log
// shows why a run is quieter than the code.
void note_gate(const CliOptions& o, const std::optional<BaselineOutcome>& baseline, int off_diff) {
  if (o.quiet) return;
  if (baseline) {
    std::cerr << fmt::format(
        "perfscan: baseline {}: {} finding{} hidden, {} baseline entr{} no longer "
        "occur{}\n",
        o.baseline, baseline->hidden, baseline->hidden == 1 ? "" : "s", baseline->fixed,
        baseline->fixed == 1 ? "y" : "ies", baseline->fixed == 1 ? "s" : "");
  }
  if (!o.diff_ref.empty()) {
    std::cerr << fmt::format("perfscan: --diff {}: {} finding{} on unchanged lines hidden\n",
                             o.diff_ref, off_diff, off_diff == 1 ? "" : "s");
  }
}

// The settings applied around the scan, for the review's appendix. The engine ran with a floor of
// `low` (severity overrides come first), so the floor in effect is the command line's.
void describe_gate(Report& report, const CliOptions& o) {
  auto& gate = report.setup.gate;
  report.setup.options.min_severity = parse_severity(o.min_severity).value_or(Severity::low);
  gate.emplace_back("configuration file", o.config_path.empty() ? "none" : o.config_path);
  gate.emplace_back("fail-on", o.exit_zero ? "never (--exit-zero)" : o.fail_on);
  if (!o.baseline.empty()) gate.emplace_back("baseline", o.baseline);
  if (!o.diff_ref.empty()) gate.emplace_back("diff", "changed since " + o.diff_ref);
  for (const PathRuleIgnore& ignore : o.policy.per_file_ignores) {
    std::string rules;
    for (const std::string& id : ignore.rules) rules += (rules.empty() ? "" : ", ") + id;
    gate.emplace_back("per-file-ignores " + ignore.pattern, rules);
  }
  for (const auto& [rule, severity] : o.policy.severity) {
    gate.emplace_back("severity " + rule, std::string(severity_name(severity)));
  }
}

// Between the scan and the report: configuration policy, baseline, severity floor, diff. The
// baseline sees every finding before the floor, so raising --min-severity later does not turn
// hidden debt into "fixed" entries.
struct GateOutcome {
  std::optional<BaselineOutcome> baseline;
  int off_diff = 0;
};

// Baseline, severity floor and diff, after the configuration policy: what hides findings.
GateOutcome gate_findings(Report& report, const CliOptions& o, const std::optional<Baseline>& frozen,
                          const std::optional<ChangedLines>& changed) {
  GateOutcome outcome;
  if (frozen) outcome.baseline = apply_baseline(report, *frozen, o.scan.paths);
  drop_below(report, parse_severity(o.min_severity).value_or(Severity::low));
  outcome.off_diff = changed ? keep_changed(report, *changed) : 0;
  return outcome;
}

int filter_report(Report& report, const CliOptions& o, const std::optional<Baseline>& frozen,
                  const std::optional<ChangedLines>& changed) {
  apply_policy(report, o.policy);
  if (!o.write_baseline.empty()) {
    write_baseline(o.write_baseline, report.findings);
    std::cerr << fmt::format("perfscan: wrote {} finding{} to {}\n", report.findings.size(),
                             report.findings.size() == 1 ? "" : "s", o.write_baseline);
    return kExitClean;
  }
  GateOutcome gate = gate_findings(report, o, frozen, changed);
  summarize_findings(report);
  describe_gate(report, o);
  note_gate(o, gate.baseline, gate.off_diff);
  return -1;
}


// `--stats`, once the report is out: the report stage runs from the end of the scan to here.
void print_stats(Report& report, const CliOptions& o, StageClock& report_clock) {
  if (!o.stats) return;
  report.stats.stage(Stage::report) += report_clock.lap();
  ProcessUsage usage;
  usage.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - o.started).count();
  usage.cpu_seconds = process_cpu_seconds();
  usage.peak_rss_bytes = peak_rss_bytes();
  write_stats(report, usage, std::cerr);
}

int write_and_check(Report& report, const CliOptions& o) {
  if (o.output.empty()) {
    write_report(report, o, std::cout);
    std::cout.flush();
  } else {
    std::ofstream file(o.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "perfscan: cannot write " << o.output << ": " << std::strerror(errno) << '\n';
      return kExitError;
    }
    write_report(report, o, file);
    if (!file.flush()) {
      std::cerr << "perfscan: cannot write " << o.output << '\n';
      return kExitError;
    }
  }
  // The text report on stdout lists errors itself; other destinations would hide them from
  // the person at the terminal.
  if (o.format != "text" || !o.output.empty()) {
    for (const FileError& error : report.errors) {
      std::cerr << "perfscan: " << error.path << ": " << error.message << '\n';
    }
  }
  if (report.summary.files_scanned == 0 && report.errors.empty() && !o.quiet) {
    std::cerr << "perfscan: no Python files found\n";
  }
  return exit_code_for(report, o);
}

// --fix and --fix-diff: each pass is the scan and the same filters as a plain run, so only
// findings the report would show are fixed (a baseline's, a `# noqa`'d one, one below
// --min-severity or off the --diff lines are not).
int fix_and_report(const CliOptions& o, const std::optional<Baseline>& frozen,
                   const std::optional<ChangedLines>& changed) {
  GateOutcome gate;
  auto scan_pass = [&](const ScanOptions& options) {
    Report pass = scan(options);
    apply_policy(pass, o.policy);
    gate = gate_findings(pass, o, frozen, changed);
    return pass;
  };
  FixSettings settings;
  settings.unsafe = o.unsafe_fixes;
  FixOutcome outcome = run_fixes(o.scan, scan_pass, settings);
  if (o.fix_diff) {
    for (const FixedFile& file : outcome.files) {
      std::cout << unified_diff(file.path, file.before, file.after);
    }
    std::cout.flush();
    for (const std::string& problem : outcome.problems) std::cerr << "perfscan: " << problem << '\n';
    std::cerr << fmt::format("perfscan: --fix-diff: would fix {} finding{} in {} file{}\n",
                             outcome.fixed, outcome.fixed == 1 ? "" : "s", outcome.files.size(),
                             outcome.files.size() == 1 ? "" : "s");
    return outcome.files.empty() ? kExitClean : kExitFindings;
  }
  int written = write_fixed_files(outcome);
  for (const std::string& problem : outcome.problems) std::cerr << "perfscan: " << problem << '\n';
  Report& report = outcome.report;
  report.fixes.ran = true;
  report.fixes.unsafe = o.unsafe_fixes;
  report.fixes.files = written;
  for (const FixedFile& file : outcome.files) report.fixes.fixed += file.fixes;
  summarize_findings(report);
  describe_gate(report, o);
  note_gate(o, gate.baseline, gate.off_diff);
  StageClock report_clock;
  int exit_code = write_and_check(report, o);
  print_stats(report, o, report_clock);
  return exit_code;
}

// The --profile files, read before the scan so that a bad one fails fast (ProfileError);
// skipped lines are warnings on stderr.
std::vector<Profile> read_profiles(const CliOptions& o) {
  std::vector<Profile> profiles;
  for (const std::string& file : o.profiles) {
    profiles.push_back(read_profile(file));
    for (const std::string& warning : profiles.back().warnings) {
      std::cerr << "perfscan: warning: " << warning << '\n';
    }
  }
  return profiles;
}

int scan_and_report(CliOptions& o) {
  // The severity floor is applied after the scan, once severity overrides are known.
  o.scan.min_severity = Severity::low;
  o.scan.respect_gitignore = !o.no_gitignore;
  // Read before the scan, so a bad baseline, REF, profile or previous report fails fast.
  std::optional<ChangedLines> changed;
  if (!o.diff_ref.empty()) changed = changed_lines_since(o.diff_ref, first_folder(o));
  std::optional<Baseline> frozen;
  if (!o.baseline.empty()) frozen = read_baseline(o.baseline);
  std::vector<Profile> profiles = read_profiles(o);
  std::optional<PreviousReport> previous;
  if (!o.compare.empty()) previous = read_previous_report(o.compare);
  o.scan.link = !o.no_link;
  // Files named rather than folders (pre-commit, an editor): the rest of the project, under
  // the configuration file's folder or else the repository root, is read for its facts.
  o.scan.project_context = !o.no_project_context;
  if (o.scan.project_context) {
    if (!o.config_path.empty()) {
      o.scan.project_root = o.policy.root.string();
    } else if (auto repository = repository_root(first_folder(o))) {
      o.scan.project_root = repository->string();
    }
  }
  // The project root: the configuration file's folder, else the working folder.
  if (!o.no_cache) {
    o.scan.cache_dir =
        o.cache_dir.empty() ? (o.policy.root / ".perfscan_cache").string() : o.cache_dir;
  }
  if (o.fix || o.fix_diff) return fix_and_report(o, frozen, changed);
  Report report = scan(o.scan);
  report.fixes.unsafe = o.unsafe_fixes;
  if (!report.stats.cache_problem.empty()) {
    std::cerr << fmt::format("perfscan: warning: result cache not written ({} result{}): {}\n",
                             report.stats.cache_write_failures,
                             report.stats.cache_write_failures == 1 ? "" : "s",
                             report.stats.cache_problem);
  }
  StageClock report_clock;
  if (int done = filter_report(report, o, frozen, changed); done >= 0) {
    print_stats(report, o, report_clock);
    return done;
  }
  if (!o.profiles.empty()) attach_profiles(report, profiles, o.profiles, load_source);
  if (previous) compare_with(report, std::move(*previous));
  int exit_code = write_and_check(report, o);
  print_stats(report, o, report_clock);
  return exit_code;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"perfscan: find performance anti-patterns in Python code", "perfscan"};
  CliOptions options;
  define_options(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    std::cerr << "perfscan: " << error.what() << "\nRun with --help for usage.\n";
    return kExitError;
  }
  try {
    if (options.list_rules) return list_rules(options);
    if (!options.explain.empty()) return explain(options.explain);
    apply_configuration(app, read_configuration(options), options);
    if ((options.fix || options.fix_diff) && !options.write_baseline.empty()) {
      throw UsageError("--fix and --fix-diff cannot be combined with --write-baseline");
    }
    if (options.fix && options.fix_diff) {
      throw UsageError("--fix writes the files and --fix-diff only shows the diff: choose one");
    }
    return scan_and_report(options);
  } catch (const ConfigError& error) {
    std::cerr << "perfscan: " << error.what() << '\n';
    return kExitError;
  } catch (const ProfileError& error) {
    std::cerr << "perfscan: " << error.what() << '\n';
    return kExitError;
  } catch (const UsageError& error) {
    std::cerr << "perfscan: " << error.what() << '\n';
    return kExitError;
  } catch (const std::exception& error) {
    std::cerr << "perfscan: internal error: " << error.what() << '\n';
    return kExitError;
  }
}

}  // namespace perfscan
