// Context::stays_in_call: does an object a call creates live only as long as the current call?
// The question behind "a client made per call" (PS902, PS506): a client that is returned,
// stored or shared outlives the call and is reused, which is the fix, not the problem.
//
// The answer follows the object from where it is made to every use of the local it is bound to
// (and of the locals a handle of it is bound to: `cur = conn.cursor()`), in the function's own
// code, with a small fixed depth. Where the syntax leaves it open, the answer is "no": a rule
// that asks wants certainty that the object dies with the call.
#include <initializer_list>
#include <string_view>
#include <vector>

#include "perfscan/context.hpp"

namespace perfscan {
namespace {

// Locals followed from one to the next (`conn` -> `cur` -> ...): real code needs two.
constexpr int kMaxHops = 3;
// Nodes visited per function body when looking for a name's uses.
constexpr std::size_t kMaxNodes = 20000;

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> options) {
  for (std::string_view option : options) {
    if (value == option) return true;
  }
  return false;
}

// Methods whose result keeps the object alive (a cursor holds its connection, a pipeline its
// client, `engine.connect()` a pooled connection of the engine): where that result goes, the
// object goes.
bool returns_handle(std::string_view method) {
  return is_one_of(method, {"cursor", "pipeline", "pubsub", "lock", "acquire", "connect", "begin", "transaction",
                            "get_database", "get_default_database", "get_collection", "start_session",
                            "execution_options", "__enter__", "__aenter__"});
}

// Methods that keep their argument beyond the call: collections, queues, caches, registries.
bool stores_argument(std::string_view method) {
  return is_one_of(method, {"append", "appendleft", "add", "insert", "extend", "put", "put_nowait", "push",
                            "setdefault", "set", "register", "update", "setattr"});
}

// A call that builds an object from its arguments and may keep them: a class by the naming
// convention (`Repository(conn)`), or `functools.partial(f, conn)`.
bool keeps_arguments(const Context& ctx, Node call) {
  Node function = call.field("function");
  if (!function) return false;
  std::string_view name = function.is("attribute") ? ctx.text(function.field("attribute")) : ctx.text(function);
  if (name == "partial" || name == "setattr") return true;
  return !name.empty() && name.front() >= 'A' && name.front() <= 'Z';
}

bool is_parameter_of(const Context& ctx, Node function, std::string_view name) {
  Node parameters = function.field("parameters");
  for (uint32_t i = 0, n = parameters ? parameters.named_child_count() : 0; i < n; ++i) {
    Node parameter = parameters.named_child(i);
    if (parameter.is("typed_parameter")) parameter = parameter.named_child(0);
    if (parameter.is("default_parameter") || parameter.is("typed_default_parameter")) {
      parameter = parameter.field("name");
    }
    if (parameter && parameter.is("identifier") && ctx.text(parameter) == name) return true;
  }
  return false;
}

// `@contextlib.contextmanager` / `@asynccontextmanager`: the generator's `yield` hands the object
// to the caller's `with` block, as a factory's `return` hands it to the caller.
bool is_context_manager_generator(const Context& ctx, Node function) {
  Node decorated = function.parent();
  if (!decorated || !decorated.is("decorated_definition")) return false;
  for (uint32_t i = 0, n = decorated.named_child_count(); i < n; ++i) {
    Node decorator = decorated.named_child(i);
    if (decorator.is("decorator") && ctx.text(decorator).ends_with("contextmanager")) return true;
  }
  return false;
}

class Lifetime {
 public:
  Lifetime(const Context& ctx, Node function)
      : context_manager(is_context_manager_generator(ctx, function)), ctx_(ctx), function_(function) {}

