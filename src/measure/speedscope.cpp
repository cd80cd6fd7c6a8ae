// speedscope JSON (https://www.speedscope.app/file-format-schema.json), as py-spy's
// `--format speedscope` writes it.
// Sampled profiles give one stack and weight per sample; evented profiles give open (O) and
// close (C) events, and each stack state is weighed by the time it lasted, so both end in the
// same model: distinct stacks with a count.
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <variant>

#include "measure/profile.hpp"
#include "measure/profile_parts.hpp"

namespace perfscan {
namespace {

using Json = nlohmann::json;

std::string frame_label(const ProfileFrame& frame) {
  if (frame.path.empty()) return frame.function;
  if (frame.line == 0) return fmt::format("{} ({})", frame.function, frame.path);
  return fmt::format("{} ({}:{})", frame.function, frame.path, frame.line);
}

// The shared frame table; a frame without a usable name keeps its index with "?".
std::vector<ProfileFrame> shared_frames(const Json& document, const std::string& name) {
  const Json* frames = nullptr;
  if (auto shared = document.find("shared"); shared != document.end() && shared->is_object()) {
    if (auto found = shared->find("frames"); found != shared->end() && found->is_array()) {
      frames = &*found;
    }
  }
  if (frames == nullptr) {
    throw ProfileError(fmt::format("{}: not a speedscope profile: no shared.frames array", name));
  }
  std::vector<ProfileFrame> out;
  out.reserve(frames->size());
  for (const Json& frame : *frames) {
    ProfileFrame parsed;
    if (frame.is_object()) {
      if (auto n = frame.find("name"); n != frame.end() && n->is_string()) {
        parsed.function = n->get<std::string>();
      }
      if (auto f = frame.find("file"); f != frame.end() && f->is_string()) {
        parsed.path = f->get<std::string>();
      }
      if (auto l = frame.find("line"); l != frame.end() && l->is_number_unsigned()) {
        parsed.line = static_cast<std::uint32_t>(std::min<std::uint64_t>(l->get<std::uint64_t>(),
                                                                          UINT32_MAX));
      }
    }
    if (parsed.function.empty()) parsed.function.assign(1, '?');
    parsed.label = frame_label(parsed);
    out.push_back(std::move(parsed));
  }
  return out;
}

// A finite number, or nullopt (absent, a string, NaN cannot be written in JSON but a huge
// exponent overflows to infinity).
std::optional<double> finite_number(const Json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_number()) return std::nullopt;
  double value = found->get<double>();
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

// Evented weights are durations in the profile's unit. Time units are counted in microseconds
// so that a profile in seconds does not round every stack to zero; other units ("none",
// "bytes") are counted as written.
double units_per_count(const Json& profile) {
  auto unit = profile.find("unit");
  if (unit == profile.end() || !unit->is_string()) return 1.0;
  const std::string& name = unit->get_ref<const std::string&>();
  if (name == "seconds") return 1e-6;
  if (name == "milliseconds") return 1e-3;
  if (name == "nanoseconds") return 1e3;
  return 1.0;
}

// Past this a weight is not a sample count or a duration a person recorded.
constexpr double kMaxWeight = 1e15;

// Reads the profiles of one document into `profile`, skipping what cannot be read with a
// warning (the first kMaxProfileWarnings named, the rest counted).
class SpeedscopeReader {
 public:
  SpeedscopeReader(const std::string& name, std::vector<ProfileFrame> frames, Profile& profile)
      : name_(name), frames_(std::move(frames)), profile_(profile), table_(profile),
        remap_(frames_.size(), UINT32_MAX) {}

  void read(const Json& one, std::size_t which) {
    if (!one.is_object()) return;
    auto type = one.find("type");
    if (type != one.end() && *type == "evented") {
      read_evented(one, which);
    } else {
      read_sampled(one, which);
    }
  }

  // The summary of skipped items past the first few, once every profile is read.
  void finish() {
    if (skipped_ > kMaxProfileWarnings) {
      profile_.warnings.push_back(
          fmt::format("{}: {} more samples or profiles skipped", name_, skipped_ - kMaxProfileWarnings));
    }
  }

