// The effort table (rules/effort.def), compiled in.
#include "perfscan/effort.hpp"

#include <algorithm>

namespace perfscan {

std::string_view effort_name(Effort effort) {
  switch (effort) {
    case Effort::mechanical:
      return "mechanical";
    case Effort::local_refactor:
      return "local refactor";
    case Effort::design:
      break;
  }
  return "design";
}

const std::vector<std::pair<std::string_view, Effort>>& effort_table() {
  static const std::vector<std::pair<std::string_view, Effort>> table = {
#define PERFSCAN_EFFORT(id, effort) {#id, Effort::effort},
#include "effort.def"
#undef PERFSCAN_EFFORT
  };
  return table;
}

std::optional<Effort> rule_effort(std::string_view rule_id) {
  const auto& table = effort_table();
  auto found = std::find_if(table.begin(), table.end(),
                            [&](const auto& row) { return row.first == rule_id; });
  if (found == table.end()) return std::nullopt;
  return found->second;
}

Effort effort_of(std::string_view rule_id) {
  return rule_effort(rule_id).value_or(Effort::local_refactor);
}

}  // namespace perfscan