  // Does the local `name` (bound at `target`) let its object out of the call? `direct`: the
  // local holds the object itself, not a handle of it (a `return` of it then makes a factory).
  bool name_escapes(Node target, int hops, bool direct) const {
    std::string_view name = ctx_.text(target);
    if (hops > kMaxHops || ctx_.declared_outer(name) || is_parameter_of(ctx_, function_, name)) return true;
    struct Item {
      Node node;
      bool nested;  // inside a nested def, lambda or class
    };
    std::vector<Item> pending{{function_.field("body"), false}};
    std::size_t visited = 0;
    while (!pending.empty()) {
      if (++visited > kMaxNodes) return true;
      Item item = pending.back();
      pending.pop_back();
      Node node = item.node;
      if (!node) continue;
      if (node.is("identifier")) {
        if (ctx_.text(node) == name && node.id() != target.id() && is_read(node)) {
          // A closure may run later, after the call returned, or be stored itself.
          if (item.nested || escapes(node, hops, direct)) return true;
        }
        continue;
      }
      bool nested = item.nested || node.is("function_definition") || node.is("lambda") ||
                    node.is("class_definition");
      for (uint32_t i = node.named_child_count(); i-- > 0;) pending.push_back({node.named_child(i), nested});
    }
    return false;
  }

  // Where the object a use (or a handle) `expr` stands for goes from here. A `return` of the
  // object itself (`direct`, through parentheses or `await` only) is noted in returned_ rather
  // than counted as an escape.
  bool escapes(Node expr, int hops, bool direct) const {
    for (int guard = 0; guard < 64; ++guard) {
      Node parent = expr.parent();
      if (!parent) return false;
      std::string_view kind = parent.kind();
      if (kind == "global_statement" || kind == "nonlocal_statement") return true;
      if ((kind == "return_statement" || (kind == "yield" && context_manager)) && direct) {
        returned_ = true;
        return false;
      }
      if (kind == "return_statement" || kind == "yield" || kind == "lambda" || kind == "named_expression") return true;
      if (kind == "parenthesized_expression" || kind == "await") {
        expr = parent;
        continue;
      }
      direct = false;
      if (kind == "boolean_operator" || kind == "tuple" ||
          kind == "list" || kind == "set" || kind == "dictionary" || kind == "pair" || kind == "expression_list" ||
          kind == "list_splat" || kind == "dictionary_splat" || kind == "keyword_argument") {
        if (kind == "keyword_argument" && parent.field("name") == expr) return false;
        expr = parent;
        continue;
      }
      if (kind == "conditional_expression") {
        if (parent.named_child(1) == expr) return false;  // the condition: a test, not the value
        expr = parent;
        continue;
      }
      if (kind == "assignment") {
        if (!(parent.field("right") == expr)) return false;  // rebound, or an annotation
        Node left = parent.field("left");
        if (left && left.is("identifier") && !parent.parent().is("assignment")) {
          return name_escapes(left, hops + 1, direct);
        }
        return true;  // an attribute, a subscript, a pattern, a chain
      }
      if (kind == "augmented_assignment") return parent.field("right") == expr;
      if (kind == "argument_list") {
        Node call = parent.parent();
        Node function = call ? call.field("function") : Node{};
        if (function && function.is("attribute") && stores_argument(ctx_.text(function.field("attribute")))) {
          return true;
        }
        if (!call || !keeps_arguments(ctx_, call)) return false;  // a function that uses it and returns data
        expr = call;
        continue;
      }
      if (kind == "attribute" && parent.field("object") == expr) {
        Node call = parent.parent();
        if (call && call.is("call") && call.field("function") == parent) {
          if (!returns_handle(ctx_.text(parent.field("attribute")))) return false;  // a method that returns data
          expr = call;
          continue;
        }
        expr = parent;  // `client.db`, `conn.info`: follow what it gives
        continue;
      }
      if (kind == "subscript" && parent.field("value") == expr) {
        expr = parent;
        continue;
      }
      return false;  // a test, a comparison, an operand, a statement of its own
    }
    return true;
  }