  // Why nothing was read, for the error when no stack is left: the first warning.
  [[nodiscard]] std::string first_problem() const {
    return profile_.warnings.empty() ? std::string() : profile_.warnings.front();
  }

 private:
  void warn(std::string message) {
    if (++skipped_ <= kMaxProfileWarnings) profile_.warnings.push_back(std::move(message));
  }

  void skip_sample(std::size_t which, std::size_t sample, std::string_view why) {
    warn(fmt::format("{}: profile {} sample {}: {}; sample skipped", name_, which, sample, why));
  }

  void skip_profile(std::size_t which, std::string_view why) {
    warn(fmt::format("{}: profile {}: {}; profile skipped", name_, which, why));
  }

  [[nodiscard]] bool valid_frame(const Json& index) const {
    return index.is_number_unsigned() && index.get<std::uint64_t>() < frames_.size();
  }

  // Adds `count` to a stack of shared-frame indices (valid ones), merging equal stacks.
  // False when the total would overflow.
  bool add_stack(const std::vector<std::size_t>& shared, std::uint64_t count) {
    if (shared.empty() || count == 0) return true;
    if (profile_.total > UINT64_MAX / 2 - count) return false;
    std::vector<std::uint32_t> stack;
    stack.reserve(shared.size());
    for (std::size_t at : shared) {
      if (remap_[at] == UINT32_MAX) remap_[at] = table_.add(frames_[at]);
      stack.push_back(remap_[at]);
    }
    profile_.total += count;
    auto [found, inserted] = seen_.try_emplace(stack, profile_.stacks.size());
    if (inserted) {
      profile_.stacks.push_back(ProfileStack{std::move(stack), count});
    } else {
      profile_.stacks[found->second].count += count;
    }
    return true;
  }

  // The weight of sample `s`: 1 without a weights array, else its weight rounded.
  std::optional<std::uint64_t> sample_weight(const Json* weights, std::size_t which,
                                             std::size_t s) {
    if (weights == nullptr) return 1;
    if (s >= weights->size() || !(*weights)[s].is_number()) {
      skip_sample(which, s, "no numeric weight");
      return std::nullopt;
    }
    double weight = (*weights)[s].get<double>();
    if (!std::isfinite(weight) || weight < 0 || weight > kMaxWeight) {
      skip_sample(which, s, "weight out of range");
      return std::nullopt;
    }
    return static_cast<std::uint64_t>(std::llround(weight));
  }

  void read_sampled(const Json& one, std::size_t which) {
    auto samples = one.find("samples");
    if (samples == one.end() || !samples->is_array()) return;
    auto weights = one.find("weights");
    const Json* weight_list = weights != one.end() && weights->is_array() ? &*weights : nullptr;
    for (std::size_t s = 0; s < samples->size(); ++s) {
      const Json& sample = (*samples)[s];
      std::optional<std::uint64_t> count = sample_weight(weight_list, which, s);
      if (!count) continue;
      if (!sample.is_array()) {
        skip_sample(which, s, "not an array of frame indices");
        continue;
      }
      std::vector<std::size_t> stack;
      for (const Json& index : sample) {
        if (!valid_frame(index)) break;
        stack.push_back(static_cast<std::size_t>(index.get<std::uint64_t>()));
      }
      if (stack.size() != sample.size()) {
        skip_sample(which, s, "frame index out of range");
      } else if (!add_stack(stack, *count)) {
        skip_sample(which, s, "the weights add up past what a profile holds");
      }
    }
  }

  // One open or close event, checked against the time before it; the problem otherwise.
  struct FrameEvent {
    bool open = false;
    double at = 0.0;
    std::size_t frame = 0;
  };

  std::variant<FrameEvent, std::string> parse_event(const Json& event, std::size_t e,
                                                    double start, double last) const {
    std::optional<double> at = event.is_object() ? finite_number(event, "at") : std::nullopt;
    if (!at || !event.contains("type") || !event.contains("frame")) {
      return fmt::format("event {} is not {{\"type\", \"at\", \"frame\"}}", e);
    }
    const Json& type = event["type"];
    if (type != "O" && type != "C") {
      return fmt::format("event {} has type {}, not \"O\" or \"C\"", e, type.dump());
    }
    if (*at < start) return fmt::format("event {} is at {}, before the start {}", e, *at, start);
    if (*at < last) {
      return fmt::format("event {} is at {}, before the event preceding it ({})", e, *at, last);
    }
    if (!valid_frame(event["frame"])) return fmt::format("event {}: frame index out of range", e);
    return FrameEvent{type == "O", *at, static_cast<std::size_t>(event["frame"].get<std::uint64_t>())};
  }

