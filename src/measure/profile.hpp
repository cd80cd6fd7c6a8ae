// Sampling profiles (`--profile FILE`): reading the formats Python profilers write, and joining
// their frames to the scanned code and its findings.
//
// Formats, told apart by their content:
// - collapsed stacks, one `frame;frame;... COUNT` per line, root first, whose frames are
//   py-spy's `--format raw` (`func (path:line)`), Austin's (`path:func:line`, after its
//   `P<pid>;T<tid>` frames) or Brendan Gregg's generic folded names (`func`, `mod.func`);
// - speedscope JSON (py-spy's `--format speedscope`): sampled profiles (a count per
//   sample) and evented ones (open/close events; a stack counts the time it lasted, in
//   microseconds for time units).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/report.hpp"

namespace perfscan {

// A profile that cannot be read at all; what() is one line naming the file.
class ProfileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Past this a file is not a profile a person recorded (a day of py-spy at 100 Hz folds to a few
// megabytes); it is refused before it is read.
inline constexpr std::uintmax_t kMaxProfileBytes = std::uintmax_t{64} << 20;

struct ProfileFrame {
  std::string function;   // "handle", "Class.method", "<module>"; never empty
  std::string path;       // as recorded ("" when the format has none)
  std::uint32_t line = 0;  // 0 when not recorded
  std::string label;      // the frame as written, for messages

  bool operator==(const ProfileFrame&) const = default;
};

struct ProfileStack {
  std::vector<std::uint32_t> frames;  // indices into Profile::frames, root first
  std::uint64_t count = 0;

  bool operator==(const ProfileStack&) const = default;
};

struct Profile {
  std::string format;  // "py-spy", "austin", "folded", "speedscope"
  std::vector<ProfileFrame> frames;  // distinct
  std::vector<ProfileStack> stacks;
  std::uint64_t total = 0;  // sum of the counts
  std::vector<std::string> warnings;  // "prof.txt:7: count 'x' is not a number; line skipped"
};

// Parses a profile from text; `name` is used in messages. Throws ProfileError when nothing in
// it is a profile (binary data, another format, no sample at all).
Profile parse_profile(std::string_view text, const std::string& name);
// Reads and parses a file, refusing one larger than kMaxProfileBytes.
Profile read_profile(const std::filesystem::path& file);

// One function of a Python file, by its lines.
struct FunctionSpan {
  std::string name;       // "method"
  std::string qualified;  // "Class.method", "outer.inner"
  std::uint32_t line = 0;
  std::uint32_t end_line = 0;
};

// Every def of a file (methods and nested functions included), in document order, so the
// innermost one containing a line is the last that does.
std::vector<FunctionSpan> functions_in(std::string_view source);

// Source text of a scanned file by its display path; nullopt when it cannot be read.
using SourceLoader = std::function<std::optional<std::string>(const std::string& path)>;
// Reads the file from disk, decoded as the scan does.
std::optional<std::string> load_source(const std::string& path);

// Joins the profiles to the report: measures per finding, hot functions, unmatched frames and
// the ranking (finding_priority), then ranks the files by severity and share together. Frame
// paths map to `report.scanned_files` by the longest matching path suffix (compared with each
// file's absolute path); functions by name and line range.
void attach_profiles(Report& report, const std::vector<Profile>& profiles,
                     const std::vector<std::string>& sources, const SourceLoader& loader);

}  // namespace perfscan
