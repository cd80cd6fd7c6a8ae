// What the project index keeps of the files' facts once it has read them: names interned
// (link/name_table.hpp) and tables of ids. Private to src/link.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "link/name_table.hpp"
#include "perfscan/project.hpp"

namespace perfscan {

struct ProjectIndex::Tables {
  NameTable names;

  // ---- classes, types, modules, evidence: the first file that names each wins ----
  struct ClassRecord {
    std::uint32_t first_base = 0;  // into base_ids
    std::uint32_t base_count = 0;
  };
  std::unordered_map<NameId, ClassRecord> classes;
  std::vector<NameId> base_ids;
  std::unordered_map<NameId, NameId> types;  // TypeFact name -> type
  std::unordered_set<NameId> model_evidence;
  // Scanned module names by their last segment, each once, for scanned_name.
  std::unordered_map<std::string_view, std::vector<std::string_view>> modules_by_last_segment;
  std::vector<std::string_view> request_handlers;
  std::unordered_set<NameId> request_handler_set;

  // ---- function summaries (FunctionEffectFact) ----
  // Every definition in the scan's order, except one that repeats an earlier definition of the
  // same name exactly (the same summary in another copy of a module): it would add nothing to
  // any closure below, whose seeds and call edges are first come, first served.
  struct Definition {
    NameId name = kNoName;
    std::uint32_t slot = 0;           // the file's, for its path
    NameId effect = kNoName;          // "" is kNoName
    std::uint32_t effect_line = 0;
    NameId blocking_call = kNoName;
    std::uint32_t blocking_line = 0;
    NameId constant_work = kNoName;
    std::uint32_t constant_work_line = 0;
    std::uint32_t first_callee = 0;   // into callee_ids
    std::uint32_t callee_count = 0;
    std::uint32_t next_same_name = kNoName;  // the next definition of the same name
    std::uint16_t blocking_kind = 0;
    bool effect_is_remote = false;
    bool cached = false;
    bool is_async = false;
  };
  std::vector<Definition> definitions;
  std::vector<NameId> callee_ids;
  // Each function name's first definition (the index's `functions`: what the project defines).
  std::unordered_map<NameId, std::uint32_t> first_definition;
  // Cached or not per name, over every definition (a name defined cached anywhere relays nothing).
  std::unordered_set<NameId> defined_uncached, defined_cached;

  // ---- the closures over reversed call edges ----
  // A function that runs the effect (query, blocking call, constant work) directly.
  struct Seed {
    NameId function = kNoName;
    NameId what = kNoName;  // the effect or the call
    std::uint32_t slot = 0;
    std::uint32_t line = 0;
    std::uint16_t kind = 0;
    bool is_remote = false;
  };
  std::vector<Seed> effect_seeds;
  std::unordered_map<NameId, std::uint32_t> effects;  // function -> seed
  struct Reached {
    std::uint32_t seed = 0;
    NameId next = kNoName;  // the callee it is reached through; kNoName for the seed itself
  };
  std::vector<Seed> blocking_seeds, constant_seeds;
  std::unordered_map<NameId, Reached> blocking, constant_work;

  // ---- models: the first definition of each, and the files they are in ----
  std::deque<ModelFact> model_facts;
  std::deque<FileFacts> model_files;  // path and module only
  std::unordered_map<std::string, std::pair<const ModelFact*, const FileFacts*>> models_by_name;
  std::unordered_map<std::string, Orm> roots;
  struct Signal {
    SignalFact fact;
    std::uint32_t slot = 0;
  };
  std::vector<Signal> signals;

  // ---- lookups ----
  [[nodiscard]] std::string_view text(NameId id) const { return id == kNoName ? std::string_view{} : names.text(id); }
  [[nodiscard]] NameId find(std::string_view name) const { return names.find(name); }
  [[nodiscard]] const ClassRecord* class_named(std::string_view name) const {
    auto it = classes.find(find(name));
    return it == classes.end() ? nullptr : &it->second;
  }
  [[nodiscard]] bool has_class(std::string_view name) const { return class_named(name) != nullptr; }
  [[nodiscard]] std::span<const NameId> bases(const ClassRecord& record) const {
    return std::span<const NameId>(base_ids).subspan(record.first_base, record.base_count);
  }
  [[nodiscard]] bool has_function(std::string_view name) const { return first_definition.count(find(name)) != 0; }
  [[nodiscard]] std::span<const NameId> callees(const Definition& definition) const {
    return std::span<const NameId>(callee_ids).subspan(definition.first_callee, definition.callee_count);
  }
  // Whether two definitions of one name say the same.
  [[nodiscard]] bool same_definition(const Definition& a, const Definition& b) const;
};

}  // namespace perfscan
