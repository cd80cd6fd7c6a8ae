// The link step's index: models resolved through their bases across files, reverse relation
// accessors, and which functions run a query or remote call (closed over calls to a fixed point).
#include "perfscan/project.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <stdexcept>
#include <unordered_set>

#include "link/index_tables.hpp"

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

}  // namespace

const FieldFact* ModelInfo::field(std::string_view name) const {
  for (const FieldFact* candidate : fields) {
    if (candidate->name == name) return candidate;
  }
  return nullptr;
}

ProjectIndex::ProjectIndex(const FactStore& facts, RuleSettings settings)
    : facts_(facts), settings_(std::move(settings)), tables_(std::make_unique<Tables>()) {
  if (std::string problem = facts_.problem(); !problem.empty()) throw std::runtime_error(problem);
  read_facts();
  resolve_models();
  resolve_reverse_relations();
  resolve_effects();
  resolve_signals();
  resolve_call_origins();
}

ProjectIndex::~ProjectIndex() = default;

bool ProjectIndex::Tables::same_definition(const Definition& a, const Definition& b) const {
  if (a.name != b.name || a.cached != b.cached || a.is_async != b.is_async ||
      a.callee_count != b.callee_count) {
    return false;
  }
  const Effects* mine = effects_of(a);
  const Effects* theirs = effects_of(b);
  if ((mine == nullptr) != (theirs == nullptr) || (mine != nullptr && !(*mine == *theirs)))
    return false;
  auto calls = callees(a);
  auto other_calls = callees(b);
  return std::equal(calls.begin(), calls.end(), other_calls.begin());
}

