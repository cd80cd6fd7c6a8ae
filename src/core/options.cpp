#include "perfscan/options.hpp"

#include <charconv>

namespace perfscan {

std::string_view test_profile_name(TestProfile profile) {
  switch (profile) {
    case TestProfile::relaxed:
      return "relaxed";
    case TestProfile::full:
      return "full";
    case TestProfile::skip:
      return "skip";
  }
  return "relaxed";
}

std::optional<TestProfile> parse_test_profile(std::string_view text) {
  for (TestProfile profile : {TestProfile::relaxed, TestProfile::full, TestProfile::skip}) {
    if (test_profile_name(profile) == text) return profile;
  }
  return std::nullopt;
}

std::optional<PythonVersion> parse_python_version(std::string_view text) {
  constexpr std::string_view kMajor = "3.";
  if (!text.starts_with(kMajor)) return std::nullopt;
  std::string_view minor_text = text.substr(kMajor.size());
  // Digits only (no sign, no leading zeros such as "3.010"), and a plausible minor version.
  if (minor_text.empty() || minor_text.size() > 2 || (minor_text.size() > 1 && minor_text[0] == '0')) {
    return std::nullopt;
  }
  for (char c : minor_text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int minor = 0;
  auto [end, error] = std::from_chars(minor_text.data(), minor_text.data() + minor_text.size(), minor);
  if (error != std::errc{} || end != minor_text.data() + minor_text.size()) return std::nullopt;
  return PythonVersion{3, minor};
}

}  // namespace perfscan
