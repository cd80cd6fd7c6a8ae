// Pieces the profile parsers share (src/measure only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "measure/profile.hpp"

namespace perfscan {

// Skipped lines named one by one before the rest are counted in one message.
inline constexpr std::size_t kMaxProfileWarnings = 5;

// Distinct frames of a profile, by label.
class FrameTable {
 public:
  explicit FrameTable(Profile& profile) : profile_(profile) {}
  std::uint32_t add(ProfileFrame frame);

 private:
  Profile& profile_;
  std::unordered_map<std::string, std::uint32_t> index_;
};

// A collapsed-stack frame read as py-spy's, Austin's or a generic folded name; `format` is set
// to "py-spy" or "austin" by the first frame of that shape when still empty.
ProfileFrame classify_frame(std::string_view frame, std::string& format);

Profile parse_collapsed(std::string_view text, const std::string& name);
Profile parse_speedscope(std::string_view text, const std::string& name);

}  // namespace perfscan
