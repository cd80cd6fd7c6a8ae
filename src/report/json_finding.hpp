// One finding as the JSON formats write it (json, json-lines): one definition, so the two
// formats never disagree on a field.
#pragma once

#include <nlohmann/json.hpp>

#include "perfscan/finding.hpp"

namespace perfscan {

nlohmann::ordered_json finding_to_json(const Finding& finding);

}  // namespace perfscan
