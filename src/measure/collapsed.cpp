// Collapsed stacks (py-spy raw, Austin, Brendan Gregg's folded format), the format detection
// and reading a profile file.
#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "measure/profile.hpp"
#include "measure/profile_parts.hpp"

namespace perfscan {
namespace {

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::uint32_t to_line(std::string_view digits) {
  std::uint32_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return error == std::errc{} && end == digits.data() + digits.size() ? value : 0;
}

// Frames that say which process or thread a sample came from, not where it was: Austin's
// `P<pid>` and `T<tid>`, py-spy's `thread (0x...)` and `process <pid>:"<command>"`.
bool is_process_or_thread(std::string_view frame) {
  if (frame.size() >= 2 && frame[0] == 'P' && all_digits(frame.substr(1))) return true;
  if (frame.size() >= 2 && frame[0] == 'T' &&
      std::all_of(frame.begin() + 1, frame.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == 'x';
      })) {
    return true;
  }
  return frame.starts_with("thread (0x") || frame.starts_with("process ");
}

// "func (path:line)" or "func (path)": py-spy's raw frames.
std::optional<ProfileFrame> py_spy_frame(std::string_view frame) {
  if (!frame.ends_with(')')) return std::nullopt;
  std::size_t open = frame.rfind(" (");
  if (open == std::string_view::npos || open == 0) return std::nullopt;
  std::string_view inside = frame.substr(open + 2, frame.size() - open - 3);
  if (inside.empty()) return std::nullopt;
  ProfileFrame parsed;
  parsed.function = std::string(frame.substr(0, open));
  std::size_t colon = inside.rfind(':');
  if (colon != std::string_view::npos && all_digits(inside.substr(colon + 1))) {
    parsed.path = std::string(inside.substr(0, colon));
    parsed.line = to_line(inside.substr(colon + 1));
  } else if (colon != std::string_view::npos && inside.substr(0, colon).ends_with(".py")) {
    // "path.py:None": a sampler that read a frame between two lines; no line, same file.
    parsed.path = std::string(inside.substr(0, colon));
  } else {
    parsed.path = std::string(inside);
  }
  return parsed;
}

// "path:func:line" (or "path:func"): Austin's frames. The path may hold colons itself
// ("C:\app\x.py"), so the fields are taken from the right.
std::optional<ProfileFrame> austin_frame(std::string_view frame) {
  std::size_t last = frame.rfind(':');
  if (last == std::string_view::npos) return std::nullopt;
  ProfileFrame parsed;
  std::string_view rest = frame;
  if (all_digits(frame.substr(last + 1))) {
    parsed.line = to_line(frame.substr(last + 1));
    rest = frame.substr(0, last);
    last = rest.rfind(':');
    if (last == std::string_view::npos) return std::nullopt;
  }
  std::string_view path = rest.substr(0, last);
  std::string_view function = rest.substr(last + 1);
  if (path.empty() || function.empty()) return std::nullopt;
  // "module:func" names with no file in them are folded names, not Austin frames.
  if (path.find('/') == std::string_view::npos && path.find('\\') == std::string_view::npos &&
      !path.ends_with(".py")) {
    return std::nullopt;
  }
  parsed.path = std::string(path);
  parsed.function = std::string(function);
  return parsed;
}

// A generic folded frame: a function name, maybe dotted ("pkg.mod.func"), maybe with perf's
// annotation ("func_[j]").
ProfileFrame folded_frame(std::string_view frame) {
  for (std::string_view note : {"_[j]", "_[k]", "_[i]", "_[w]"}) {
    if (frame.ends_with(note) && frame.size() > note.size()) {
      frame.remove_suffix(note.size());
      break;
    }
  }
  ProfileFrame parsed;
  parsed.function = std::string(frame);
  return parsed;
}

// A line split into its stack and its count: the count is the last field after a space.
struct CollapsedLine {
  std::string_view stack;
  std::string_view count;
};

std::optional<CollapsedLine> split_line(std::string_view line) {
  std::size_t space = line.find_last_of(" \t");
  if (space == std::string_view::npos) return std::nullopt;
  return CollapsedLine{trim(line.substr(0, space)), line.substr(space + 1)};
}

}  // namespace

ProfileFrame classify_frame(std::string_view frame, std::string& format) {
  if (auto parsed = py_spy_frame(frame)) {
    if (format.empty()) format = "py-spy";
    parsed->label = std::string(frame);
    return *parsed;
  }
  if (auto parsed = austin_frame(frame)) {
    if (format.empty()) format = "austin";
    parsed->label = std::string(frame);
    return *parsed;
  }
  ProfileFrame parsed = folded_frame(frame);
  parsed.label = std::string(frame);
  return parsed;
}

