// What fixing a rule's finding takes (rules/effort.def; the rules part implements it): the effort half of the review's
// impact × effort action plan.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace perfscan {

// Ordered from least to most work.
enum class Effort : std::uint8_t { mechanical, local_refactor, design };

std::string_view effort_name(Effort effort);  // "mechanical", "local refactor", "design"

// The rule's row of the effort table; nullopt for an id with no row.
std::optional<Effort> rule_effort(std::string_view rule_id);

// The effort every report gives a rule (JSON findings, --list-rules, the action plan): its row,
// else local refactor, the middle of the scale, for a rule added without a row (a test keeps
// such a rule from being merged; this keeps the reports agreeing until then).
Effort effort_of(std::string_view rule_id);

// Every row, in table order (the test that every rule has one reads it).
const std::vector<std::pair<std::string_view, Effort>>& effort_table();

}  // namespace perfscan
