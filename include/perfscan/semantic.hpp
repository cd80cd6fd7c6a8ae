// The semantic vocabulary rules reason with: what a name is bound to, what an expression
// holds, and which function and loops enclose the node being checked.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/node.hpp"

namespace perfscan {

// What an expression is known to hold. `symbol` is a named program entity (module, function or
// class; imports do not say which), `instance` the result of calling one.
enum class ValueKind : std::uint8_t {
  unknown,
  symbol,
  instance,
  str,
  bytes,
  number,
  boolean,
  none,
  list,
  tuple,
  dict,
  set,
  // An abstract collection whose concrete type is not known (`Sequence[str]`, `Iterable[T]`,
  // `Collection[T]`): iterable, membership possibly linear.
  iterable,
  // One of several types (`Union[A, B]`, `A | B`, two returns that disagree): `members`.
  union_of,
};

// How many items a collection can hold, for the rules whose cost grows with it (issue 14).
enum class CollectionSize : std::uint8_t {
  unknown,
  bounded,  // fixed by the program text: displays, string literals, constants, range(3), enums
  data,     // grows with the data: query results, lines of a file, parsed input, grown lists
};

struct Value {
  ValueKind kind = ValueKind::unknown;
  // symbol: its qualified name ("requests.get"); instance: the qualified name of what was
  // called to make it ("requests.Session", "builtins.open", "pathlib.Path"), which for a
  // project class is the class and for a project function is resolved to what it returns.
  std::string qualified_name;
  // `Optional[T]`, `T | None`, an attribute or return that is sometimes None: the value is
  // `kind` or None. Rules ask about the non-None part.
  bool maybe_none = false;
  // The collection is appended, extended, added or inserted into somewhere (a local in its
  // function, an attribute anywhere in its class), or a local is rebuilt from itself inside a
  // loop (`level = [c for n in level for c in n.children]`): it grows with the data.
  bool growing = false;
  // A one-shot iterator (iter(), map(), zip(), a generator): iterating it consumes it, so two
  // loops over it share its items instead of pairing them.
  bool iterator = false;
  // A coroutine not yet awaited: what calling an `async def` gives (`fetch(url)`, and the items
  // of `[fetch(u) for u in urls]`). `await` takes it away; the kind says what awaiting gives,
  // and may be unknown while this is set.
  bool awaitable = false;
  CollectionSize size = CollectionSize::unknown;
  // union_of: the alternatives (never None, never nested unions). tuple: the item types by
  // position when known (`a, b = X(), Y()`, `enumerate(paths)` -> (number, Path)).
  std::vector<Value> members;
  // A collection's item type (`List[Path]` -> Path, a file's lines -> str, a queryset of Book
  // -> Book); null when unknown. Shared: values are copied into every binding.
  std::shared_ptr<const Value> element;

  Value() = default;
  Value(ValueKind k, std::string name) : kind(k), qualified_name(std::move(name)) {}

  [[nodiscard]] bool is(ValueKind k) const { return kind == k; }
  [[nodiscard]] bool is_instance_of(std::string_view name) const {
    return kind == ValueKind::instance && qualified_name == name;
  }
  [[nodiscard]] bool is_text() const { return kind == ValueKind::str || kind == ValueKind::bytes; }
  [[nodiscard]] bool is_known() const { return kind != ValueKind::unknown; }
  [[nodiscard]] bool is_collection() const {
    return kind == ValueKind::list || kind == ValueKind::tuple || kind == ValueKind::dict ||
           kind == ValueKind::set || kind == ValueKind::iterable;
  }
  // Same type (kind, name, members and element); sizes and flags are not compared.
  [[nodiscard]] bool same_type(const Value& other) const;
  // The item type, or unknown.
  [[nodiscard]] Value element_type() const { return element ? *element : Value{}; }
  void set_element(Value item) {
    if (item.is_known() || item.awaitable) element = std::make_shared<const Value>(std::move(item));
  }
  // Calls `visit` for every non-None alternative (the value itself unless it is a union):
  // a rule that must hold for the whole value asks it of every alternative.
  template <typename Visit>
  void for_each_alternative(Visit&& visit) const {
    if (kind == ValueKind::union_of) {
      for (const Value& member : members) visit(member);
    } else {
      visit(*this);
    }
  }
};

// The value that holds either `a` or `b` (branches, returns, attribute assignments): one type
// when they agree, None folded into `maybe_none`, a union of at most a few alternatives, else
// unknown.
Value merge_values(const Value& a, const Value& b);

// The file is a test module by its path (test_*.py, *_test.py, conftest.py, tests.py, or under a
// folder of tests: test/, tests/, testing/, e2e/, e2etest(s)/, or *_test(s)/ and *-test(s)/): what Context::is_test_file answers, for the link step's
// findings, which have no context.
bool is_test_file_path(std::string_view path);

enum class BindingKind : std::uint8_t {
  import,         // import a.b as c / from a import b
  function,       // def name(...)
  class_def,      // class Name(...)
  assignment,     // name = value (also walrus and annotated assignment)
  parameter,      // a function or lambda parameter: its value is unknown
  loop_target,    // for name in ...
  with_target,    // with ... as name
  except_target,  // except E as name
  global_decl,    // global: the name lives in the module scope
  nonlocal_decl,  // nonlocal: the name lives in an enclosing function's scope
  other,          // anything else that binds without a known value (del, match capture, ...)
};

struct Binding {
  BindingKind kind = BindingKind::other;
  Value value;
  Node node;  // the statement or identifier that made the binding
};

enum class LoopKind : std::uint8_t { for_loop, while_loop, comprehension };

// One enclosing loop, innermost last. For a comprehension with several `for` clauses there is
// one frame per clause.
struct LoopFrame {
  Node node;      // for_statement, while_statement or the comprehension
  LoopKind kind = LoopKind::for_loop;
  bool is_async = false;
  Node target;    // loop variable pattern (null for while)
  Node iterable;  // iterated expression, or the while condition
};

enum class FrameKind : std::uint8_t { module, function, lambda, class_body };

// What becomes of an object a call makes, within the function that makes it
// (Context::fate_of).
enum class MadeFate : std::uint8_t {
  stays,     // dies with the call: used in place or through plain locals only
  returned,  // handed to the caller by a `return` of the object itself, and kept nowhere else
  kept,      // stored, yielded, shared, captured, wrapped or handed on; or the syntax leaves it open
};

// How a framework invokes a function, for the rules whose cost is paid per call
// (Context::entry_point): once per request, once per event, or neither as far as the code shows.
enum class EntryPoint : std::uint8_t {
  none,
  request_handler,  // a Django / Flask / FastAPI / aiohttp view, a DRF or viewset method
  event_handler,    // a listener, a bot command, a signal receiver, a WebSocket consumer's receive
};

// A body that runs on its own schedule: the module, a def, a lambda or a class body. Loops do
// not carry across it (a def inside a loop does not run per iteration of that loop).
struct ExecutionFrame {
  FrameKind kind = FrameKind::module;
  Node node;
  bool is_async = false;
  std::string qualified_name;  // module-qualified: "pkg.mod.Class.method"
  std::size_t first_loop = 0;  // index into the loop stack where this frame's loops begin
  bool is_test = false;        // a TestCase subclass, or nested in one
};

}  // namespace perfscan
