// JSON Lines: one compact finding object per line, written as each is formatted, for
// consumers that stream (jq -c, log shippers). Errors go to stderr as for every non-text
// format; the summary is left to the json format.
#include "report/ci_writers.hpp"
#include "report/json_finding.hpp"

namespace perfscan {

void write_json_lines(const Report& report, std::ostream& out) {
  for (const Finding& finding : report.findings) {
    out << finding_to_json(finding).dump(-1, ' ', false,
                                         nlohmann::ordered_json::error_handler_t::replace)
        << '\n';
  }
}

}  // namespace perfscan
