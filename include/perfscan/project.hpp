// The project index: every file's facts joined after all files are analysed (the link step).
// Rules that need the whole project implement ProjectRule besides their per-node checks; the
// engine calls `link` once per scan, after the per-file walks, with the joined index.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "perfscan/fact_store.hpp"
#include "perfscan/facts.hpp"
#include "perfscan/finding.hpp"
#include "perfscan/options.hpp"

namespace perfscan {

class Rule;

// A model class confirmed through its bases (across files) to derive from an ORM root.
struct ModelInfo {
  const ModelFact* fact = nullptr;
  const FileFacts* file = nullptr;
  Orm orm = Orm::unknown;
  std::string table;  // declared, or the framework default
  // Fields including those inherited from project base classes (abstract models, mixins).
  std::vector<const FieldFact*> fields;
  std::vector<std::vector<std::string>> indexes;
  // `save()` / `delete()` defined by the model or a project base class: bulk operations skip them.
  bool overrides_save = false;
  bool overrides_delete = false;
  [[nodiscard]] const FieldFact* field(std::string_view name) const;
};

// A signal connected for a model, where it is connected.
struct SignalOrigin {
  std::string signal;  // "post_save"
  std::string path;
  std::uint32_t line = 0;
};

// What the project says a class is, for models whose definition may be outside the scan.
enum class ClassStatus : std::uint8_t {
  model,      // a model confirmed through its bases
  not_model,  // defined in the scan, and every base is too (or a builtin): not a model
  unknown,    // not defined in the scan, or a base leaves it
};

// A reverse accessor on a model: `author.book_set` / `author.books` for Book.author's FK.
struct ReverseRelation {
  std::string source_model;  // the model declaring the relation (Book)
  const FieldFact* field = nullptr;
};

// Where a function's query or remote call comes from: the function itself or one it calls.
struct EffectOrigin {
  std::string effect;  // "`Profile.objects.get`"
  std::string path;    // file of the function that runs it directly
  std::uint32_t line = 0;
  std::string via;     // qualified name of that function ("" when it is the function itself)
  bool is_remote = false;
};

// Where a function's blocking call comes from (PS309), or its constant work (PS701/PS702): the
// call, the file and line that make it, and the next function on the way there.
struct CallOrigin {
  std::uint16_t kind = 0;  // blocking: 1 + BlockingKind (rules/blocking_io); constant work: 0
  std::string call;        // "builtins.open", "re.compile"
  std::string path;        // file of the function that makes the call
  std::uint32_t line = 0;
  std::string next;        // the callee it is reached through ("" when the function makes it)
};

// Why a function runs many times in one process (PS902, PS506): a framework calls it once per
// request or event, or a loop calls it once per item; directly, or through the project functions
// between (`next` names the caller it is reached through, to print the chain).
struct RepeatOrigin {
  bool from_loop = false;  // a loop's call, else an entry point (request or event handler)
  bool event = false;      // entry point: an event handler rather than a request handler
  std::string seed;        // the entry point, or the function whose loop makes the call
  std::string path;        // loop: the file of that call
  std::uint32_t line = 0;  // loop: the line of that call
  std::string next;        // the caller this function is reached through ("" when the seed calls it)
  // The repetition comes from test code (a loop in a test): findings it confirms are test code.
  bool in_test_code = false;
  // loop: the one-time path the loop runs on (`main()`), which lowers what it confirms; "" if none.
  std::string lowered_on;
};

// Part of a project function's summary (FunctionEffectFact), as the link step keeps it: what
// PS902 and PS506 ask of a factory a call names.
struct FunctionSummary {
  std::string path;  // the file that defines it
  bool cached = false;
  std::string fresh_client;  // FunctionEffectFact::fresh_client, "" for none
  std::uint32_t fresh_client_line = 0;
};

class ProjectIndex {
 public:
  // Reads every file's facts from `facts` (which must outlive the index), one file at a time:
  // the index keeps the names it joins on, interned, and the models, not the files' facts.
  explicit ProjectIndex(const FactStore& facts, RuleSettings settings = {});
  ~ProjectIndex();
  ProjectIndex(const ProjectIndex&) = delete;
  ProjectIndex& operator=(const ProjectIndex&) = delete;

  // The settings rules read (configuration's extra-* knowledge), as in the walk.
  [[nodiscard]] const RuleSettings& settings() const { return settings_; }

