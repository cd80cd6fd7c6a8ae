// The semantic context of one file's walk. The walker keeps it positioned on the node being
// visited; rules ask it questions (what does this name resolve to? which loops enclose me?)
// and report findings through it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "perfscan/facts.hpp"
#include "perfscan/finding.hpp"
#include "perfscan/node.hpp"
#include "perfscan/options.hpp"
#include "perfscan/semantic.hpp"

namespace perfscan {

class Rule;
class FileTypes;
struct FunctionTypes;
class RuleDispatch;

// Bindings of one scope. Keys view into the source buffer, which outlives the walk.
struct Scope {
  FrameKind kind = FrameKind::module;
  std::unordered_map<std::string_view, Binding> bindings;
};

class Context {
 public:
  Context(std::string path, std::string module, bool is_package, std::string_view source,
          RuleSettings settings = {});

  // ---- scan settings ---------------------------------------------------------------------
  [[nodiscard]] const RuleSettings& settings() const { return settings_; }
  // The Python version the code must support (`--target-version`), or nullopt if not given.
  [[nodiscard]] const std::optional<PythonVersion>& target_version() const {
    return settings_.target_version;
  }

  // ---- source ----------------------------------------------------------------------------
  [[nodiscard]] const std::string& path() const { return facts_.path; }
  [[nodiscard]] const std::string& module_name() const { return facts_.module; }
  [[nodiscard]] std::string_view source() const { return source_; }
  [[nodiscard]] std::string_view text(Node node) const;

  // ---- names and values ------------------------------------------------------------------
  // The binding `name` refers to at this point of the walk, following Python's scoping (class
  // bodies are not visible from nested functions). Null when unbound (builtin or unknown).
  [[nodiscard]] const Binding* lookup(std::string_view name) const;
  // The innermost scope declares `name` `global` or `nonlocal`: assigning it stores the value
  // outside the current call.
  [[nodiscard]] bool declared_outer(std::string_view name) const;
  // Fully qualified name of a name or attribute chain: `r.get` -> "requests.get" after
  // `import requests as r`; `open` -> "builtins.open" unless shadowed. Empty when unknown.
  [[nodiscard]] std::string qualified_name(Node expr) const;
  // Qualified name of what a call invokes, including methods of known instances:
  // `s.get(...)` after `s = requests.Session()` -> "requests.Session.get".
  [[nodiscard]] std::string callee_name(Node call) const;
  // For a method call on a receiver of several possible types (`Union[A, B]`, an attribute
  // assigned two kinds of client), the callee for each non-None alternative, in order
  // ("requests.Session.get", "httpx.Client.get"); empty when the receiver is not such a union.
  // A rule fires on a union only when every alternative qualifies.
  [[nodiscard]] std::vector<std::string> callee_alternatives(Node call) const;
  // The callee of `call` as an expression the link step can finish typing when this file alone
  // cannot: `pkg.util.make_session.get` (a method of what an imported function returns),
  // `pkg.views.Sub#session.get` (a method of an attribute a base class in another module
  // assigns). The plain callee_name when it is known; "" when there is nothing to resolve.
  [[nodiscard]] std::string deferred_callee(Node call) const;
  // What this file's functions return and its classes' attributes hold, for the link step
  // (FileFacts::types). Called once the walk is done.
  void export_types(std::vector<TypeFact>& out) const;
  // What an expression holds: literals and displays, names through their reaching binding,
  // annotated parameters and names, `self` and its attributes as every method of the class
  // assigns them, what project functions and methods return, library types (pathlib, clients,
  // files, querysets), collections' item types. Unknown when it cannot tell.
  [[nodiscard]] Value infer(Node expr) const;
  // How many items the collection `expr` can hold: bounded by the program text (a display, a
  // constant, range(3), an enum), sized by the data (query results, a file's lines, parsed
  // input, a collection that grows), or unknown.
  [[nodiscard]] CollectionSize collection_size(Node expr) const;
  // `expr` is a list, dict or set that is appended, extended, added or inserted into somewhere
  // (a local anywhere in its function, an attribute anywhere in the file), or a name rebuilt
  // from itself inside a loop (`result = [x + [y] for x in result for y in pool]`).
  [[nodiscard]] bool is_growing(Node expr) const;
  // An annotation (a `type` node or any expression) read as a type in the current scope.
  [[nodiscard]] Value annotation_type(Node annotation) const;
  // The name a receiver goes by, for the few questions only naming conventions answer when
  // its type is unknown: the last identifier of `self._redis` / `conn` / `db.session`,
  // lowercase, leading underscores dropped ("redis", "conn", "session"); "" for anything else
  // (a call, a subscript). Ask infer() first: a known type beats a name.
  [[nodiscard]] std::string receiver_name(Node receiver) const;
  // The qualified name of the class whose method (or nested function) is being walked, or "".
  [[nodiscard]] std::string_view enclosing_class() const;
  // `class_name` is a class of this file whose instances are its enum members (an Enum,
  // IntEnum, StrEnum, Flag or IntFlag subclass, directly or through a base in the file): made
  // once, alive as long as the class.
  [[nodiscard]] bool is_enum_class(std::string_view class_name) const;
  // Instances of `class_name`, a class of this file, compare and hash by value: it (or a base in
  // the file) defines `__hash__`, or it is a frozen / unsafe_hash dataclass, a frozen attrs
  // class or a NamedTuple. False for classes the file does not define.
  [[nodiscard]] bool hashes_by_value(std::string_view class_name) const;

