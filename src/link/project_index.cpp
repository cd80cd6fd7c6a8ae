// The link step's index: models resolved through their bases across files, reverse relation
// accessors, and which functions run a query or remote call (closed over calls to a fixed point).
#include "perfscan/project.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <unordered_set>

namespace perfscan {
namespace {

// Inheritance chains longer than this are not followed (they do not occur in real code, and
// a cycle through broken imports must not loop).
constexpr int kMaxBaseDepth = 16;

bool is_django_root(std::string_view name) {
  return name == "django.db.models.Model" || name == "django.db.models.base.Model";
}

bool is_sqlalchemy_root(std::string_view name) {
  return name == "sqlalchemy.orm.DeclarativeBase" || name == "sqlalchemy.orm.DeclarativeBaseNoMeta" ||
         name == "sqlalchemy.orm.decl_api.DeclarativeBase" || name == "sqlmodel.SQLModel";
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string last_component(std::string_view name) {
  auto dot = name.rfind('.');
  return std::string(dot == std::string_view::npos ? name : name.substr(dot + 1));
}

std::string module_of(std::string_view qualified_name) {
  auto dot = qualified_name.rfind('.');
  return dot == std::string_view::npos ? std::string{} : std::string(qualified_name.substr(0, dot));
}

// Django's default table: "<app_label>_<modelname>", the app label being the package that
// holds the models module ("shop.models" -> "shop").
std::string django_default_table(const std::string& module, const std::string& model) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    auto dot = module.find('.', start);
    parts.push_back(module.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  std::string app = parts.back();
  for (std::size_t i = parts.size(); i-- > 1;) {
    if (parts[i] == "models") {
      app = parts[i - 1];
      break;
    }
  }
  return app.empty() ? lower(model) : fmt::format("{}_{}", lower(app), lower(model));
}

// Flask-SQLAlchemy's default table name: the class name in snake_case.
std::string snake_case(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (std::isupper(c) && i > 0) out += '_';
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

struct ClassEntry {
  const ClassFact* fact = nullptr;
  const FileFacts* file = nullptr;
};

}  // namespace

const FieldFact* ModelInfo::field(std::string_view name) const {
  for (const FieldFact* candidate : fields) {
    if (candidate->name == name) return candidate;
  }
  return nullptr;
}

ProjectIndex::ProjectIndex(const std::vector<const FileFacts*>& files, RuleSettings settings)
    : files_(files), settings_(std::move(settings)) {
  for (const FileFacts* file : files_) {
    for (const ClassFact& fact : file->classes) classes_.try_emplace(fact.qualified_name, &fact);
    for (std::string_view name : file->database.model_evidence) model_evidence_.insert(name);
  }
  index_functions();
  resolve_models();
  resolve_reverse_relations();
  resolve_effects();
  resolve_signals();
  resolve_call_origins();
}

ClassStatus ProjectIndex::class_status(std::string_view qualified_name) const {
  if (model(qualified_name) != nullptr) return ClassStatus::model;
  // Every base must be a project class or a builtin: a base from outside the scan may be a
  // model (a third-party abstract model) for all the project shows.
  std::vector<std::pair<std::string, int>> pending{{std::string(qualified_name), 0}};
  std::unordered_set<std::string> seen;
  while (!pending.empty()) {
    auto [name, depth] = pending.back();
    pending.pop_back();
    if (depth > kMaxBaseDepth || !seen.insert(name).second) continue;
    if (name == "object" || name.starts_with("builtins.")) continue;
    std::string local = name;
    auto it = classes_.find(name);
    if (it == classes_.end() && depth > 0) {
      // A base written as a bare name of the class's own module.
      std::string module = module_of(std::string(qualified_name));
      it = classes_.find(module.empty() ? name : fmt::format("{}.{}", module, name));
    }
    if (it == classes_.end()) return ClassStatus::unknown;
    if (models_.count(it->first) != 0) return ClassStatus::model;
    for (const std::string& base : it->second->bases) pending.emplace_back(base, depth + 1);
  }
  return ClassStatus::not_model;
}

bool ProjectIndex::has_model_evidence(std::string_view qualified_name) const {
  if (model_evidence_.count(qualified_name) != 0) return true;
  // `app.models.Tag`, `models.Tag`, `app.models.tags.Tag`: imported from a models module.
  std::string_view module = qualified_name.substr(0, qualified_name.rfind('.') == std::string_view::npos
                                                         ? 0
                                                         : qualified_name.rfind('.'));
  for (std::size_t start = 0; start < module.size();) {
    std::size_t end = std::min(module.find('.', start), module.size());
    if (module.substr(start, end - start) == "models") return true;
    start = end + 1;
  }
  return false;
}

const std::vector<SignalOrigin>& ProjectIndex::signals_for(std::string_view model) const {
  static const std::vector<SignalOrigin> kNone;
  auto it = signals_.find(model);
  return it == signals_.end() ? kNone : it->second;
}

void ProjectIndex::resolve_signals() {
  for (const FileFacts* file : files_) {
    for (const SignalFact& signal : file->database.signals) {
      std::string model = signal.sender;
      if (models_.count(model) == 0) {
        // `sender="app.Book"` or a name the file could not resolve: a unique model of that name.
        std::string short_name = last_component(model);
        std::string unique;
        for (const auto& [name, info] : models_) {
          if (info.fact->name != short_name) continue;
          unique = unique.empty() ? name : std::string{};
          if (unique.empty()) break;
        }
        if (!unique.empty()) model = unique;
      }
      signals_[model].push_back(SignalOrigin{signal.signal, file->path, signal.line});
    }
  }
}

const ModelInfo* ProjectIndex::model(std::string_view qualified_name) const {
  auto it = models_.find(std::string(qualified_name));
  if (it == models_.end() && !modules_by_last_segment_.empty()) it = models_.find(scanned_name(qualified_name));
  return it == models_.end() ? nullptr : &it->second;
}

const ReverseRelation* ProjectIndex::reverse_relation(std::string_view model,
                                                      std::string_view accessor) const {
  auto it = reverse_.find(model);
  if (it == reverse_.end()) return nullptr;
  auto found = it->second.find(accessor);
  return found == it->second.end() ? nullptr : &found->second;
}

std::string ProjectIndex::related_model(std::string_view model, std::string_view accessor) const {
  if (model.empty()) {
    // An owner of unknown type: a reverse accessor named after its model (`<model>_set`, or a
    // related_name) that exactly one relation in the project declares.
    std::string found;
    for (const auto& [target, accessors] : reverse_) {
      auto it = accessors.find(accessor);
      if (it == accessors.end()) continue;
      if (!found.empty() && found != it->second.source_model) return {};
      found = it->second.source_model;
    }
    return found;
  }
  const ModelInfo* info = this->model(model);
  if (info == nullptr) return {};
  if (const ReverseRelation* reverse = reverse_relation(model, accessor)) return reverse->source_model;
  const FieldFact* field = info->field(accessor);
  if (field == nullptr || field->kind == FieldKind::column || field->kind == FieldKind::generic_fk) return {};
  return resolve_target(*info, field->target);
}

const EffectOrigin* ProjectIndex::effect_of(std::string_view function) const {
  auto it = effects_.find(std::string(function));
  if (it == effects_.end()) it = effects_.find(defining_function(function));
  return it == effects_.end() ? nullptr : &it->second;
}

void ProjectIndex::resolve_models() {
  std::unordered_map<std::string, ClassEntry> classes;
  std::unordered_map<std::string, std::pair<const ModelFact*, const FileFacts*>> model_facts;
  std::unordered_map<std::string, Orm> roots;
  for (const FileFacts* file : files_) {
    for (const ClassFact& fact : file->classes) classes.try_emplace(fact.qualified_name, ClassEntry{&fact, file});
    for (const ModelFact& fact : file->database.models) model_facts.try_emplace(fact.qualified_name, &fact, file);
    for (const OrmRootFact& root : file->database.roots) roots.try_emplace(root.qualified_name, root.orm);
  }
  // A base written as a bare name the file could not resolve (`class User(Base)` after
  // `Base = declarative_base()`) is looked up in the class's own module.
  auto resolve_base = [&](const std::string& base, const std::string& module) -> std::string {
    if (classes.count(base) != 0 || roots.count(base) != 0) return base;
    std::string local = module.empty() ? base : fmt::format("{}.{}", module, base);
    if (classes.count(local) != 0 || roots.count(local) != 0) return local;
    return base;
  };
  std::unordered_map<std::string, Orm> memo;
  // Which ORM a class derives from, following bases depth-first with an explicit bound.
  auto orm_of = [&](const std::string& start) {
    struct Item {
      std::string name;
      int depth;
    };
    std::vector<Item> pending{{start, 0}};
    std::unordered_set<std::string> seen;
    while (!pending.empty()) {
      Item item = std::move(pending.back());
      pending.pop_back();
      if (item.depth > kMaxBaseDepth || !seen.insert(item.name).second) continue;
      if (auto known = memo.find(item.name); known != memo.end() && known->second != Orm::unknown) {
        return known->second;
      }
      if (is_django_root(item.name)) return Orm::django;
      if (is_sqlalchemy_root(item.name)) return Orm::sqlalchemy;
      if (auto root = roots.find(item.name); root != roots.end()) return root->second;
      // Flask-SQLAlchemy: `class User(db.Model)` with `db = SQLAlchemy()`.
      if (item.name.ends_with(".Model")) {
        if (auto root = roots.find(module_of(item.name)); root != roots.end()) return root->second;
      }
      auto it = classes.find(item.name);
      if (it == classes.end()) continue;
      std::string module = module_of(item.name);
      for (const std::string& base : it->second.fact->bases) {
        pending.push_back({resolve_base(base, module), item.depth + 1});
      }
    }
    return Orm::unknown;
  };
  for (const auto& [name, entry] : model_facts) {
    Orm orm = orm_of(name);
    memo[name] = orm;
    if (orm == Orm::unknown) continue;
    const ModelFact& fact = *entry.first;
    ModelInfo info;
    info.fact = &fact;
    info.file = entry.second;
    info.orm = orm;
    // Own fields first, then those of project base classes (abstract models, mixins).
    std::vector<std::pair<std::string, int>> chain{{name, 0}};
    std::unordered_set<std::string> visited;
    while (!chain.empty()) {
      auto [current, depth] = chain.back();
      chain.pop_back();
      if (depth > kMaxBaseDepth || !visited.insert(current).second) continue;
      if (auto found = model_facts.find(current); found != model_facts.end()) {
        const ModelFact& declared = *found->second.first;
        for (const FieldFact& field : declared.fields) {
          if (info.field(field.name) == nullptr) info.fields.push_back(&field);
        }
        for (const auto& index : declared.indexes) info.indexes.push_back(index);
        for (const std::string& method : declared.overrides) {
          info.overrides_save = info.overrides_save || method == "save";
          info.overrides_delete = info.overrides_delete || method == "delete";
        }
      }
      if (auto cls = classes.find(current); cls != classes.end()) {
        for (const std::string& base : cls->second.fact->bases) {
          chain.emplace_back(resolve_base(base, module_of(current)), depth + 1);
        }
      }
    }
    if (!fact.table.empty()) {
      info.table = fact.table;
    } else if (orm == Orm::django) {
      info.table = django_default_table(module_of(name), fact.name);
    } else {
      info.table = snake_case(fact.name);
    }
    models_.emplace(name, std::move(info));
  }
}

// A relation's target as written: a class, "self", "Model" or "app_label.Model" (a string).

std::string ProjectIndex::resolve_target(const ModelInfo& from, const std::string& target) const {
  std::string text = target;
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'')) text = text.substr(1, text.size() - 2);
  if (text == "self") return from.fact->qualified_name;
  if (models_.count(text) != 0) return text;
  std::string same_module = fmt::format("{}.{}", module_of(from.fact->qualified_name), last_component(text));
  if (models_.count(same_module) != 0) return same_module;
  std::string short_name = last_component(text);
  std::string unique;
  for (const auto& [name, info] : models_) {
    if (info.fact->name != short_name) continue;
    if (!unique.empty()) return {};  // ambiguous: two models of that name
    unique = name;
  }
  return unique;
}

void ProjectIndex::resolve_reverse_relations() {
  for (const auto& [name, info] : models_) {
    if (info.orm != Orm::django) continue;
    for (const FieldFact& field : info.fact->fields) {
      if (field.kind != FieldKind::foreign_key && field.kind != FieldKind::one_to_one &&
          field.kind != FieldKind::many_to_many) {
        continue;
      }
      std::string target = resolve_target(info, field.target);
      if (target.empty() || field.related_name == "+" || field.related_name.ends_with("+")) continue;
      std::string accessor = field.related_name;
      if (accessor.empty()) {
        accessor = field.kind == FieldKind::one_to_one ? lower(info.fact->name)
                                                       : lower(info.fact->name) + "_set";
      }
      reverse_[target].try_emplace(accessor, ReverseRelation{name, &field});
    }
  }
}

// Functions that run a query directly seed a breadth-first walk over reversed call edges:
// each caller inherits the origin of the first callee found to have one.
void ProjectIndex::resolve_effects() {
  // Views into the facts, which outlive this walk: the call graph is the largest thing the
  // link step builds, so its names are not copied.
  // An effect can only travel along a call to a function that has facts of its own (it runs
  // a query or calls something) and is not cached: edges to anything else (library calls,
  // trivial helpers) are left out of the graph, which keeps it a fraction of all calls.
  std::unordered_set<std::string_view> relays;
  for (const FileFacts* file : files_) {
    for (const FunctionEffectFact& function : file->database.functions) {
      if (!function.cached) relays.insert(function.function);
    }
  }
  for (const FileFacts* file : files_) {
    for (const FunctionEffectFact& function : file->database.functions) {
      if (function.cached) relays.erase(function.function);
    }
  }
  std::unordered_map<std::string_view, std::vector<std::string_view>> callers;
  std::deque<std::string_view> queue;
  for (const FileFacts* file : files_) {
    for (const FunctionEffectFact& function : file->database.functions) {
      // A cached function runs its query once, not once per call.
      if (function.cached) continue;
      for (std::string_view callee : function.callees) {
        if (relays.count(callee) != 0) callers[callee].push_back(function.function);
      }
      if (function.effect.empty()) continue;
      if (effects_.try_emplace(function.function, EffectOrigin{function.effect, file->path, function.effect_line,
                                                             {}, function.effect_is_remote})
              .second) {
        queue.push_back(function.function);
      }
    }
  }
  while (!queue.empty()) {
    std::string_view callee = queue.front();
    queue.pop_front();
    auto it = callers.find(callee);
    if (it == callers.end()) continue;
    EffectOrigin inherited = effects_.at(std::string(callee));
    if (inherited.via.empty()) inherited.via = std::string(callee);
    for (std::string_view caller : it->second) {
      if (effects_.try_emplace(std::string(caller), inherited).second) queue.push_back(caller);
    }
  }
}

}  // namespace perfscan
