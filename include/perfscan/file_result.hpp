// What analysing one file yields: findings, errors, the facts the link step reads, and the
// time each per-file stage took. Made by the engine, stored and restored by the result cache.
#pragma once

#include <cstdint>
#include <vector>

#include "perfscan/facts.hpp"
#include "perfscan/finding.hpp"
#include "perfscan/linked_facts.hpp"
#include "perfscan/report.hpp"

namespace perfscan {

struct FileResult {
  bool scanned = false;  // false when the file could not be read or decoded at all
  std::uint64_t lines = 0;
  std::uint64_t bytes = 0;
  // XXH3-64 of the bytes analysed, as read (source_digest): --fix checks that what it is about
  // to rewrite is what the scan saw.
  std::uint64_t digest = 0;
  std::vector<Finding> findings;
  std::vector<FileError> errors;
  // The facts the walk recorded; emptied once the file's analysis is over (keep_linked_facts),
  // which leaves of them only what the link step reads, encoded, in `linked`.
  FileFacts facts;
  EncodedFacts linked;
  // Time this file spent in each per-file stage on its worker (read includes decoding).
  StageTime read_time, parse_time, analyse_time;
};

}  // namespace perfscan
