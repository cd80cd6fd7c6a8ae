#include "perfscan/rule_info.hpp"

#include <fmt/format.h>

namespace perfscan {
namespace {

Severity one_step_lower(Severity severity) {
  switch (severity) {
    case Severity::critical:
      return Severity::high;
    case Severity::high:
      return Severity::medium;
    case Severity::medium:
    case Severity::low:
      return Severity::low;
  }
  return severity;
}

std::string_view test_code_sentence(InTests in_tests) {
  return in_tests == InTests::exempt
             ? "its cost model does not hold in tests, which do this on purpose: the `relaxed` "
               "test profile (the default) hides its findings in test code, `--tests full` shows "
               "them"
             : "its cost model holds in tests too: it is reported there unless `--tests skip`";
}

std::string_view one_time_sentence(CostScale cost) {
  switch (cost) {
    case CostScale::per_iteration:
      return "its cost is paid per iteration, so a finding on a path that runs once (module top "
             "level, `__init__`, start-up hooks, a CLI `main()`, management commands, migrations, "
             "fixture loaders) is lowered one step, and its message says why; not inside a "
             "`while` loop there, a service loop whose passes are events";
    case CostScale::per_call:
      return "its cost is paid per call; inside a `for` loop on a path that runs once (module "
             "top level, `__init__`, start-up hooks, a CLI `main()`, management commands, "
             "migrations, fixture loaders) a finding is lowered one step, and its message says "
             "why; not inside a `while` loop there, a service loop whose passes are events";
    case CostScale::fixed:
      break;
  }
  return "its cost does not depend on how often the code runs: one-time paths do not lower it";
}

}  // namespace

std::string_view tier_name(Tier tier) { return tier == Tier::standard ? "default" : "extended"; }

std::optional<double> Precision::percent() const {
  int judged = right + wrong;
  if (judged == 0) return std::nullopt;
  return static_cast<double>(right) * 100.0 / judged;
}

std::string precision_text(const Precision& precision) {
  if (!precision.measured()) return "not yet measured";
  std::optional<double> percent = precision.percent();
  std::string counts = fmt::format("{} right, {} wrong, {} unclear of {}", precision.right,
                                   precision.wrong, precision.unclear, precision.sample());
  if (!percent) return fmt::format("no judged findings ({})", counts);
  return fmt::format("{:.1f}% ({})", *percent, counts);
}

std::optional<Severity> lowered_on_one_time_path(const RuleTraits& traits, Severity severity,
                                                 std::string_view one_time_reason,
                                                 LoopPlace place) {
  if (one_time_reason.empty() || severity == Severity::low) return std::nullopt;
  if (place == LoopPlace::while_loop) return std::nullopt;
  bool scales = traits.cost == CostScale::per_iteration ||
                (traits.cost == CostScale::per_call && place == LoopPlace::for_loops);
  if (!scales) return std::nullopt;
  return one_step_lower(severity);
}

std::string one_time_note(std::string_view one_time_reason) {
  // The reasons are places ("`__init__`", "a data migration"), except the module's top level.
  std::string_view preposition = one_time_reason == "module top level" ? "at" : "in";
  return fmt::format(" (lowered one step: runs once, {} {})", preposition, one_time_reason);
}

std::string traits_section(const RuleTraits& traits) {
  std::string text = "\n## Tier and precision\n\n";
  text += fmt::format(
      "- **Tier:** {}{}\n", tier_name(traits.tier),
      traits.tier == Tier::standard
          ? " (runs unless deselected)"
          : " (runs with `--select ALL`, `extend-select`, or its own id in `--select`)");
  text += fmt::format("- **Measured precision:** {}", precision_text(traits.precision));
  if (traits.precision.measured()) text += fmt::format(", {}", traits.precision.where);
  text += ".\n";
  text += fmt::format("- **Test code:** {}.\n", test_code_sentence(traits.in_tests));
  text += fmt::format("- **One-time paths:** {}.\n", one_time_sentence(traits.cost));
  return text;
}

}  // namespace perfscan
