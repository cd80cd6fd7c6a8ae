#include "semantic/file_types.hpp"

namespace perfscan {
namespace {

// Base chains longer than this are not followed (a cycle through broken code must end).
constexpr int kMaxBaseDepth = 16;

}  // namespace

const ClassTypes* FileTypes::find_class(std::string_view qualified_name) const {
  auto it = classes_.find(qualified_name);
  return it == classes_.end() ? nullptr : &it->second;
}

const FunctionTypes* FileTypes::find_function(std::string_view qualified_name) const {
  auto it = functions_.find(qualified_name);
  return it == functions_.end() ? nullptr : &it->second;
}

FileTypes::Member FileTypes::find_member(std::string_view class_name, std::string_view member) const {
  std::vector<std::pair<const ClassTypes*, int>> pending;
  if (const ClassTypes* start = find_class(class_name)) pending.emplace_back(start, 0);
  while (!pending.empty()) {
    auto [current, depth] = pending.back();
    pending.pop_back();
    if (auto method = current->methods.find(member); method != current->methods.end()) {
      return Member{current, nullptr, &method->second};
    }
    if (auto attribute = current->attributes.find(member); attribute != current->attributes.end()) {
      return Member{current, &attribute->second, nullptr};
    }
    if (depth >= kMaxBaseDepth) continue;
    // Reversed so the first base is searched first.
    for (auto base = current->bases.rbegin(); base != current->bases.rend(); ++base) {
      if (const ClassTypes* next = find_class(*base)) pending.emplace_back(next, depth + 1);
    }
  }
  return {};
}

bool FileTypes::has_foreign_base(std::string_view class_name) const {
  std::vector<std::pair<const ClassTypes*, int>> pending;
  if (const ClassTypes* start = find_class(class_name)) pending.emplace_back(start, 0);
  while (!pending.empty()) {
    auto [current, depth] = pending.back();
    pending.pop_back();
    for (const std::string& base : current->bases) {
      if (base == "builtins.object" || base == "object") continue;
      const ClassTypes* local = find_class(base);
      if (local == nullptr) return true;
      if (depth < kMaxBaseDepth) pending.emplace_back(local, depth + 1);
    }
  }
  return false;
}

}  // namespace perfscan
