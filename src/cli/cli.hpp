// The command line: parses arguments into ScanOptions, runs the scan, writes the report and
// turns the outcome into an exit code.
#pragma once

namespace perfscan {

// Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage/configuration/I/O error
// (or nothing at all could be scanned).
inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

int run_cli(int argc, char** argv);

}  // namespace perfscan