// One pass over the files, in the scan's order: everything the index keeps, with names
// interned. Where several files name the same thing, the first one wins, as it always has.
void ProjectIndex::read_facts() {
  Tables& t = *tables_;
  const FactParts parts = fact_part(FactSection::head) | fact_part(FactSection::names) |
                          fact_part(FactSection::database) | fact_part(FactSection::functions);
  for (std::size_t slot = 0; slot < facts_.size(); ++slot) {
    if (!facts_.has(slot)) continue;
    const FileFacts file = facts_.load(slot, parts);
    if (!file.module.empty()) {
      auto& same_last = t.modules_by_last_segment[t.names.last_segment(t.intern(file.module))];
      if (std::find(same_last.begin(), same_last.end(), file.module) == same_last.end())
        same_last.push_back(file.module);
    }
    for (const ClassFact& fact : file.classes) {
      NameId name = t.intern(fact.qualified_name);
      if (t.class_of[name] != kNoName) continue;
      Tables::ClassRecord record{static_cast<std::uint32_t>(t.base_ids.size()),
                                 static_cast<std::uint32_t>(fact.bases.size())};
      for (const std::string& base : fact.bases) t.base_ids.push_back(t.intern(base));
      t.class_of[name] = static_cast<std::uint32_t>(t.class_records.size());
      t.class_records.push_back(record);
    }
    for (const TypeFact& type : file.types) {
      NameId name = t.intern(type.name);
      NameId value = t.intern(type.type);
      if (t.type_of[name] == kNoName) t.type_of[name] = value;
      if (!t.type_keys.contains(Tables::type_key(type.name))) t.type_keys.emplace(Tables::type_key(type.name));
    }
    for (std::string_view name : file.database.model_evidence)
      t.flags[t.intern(name)] |= Tables::kModelEvidence;
    for (std::string_view handler : file.database.request_handlers) {
      NameId id = t.intern(handler);
      if (t.has_flag(id, Tables::kRequestHandler)) continue;
      t.flags[id] |= Tables::kRequestHandler;
      t.request_handlers.emplace_back(handler);
    }
    auto add_entry_point = [&](std::string_view handler, bool event) {
      NameId id = t.intern(handler);
      if (t.has_flag(id, Tables::kEntryPoint)) return;
      t.flags[id] |= Tables::kEntryPoint;
      t.entry_points.push_back(Tables::EntryPoint{id, event});
    };
    for (std::string_view handler : file.database.request_handlers) add_entry_point(handler, false);
    for (std::string_view handler : file.database.event_handlers) add_entry_point(handler, true);
    for (const FunctionEffectFact& function : file.database.functions) {
      Tables::Definition definition;
      definition.name = t.intern(function.function);
      definition.slot = static_cast<std::uint32_t>(slot);
      definition.cached = function.cached;
      definition.is_async = function.is_async;
      Tables::Effects effects;
      if (!function.effect.empty()) effects.effect = t.intern(function.effect);
      effects.effect_line = function.effect_line;
      effects.effect_is_remote = function.effect_is_remote;
      effects.blocking_kind = function.blocking_kind;
      if (!function.blocking_call.empty()) effects.blocking_call = t.intern(function.blocking_call);
      effects.blocking_line = function.blocking_line;
      if (!function.constant_work.empty()) effects.constant_work = t.intern(function.constant_work);
      effects.constant_work_line = function.constant_work_line;
      if (!function.fresh_client.empty()) effects.fresh_client = t.intern(function.fresh_client);
      effects.fresh_client_line = function.fresh_client_line;
      if (!(effects == Tables::Effects{})) {
        definition.effects = static_cast<std::uint32_t>(t.definition_effects.size());
        t.definition_effects.push_back(effects);
      }
      definition.first_callee = static_cast<std::uint32_t>(t.callee_ids.size());
      for (std::string_view callee : function.callees) t.callee_ids.push_back(t.intern(callee));
      definition.callee_count =
          static_cast<std::uint32_t>(t.callee_ids.size() - definition.first_callee);
      t.flags[definition.name] |=
          function.cached ? Tables::kCachedDefinition : Tables::kUncachedDefinition;
      std::uint32_t& first = t.definition_of[definition.name];
      if (first != kNoName) {
        std::uint32_t last = first;
        bool repeated = false;
        for (std::uint32_t at = first; at != kNoName; at = t.definitions[at].next_same_name) {
          repeated = repeated || t.same_definition(t.definitions[at], definition);
          last = at;
        }
        if (repeated) {
          t.callee_ids.resize(definition.first_callee);
          if (definition.effects != kNoName) t.definition_effects.pop_back();
          continue;
        }
        t.definitions[last].next_same_name = static_cast<std::uint32_t>(t.definitions.size());
      } else {
        first = static_cast<std::uint32_t>(t.definitions.size());
      }
      t.definitions.push_back(definition);
    }
    if (!file.database.models.empty()) {
      const FileFacts* model_file = nullptr;
      for (const ModelFact& fact : file.database.models) {
        if (t.models_by_name.count(fact.qualified_name) != 0) continue;
        if (model_file == nullptr) {
          FileFacts& stub = t.model_files.emplace_back();
          stub.path = file.path;
          stub.module = file.module;
          model_file = &stub;
        }
        const ModelFact& kept = t.model_facts.emplace_back(fact);
        t.models_by_name.try_emplace(fact.qualified_name, &kept, model_file);
      }
    }
    for (const OrmRootFact& root : file.database.roots)
      t.roots.try_emplace(root.qualified_name, root.orm);
    for (const SignalFact& signal : file.database.signals) {
      t.signals.push_back(Tables::Signal{signal, static_cast<std::uint32_t>(slot)});
    }
  }
}

ClassStatus ProjectIndex::class_status(std::string_view qualified_name) const {
  if (model(qualified_name) != nullptr) return ClassStatus::model;
  const Tables& t = *tables_;
  // Every base must be a project class or a builtin: a base from outside the scan may be a
  // model (a third-party abstract model) for all the project shows.
  std::vector<std::pair<std::string, int>> pending{{std::string(qualified_name), 0}};
  std::unordered_set<std::string> seen;
  while (!pending.empty()) {
    auto [name, depth] = pending.back();
    pending.pop_back();
    if (depth > kMaxBaseDepth || !seen.insert(name).second) continue;
    if (name == "object" || name.starts_with("builtins.")) continue;
    std::string found = name;
    const Tables::ClassRecord* cls = t.class_named(name);
    if (cls == nullptr && depth > 0) {
      // A base written as a bare name of the class's own module.
      std::string module = module_of(std::string(qualified_name));
      found = module.empty() ? name : fmt::format("{}.{}", module, name);
      cls = t.class_named(found);
    }
    if (cls == nullptr) return ClassStatus::unknown;
    if (models_.count(found) != 0) return ClassStatus::model;
    for (NameId base : t.bases(*cls)) pending.emplace_back(t.text(base), depth + 1);
  }
  return ClassStatus::not_model;
}