 private:
  // A read of the name: not an attribute's member (`x.conn`), a keyword's name (`f(conn=1)`)
  // or a target the statement rebinds (`conn = None`).
  static bool is_read(Node identifier) {
    Node parent = identifier.parent();
    if (!parent) return false;
    if (parent.is("attribute") && parent.field("attribute") == identifier) return false;
    if (parent.is("keyword_argument") && parent.field("name") == identifier) return false;
    if ((parent.is("assignment") || parent.is("for_statement") || parent.is("for_in_clause")) &&
        parent.field("left") == identifier) {
      return false;
    }
    if (parent.is("as_pattern_target") || parent.is("parameters") || parent.is("default_parameter")) return false;
    return true;
  }

 public:
  // Set when the object (itself, not a handle) is returned somewhere on the way.
  mutable bool returned_ = false;
  const bool context_manager;

 private:
  const Context& ctx_;
  Node function_;
};

}  // namespace

MadeFate Context::fate_of(Node make) const {
  const ExecutionFrame* current = function();
  if (!make || current == nullptr || current->kind != FrameKind::function) return MadeFate::kept;
  Lifetime lifetime(*this, current->node);
  auto of_local = [&](Node name, bool direct) {
    if (lifetime.name_escapes(name, 0, direct)) return MadeFate::kept;
    return lifetime.returned_ ? MadeFate::returned : MadeFate::stays;
  };
  Node expr = make;
  bool direct = true;  // `expr` is the object itself, not a handle or a wrapper of it
  for (int guard = 0; guard < 16; ++guard) {
    Node parent = expr.parent();
    if (!parent) return MadeFate::kept;
    std::string_view kind = parent.kind();
    if (kind == "parenthesized_expression" || kind == "await") {
      expr = parent;
      continue;
    }
    if (kind == "return_statement" || (kind == "yield" && lifetime.context_manager)) {
      return direct ? MadeFate::returned : MadeFate::kept;
    }
    if (kind == "argument_list") {
      // `contextlib.closing(make())`: the wrapper closes it; where the wrapper goes, it goes.
      Node call = parent.parent();
      if (call && call.is("call") && parent.named_child_count() == 1 &&
          (callee_name(call) == "contextlib.closing" || text(call.field("function")) == "closing")) {
        expr = call;
        direct = false;
        continue;
      }
      return MadeFate::kept;
    }
    if (kind == "as_pattern") {
      // `with make() as conn:` (as_pattern in a with_item; `except E as e` and `case` are not).
      Node item = parent.parent();
      if (!item || !item.is("with_item") || !(parent.named_child(0) == expr)) return MadeFate::kept;
      Node alias = parent.field("alias");
      Node name = alias ? alias.named_child(0) : Node{};
      if (!name || !name.is("identifier") || alias.named_child_count() != 1) return MadeFate::kept;
      // A `with` block closes what it opened: returning it from inside hands out a closed object.
      return lifetime.name_escapes(name, 0, false) ? MadeFate::kept : MadeFate::stays;
    }
    if (kind == "with_item") return MadeFate::stays;  // `with make():` closes it at the end of the block
    if (kind == "assignment") {
      if (!(parent.field("right") == expr) || parent.parent().is("assignment")) return MadeFate::kept;
      Node left = parent.field("left");
      if (!left || !left.is("identifier")) return MadeFate::kept;  // self.x = make(), CACHE[k] = make()
      return of_local(left, direct);
    }
    if (kind == "attribute" && parent.field("object") == expr) {
      Node call = parent.parent();
      direct = false;
      if (call && call.is("call") && call.field("function") == parent) {
        // `redis.Redis().get(k)`: used once, in place. `make().cursor()`: the handle decides.
        if (!returns_handle(text(parent.field("attribute")))) return MadeFate::stays;
        expr = call;
        continue;
      }
      expr = parent;  // `MongoClient().shop`
      continue;
    }
    if (kind == "subscript" && parent.field("value") == expr) {
      direct = false;
      expr = parent;
      continue;
    }
    return kind == "expression_statement" ? MadeFate::stays : MadeFate::kept;
  }
  return MadeFate::kept;
}

}  // namespace perfscan