  // Every file's facts, read back a part at a time (FactStore::for_each_file, for_each_pending).
  [[nodiscard]] const FactStore& facts() const { return facts_; }
  [[nodiscard]] const ModelInfo* model(std::string_view qualified_name) const;
  // Models by qualified name, in a deterministic order.
  [[nodiscard]] const std::map<std::string, ModelInfo>& models() const { return models_; }
  // `model.accessor` as a reverse relation (related_name or `<model>_set`), or null.
  [[nodiscard]] const ReverseRelation* reverse_relation(std::string_view model,
                                                        std::string_view accessor) const;
  // The model a relation accessor of `model` leads to (`Order.lines` -> OrderLine, through a
  // reverse accessor, a forward/many-to-many field or a relationship()); "" when unknown. With
  // `model` empty (an owner of unknown type), a reverse accessor only one relation declares.
  [[nodiscard]] std::string related_model(std::string_view model, std::string_view accessor) const;
  // Does calling this function run a query or remote call, directly or through callees?
  [[nodiscard]] std::optional<EffectOrigin> effect_of(std::string_view function) const;
  // Does calling this sync function block the calling thread, directly or through the sync,
  // uncached functions it calls (PS309)? Async functions and cached ones relay nothing.
  [[nodiscard]] std::optional<CallOrigin> blocking_of(std::string_view function) const;
  // Does calling this function redo constant work (PS701/PS702), directly or through callees?
  [[nodiscard]] std::optional<CallOrigin> constant_work_of(std::string_view function) const;
  // Does this function run many times in one process, and why? Seeds are the request and event
  // handlers (DatabaseFacts) and the functions called in loops (the loop call-site collector's
  // records, kLoopCallSite); what they call, directly or through other project functions, runs
  // as often. Cached functions relay nothing. Repetition seen from production code is preferred
  // to repetition only tests cause. Computed on first use (thread-safe).
  [[nodiscard]] std::optional<RepeatOrigin> repeated_by(std::string_view function) const;
  // A method name as the caller resolved it (`pkg.views.Sub.load`) mapped to the function that
  // defines it, through project base classes in any file (`pkg.base.Base.load`); the name
  // itself when no class says otherwise.
  [[nodiscard]] std::string defining_function(std::string_view qualified_name) const;
  // A qualified name as an import spelled it, mapped onto the scanned modules when they are
  // named differently: scanning `app/` without __init__.py names its modules `models`, `views`
  // while the code imports `app.models`; a module found by a unique dotted suffix either way
  // gives the name its scanned spelling. The name itself when nothing (or more than one
  // module) matches.
  [[nodiscard]] std::string scanned_name(std::string_view qualified_name) const;
  // A receiver-and-method expression as a file left it for the link step
  // (Context::deferred_callee: `pkg.util.make_session.get`, `pkg.views.Sub#session.get`), with
  // its project-defined part replaced by the type the project gives it (`requests.Session.get`),
  // through function returns, class attributes and base classes in any module (TypeFact). The
  // expression unchanged when nothing in it is the project's.
  [[nodiscard]] std::string resolve_type_expression(std::string_view expression) const;
  // What the project's first definition of the function a call names (through
  // defining_function) says of it, for the rules that ask about one call; nullopt when no
  // scanned file summarises it.
  [[nodiscard]] std::optional<FunctionSummary> summary_of(std::string_view function) const;
  // Is this the qualified name of a function the project defines (and summarised)?
  [[nodiscard]] bool is_project_function(std::string_view qualified_name) const;
  // The functions the project's first definition of `function` calls (its summary's callees);
  // false when the project defines no such function.
  bool callees_of(std::string_view function, std::vector<std::string>& callees) const;
  // The functions that serve requests (DatabaseFacts::request_handlers) of every file, each
  // once, in the order first recorded.
  [[nodiscard]] const std::vector<std::string>& request_handlers() const;
  // The bases of the project's first class of this name, as its file wrote or resolved them;
  // false when the project defines no such class.
  bool class_bases(std::string_view qualified_name, std::vector<std::string>& bases) const;
  [[nodiscard]] ClassStatus class_status(std::string_view qualified_name) const;
  // The open world: a class whose definition is not in the scan is a model when it is imported
  // from a `models` module (`app.models.Tag`, `.models`) or used as `X.objects` / `X.query`.
  [[nodiscard]] bool has_model_evidence(std::string_view qualified_name) const;
  // Model signals connected for `model` anywhere in the project (`post_save.connect(f,
  // sender=Model)`, `@receiver(post_save, sender=Model)`).
  [[nodiscard]] const std::vector<SignalOrigin>& signals_for(std::string_view model) const;

  // The interned names, classes, types, function definitions and the closures over them: opaque
  // outside src/link (link/index_tables.hpp).
  struct Tables;

 private:
  void read_facts();
  void resolve_models();
  void resolve_reverse_relations();
  void resolve_effects();
  void resolve_call_origins();
  void resolve_repeats() const;
  void resolve_signals();
  [[nodiscard]] std::string resolve_target(const ModelInfo& from, const std::string& target) const;
  [[nodiscard]] std::string type_of(std::string_view name, int depth) const;
  [[nodiscard]] std::string defining_method(std::string_view spelled) const;

  const FactStore& facts_;
  RuleSettings settings_;
  std::unique_ptr<Tables> tables_;
  std::map<std::string, ModelInfo> models_;
  std::map<std::string, std::map<std::string, ReverseRelation, std::less<>>, std::less<>> reverse_;
  std::map<std::string, std::vector<SignalOrigin>, std::less<>> signals_;
};

// Rules that answer project-wide questions. `link` appends findings (without source_line or
// fingerprint: the engine fills those in and applies suppressions, severity filters and order
// exactly as for per-file findings).
class ProjectRule {
 public:
  virtual ~ProjectRule() = default;
  virtual void link(const ProjectIndex& index, std::vector<Finding>& findings) const = 0;
};

// The hidden rule that records DatabaseFacts during the walk (models, query sites, what
// functions do). Not listed or selectable: the engine adds it when a ProjectRule is selected.
const Rule& database_fact_collector();

// The hidden rule that records the calls async functions make directly (pending records under
// kAsyncCallSite) for PS309 and PS301–PS308 to decide at link time. Added with the collector
// above.
inline constexpr std::string_view kAsyncCallSite = "PS-async-calls";
const Rule& async_call_site_collector();

// The hidden rule that records the calls loops make (pending records under kLoopCallSite), for
// PS701 and PS702 to find constant work repeated through helpers (rules/caching/constant_work.hpp).
// Added with the collectors above.
inline constexpr std::string_view kLoopCallSite = "PS-loop-calls";
const Rule& loop_call_site_collector();

// The pending findings (PendingFinding) every file recorded for `rule_id`, with their file
// (whose path alone is set), read back from the fact store one file at a time.
template <typename Visit>
void for_each_pending(const ProjectIndex& index, std::string_view rule_id, Visit&& visit) {
  index.facts().for_each_pending(rule_id, std::forward<Visit>(visit));
}

}  // namespace perfscan
