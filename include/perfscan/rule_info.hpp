// A rule's metadata: what every part may know about a rule without its code (reports, the
// cache key, configuration, selection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "perfscan/finding.hpp"

namespace perfscan {

// Which runs a rule is part of. `standard` is the tier users call `default` (a C++ keyword):
// it runs unless deselected. `extended` rules run only when asked for: `--select ALL`, any
// `extend-select`, or their own id or name in `--select`. A rule is `standard` only when a
// blind read of its findings on real code found at least 90% of them right.
enum class Tier : std::uint8_t { standard, extended };

std::string_view tier_name(Tier tier);  // "default", "extended"

// The blind-read measurement of a rule's findings on real code (bench/blind_sample.py draws
// the sample, bench/blind_score.py counts the verdicts): how many sampled findings the reader
// judged right, wrong or could not decide, and where and when. `where` empty: not measured.
struct Precision {
  std::uint16_t right = 0;
  std::uint16_t wrong = 0;
  std::uint16_t unclear = 0;
  std::string_view where;

  [[nodiscard]] bool measured() const { return !where.empty(); }
  [[nodiscard]] int sample() const { return right + wrong + unclear; }
  // right / (right + wrong) in percent, one decimal; nullopt when nothing was judged either way.
  [[nodiscard]] std::optional<double> percent() const;
};

// "not yet measured"; "93.3% (28 right, 2 wrong, 1 unclear of 31)".
std::string precision_text(const Precision& precision);

// Whether a rule's cost model holds in test code (test files, `test*` functions, `Test*`
// classes). Tests block, poll, fire tasks and query in loops on purpose: for `exempt` rules the
// `relaxed` test profile (the default) hides the findings there.
enum class InTests : std::uint8_t { applies, exempt };

// How a rule's cost scales with how often its code runs, for the one-time-path policy: a
// finding on a path that runs once per process (module top level, `__init__`, start-up hooks, a
// CLI `main()`, management commands, migrations, fixture loaders) is lowered one step when its
// cost is paid per iteration.
enum class CostScale : std::uint8_t {
  fixed,          // not per execution (memory held, an index, a style note): never lowered
  per_iteration,  // paid on every iteration or request: lowered on a one-time path
  per_call,       // paid per call, multiplied by loops: lowered on a one-time path in a loop
};

// What the rule table (rules/traits.def) says about a rule: the one source of truth that
// selection, `--list-rules`, `--explain`, report metadata, the test profile and the one-time
// policy read. Kept apart from RuleInfo, which the rule's code declares: the table is edited
// as measurements come in, the code is not. A rule without a row gets these defaults:
// extended, not measured.
struct RuleTraits {
  Tier tier = Tier::extended;
  Precision precision;
  InTests in_tests = InTests::applies;
  CostScale cost = CostScale::fixed;
};

struct RuleInfo {
  std::string_view id;       // "PS401"
  std::string_view name;     // "string-concat-in-loop"
  Category category = Category::loops;
  Severity severity = Severity::low;  // base severity; a rule may raise or lower it per finding
  std::string_view summary;           // one line, for --list-rules: the rule's claim
};

// Where a finding sits among its function's loops, for the one-time-path policy.
enum class LoopPlace : std::uint8_t {
  none,        // in no loop
  for_loops,   // in `for` loops or comprehensions only: each runs once over its items
  while_loop,  // in a `while` loop: a service or polling loop, whose body runs per event
};

// The one-time-path policy (README, "Severity"): the severity a finding of a rule with
// `traits` gets on a path that runs once (`one_time_reason` non-empty). Lowered one step for
// per-iteration costs, and for per-call costs inside a `for` loop; never inside a `while`
// loop, whose passes are events (a worker's main loop); `low` stays `low`. nullopt: unchanged.
std::optional<Severity> lowered_on_one_time_path(const RuleTraits& traits, Severity severity,
                                                 std::string_view one_time_reason, LoopPlace place);

// The note a lowered finding's message ends with: " (lowered one step: runs once, in
// `__init__`)".
std::string one_time_note(std::string_view one_time_reason);

// The section `--explain` appends to a rule's documentation, generated from its traits so the
// docs never drift from the table.
std::string traits_section(const RuleTraits& traits);

}  // namespace perfscan