  // ---- one-time paths --------------------------------------------------------------------
  // Why the current node runs once per process rather than per request or item, or "" when
  // it does not look that way: "module top level", "`__init__`", "Django `AppConfig.ready()`",
  // "start-up `setup()`", "CLI `main()`", "a management command", "a data migration", "a
  // fixture loader". Rules lower per-iteration costs one step there and say why.
  [[nodiscard]] std::string_view one_time_path() const;

  // ---- code that runs per request or event -----------------------------------------------
  // How the current function is invoked: a request handler (a parameter named `request`, a
  // route decorator such as `@app.get(...)` / `@api_view` / `@action(...)`, or get/post/...
  // methods of a *View / *ViewSet / *Handler / *Resource / *Endpoint class); an event handler
  // (`@bot.command()`, `@bot.event`, `@commands.Cog.listener()`, `@receiver(signal)`,
  // `@sio.on(...)`, `@dp.message_handler(...)`, `on_*` methods of a *Client / *Bot / *Cog class,
  // `receive` of a *Consumer); or neither. Click and Typer commands are a CLI's, and start-up
  // events (`on_ready`, `@app.on_event("startup")`) run once: neither. Only the def the
  // framework registers counts, not a function nested in it.
  [[nodiscard]] EntryPoint entry_point() const;

  // ---- lifetimes -------------------------------------------------------------------------
  // The object `make` (a call) creates lives only as long as the current call of the current
  // function: it is bound to a plain local or a `with` target, or used in place
  // (`redis.Redis().get(k)`), and neither it nor a handle that keeps it (`conn.cursor()`,
  // `client.db`, an instance of a class built from it) is returned, yielded, stored in an
  // attribute, a subscript, a global or nonlocal, added to a collection (`.append(conn)`,
  // `.put(conn)`, `cache.set(k, conn)`), or captured by a nested function. False when unsure
  // (an argument to another call, an alias, a conditional), when the local is also a parameter
  // (callers may pass one in), and at module or class level or in a lambda.
  [[nodiscard]] bool stays_in_call(Node make) const { return fate_of(make) == MadeFate::stays; }
  // The same question with one more answer: `returned` when the object leaves the call only as
  // the function's result (`return psycopg2.connect(dsn)`, or a local returned as it is and kept
  // nowhere else; or yielded by a `@contextmanager` generator to the caller's `with`): the
  // function is a factory, and its callers decide the object's lifetime. A handle or a wrapper
  // returned (`return conn.cursor()`, `return Repo(conn)`) is `kept`.
  [[nodiscard]] MadeFate fate_of(Node make) const;

  // ---- test code -------------------------------------------------------------------------
  // The file is a test module: test_*.py, *_test.py, conftest.py, or under a tests/, test/ or
  // testing/ folder.
  [[nodiscard]] bool is_test_file() const { return is_test_file_; }
  // The current node is test code: in a test file (where pytest's `test*` functions and
  // `Test*` classes live), or in a unittest.TestCase subclass anywhere. Outside test files a
  // `TestJob` model or a `test_png` detector is not test code.
  [[nodiscard]] bool in_test_code() const;

