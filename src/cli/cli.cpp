#include "cli/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "perfscan/engine.hpp"
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
  std::string explain;
  bool exit_zero = false;
  bool quiet = false;
  bool statistics = false;
  bool list_rules = false;
  bool no_gitignore = false;
  bool no_link = false;
};

const std::vector<std::string> kSeverityChoices = {"critical", "high", "medium", "low"};

void define_options(CLI::App& app, CliOptions& o) {
  app.add_option("paths", o.scan.paths, "Files and directories to scan ('-' reads stdin)")
      ->type_name("PATH...");
  app.add_option("--format", o.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
  app.add_option("-o,--output", o.output, "Write the report to FILE instead of stdout")
      ->type_name("FILE");
  app.add_option("--select", o.scan.select,
                 "Rules to run: ids (PS401), prefixes (PS4), categories (string-concat), names "
                 "or ALL; comma-separated, repeatable")
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
  app.add_flag("--exit-zero", o.exit_zero, "Exit 0 even when there are findings");
  app.add_option("-j,--jobs", o.scan.jobs, "Worker threads (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--color", o.color, "Colour the text output")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-q,--quiet", o.quiet, "Print findings and a one-line total only");
  app.add_flag("--statistics", o.statistics, "Add counts per rule to the summary");
  app.add_option("--exclude", o.scan.excludes, "Glob of paths to skip (repeatable)")
      ->allow_extra_args(false)
      ->type_name("GLOB");
  app.add_flag("--include-pyi", o.scan.include_pyi, "Also scan *.pyi stub files");
  app.add_flag("--no-gitignore", o.no_gitignore, "Scan files that .gitignore excludes");
  app.add_flag("--no-link", o.no_link,
               "Skip the project link step (cross-file N+1 and missing-index findings)");
  app.add_option("--stdin-filename", o.scan.stdin_filename, "Path to report for '-' (stdin)")
      ->type_name("PATH");
  app.add_flag("--list-rules", o.list_rules, "List every rule and exit");
  app.add_option("--explain", o.explain, "Print a rule's documentation and exit")
      ->type_name("RULE");
  app.set_version_flag("--version", std::string("perfscan ") + std::string(version()));
}

bool use_color(const CliOptions& o) {
  if (o.color == "always") return true;
  if (o.color == "never" || !o.output.empty()) return false;
  const char* term = std::getenv("TERM");
  bool dumb = term != nullptr && std::string_view(term) == "dumb";
  return isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr && !dumb;
}

int list_rules(const CliOptions& o) {
  if (o.format == "json") {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const auto& rule : all_rules()) {
      const RuleInfo& info = rule->info();
      rules.push_back({{"id", info.id},
                       {"name", info.name},
                       {"category", category_id(info.category)},
                       {"severity", severity_name(info.severity)},
                       {"summary", info.summary}});
    }
    std::cout << rules.dump(2) << '\n';
    return kExitClean;
  }
  std::cout << fmt::format("{:<7}{:<34}{:<15}{:<10}{}\n", "ID", "NAME", "CATEGORY", "SEVERITY",
                           "SUMMARY");
  for (const auto& rule : all_rules()) {
    const RuleInfo& info = rule->info();
    std::cout << fmt::format("{:<7}{:<34}{:<15}{:<10}{}\n", info.id, info.name,
                             category_id(info.category), severity_name(info.severity),
                             info.summary);
  }
  return kExitClean;
}

int explain(const std::string& which) {
  std::string upper = which;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (const auto& rule : all_rules()) {
    if (rule->info().id == upper || rule->info().name == which) {
      std::cout << rule_doc(rule->info().id);
      return kExitClean;
    }
  }
  std::cerr << "perfscan: no rule named '" << which << "' (see --list-rules)\n";
  return kExitError;
}

void write_report(const Report& report, const CliOptions& o, std::ostream& out) {
  if (o.format == "json") {
    write_json(report, out);
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

int scan_and_report(CliOptions& o) {
  o.scan.min_severity = parse_severity(o.min_severity).value_or(Severity::low);
  o.scan.respect_gitignore = !o.no_gitignore;
  o.scan.link = !o.no_link;
  Report report = scan(o.scan);
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
    return scan_and_report(options);
  } catch (const UsageError& error) {
    std::cerr << "perfscan: " << error.what() << '\n';
    return kExitError;
  } catch (const std::exception& error) {
    std::cerr << "perfscan: internal error: " << error.what() << '\n';
    return kExitError;
  }
}

}  // namespace perfscan
