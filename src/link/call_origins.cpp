// The link step's closure of per-function summaries over the project's call graph, for the
// effects that hide one or more calls away: blocking calls reached from async code (PS309) and
// constant work repeated by a loop (PS701/PS702). Each function that makes such a call directly
// seeds a breadth-first walk over reversed call edges; a caller inherits the origin of the
// first callee found to have one and remembers that callee, so the whole chain can be printed.
#include <deque>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "link/index_tables.hpp"
#include "perfscan/project.hpp"

namespace perfscan {
namespace {

// Base chains longer than this are not followed (a cycle through broken imports must end).
constexpr int kMaxBaseDepth = 16;

std::string_view module_of(std::string_view qualified_name) {
  auto dot = qualified_name.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : qualified_name.substr(0, dot);
}

// One closure: the definitions `relays` accepts pass an origin on to their callers, those `seed`
// gives one start it (`what`, `line` and `kind` of the call). `defining` maps each callee name to
// the function that defines it (kNoName when the project defines none).
template <typename Seed, typename Relays>
void close_over_callers(const ProjectIndex::Tables& t, const std::vector<NameId>& defining,
                        std::vector<ProjectIndex::Tables::Seed>& seeds,
                        std::unordered_map<NameId, ProjectIndex::Tables::Reached>& origins,
                        Seed&& seed, Relays&& relays) {
  using Tables = ProjectIndex::Tables;
  // Reversed call edges, from the function that defines a callee to its callers.
  CallerGraph callers(t.names.size());
  auto calls = [&](const Tables::Definition& function, NameId callee) {
    NameId target = defining[callee];
    return target != kNoName && target != function.name ? target : kNoName;
  };
  for (const Tables::Definition& function : t.definitions) {
    if (!relays(function)) continue;
    for (NameId callee : t.callees(function)) {
      if (NameId target = calls(function, callee); target != kNoName) callers.count(target);
    }
  }
  callers.place();
  for (auto function = t.definitions.rbegin(); function != t.definitions.rend(); ++function) {
    if (!relays(*function)) continue;
    auto callees = t.callees(*function);
    for (auto callee = callees.rbegin(); callee != callees.rend(); ++callee) {
      if (NameId target = calls(*function, *callee); target != kNoName)
        callers.add_backwards(target, function->name);
    }
  }
  std::deque<NameId> queue;
  for (const Tables::Definition& function : t.definitions) {
    const Tables::Effects* effects = t.effects_of(function);
    if (effects == nullptr || !relays(function)) continue;
    if (Tables::Seed origin; seed(*effects, origin)) {
      origin.function = function.name;
      origin.slot = function.slot;
      auto index = static_cast<std::uint32_t>(seeds.size());
      if (origins.try_emplace(function.name, Tables::Reached{index, kNoName}).second) {
        seeds.push_back(origin);
        queue.push_back(function.name);
      }
    }
  }
  while (!queue.empty()) {
    NameId callee = queue.front();
    queue.pop_front();
    Tables::Reached inherited{origins.at(callee).seed, callee};
    for (NameId caller : callers.of(callee)) {
      if (origins.try_emplace(caller, inherited).second) queue.push_back(caller);
    }
  }
}

}  // namespace

void ProjectIndex::resolve_call_origins() {
  Tables& t = *tables_;
  // The function each callee name resolves to, worked out once per distinct name: the same
  // names are called from many functions.
  std::vector<NameId> defining(t.names.size(), kNoName);
  {
    std::vector<bool> resolved(t.names.size(), false);
    for (NameId callee : t.callee_ids) {
      if (resolved[callee]) continue;
      resolved[callee] = true;
      NameId target = t.find(defining_function(t.text(callee)));
      if (t.is_function(target)) defining[callee] = target;
    }
  }
  close_over_callers(
      t, defining, t.blocking_seeds, t.blocking,
      [](const Tables::Effects& effects, Tables::Seed& origin) {
        if (effects.blocking_kind == 0) return false;
        origin.what = effects.blocking_call;
        origin.kind = effects.blocking_kind;
        origin.line = effects.blocking_line;
        return true;
      },
      [](const Tables::Definition& function) { return !function.is_async && !function.cached; });
  close_over_callers(
      t, defining, t.constant_seeds, t.constant_work,
      [](const Tables::Effects& effects, Tables::Seed& origin) {
        if (effects.constant_work == kNoName) return false;
        origin.what = effects.constant_work;
        origin.line = effects.constant_work_line;
        return true;
      },
      [](const Tables::Definition& function) { return !function.cached; });
}

bool ProjectIndex::is_project_function(std::string_view qualified_name) const {
  return tables_->has_function(qualified_name);
}

std::optional<FunctionSummary> ProjectIndex::summary_of(std::string_view function) const {
  const Tables& t = *tables_;
  NameId id = t.find(function);
  if (!t.is_function(id)) id = t.find(defining_function(function));
  if (!t.is_function(id)) return std::nullopt;
  const Tables::Definition& definition = t.definitions[t.definition_of[id]];
  FunctionSummary summary;
  summary.path = std::string(facts_.path(definition.slot));
  summary.cached = definition.cached;
  if (const Tables::Effects* effects = t.effects_of(definition)) {
    summary.fresh_client = t.text(effects->fresh_client);
    summary.fresh_client_line = effects->fresh_client_line;
  }
  return summary;
}

bool ProjectIndex::callees_of(std::string_view function, std::vector<std::string>& callees) const {
  const Tables& t = *tables_;
  callees.clear();
  NameId id = t.find(function);
  if (!t.is_function(id)) return false;
  for (NameId callee : t.callees(t.definitions[t.definition_of[id]]))
    callees.push_back(t.text(callee));
  return true;
}

const std::vector<std::string>& ProjectIndex::request_handlers() const {
  return tables_->request_handlers;
}

bool ProjectIndex::class_bases(std::string_view qualified_name,
                               std::vector<std::string>& bases) const {
  const Tables& t = *tables_;
  bases.clear();
  const Tables::ClassRecord* cls = t.class_named(qualified_name);
  if (cls == nullptr) return false;
  for (NameId base : t.bases(*cls)) bases.push_back(t.text(base));
  return true;
}

std::string ProjectIndex::scanned_name(std::string_view qualified_name) const {
  // Longest module part first: `a.b.c.f` tries module `a.b.c`, then `a.b`, then `a`.
  for (auto cut = qualified_name.rfind('.'); cut != std::string_view::npos && cut > 0;
       cut = qualified_name.rfind('.', cut - 1)) {
    std::string_view written = qualified_name.substr(0, cut);
    std::string_view rest = qualified_name.substr(cut);
    auto last_dot = written.rfind('.');
    const auto& modules = tables_->modules_by_last_segment;
    auto found =
        modules.find(last_dot == std::string_view::npos ? written : written.substr(last_dot + 1));
    if (found != modules.end()) {
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
  if (tables_->has_function(spelled)) return std::string(spelled);
  return defining_method(spelled);
}

// defining_function for a name that is not itself a project function.
std::string ProjectIndex::defining_method(std::string_view spelled) const {
  const Tables& t = *tables_;
  std::string scanned = scanned_name(spelled);
  std::string_view qualified_name = scanned;
  if (qualified_name != spelled && t.has_function(qualified_name)) return scanned;
  auto dot = qualified_name.rfind('.');
  if (dot == std::string_view::npos) return std::string(qualified_name);
  std::string_view method = qualified_name.substr(dot + 1);
  std::vector<std::pair<std::string, int>> pending{{std::string(qualified_name.substr(0, dot)), 0}};
  std::unordered_set<std::string> seen;
  while (!pending.empty()) {
    auto [cls_name, depth] = std::move(pending.back());
    pending.pop_back();
    if (depth > kMaxBaseDepth || !seen.insert(cls_name).second) continue;
    // The first candidate is `qualified_name` itself, which is not a function.
    if (depth > 0) {
      std::string candidate = cls_name + "." + std::string(method);
      if (t.has_function(candidate)) return candidate;
    }
    const Tables::ClassRecord* cls = t.class_named(cls_name);
    if (cls == nullptr) continue;
    auto bases = t.bases(*cls);
    for (auto base_id = bases.rbegin(); base_id != bases.rend(); ++base_id) {
      std::string base = t.text(*base_id);
      // A base the defining file could not resolve is looked up in that file's module.
      if (t.class_of[*base_id] != kNoName) {
        pending.emplace_back(base, depth + 1);
      } else {
        std::string local = std::string(module_of(cls_name)) + "." + base;
        pending.emplace_back(t.has_class(local) ? local : base, depth + 1);
      }
    }
  }
  return std::string(qualified_name);
}

namespace {

std::optional<CallOrigin> origin_in(
    const ProjectIndex::Tables& t, const FactStore& facts,
    const std::vector<ProjectIndex::Tables::Seed>& seeds,
    const std::unordered_map<NameId, ProjectIndex::Tables::Reached>& origins,
    std::string_view function) {
  auto it = origins.find(t.find(function));
  if (it == origins.end()) return std::nullopt;
  const ProjectIndex::Tables::Seed& seed = seeds[it->second.seed];
  return CallOrigin{seed.kind, t.text(seed.what), std::string(facts.path(seed.slot)), seed.line,
                    t.text(it->second.next)};
}

}  // namespace

std::optional<CallOrigin> ProjectIndex::blocking_of(std::string_view function) const {
  return origin_in(*tables_, facts_, tables_->blocking_seeds, tables_->blocking, function);
}

std::optional<CallOrigin> ProjectIndex::constant_work_of(std::string_view function) const {
  return origin_in(*tables_, facts_, tables_->constant_seeds, tables_->constant_work, function);
}

// The type a TypeFact name stands for: a function's result or an attribute, looked up under
// its scanned spelling and, for `Class#attribute`, through the class's bases in any module.
std::string ProjectIndex::type_of(std::string_view name, int depth) const {
  if (depth > kMaxBaseDepth) return {};
  const Tables& t = *tables_;
  // Every name looked up below has the key of `name`: the same member of another class, or
  // the same last segment of a function in another module or class (most prefixes of a call's
  // target are modules and classes that nothing types, and end here).
  if (!t.type_keys.contains(Tables::type_key(name))) return {};
  // The type a TypeFact gives `key` (possibly ""), or nothing when none does.
  auto typed = [&](std::string_view key) -> std::optional<std::string> {
    NameId id = t.find(key);
    if (id == kNoName || t.type_of[id] == kNoName) return std::nullopt;
    return t.text(t.type_of[id]);
  };
  NameId id = t.find(name);
  if (id != kNoName && t.type_of[id] != kNoName) return t.text(t.type_of[id]);
  auto hash = name.find('#');
  if (hash == std::string_view::npos) {
    // A function is its own defining function, and it has no type (just looked up); so is a
    // name no class says otherwise of.
    if (t.is_function(id)) return {};
    std::string defining = defining_method(name);
    if (defining == name) return {};
    return typed(defining).value_or(std::string());
  }
  std::string owner = scanned_name(name.substr(0, hash));
  std::string_view member = name.substr(hash + 1);
  if (std::optional<std::string> type = typed(owner + "#" + std::string(member))) return *type;
  const Tables::ClassRecord* cls = t.class_named(owner);
  if (cls == nullptr) return {};
  for (NameId base_id : t.bases(*cls)) {
    std::string base(t.text(base_id));
    std::string resolved = t.has_class(base) ? base : std::string(module_of(owner)) + "." + base;
    if (!t.has_class(resolved)) resolved = scanned_name(base);
    std::string found = type_of(resolved + "#" + std::string(member), depth + 1);
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
      std::string type = type_of(std::string_view(current).substr(0, cut), 0);
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
