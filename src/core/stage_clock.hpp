// Wall and CPU clocks of the calling thread, read at stage boundaries for `--stats`.
// Cheap enough to run on every file (two clock reads per lap, no allocation).
#pragma once

#include <chrono>
#include <cstdint>

#include "perfscan/report.hpp"

namespace perfscan {

// CPU time consumed so far by the calling thread (CLOCK_THREAD_CPUTIME_ID), in seconds.
double thread_cpu_seconds();
// CPU time consumed so far by the whole process, user + system (getrusage), in seconds.
double process_cpu_seconds();
// The process's peak resident set size so far (getrusage ru_maxrss), in bytes.
std::uint64_t peak_rss_bytes();

class StageClock {
 public:
  StageClock() : wall_(std::chrono::steady_clock::now()), cpu_(thread_cpu_seconds()) {}

  // The time since construction or the previous lap, on this thread; starts the next lap.
  StageTime lap() {
    auto wall = std::chrono::steady_clock::now();
    double cpu = thread_cpu_seconds();
    StageTime spent{std::chrono::duration<double>(wall - wall_).count(), cpu - cpu_};
    wall_ = wall;
    cpu_ = cpu;
    return spent;
  }

 private:
  std::chrono::steady_clock::time_point wall_;
  double cpu_;
};

}  // namespace perfscan
