// Errors that stop a scan before it starts. Every part may throw it (configuration, baseline,
// `--diff`, rule selection); the CLI turns it into exit code 2 and one line on stderr.
#pragma once

#include <stdexcept>

namespace perfscan {

// A usage or configuration problem: an unknown rule selector, a bad baseline, an invalid
// `--target-version`.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace perfscan
