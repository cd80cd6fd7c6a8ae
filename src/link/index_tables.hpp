// What the project index keeps of the files' facts once it has read them: names interned
// (link/name_table.hpp) and tables of ids. Private to src/link.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
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

// Reversed call edges (callee -> callers) in two arrays, compressed rows: every edge is counted,
// the rows placed, then the edges added last one first, so that each callee's callers come out
// in the order the edges were met.
class CallerGraph {
 public:
  explicit CallerGraph(std::size_t names) : starts_(names + 2, 0) {}
  void count(NameId callee) { ++starts_[callee + 1]; }
  void place() {
    for (std::size_t i = 1; i < starts_.size(); ++i) starts_[i] += starts_[i - 1];
    callers_.resize(starts_.back());
  }
  // After place(), each counted edge once, in the reverse of the order they are to come out.
  void add_backwards(NameId callee, NameId caller) { callers_[--starts_[callee + 1]] = caller; }
  [[nodiscard]] std::span<const NameId> of(NameId callee) const {
    return std::span<const NameId>(callers_).subspan(starts_[callee + 1],
                                                     starts_[callee + 2] - starts_[callee + 1]);
  }

 private:
  std::vector<std::uint32_t> starts_;
  std::vector<NameId> callers_;
};

struct ProjectIndex::Tables {
  NameTable names;

  // ---- what each name is, by id: dense arrays that grow with the names ----
  // The first file that names a class, a type, a function wins, as it always has.
  enum Flag : std::uint8_t {
    kUncachedDefinition = 1,  // some definition of this function is not cached
    kCachedDefinition = 2,    // some definition is
    kModelEvidence = 4,       // used as a model (DatabaseFacts::model_evidence)
    kRequestHandler = 8,
    kEntryPoint = 16,  // a request or an event handler (entry_points)
  };
  std::vector<std::uint8_t> flags;
  std::vector<std::uint32_t> class_of;       // into class_records, or kNoName
  std::vector<NameId> type_of;               // the TypeFact's type, or kNoName
  std::vector<std::uint32_t> definition_of;  // the function's first definition, or kNoName
  // What a TypeFact name can be recognised by without looking it up (type_key): a name whose
  // key is not here has no type, however the walk through its defining function or its class's
  // bases goes, for those keep the key.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const {
      return std::hash<std::string_view>{}(key);
    }
  };
  std::unordered_set<std::string, KeyHash, std::equal_to<>> type_keys;

  struct ClassRecord {
    std::uint32_t first_base = 0;  // into base_ids
    std::uint32_t base_count = 0;
  };
  std::vector<ClassRecord> class_records;
  std::vector<NameId> base_ids;
  // Scanned module names by their last segment (a view into `names`), each once, for
  // scanned_name.
  std::unordered_map<std::string_view, std::vector<std::string>> modules_by_last_segment;
  std::vector<std::string> request_handlers;
  // The request and event handlers of every file (DatabaseFacts), each name once, in the order
  // first recorded (a file's request handlers before its event handlers): repeated_by's seeds.
  struct EntryPoint {
    NameId function = kNoName;
    bool event = false;
  };
  std::vector<EntryPoint> entry_points;

  // ---- function summaries (FunctionEffectFact) ----
  // Every definition in the scan's order, except one that repeats an earlier definition of the
  // same name exactly (the same summary in another copy of a module): it would add nothing to
  // any closure below, whose seeds and call edges are first come, first served.
  struct Definition {
    NameId name = kNoName;
    std::uint32_t slot = 0;          // the file's, for its path
    std::uint32_t first_callee = 0;  // into callee_ids
    std::uint32_t callee_count = 0;
    std::uint32_t next_same_name = kNoName;  // the next definition of the same name
    std::uint32_t effects = kNoName;         // into definition_effects: few functions have any
    bool cached = false;
    bool is_async = false;
  };
  // What a function does directly: the first query or remote call, blocking call, constant work,
  // and the new client it returns (FunctionEffectFact::fresh_client).
  struct Effects {
    NameId effect = kNoName;  // "" is kNoName
    std::uint32_t effect_line = 0;
    NameId blocking_call = kNoName;
    std::uint32_t blocking_line = 0;
    NameId constant_work = kNoName;
    std::uint32_t constant_work_line = 0;
    NameId fresh_client = kNoName;
    std::uint32_t fresh_client_line = 0;
    std::uint16_t blocking_kind = 0;
    bool effect_is_remote = false;

    bool operator==(const Effects&) const = default;
  };
  std::vector<Definition> definitions;
  std::vector<Effects> definition_effects;
  std::vector<NameId> callee_ids;

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
  // repeated_by's closure over call edges (forward, from handlers and loops' callees), made on
  // first use: each seed's origin (its `next` empty), and the functions reached.
  std::once_flag repeats_once;
  std::vector<RepeatOrigin> repeat_seeds;
  std::unordered_map<NameId, Reached> repeats;

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

  // ---- building ----
  // Interns `text`, with room for it in the per-name arrays.
  NameId intern(std::string_view text) {
    NameId id = names.intern(text);
    if (id >= flags.size()) {
      flags.resize(names.size(), 0);
      class_of.resize(names.size(), kNoName);
      type_of.resize(names.size(), kNoName);
      definition_of.resize(names.size(), kNoName);
    }
    return id;
  }
  // Whether two definitions of one name say the same.
  [[nodiscard]] bool same_definition(const Definition& a, const Definition& b) const;

  // `#member` for `Class#member`, else the last dotted segment.
  static std::string_view type_key(std::string_view name) {
    auto hash = name.find('#');
    if (hash != std::string_view::npos) return name.substr(hash);
    auto dot = name.rfind('.');
    return dot == std::string_view::npos ? name : name.substr(dot + 1);
  }

  // ---- lookups ----
  [[nodiscard]] std::string text(NameId id) const {
    return id == kNoName ? std::string() : names.text(id);
  }
  [[nodiscard]] NameId find(std::string_view name) const { return names.find(name); }
  [[nodiscard]] bool has_flag(NameId id, Flag flag) const {
    return id != kNoName && (flags[id] & flag) != 0;
  }
  [[nodiscard]] const ClassRecord* class_named(std::string_view name) const {
    NameId id = find(name);
    return id == kNoName || class_of[id] == kNoName ? nullptr : &class_records[class_of[id]];
  }
  [[nodiscard]] bool has_class(std::string_view name) const { return class_named(name) != nullptr; }
  [[nodiscard]] std::span<const NameId> bases(const ClassRecord& record) const {
    return std::span<const NameId>(base_ids).subspan(record.first_base, record.base_count);
  }
  [[nodiscard]] bool is_function(NameId id) const {
    return id != kNoName && definition_of[id] != kNoName;
  }
  [[nodiscard]] bool has_function(std::string_view name) const { return is_function(find(name)); }
  [[nodiscard]] std::span<const NameId> callees(const Definition& definition) const {
    return std::span<const NameId>(callee_ids)
        .subspan(definition.first_callee, definition.callee_count);
  }
  [[nodiscard]] const Effects* effects_of(const Definition& definition) const {
    return definition.effects == kNoName ? nullptr : &definition_effects[definition.effects];
  }
};

}  // namespace perfscan