bool ProjectIndex::has_model_evidence(std::string_view qualified_name) const {
  if (tables_->has_flag(tables_->find(qualified_name), Tables::kModelEvidence)) return true;
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
  std::vector<Tables::Signal> signals = std::move(tables_->signals);
  for (const auto& [signal, slot] : signals) {
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
    signals_[model].push_back(
        SignalOrigin{signal.signal, std::string(facts_.path(slot)), signal.line});
  }
}

const ModelInfo* ProjectIndex::model(std::string_view qualified_name) const {
  auto it = models_.find(std::string(qualified_name));
  if (it == models_.end() && !tables_->modules_by_last_segment.empty())
    it = models_.find(scanned_name(qualified_name));
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

std::optional<EffectOrigin> ProjectIndex::effect_of(std::string_view function) const {
  const Tables& t = *tables_;
  auto it = t.effects.find(t.find(function));
  if (it == t.effects.end()) it = t.effects.find(t.find(defining_function(function)));
  if (it == t.effects.end()) return std::nullopt;
  const Tables::Seed& seed = t.effect_seeds[it->second];
  // Every function reached from a seed names the seed as its `via`.
  return EffectOrigin{t.text(seed.what), std::string(facts_.path(seed.slot)), seed.line,
                      seed.function == it->first ? std::string() : t.text(seed.function),
                      seed.is_remote};
}

void ProjectIndex::resolve_models() {
  const Tables& t = *tables_;
  const auto& model_facts = t.models_by_name;
  const auto& roots = t.roots;
  auto has_class = [&](const std::string& name) { return t.has_class(name); };
  // A base written as a bare name the file could not resolve (`class User(Base)` after
  // `Base = declarative_base()`) is looked up in the class's own module.
  auto resolve_base = [&](const std::string& base, const std::string& module) -> std::string {
    if (has_class(base) || roots.count(base) != 0) return base;
    std::string local = module.empty() ? base : fmt::format("{}.{}", module, base);
    if (has_class(local) || roots.count(local) != 0) return local;
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
      const Tables::ClassRecord* cls = t.class_named(item.name);
      if (cls == nullptr) continue;
      std::string module = module_of(item.name);
      for (NameId base : t.bases(*cls)) {
        pending.push_back({resolve_base(t.text(base), module), item.depth + 1});
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
      if (const Tables::ClassRecord* cls = t.class_named(current)) {
        for (NameId base : t.bases(*cls)) {
          chain.emplace_back(resolve_base(t.text(base), module_of(current)), depth + 1);
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
  Tables& t = *tables_;
  // An effect can only travel along a call to a function that has facts of its own (it runs
  // a query or calls something) and is not cached: edges to anything else (library calls,
  // trivial helpers) are left out of the graph, which keeps it a fraction of all calls.
  auto relays = [&](NameId name) {
    return t.has_flag(name, Tables::kUncachedDefinition) &&
           !t.has_flag(name, Tables::kCachedDefinition);
  };
  // A cached function runs its query once, not once per call.
  CallerGraph callers(t.names.size());
  for (const Tables::Definition& function : t.definitions) {
    if (function.cached) continue;
    for (NameId callee : t.callees(function)) {
      if (relays(callee)) callers.count(callee);
    }
  }
  callers.place();
  for (auto function = t.definitions.rbegin(); function != t.definitions.rend(); ++function) {
    if (function->cached) continue;
    auto callees = t.callees(*function);
    for (auto callee = callees.rbegin(); callee != callees.rend(); ++callee) {
      if (relays(*callee)) callers.add_backwards(*callee, function->name);
    }
  }
  std::deque<NameId> queue;
  for (const Tables::Definition& function : t.definitions) {
    const Tables::Effects* effects = t.effects_of(function);
    if (function.cached || effects == nullptr || effects->effect == kNoName) continue;
    auto seed = static_cast<std::uint32_t>(t.effect_seeds.size());
    if (t.effects.try_emplace(function.name, seed).second) {
      t.effect_seeds.push_back(Tables::Seed{function.name, effects->effect, function.slot,
                                            effects->effect_line, 0, effects->effect_is_remote});
      queue.push_back(function.name);
    }
  }
  while (!queue.empty()) {
    NameId callee = queue.front();
    queue.pop_front();
    std::uint32_t inherited = t.effects.at(callee);
    for (NameId caller : callers.of(callee)) {
      if (t.effects.try_emplace(caller, inherited).second) queue.push_back(caller);
    }
  }
}

}  // namespace perfscan
