// Fuzz target: the baseline reader, then the baseline applied to a small report. A UsageError
// naming the file is the reader's answer to a file that is not a baseline; anything else
// escaping it is a bug.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gate/baseline.hpp"
#include "perfscan/engine.hpp"

namespace {

// Two findings a baseline may or may not hold, in the folder the baseline says it is in.
perfscan::Report sample_report() {
  perfscan::Report report;
  for (const char* path : {"/fuzz/app/views.py", "/fuzz/app/models.py"}) {
    perfscan::Finding finding;
    finding.rule_id = "PS401";
    finding.path = path;
    finding.span = perfscan::Span{3, 5, 3, 11};
    finding.fingerprint = "3f0c2d6a9b1e4c77";
    report.findings.push_back(finding);
  }
  return report;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string file = "/fuzz/perfscan-baseline.json";
  perfscan::Baseline baseline;
  try {
    baseline = perfscan::parse_baseline(text, file);
  } catch (const perfscan::UsageError& error) {
    if (!std::string_view(error.what()).starts_with(file + ": ")) {
      std::fprintf(stderr, "fuzz_baseline: an error that does not name the file: %s\n",
                   error.what());
      std::abort();
    }
    return 0;
  }
  perfscan::Report report = sample_report();
  perfscan::BaselineOutcome outcome =
      perfscan::apply_baseline(report, baseline, {"/fuzz/app"});
  if (outcome.hidden < 0 || outcome.hidden > 2 || report.findings.size() != 2u - outcome.hidden) {
    std::abort();
  }
  return 0;
}
