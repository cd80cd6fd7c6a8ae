// The semantic vocabulary rules reason with: what a name is bound to, what an expression
// holds, and which function and loops enclose the node being checked.
#pragma once

#include <cstdint>
#include <string>

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
};

struct Value {
  ValueKind kind = ValueKind::unknown;
  // symbol: its qualified name ("requests.get"); instance: the qualified name of what was
  // called to make it ("requests.Session", "builtins.open", "pathlib.Path").
  std::string qualified_name;

  [[nodiscard]] bool is(ValueKind k) const { return kind == k; }
  [[nodiscard]] bool is_instance_of(std::string_view name) const {
    return kind == ValueKind::instance && qualified_name == name;
  }
  [[nodiscard]] bool is_text() const { return kind == ValueKind::str || kind == ValueKind::bytes; }
};

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

// A body that runs on its own schedule: the module, a def, a lambda or a class body. Loops do
// not carry across it (a def inside a loop does not run per iteration of that loop).
struct ExecutionFrame {
  FrameKind kind = FrameKind::module;
  Node node;
  bool is_async = false;
  std::string qualified_name;  // module-qualified: "pkg.mod.Class.method"
  std::size_t first_loop = 0;  // index into the loop stack where this frame's loops begin
};

}  // namespace perfscan
