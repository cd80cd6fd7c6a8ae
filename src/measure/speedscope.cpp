// speedscope JSON (https://www.speedscope.app/file-format-schema.json): py-spy's default output.
// Sampled profiles only; an evented profile is refused with a message.
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

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
  FrameTable table(profile);
  std::vector<std::uint32_t> remap(frames.size(), UINT32_MAX);
  std::map<std::vector<std::uint32_t>, std::size_t> seen;
  std::size_t skipped = 0;
  bool evented = false;
  auto skip = [&](std::size_t which, std::size_t sample, std::string_view why) {
    if (++skipped <= kMaxProfileWarnings) {
      profile.warnings.push_back(
          fmt::format("{}: profile {} sample {}: {}; sample skipped", name, which, sample, why));
    }
  };
  for (std::size_t p = 0; p < profiles->size(); ++p) {
    const Json& one = (*profiles)[p];
    if (!one.is_object()) continue;
    auto type = one.find("type");
    if (type != one.end() && *type == "evented") {
      evented = true;
      continue;
    }
    auto samples = one.find("samples");
    if (samples == one.end() || !samples->is_array()) continue;
    auto weights = one.find("weights");
    bool weighted = weights != one.end() && weights->is_array();
    for (std::size_t s = 0; s < samples->size(); ++s) {
      const Json& sample = (*samples)[s];
      std::uint64_t count = 1;
      if (weighted) {
        if (s >= weights->size() || !(*weights)[s].is_number()) {
          skip(p, s, "no numeric weight");
          continue;
        }
        double weight = (*weights)[s].get<double>();
        if (!std::isfinite(weight) || weight < 0 || weight > 1e15) {
          skip(p, s, "weight out of range");
          continue;
        }
        count = static_cast<std::uint64_t>(std::llround(weight));
      }
      if (!sample.is_array()) {
        skip(p, s, "not an array of frame indices");
        continue;
      }
      std::vector<std::uint32_t> stack;
      bool bad = false;
      for (const Json& index : sample) {
        if (!index.is_number_unsigned() || index.get<std::uint64_t>() >= frames.size()) {
          bad = true;
          break;
        }
        auto at = static_cast<std::size_t>(index.get<std::uint64_t>());
        if (remap[at] == UINT32_MAX) remap[at] = table.add(frames[at]);
        stack.push_back(remap[at]);
      }
      if (bad) {
        skip(p, s, "frame index out of range");
        continue;
      }
      if (stack.empty() || count == 0) continue;
      if (profile.total > UINT64_MAX / 2 - count) {
        skip(p, s, "the weights add up past what a profile holds");
        continue;
      }
      profile.total += count;
      auto [found, inserted] = seen.try_emplace(stack, profile.stacks.size());
      if (inserted) {
        profile.stacks.push_back(ProfileStack{std::move(stack), count});
      } else {
        profile.stacks[found->second].count += count;
      }
    }
  }
  if (skipped > kMaxProfileWarnings) {
    profile.warnings.push_back(
        fmt::format("{}: {} more samples skipped", name, skipped - kMaxProfileWarnings));
  }
  if (profile.stacks.empty()) {
    throw ProfileError(fmt::format(
        "{}: no samples in the speedscope profile{}", name,
        evented ? " (evented profiles are not read: record with py-spy or Austin, sampled)" : ""));
  }
  return profile;
}

}  // namespace perfscan