  // ---- where we are ----------------------------------------------------------------------
  [[nodiscard]] const ExecutionFrame& frame() const { return frames_.back(); }
  // The innermost def or lambda, or null at module or class level.
  [[nodiscard]] const ExecutionFrame* function() const;
  [[nodiscard]] bool in_async_function() const;
  // Loops enclosing the current node inside the current execution frame, outermost first.
  [[nodiscard]] std::span<const LoopFrame> loops() const;
  [[nodiscard]] std::span<const Node> with_statements() const { return withs_; }
  [[nodiscard]] std::span<const Node> try_statements() const { return tries_; }

  // ---- output ----------------------------------------------------------------------------
  // Returns the finding just made, so a rule can attach its fix (valid until the next report).
  Finding& report(const Rule& rule, Node node, std::string message, std::string suggestion,
                  std::optional<Severity> severity = std::nullopt);
  [[nodiscard]] FileFacts& facts() { return facts_; }
  [[nodiscard]] const FileFacts& facts() const { return facts_; }
  [[nodiscard]] std::vector<Finding>& findings() { return findings_; }

 private:
  friend class Walker;
  friend void walk_file(Context&, const RuleDispatch&, Node, FileTypes&);

  // collection_size(), bounded in depth like inference, and from a value already inferred.
  CollectionSize size_bounded(Node expr, int depth) const;
  CollectionSize size_of_value(const Value& value, Node expr, int depth) const;
  // collection_size() of `a + b + ...`.
  CollectionSize concatenation_size(Node expr, int depth) const;
  Value infer_bounded(Node expr, int depth) const;
  std::string callee_bounded(Node call, int depth) const;
  Value infer_call(Node call, int depth) const;
  Value infer_builtin_call(std::string_view builtin, Node call, int depth) const;
  Value infer_binary(Node expr, int depth) const;
  Value infer_attribute(Node expr, int depth) const;
  Value infer_subscript(Node expr, int depth) const;
  Value infer_display(Node expr, ValueKind kind, int depth) const;
  Value infer_dict_display(Node expr, int depth) const;
  Value infer_comprehension(Node expr, int depth) const;
  Value comprehension_item(Node expr, int depth) const;
  bool binds_name(Node target, std::string_view name) const;
  // Project functions and methods (inherited ones too) by qualified name, from the first walk.
  const FunctionTypes* project_function(const std::string& name) const;
  bool is_coroutine_function(const std::string& name) const;
  Value returns_of_function(const std::string& name, int depth) const;
  Value value_of_name(std::string_view name) const;
  // A project function's or method's result: `instance of pkg.mod.helper` becomes what
  // helper returns, as the first walk recorded it.
  Value resolve(Value value, int depth) const;
  Value member_of(const Value& object, std::string_view member, int depth) const;
  Value returns_of(const std::string& function, int depth) const;
  Value element_of(const Value& collection) const;
  bool is_growing_name(std::string_view name) const;
  std::string resolve_relative_import(Node relative_import) const;

  std::string_view source_;
  RuleSettings settings_;
  bool is_package_ = false;
  bool is_test_file_ = false;
  // What the first walk of this file learnt (null during the first walk itself).
  const FileTypes* types_ = nullptr;
  // The first walk's table of the innermost function, remembered by its node: every name
  // lookup asks whether the name grows there.
  mutable std::uint32_t growth_function_ = UINT32_MAX;
  mutable const void* growth_locals_ = nullptr;
  std::vector<Scope> scopes_;
  std::vector<ExecutionFrame> frames_;
  std::vector<LoopFrame> loops_;
  std::vector<Node> withs_;
  std::vector<Node> tries_;
  // Start lines of the statements enclosing the current node, innermost last: a finding may
  // be suppressed on the line that opens its statement.
  std::vector<std::pair<Node, std::uint32_t>> statements_;
  std::vector<Finding> findings_;
  FileFacts facts_;
  // While the walk hands one node to its rules, nothing these answers depend on changes (the
  // rules only report), and most rules ask the same questions about the same call: its callee
  // and what its receiver is. The answers are kept for that one dispatch and dropped after it.
  struct DispatchMemo {
    bool active = false;
    std::vector<std::pair<std::uint32_t, std::string>> callees;
    std::vector<std::pair<std::uint32_t, Value>> values;
    // collection_size() answers: the loop rules ask each enclosing loop's iterable for every
    // call in the loop.
    std::vector<std::pair<std::uint32_t, CollectionSize>> sizes;
  };
  mutable DispatchMemo memo_;
  void begin_dispatch() const;
  void end_dispatch() const;
};

}  // namespace perfscan
