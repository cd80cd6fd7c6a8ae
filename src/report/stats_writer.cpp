// `--stats`: where the time and memory of a run went, for people tuning perfscan or a CI job.
// Written to stderr by the command line, so it goes with any report format.
#include <fmt/format.h>

#include "report/writers.hpp"

namespace perfscan {
namespace {

constexpr double kMegabyte = 1024.0 * 1024.0;

void write_stage_table(const Report& report, const ProcessUsage& usage, std::ostream& out) {
  out << fmt::format("  {:<10}{:>10}{:>10}\n", "stage", "wall s", "cpu s");
  for (Stage stage : kAllStages) {
    const StageTime& time = report.stats.stage(stage);
    out << fmt::format("  {:<10}{:>10.3f}{:>10.3f}\n", stage_name(stage), time.wall_seconds,
                       time.cpu_seconds);
  }
  out << fmt::format("  {:<10}{:>10.3f}{:>10.3f}\n", "process", usage.wall_seconds,
                     usage.cpu_seconds);
  // Per-file stages add up the time of every worker; the elapsed time of the pool says how
  // well they overlapped.
  out << fmt::format("  read, parse and analyse are summed over {} worker{}: {:.3f} s elapsed\n",
                     report.stats.jobs, report.stats.jobs == 1 ? "" : "s",
                     report.stats.workers_seconds);
}

}  // namespace

void write_stats(const Report& report, const ProcessUsage& usage, std::ostream& out) {
  const Summary& summary = report.summary;
  out << "perfscan stats\n";
  write_stage_table(report, usage, out);
  out << fmt::format("  files {}  bytes {}  lines {}  findings {}\n", summary.files_scanned,
                     summary.bytes_scanned, summary.lines_scanned, summary.total);
  if (report.stats.cache_enabled) {
    const ScanStats& stats = report.stats;
    out << fmt::format("  cache hits {}  misses {}  write failures {}\n", stats.cache_hits,
                       stats.cache_misses, stats.cache_write_failures);
  } else {
    out << "  cache off\n";
  }
  out << fmt::format("  peak memory {:.1f} MB (ru_maxrss)\n",
                     static_cast<double>(usage.peak_rss_bytes) / kMegabyte);
  out << "  findings by rule\n";
  for (const auto& [rule, count] : summary.by_rule) out << fmt::format("    {} {}\n", rule, count);
}

}  // namespace perfscan
