// Per-file cost, for the sweep (bench/sweep.sh): discovers the files perfscan would, analyses
// each alone with every rule (decode, parse, walk; no link step, no cache) on one thread, and
// prints one line per file: CPU seconds, wall seconds, lines, bytes, errors reported, path.
// CPU time, because the sweep runs on shared machines where wall time says more about the
// neighbours than about the file. Sorting those finds the files that cost far more per line
// than the rest.
//
//   file_times PATH...   ->   "0.001234\t0.001301\t120\t4567\t0\tpath/to/file.py" per file
#include <time.h>

#include <chrono>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "discover/discover.hpp"
#include "engine/analyse.hpp"
#include "engine/budget.hpp"
#include "perfscan/engine.hpp"
#include "semantic/walker.hpp"
#include "syntax/parser.hpp"

namespace {

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace perfscan;
  DiscoverOptions options;
  for (int i = 1; i < argc; ++i) options.paths.emplace_back(argv[i]);
  DiscoverResult discovered = discover(options);
  std::vector<const Rule*> rules = with_fact_collectors(select_rules({"ALL"}, {}));
  BudgetCheck budget(rules);
  RuleDispatch dispatch(with_budget_check(budget, rules));
  AnalysisLimits limits;
  limits.timeout_seconds = 0;  // the sweep measures; the full scan above it checks the budget
  Parser parser;
  for (const DiscoveredFile& file : discovered.files) {
    double cpu_started = thread_cpu_seconds();
    auto started = std::chrono::steady_clock::now();
    FileResult result = analyse_file(file, parser, dispatch, nullptr, limits);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print("{:.6f}\t{:.6f}\t{}\t{}\t{}\t{}\n", thread_cpu_seconds() - cpu_started, seconds,
               result.lines, result.bytes, result.errors.size(), file.display_path);
  }
  return 0;
}