std::uint32_t FrameTable::add(ProfileFrame frame) {
  auto [found, inserted] = index_.try_emplace(frame.label, 0);
  if (inserted) {
    found->second = static_cast<std::uint32_t>(profile_.frames.size());
    profile_.frames.push_back(std::move(frame));
  }
  return found->second;
}

Profile parse_collapsed(std::string_view text, const std::string& name) {
  Profile profile;
  FrameTable table(profile);
  std::map<std::vector<std::uint32_t>, std::size_t> seen;  // stack -> index in profile.stacks
  std::string format;
  std::size_t skipped = 0;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    auto skip = [&](const std::string& why) {
      if (++skipped <= kMaxProfileWarnings) {
        profile.warnings.push_back(fmt::format("{}:{}: {}; line skipped", name, line_number, why));
      }
    };
    std::optional<CollapsedLine> parts = split_line(line);
    if (!parts || parts->stack.empty()) {
      skip("expected 'frame;frame;... COUNT'");
      continue;
    }
    std::uint64_t count = 0;
    auto [ptr, error] = std::from_chars(parts->count.data(),
                                        parts->count.data() + parts->count.size(), count);
    if (!all_digits(parts->count) || error != std::errc{} ||
        ptr != parts->count.data() + parts->count.size()) {
      std::string shown(parts->count.substr(0, 20));
      skip(error == std::errc::result_out_of_range
               ? fmt::format("count '{}' is too large", shown)
               : fmt::format("count '{}' is not a number", shown));
      continue;
    }
    if (profile.total > UINT64_MAX / 2 - count) {
      skip("the counts add up past what a profile holds");
      continue;
    }
    std::vector<std::uint32_t> frames;
    std::size_t from = 0;
    std::string_view stack = parts->stack;
    while (from <= stack.size()) {
      std::size_t semicolon = stack.find(';', from);
      if (semicolon == std::string_view::npos) semicolon = stack.size();
      std::string_view frame = trim(stack.substr(from, semicolon - from));
      from = semicolon + 1;
      if (frame.empty() || is_process_or_thread(frame)) continue;
      frames.push_back(table.add(classify_frame(frame, format)));
    }
    if (frames.empty()) continue;
    profile.total += count;
    auto [found, inserted] = seen.try_emplace(frames, profile.stacks.size());
    if (inserted) {
      profile.stacks.push_back(ProfileStack{std::move(frames), count});
    } else {
      profile.stacks[found->second].count += count;
    }
  }
  if (skipped > kMaxProfileWarnings) {
    profile.warnings.push_back(fmt::format("{}: {} more lines skipped", name,
                                           skipped - kMaxProfileWarnings));
  }
  if (profile.stacks.empty()) {
    throw ProfileError(fmt::format(
        "{}: not a profile: no line of the form 'frame;frame;... COUNT' (collapsed stacks from "
        "py-spy --format raw, Austin or flamegraph's stackcollapse) and not speedscope JSON",
        name));
  }
  profile.format = format.empty() ? "folded" : format;
  return profile;
}

Profile parse_profile(std::string_view text, const std::string& name) {
  if (text.find('\0') != std::string_view::npos) {
    throw ProfileError(fmt::format(
        "{}: not a profile: binary data (expected collapsed stacks or speedscope JSON)", name));
  }
  std::string_view start = trim(text.substr(0, std::min<std::size_t>(text.size(), 4096)));
  while (!start.empty() && (start.front() == '\n' || start.front() == '\r')) {
    start = trim(start.substr(1));
  }
  if (start.starts_with("\xEF\xBB\xBF")) start.remove_prefix(3);
  if (start.starts_with("{")) return parse_speedscope(text, name);
  return parse_collapsed(text, name);
}

Profile read_profile(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code error;
  if (std::filesystem::is_directory(file, error)) {
    throw ProfileError(fmt::format("{}: not a profile: a directory", name));
  }
  std::uintmax_t size = std::filesystem::file_size(file, error);
  if (error) throw ProfileError(fmt::format("{}: cannot read profile: {}", name, error.message()));
  if (size > kMaxProfileBytes) {
    throw ProfileError(fmt::format("{}: profile too large ({} MB; at most {} MB)", name,
                                   size >> 20, kMaxProfileBytes >> 20));
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ProfileError(fmt::format("{}: cannot read profile", name));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return parse_profile(bytes.str(), name);
}

}  // namespace perfscan