  // The time each stack state lasted, by stack, in the profile's unit; nullopt (with the
  // profile skipped and a warning) when the events are not a well-nested, time-ordered list:
  // a malformed event, a time before the start or going backwards, a close that does not match
  // the innermost open frame. A profile with one bad event is skipped whole, since every
  // stack after it would be wrong. Frames still open after the last event are a recording cut
  // short: what came before is kept, with a warning.
  std::optional<std::map<std::vector<std::size_t>, double>> stack_durations(
      const Json& events, double start, std::size_t which) {
    std::map<std::vector<std::size_t>, double> durations;
    std::vector<std::size_t> open;
    double last = start;
    for (std::size_t e = 0; e < events.size(); ++e) {
      auto parsed = parse_event(events[e], e, start, last);
      if (const auto* problem = std::get_if<std::string>(&parsed)) {
        skip_profile(which, *problem);
        return std::nullopt;
      }
      const auto& event = std::get<FrameEvent>(parsed);
      if (!open.empty() && event.at > last) durations[open] += event.at - last;
      last = event.at;
      if (event.open) {
        open.push_back(event.frame);
      } else if (!open.empty() && open.back() == event.frame) {
        open.pop_back();
      } else {
        skip_profile(which, fmt::format("event {} closes frame {}, which is not the innermost "
                                        "open frame",
                                        e, event.frame));
        return std::nullopt;
      }
    }
    if (!open.empty()) {
      warn(fmt::format("{}: profile {}: {} frame{} never closed; time after the last event not "
                       "counted",
                       name_, which, open.size(), open.size() == 1 ? "" : "s"));
    }
    return durations;
  }

  void read_evented(const Json& one, std::size_t which) {
    auto events = one.find("events");
    if (events == one.end() || !events->is_array()) {
      skip_profile(which, "evented without an events array");
      return;
    }
    std::optional<double> start = finite_number(one, "startValue");
    auto durations = stack_durations(*events, start.value_or(0.0), which);
    if (!durations) return;
    const double per_count = units_per_count(one);
    for (const auto& [stack, duration] : *durations) {
      double count = duration / per_count;
      // A stack rounded to nothing lasted under half a count: it weighs nothing either way.
      if (count > kMaxWeight || !add_stack(stack, static_cast<std::uint64_t>(std::llround(count)))) {
        skip_profile(which, "the durations add up past what a profile holds");
        return;
      }
    }
  }

  const std::string& name_;
  std::vector<ProfileFrame> frames_;
  Profile& profile_;
  FrameTable table_;
  std::vector<std::uint32_t> remap_;  // shared frame index -> Profile::frames index
  std::map<std::vector<std::uint32_t>, std::size_t> seen_;  // stack -> index in profile.stacks
  std::size_t skipped_ = 0;
};

}  // namespace

Profile parse_speedscope(std::string_view text, const std::string& name) {
  Json document = Json::parse(text.begin(), text.end(), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    throw ProfileError(fmt::format("{}: not a profile: invalid JSON (expected speedscope)", name));
  }
  std::vector<ProfileFrame> frames = shared_frames(document, name);
  auto profiles = document.find("profiles");
  if (profiles == document.end() || !profiles->is_array()) {
    throw ProfileError(fmt::format("{}: not a speedscope profile: no profiles array", name));
  }
  Profile profile;
  profile.format = "speedscope";
  SpeedscopeReader reader(name, std::move(frames), profile);
  for (std::size_t p = 0; p < profiles->size(); ++p) reader.read((*profiles)[p], p);
  reader.finish();
  if (profile.stacks.empty()) {
    // The warnings are lost with the exception, so the first one says why.
    std::string why = reader.first_problem();
    throw ProfileError(fmt::format("{}: no samples in the speedscope profile{}", name,
                                   why.empty() ? "" : " (" + why + ")"));
  }
  return profile;
}

}  // namespace perfscan
