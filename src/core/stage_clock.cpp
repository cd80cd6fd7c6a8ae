#include "core/stage_clock.hpp"

#include <sys/resource.h>

#include <ctime>

namespace perfscan {
namespace {

double seconds_of(const timeval& value) {
  return static_cast<double>(value.tv_sec) + static_cast<double>(value.tv_usec) / 1e6;
}

}  // namespace

std::string_view stage_name(Stage stage) {
  switch (stage) {
    case Stage::discover: return "discover";
    case Stage::read: return "read";
    case Stage::parse: return "parse";
    case Stage::analyse: return "analyse";
    case Stage::link: return "link";
    case Stage::report: return "report";
  }
  return "?";
}

double thread_cpu_seconds() {
  timespec now{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) return 0.0;
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

double process_cpu_seconds() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0.0;
  return seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
}

std::uint64_t peak_rss_bytes() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

}  // namespace perfscan
