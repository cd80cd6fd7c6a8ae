// The link step's closure of per-function summaries over the project's call graph, for the
// effects that hide one or more calls away: blocking calls reached from async code (PS309) and
// constant work repeated by a loop (PS701/PS702). Each function that makes such a call directly
// seeds a breadth-first walk over reversed call edges; a caller inherits the origin of the
// first callee found to have one and remembers that callee, so the whole chain can be printed.
#include <deque>
#include <unordered_map>
#include <vector>
#include <string>
#include <unordered_set>

#include "perfscan/project.hpp"

namespace perfscan {
namespace {

// Base chains longer than this are not followed (a cycle through broken imports must end).
constexpr int kMaxBaseDepth = 16;

std::string_view module_of(std::string_view qualified_name) {
  auto dot = qualified_name.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : qualified_name.substr(0, dot);
}

}  // namespace

// Seeds are the functions `seed` gives an origin (it fills the call and line); `relays` says
// whether a function passes an origin on to its callers (and may be a seed at all).
template <typename Seed, typename Relays>
void ProjectIndex::close_over_callers(std::unordered_map<std::string_view, CallOrigin>& origins, Seed&& seed,
                                      Relays&& relays) const {
  // Reversed call edges, from the function that defines a callee to its callers. Keys and
  // values view into the facts, which outlive the index.
  std::unordered_map<std::string_view, std::vector<std::string_view>> callers;
  std::deque<std::string_view> queue;
  for (const FileFacts* file : files_) {
    for (const FunctionEffectFact& function : file->database.functions) {
      if (!relays(function)) continue;
      if (CallOrigin origin; seed(function, origin)) {
        origin.path = file->path;
        if (origins.try_emplace(function.function, std::move(origin)).second) queue.push_back(function.function);
      }
      for (std::string_view callee : function.callees) {
        auto defining = functions_.find(defining_function(callee));
        if (defining == functions_.end() || defining->first == function.function) continue;
        callers[defining->first].push_back(function.function);
      }
    }
  }
  while (!queue.empty()) {
    std::string_view callee = queue.front();
    queue.pop_front();
    auto it = callers.find(callee);
    if (it == callers.end()) continue;
    CallOrigin inherited = origins.at(callee);
    inherited.next = std::string(callee);
    for (std::string_view caller : it->second) {
      if (origins.try_emplace(caller, inherited).second) queue.push_back(caller);
    }
  }
}

void ProjectIndex::resolve_call_origins() {
  close_over_callers(
      blocking_,
      [](const FunctionEffectFact& function, CallOrigin& origin) {
        if (function.blocking_kind == 0) return false;
        origin = CallOrigin{function.blocking_kind, function.blocking_call, {}, function.blocking_line, {}};
        return true;
      },
      [](const FunctionEffectFact& function) { return !function.is_async && !function.cached; });
  close_over_callers(
      constant_work_,
      [](const FunctionEffectFact& function, CallOrigin& origin) {
        if (function.constant_work.empty()) return false;
        origin = CallOrigin{0, function.constant_work, {}, function.constant_work_line, {}};
        return true;
      },
      [](const FunctionEffectFact& function) { return !function.cached; });
}

void ProjectIndex::index_functions() {
  for (const FileFacts* file : files_) {
    if (!file->module.empty()) {
      std::string_view module = file->module;
      auto dot = module.rfind('.');
      modules_by_last_segment_[dot == std::string_view::npos ? module : module.substr(dot + 1)].push_back(module);
    }
    for (const FunctionEffectFact& function : file->database.functions) {
      if (functions_.try_emplace(function.function, &function).second) function_files_.emplace(function.function, file);
    }
    for (const ClassFact& cls : file->classes) classes_.try_emplace(cls.qualified_name, &cls);
    for (const TypeFact& type : file->types) types_.try_emplace(type.name, type.type);
  }
}

const FunctionEffectFact* ProjectIndex::summary_of(std::string_view function, const FileFacts** file) const {
  auto found = functions_.find(function);
  if (found == functions_.end()) found = functions_.find(defining_function(function));
  if (found == functions_.end()) return nullptr;
  if (file != nullptr) *file = function_files_.at(found->first);
  return found->second;
}

bool ProjectIndex::is_project_function(std::string_view qualified_name) const {
  return functions_.count(qualified_name) != 0;
}

std::string ProjectIndex::scanned_name(std::string_view qualified_name) const {
  // Longest module part first: `a.b.c.f` tries module `a.b.c`, then `a.b`, then `a`.
  for (auto cut = qualified_name.rfind('.'); cut != std::string_view::npos && cut > 0;
       cut = qualified_name.rfind('.', cut - 1)) {
    std::string_view written = qualified_name.substr(0, cut);
    std::string_view rest = qualified_name.substr(cut);
    auto last_dot = written.rfind('.');
    auto found = modules_by_last_segment_.find(last_dot == std::string_view::npos ? written : written.substr(last_dot + 1));
    if (found != modules_by_last_segment_.end()) {
      std::string_view match;
      bool ambiguous = false;
      for (std::string_view module : found->second) {
        if (module == written) return std::string(qualified_name);  // already the scanned name
        bool suffix = (written.size() > module.size() && written.ends_with(module) &&
                       written[written.size() - module.size() - 1] == '.') ||
                      (module.size() > written.size() && module.ends_with(written) &&
                       module[module.size() - written.size() - 1] == '.');
        if (!suffix) continue;
        ambiguous = ambiguous || (!match.empty() && match != module);
        match = module;
      }
      if (!match.empty() && !ambiguous) return std::string(match) + std::string(rest);
    }
    if (cut == 0) break;
  }
  return std::string(qualified_name);
}

std::string ProjectIndex::defining_function(std::string_view spelled) const {
  if (functions_.count(spelled) != 0) return std::string(spelled);
  std::string scanned = scanned_name(spelled);
  std::string_view qualified_name = scanned;
  if (functions_.count(qualified_name) != 0) return scanned;
  auto dot = qualified_name.rfind('.');
  if (dot == std::string_view::npos) return std::string(qualified_name);
  std::string_view method = qualified_name.substr(dot + 1);
  std::vector<std::pair<std::string, int>> pending{{std::string(qualified_name.substr(0, dot)), 0}};
  std::unordered_set<std::string> seen;
  while (!pending.empty()) {
    auto [cls_name, depth] = std::move(pending.back());
    pending.pop_back();
    if (depth > kMaxBaseDepth || !seen.insert(cls_name).second) continue;
    std::string candidate = cls_name + "." + std::string(method);
    if (functions_.count(candidate) != 0) return candidate;
    auto cls = classes_.find(cls_name);
    if (cls == classes_.end()) continue;
    for (auto base = cls->second->bases.rbegin(); base != cls->second->bases.rend(); ++base) {
      // A base the defining file could not resolve is looked up in that file's module.
      if (classes_.count(*base) != 0) {
        pending.emplace_back(*base, depth + 1);
      } else {
        std::string local = std::string(module_of(cls_name)) + "." + *base;
        pending.emplace_back(classes_.count(local) != 0 ? local : *base, depth + 1);
      }
    }
  }
  return std::string(qualified_name);
}

const CallOrigin* ProjectIndex::blocking_of(std::string_view function) const {
  auto it = blocking_.find(function);
  return it == blocking_.end() ? nullptr : &it->second;
}

const CallOrigin* ProjectIndex::constant_work_of(std::string_view function) const {
  auto it = constant_work_.find(function);
  return it == constant_work_.end() ? nullptr : &it->second;
}

// The type a TypeFact name stands for: a function's result or an attribute, looked up under
// its scanned spelling and, for `Class#attribute`, through the class's bases in any module.
std::string_view ProjectIndex::type_of(std::string_view name, int depth) const {
  if (depth > kMaxBaseDepth) return {};
  if (auto found = types_.find(name); found != types_.end()) return found->second;
  auto hash = name.find('#');
  if (hash == std::string_view::npos) {
    std::string scanned = defining_function(name);
    auto found = types_.find(scanned);
    return found == types_.end() ? std::string_view{} : found->second;
  }
  std::string owner = scanned_name(name.substr(0, hash));
  std::string_view member = name.substr(hash + 1);
  if (auto found = types_.find(owner + "#" + std::string(member)); found != types_.end()) return found->second;
  auto cls = classes_.find(owner);
  if (cls == classes_.end()) return {};
  for (const std::string& base : cls->second->bases) {
    std::string resolved = classes_.count(base) != 0 ? base : std::string(module_of(owner)) + "." + base;
    if (classes_.count(resolved) == 0) resolved = scanned_name(base);
    std::string_view found = type_of(resolved + "#" + std::string(member), depth + 1);
    if (!found.empty()) return found;
  }
  return {};
}

std::string ProjectIndex::resolve_type_expression(std::string_view expression) const {
  std::string current(expression);
  // Each round replaces the longest prefix that names a project type; a type can itself be an
  // expression of other names, so a few rounds may be needed (bounded: cycles must end). The
  // last segment is the method called and is never replaced: `pkg.f` calls f, it is not what f
  // returns.
  for (int round = 0; round < 8; ++round) {
    bool replaced = false;
    std::size_t last = current.find_last_of(".#");
    if (last == std::string::npos) break;
    for (std::size_t cut = last; cut > 0; --cut) {
      if (current[cut] != '.' && current[cut] != '#') continue;
      std::string_view type = type_of(std::string_view(current).substr(0, cut), 0);
      if (type.empty() || type == std::string_view(current).substr(0, cut)) continue;
      current = std::string(type) + current.substr(cut);
      replaced = true;
      break;
    }
    if (!replaced) break;
  }
  return current;
}

}  // namespace perfscan
