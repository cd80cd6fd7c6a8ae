// Stage 3, semantic layer: what the Context tells a rule about the node it is visiting. A probe
// rule subscribed to calls records, for every call, what the Context says at that point of the
// walk (callee, inferred first argument, enclosing function and loops, bindings); each test
// runs the probe over a small Python snippet and asserts the exact answers.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "../rules/rule_helpers.hpp"
#include "perfscan/context.hpp"
#include "perfscan/facts.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/semantic.hpp"
#include "semantic/walker.hpp"
#include "syntax/parser.hpp"

namespace perfscan {
namespace {

struct LoopSeen {
  LoopKind kind = LoopKind::for_loop;
  bool is_async = false;
  std::string target;    // "" for while
  std::string iterable;  // iterable or while condition
};

// Everything the Context said about one call node, captured while the walk stood on it.
struct Observation {
  std::string callee;     // ctx.callee_name(call)
  std::string qualified;  // ctx.qualified_name(call.function)
  Value argument;         // ctx.infer(first positional argument)
  // ctx.lookup(first argument) when it is an identifier; nullopt when unbound.
  std::optional<BindingKind> argument_binding;
  Value argument_binding_value;
  bool argument_bounded = false;              // is_constant_bounded(ctx, first argument)
  std::vector<std::string> argument_names;    // identifiers_in(ctx, first argument)
  bool has_function = false;                  // ctx.function() != nullptr
  std::string function;                       // ctx.function()->qualified_name
  std::string frame;                          // ctx.frame().qualified_name
  bool in_async = false;                      // ctx.in_async_function()
  std::vector<LoopSeen> loops;                // ctx.loops()
  std::size_t withs = 0;
  std::size_t tries = 0;
};

class Probe final : public Rule {
 public:
  Probe()
      : Rule(RuleInfo{"PS999", "probe", Category::loops, Severity::low,
                      "Records what the semantic context says (tests only)"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    Observation seen;
    seen.callee = ctx.callee_name(call);
    seen.qualified = ctx.qualified_name(call.field("function"));
    if (Node argument = first_argument(call)) {
      seen.argument = ctx.infer(argument);
      if (argument.is("identifier")) {
        if (const Binding* binding = ctx.lookup(ctx.text(argument))) {
          seen.argument_binding = binding->kind;
          seen.argument_binding_value = binding->value;
        }
      }
      seen.argument_bounded = is_constant_bounded(ctx, argument);
      for (std::string_view name : identifiers_in(ctx, argument)) {
        seen.argument_names.emplace_back(name);
      }
    }
    if (const ExecutionFrame* function = ctx.function()) {
      seen.has_function = true;
      seen.function = function->qualified_name;
    }
    seen.frame = ctx.frame().qualified_name;
    seen.in_async = ctx.in_async_function();
    for (const LoopFrame& loop : ctx.loops()) {
      seen.loops.push_back(LoopSeen{loop.kind, loop.is_async, std::string(ctx.text(loop.target)),
                                    std::string(ctx.text(loop.iterable))});
    }
    seen.withs = ctx.with_statements().size();
    seen.tries = ctx.try_statements().size();
    // The probe is only ever run single-threaded, by these tests.
    seen_[std::string(ctx.text(call))].push_back(std::move(seen));
  }

  mutable std::map<std::string, std::vector<Observation>> seen_;
};

// One file walked with the probe: its observations and the facts the walk left behind.
class Analysis {
 public:
  explicit Analysis(std::string source, std::string module = "mod", bool is_package = false)
      : source_(std::move(source)) {
    Parser parser;
    Tree tree = parser.parse(source_);
    REQUIRE(tree.valid());
    RuleDispatch dispatch({&probe_});
    Context context("mod.py", std::move(module), is_package, source_);
    walk_file(context, dispatch, tree.root(), types_);
    facts_ = std::move(context.facts());
  }

  // The only observation of the call whose source text is `call`.
  [[nodiscard]] const Observation& at(const std::string& call) const {
    auto it = probe_.seen_.find(call);
    INFO("call: " << call);
    REQUIRE(it != probe_.seen_.end());
    REQUIRE(it->second.size() == 1);
    return it->second.front();
  }
  // The n-th observation (source order) of a call text that occurs several times.
  [[nodiscard]] const Observation& at(const std::string& call, std::size_t index) const {
    auto it = probe_.seen_.find(call);
    INFO("call: " << call << " #" << index);
    REQUIRE(it != probe_.seen_.end());
    REQUIRE(index < it->second.size());
    return it->second[index];
  }
  [[nodiscard]] std::string callee(const std::string& call) const { return at(call).callee; }
  [[nodiscard]] const FileFacts& facts() const { return facts_; }

 private:
  std::string source_;
  Probe probe_;
  FileTypes types_;
  FileFacts facts_;
};

std::vector<LoopKind> loop_kinds(const Observation& seen) {
  std::vector<LoopKind> kinds;
  for (const LoopSeen& loop : seen.loops) kinds.push_back(loop.kind);
  return kinds;
}

std::vector<std::string> loop_iterables(const Observation& seen) {
  std::vector<std::string> iterables;
  for (const LoopSeen& loop : seen.loops) iterables.push_back(loop.iterable);
  return iterables;
}

std::set<std::string> parsed_codes(std::string_view comment, std::uint32_t line = 1) {
  Suppressions out;
  parse_suppression_comment(comment, line, out);
  REQUIRE(out.by_line.count(line) == 1);
  return out.by_line.at(line);
}

}  // namespace
}  // namespace perfscan

// Catch2 prints enums as numbers; give the ones the assertions compare readable names.
namespace Catch {
template <>
struct StringMaker<perfscan::ValueKind> {
  static std::string convert(perfscan::ValueKind kind) {
    static constexpr const char* kNames[] = {"unknown", "symbol", "instance", "str",
                                             "bytes",   "number", "boolean",  "none",
                                             "list",    "tuple",  "dict",     "set"};
    return kNames[static_cast<int>(kind)];
  }
};
template <>
struct StringMaker<perfscan::LoopKind> {
  static std::string convert(perfscan::LoopKind kind) {
    static constexpr const char* kNames[] = {"for_loop", "while_loop", "comprehension"};
    return kNames[static_cast<int>(kind)];
  }
};
template <>
struct StringMaker<perfscan::BindingKind> {
  static std::string convert(perfscan::BindingKind kind) {
    static constexpr const char* kNames[] = {"import",       "function",      "class_def",
                                             "assignment",   "parameter",     "loop_target",
                                             "with_target",  "except_target", "global_decl",
                                             "other"};
    return kNames[static_cast<int>(kind)];
  }
};
}  // namespace Catch

namespace perfscan {

// ---- import resolution ---------------------------------------------------------------------

TEST_CASE("semantic: absolute imports resolve callees to qualified names", "[semantic]") {
  Analysis a(R"py(
import requests
import requests as r
import os.path
import os.path as osp
from time import sleep as zzz
from a.b import c
from collections import OrderedDict
from collections import defaultdict as dd

requests.get(u)
r.get()
os.path.join(x, y)
osp.exists(p)
zzz(1)
c.d()
OrderedDict()
dd(list)
unknown_name.get()
)py");
  CHECK(a.callee("requests.get(u)") == "requests.get");
  CHECK(a.callee("r.get()") == "requests.get");
  CHECK(a.callee("os.path.join(x, y)") == "os.path.join");
  CHECK(a.callee("osp.exists(p)") == "os.path.exists");
  CHECK(a.callee("zzz(1)") == "time.sleep");
  CHECK(a.callee("c.d()") == "a.b.c.d");
  CHECK(a.callee("OrderedDict()") == "collections.OrderedDict");
  CHECK(a.callee("dd(list)") == "collections.defaultdict");
  CHECK(a.callee("unknown_name.get()").empty());
  // qualified_name of the function expression agrees for plain names and attribute chains.
  CHECK(a.at("r.get()").qualified == "requests.get");
  CHECK(a.at("zzz(1)").qualified == "time.sleep");
}

TEST_CASE("semantic: relative imports inside a plain module", "[semantic]") {
  Analysis a(R"py(
from . import x
from ..util import y
from .sibling import z as zz
from .. import up
x.run()
y()
zz()
up()
)py",
             "pkg.sub.mod", false);
  CHECK(a.callee("x.run()") == "pkg.sub.x.run");
  CHECK(a.callee("y()") == "pkg.util.y");
  CHECK(a.callee("zz()") == "pkg.sub.sibling.z");
  CHECK(a.callee("up()") == "pkg.up");
}

TEST_CASE("semantic: relative imports inside a package __init__", "[semantic]") {
  Analysis a(R"py(
from . import x
from .. import up
from .models import Book
x()
up()
Book()
)py",
             "pkg.sub", true);
  CHECK(a.callee("x()") == "pkg.sub.x");
  CHECK(a.callee("up()") == "pkg.up");
  CHECK(a.callee("Book()") == "pkg.sub.models.Book");
}

TEST_CASE("semantic: every name of a multi-name import statement is bound",
          "[semantic]") {
  Analysis a(R"py(
import os, sys
import json, yaml as y
from collections import OrderedDict, defaultdict as dd
from typing import (Any, cast)
os.getcwd()
sys.exit(0)
json.dumps(x)
y.safe_load(s)
OrderedDict()
dd(list)
Any()
cast(T, v)
)py");
  CHECK(a.callee("os.getcwd()") == "os.getcwd");
  CHECK(a.callee("sys.exit(0)") == "sys.exit");
  CHECK(a.callee("json.dumps(x)") == "json.dumps");
  CHECK(a.callee("y.safe_load(s)") == "yaml.safe_load");
  CHECK(a.callee("OrderedDict()") == "collections.OrderedDict");
  CHECK(a.callee("dd(list)") == "collections.defaultdict");
  CHECK(a.callee("Any()") == "typing.Any");
  CHECK(a.callee("cast(T, v)") == "typing.cast");
}

TEST_CASE("semantic: imports inside a function are local to it", "[semantic]") {
  Analysis a(R"py(
def f():
    import json as j
    j.dumps(x)

def g():
    j.dumps(y)
)py");
  CHECK(a.callee("j.dumps(x)") == "json.dumps");
  CHECK(a.callee("j.dumps(y)").empty());
}

// ---- builtins and shadowing ----------------------------------------------------------------

TEST_CASE("semantic: builtins resolve unless shadowed", "[semantic]") {
  SECTION("plain builtin") {
    Analysis a("open(p)\nlen(xs)\n");
    CHECK(a.callee("open(p)") == "builtins.open");
    CHECK(a.callee("len(xs)") == "builtins.len");
  }
  SECTION("module-level def, written after the function that uses it, is hoisted") {
    Analysis a(R"py(
def f():
    open(p)

def open(path):
    pass
)py");
    CHECK(a.callee("open(p)") == "mod.open");
  }
  SECTION("module-level assignments are hoisted too") {
    Analysis a(R"py(
import requests

def handler():
    session.get(u)

session = requests.Session()
)py");
    CHECK(a.callee("session.get(u)") == "requests.Session.get");
  }
  SECTION("a parameter shadows the builtin") {
    Analysis a(R"py(
def f(open):
    open(x)
g = lambda open: open(y)
def typed(open: Callable):
    open(t)
def typed_default(open: Callable = io.open):
    open(td)
def keyword_only(*, open):
    open(k)
def star(*open):
    open(s)
def double_star(**open):
    open(ds)
)py");
    CHECK(a.callee("open(x)").empty());
    CHECK(a.callee("open(y)").empty());
    CHECK(a.callee("open(t)").empty());
    CHECK(a.callee("open(td)").empty());
    CHECK(a.callee("open(k)").empty());
    CHECK(a.callee("open(s)").empty());
    CHECK(a.callee("open(ds)").empty());
  }
  SECTION("a local assignment shadows the builtin") {
    Analysis a(R"py(
import codecs

def f():
    open = codecs.open
    open(x)

def g():
    open = 1
    open(y)

def h():
    open(z)
)py");
    CHECK(a.callee("open(x)") == "codecs.open");
    CHECK(a.callee("open(y)").empty());
    CHECK(a.callee("open(z)") == "builtins.open");
  }
  SECTION("a class attribute is not visible inside a method") {
    Analysis a(R"py(
class A:
    open = 1
    open(q)
    def m(self):
        open(x)
)py");
    CHECK(a.callee("open(x)") == "builtins.open");
    CHECK(a.callee("open(q)").empty());  // but it is visible in the class body itself
  }
}

// ---- following simple assignments ---------------------------------------------------------

TEST_CASE("semantic: methods of instances bound by simple assignments", "[semantic]") {
  Analysis a(R"py(
import requests
from pathlib import Path

s = requests.Session()
s.get(u)
p = Path(x)
p.read_text()
with open(f) as fh:
    fh.read()
g = open(path)
g.readline()
a = b = requests.Session()
b.post(u)
t: requests.Session = requests.Session()
t.put(u)
from app.models import Book
qs = Book.objects.filter(a=1)
qs.count()

class Client:
    def fetch(self):
        self.requests.get(u)
        requests.get(v)
)py");
  CHECK(a.callee("s.get(u)") == "requests.Session.get");
  CHECK(a.at("s.get(u)").qualified.empty());  // s is an instance, not a symbol
  CHECK(a.callee("p.read_text()") == "pathlib.Path.read_text");
  CHECK(a.callee("fh.read()") == "builtins.open.read");
  CHECK(a.callee("g.readline()") == "builtins.open.readline");
  CHECK(a.callee("b.post(u)") == "requests.Session.post");
  CHECK(a.callee("t.put(u)") == "requests.Session.put");
  CHECK(a.callee("Book.objects.filter(a=1)") == "app.models.Book.objects.filter");
  CHECK(a.callee("qs.count()") == "app.models.Book.objects.filter.count");
  CHECK(a.callee("self.requests.get(u)").empty());
  CHECK(a.callee("requests.get(v)") == "requests.get");
}

TEST_CASE("semantic: joining a pathlib path with / keeps a pathlib.Path", "[semantic]") {
  Analysis a(R"py(
from pathlib import Path
base = Path(root).with_name("templates")
(base / "a.txt").read_text()
p = Path.cwd() / "b" / "c"
p.exists()
n = count / 2
n.exists()
)py");
  CHECK(a.callee("(base / \"a.txt\").read_text()") == "pathlib.Path.read_text");
  CHECK(a.callee("p.exists()") == "pathlib.Path.exists");
  CHECK(a.callee("n.exists()").empty());
}

TEST_CASE("semantic: a rebinding replaces what a name was known to hold", "[semantic]") {
  Analysis a(R"py(
import requests
s = requests.Session()
s.get(one)
s = make_something()
s.get(two)
)py");
  CHECK(a.callee("s.get(one)") == "requests.Session.get");
  CHECK(a.callee("s.get(two)").empty());
}

// ---- infer -----------------------------------------------------------------------------------

TEST_CASE("semantic: infer literal and computed kinds", "[semantic]") {
  Analysis a(R"py(
import foo
probe("text")
probe(f"x{y}")
probe(b"raw")
probe(rb"raw")
probe("a" "b")
probe(str(x))
probe("".join(x))
probe("%s" % x)
probe("{}".format(x))
probe(1)
probe(1.5)
probe([])
probe({})
probe(())
probe({1})
probe(True)
probe(None)
probe(x + "a")
probe("a" + x)
probe(1 + 2)
probe(len(x))
probe(foo.bar())
probe(foo.Client().connect())
probe(foo)
probe(unknown_call())
probe(mystery)
probe([i for i in xs])
probe({k: v for k, v in xs})
probe(b"x".decode())
probe("x".encode())
probe(("a" if c else "b"))
probe(("a" if c else 1))
probe("a,b".split(","))
probe(b"a\nb".splitlines())
probe(mystery.split())
)py");
  auto kind = [&](const std::string& call) { return a.at(call).argument.kind; };
  CHECK(kind(R"(probe("text"))") == ValueKind::str);
  CHECK(kind(R"(probe(f"x{y}"))") == ValueKind::str);
  CHECK(kind(R"(probe(b"raw"))") == ValueKind::bytes);
  CHECK(kind(R"(probe(rb"raw"))") == ValueKind::bytes);
  CHECK(kind(R"(probe("a" "b"))") == ValueKind::str);
  CHECK(kind("probe(str(x))") == ValueKind::str);
  CHECK(kind(R"(probe("".join(x)))") == ValueKind::str);
  CHECK(kind(R"(probe("%s" % x))") == ValueKind::str);
  CHECK(kind(R"(probe("{}".format(x)))") == ValueKind::str);
  CHECK(kind("probe(1)") == ValueKind::number);
  CHECK(kind("probe(1.5)") == ValueKind::number);
  CHECK(kind("probe([])") == ValueKind::list);
  CHECK(kind("probe({})") == ValueKind::dict);
  CHECK(kind("probe(())") == ValueKind::tuple);
  CHECK(kind("probe({1})") == ValueKind::set);
  CHECK(kind("probe(True)") == ValueKind::boolean);
  CHECK(kind("probe(None)") == ValueKind::none);
  CHECK(kind(R"(probe(x + "a"))") == ValueKind::str);
  CHECK(kind(R"(probe("a" + x))") == ValueKind::str);
  CHECK(kind("probe(1 + 2)") == ValueKind::number);
  CHECK(kind("probe(len(x))") == ValueKind::number);
  CHECK(kind("probe([i for i in xs])") == ValueKind::list);
  CHECK(kind("probe({k: v for k, v in xs})") == ValueKind::dict);
  CHECK(kind(R"(probe(b"x".decode()))") == ValueKind::str);
  CHECK(kind(R"(probe("x".encode()))") == ValueKind::bytes);
  CHECK(kind(R"(probe(("a" if c else "b")))") == ValueKind::str);
  CHECK(kind(R"(probe(("a" if c else 1)))") == ValueKind::union_of);
  CHECK(kind("probe(unknown_call())") == ValueKind::unknown);
  CHECK(kind(R"(probe("a,b".split(",")))") == ValueKind::list);
  CHECK(kind(R"(probe(b"a\nb".splitlines()))") == ValueKind::list);
  CHECK(kind("probe(mystery.split())") == ValueKind::unknown);
  CHECK(kind("probe(mystery)") == ValueKind::unknown);

  const Value& call = a.at("probe(foo.bar())").argument;
  CHECK(call.kind == ValueKind::instance);
  CHECK(call.qualified_name == "foo.bar");
  CHECK(call.is_instance_of("foo.bar"));
  const Value& method = a.at("probe(foo.Client().connect())").argument;
  CHECK(method.kind == ValueKind::instance);
  CHECK(method.qualified_name == "foo.Client.connect");
  const Value& symbol = a.at("probe(foo)").argument;
  CHECK(symbol.kind == ValueKind::symbol);
  CHECK(symbol.qualified_name == "foo");
}

TEST_CASE("semantic: infer follows names to their assigned values", "[semantic]") {
  Analysis a(R"py(
import requests
s = ""
n = 0
items = []
session = requests.Session()
probe(s)
probe(n)
probe(items)
probe(session)
probe(open)
)py");
  CHECK(a.at("probe(s)").argument.kind == ValueKind::str);
  CHECK(a.at("probe(n)").argument.kind == ValueKind::number);
  CHECK(a.at("probe(items)").argument.kind == ValueKind::list);
  CHECK(a.at("probe(session)").argument.is_instance_of("requests.Session"));
  const Value& builtin = a.at("probe(open)").argument;
  CHECK(builtin.kind == ValueKind::symbol);
  CHECK(builtin.qualified_name == "builtins.open");
}

TEST_CASE("semantic: a generic class of one argument is iterated as that argument", "[semantic]") {
  Analysis a(R"py(
from django.db.models import QuerySet
from shop.models import Book

def f(books: QuerySet[Book], pair: "Mapping[str, Book]"):
    probe(books)
    for book in books:
        probe(book)
)py");
  const Value& books = a.at("probe(books)").argument;
  CHECK(books.is_instance_of("django.db.models.QuerySet"));
  CHECK(books.element_type().is_instance_of("shop.models.Book"));
  CHECK(a.at("probe(book)").argument.is_instance_of("shop.models.Book"));
}

TEST_CASE("semantic: infer is bounded on very long and very deep expressions", "[semantic]") {
  SECTION("a 10,000-term + chain") {
    std::string chain = "a";
    for (int i = 1; i < 10000; ++i) chain += " + a";
    std::string call = fmt::format("probe({})", chain);
    Analysis a(fmt::format("a = 'x'\n{}\n", call));
    CHECK(a.at(call).argument.kind == ValueKind::str);
  }
  SECTION("a 10,000-term + chain of unknowns") {
    std::string chain = "a";
    for (int i = 1; i < 10000; ++i) chain += " + a";
    std::string call = fmt::format("probe({})", chain);
    Analysis a(call + "\n");
    CHECK(a.at(call).argument.kind == ValueKind::unknown);
  }
  SECTION("2,000 nested parentheses") {
    std::string nested = std::string(2000, '(') + "'x'" + std::string(2000, ')');
    std::string call = fmt::format("probe({})", nested);
    Analysis a(call + "\n");
    // Past the inference depth bound the answer is unknown; the point is that it returns.
    CHECK(a.at(call).argument.kind == ValueKind::unknown);
    CHECK(a.at(call).callee.empty());
  }
  SECTION("a 2,000-long method chain") {
    std::string chain = "s";
    for (int i = 0; i < 2000; ++i) chain += ".strip()";
    Analysis a(fmt::format("s = ''\nprobe({})\n", chain));
    CHECK(a.at(fmt::format("probe({})", chain)).argument.kind == ValueKind::unknown);
  }
}

// ---- function context ----------------------------------------------------------------------

TEST_CASE("semantic: enclosing function, async-ness and qualified names", "[semantic]") {
  Analysis a(R"py(
at_module()

class Class:
    in_class_body()
    def method(self):
        in_method()
    async def amethod(self):
        in_amethod()

def outer():
    def inner():
        in_inner()
    in_outer()

async def handler():
    in_handler()
    def helper():
        in_helper()
    cb = lambda: in_lambda()
    [in_comprehension(x) for x in xs]

def f():
    g = lambda: in_f_lambda()
)py");
  const Observation& module = a.at("at_module()");
  CHECK_FALSE(module.has_function);
  CHECK(module.frame == "mod");
  CHECK_FALSE(module.in_async);

  const Observation& class_body = a.at("in_class_body()");
  CHECK_FALSE(class_body.has_function);
  CHECK(class_body.frame == "mod.Class");

  CHECK(a.at("in_method()").function == "mod.Class.method");
  CHECK_FALSE(a.at("in_method()").in_async);
  CHECK(a.at("in_amethod()").function == "mod.Class.amethod");
  CHECK(a.at("in_amethod()").in_async);
  CHECK(a.at("in_inner()").function == "mod.outer.inner");
  CHECK(a.at("in_outer()").function == "mod.outer");

  CHECK(a.at("in_handler()").in_async);
  CHECK(a.at("in_handler()").function == "mod.handler");
  CHECK_FALSE(a.at("in_helper()").in_async);
  CHECK(a.at("in_helper()").function == "mod.handler.helper");
  CHECK_FALSE(a.at("in_lambda()").in_async);
  CHECK(a.at("in_lambda()").function == "mod.handler.<lambda>");
  // A comprehension is not an execution frame of its own: it runs where it is written.
  CHECK(a.at("in_comprehension(x)").in_async);
  CHECK(a.at("in_comprehension(x)").function == "mod.handler");
  CHECK(a.at("in_f_lambda()").function == "mod.f.<lambda>");
}

TEST_CASE("semantic: decorators and defaults run in the enclosing frame", "[semantic]") {
  Analysis a(R"py(
async def handler():
    @decorate()
    def inner(x=default()):
        body()
)py");
  CHECK(a.at("decorate()").function == "mod.handler");
  CHECK(a.at("decorate()").in_async);
  CHECK(a.at("default()").function == "mod.handler");
  CHECK(a.at("body()").function == "mod.handler.inner");
  CHECK_FALSE(a.at("body()").in_async);
}

// ---- loop context --------------------------------------------------------------------------

TEST_CASE("semantic: for and while loops", "[semantic]") {
  Analysis a(R"py(
for x in get():
    body(x)
else:
    after()

while cond():
    in_while()
else:
    after_while()

async def f():
    async for item in stream():
        consume(item)
)py");
  CHECK(a.at("get()").loops.empty());

  const Observation& body = a.at("body(x)");
  REQUIRE(body.loops.size() == 1);
  CHECK(body.loops[0].kind == LoopKind::for_loop);
  CHECK(body.loops[0].iterable == "get()");
  CHECK(body.loops[0].target == "x");
  CHECK_FALSE(body.loops[0].is_async);

  CHECK(a.at("after()").loops.empty());

  const Observation& condition = a.at("cond()");
  REQUIRE(condition.loops.size() == 1);
  CHECK(condition.loops[0].kind == LoopKind::while_loop);
  CHECK(condition.loops[0].iterable == "cond()");
  CHECK(condition.loops[0].target.empty());
  const Observation& in_while = a.at("in_while()");
  REQUIRE(in_while.loops.size() == 1);
  CHECK(in_while.loops[0].kind == LoopKind::while_loop);
  CHECK(a.at("after_while()").loops.empty());

  CHECK(a.at("stream()").loops.empty());
  const Observation& consume = a.at("consume(item)");
  REQUIRE(consume.loops.size() == 1);
  CHECK(consume.loops[0].is_async);
  CHECK(consume.loops[0].iterable == "stream()");
}

TEST_CASE("semantic: a call in the body of a for over xs is in one loop", "[semantic]") {
  Analysis a("for x in xs:\n    f(x)\n");
  const Observation& seen = a.at("f(x)");
  REQUIRE(seen.loops.size() == 1);
  CHECK(seen.loops[0].kind == LoopKind::for_loop);
  CHECK(seen.loops[0].iterable == "xs");
}

TEST_CASE("semantic: comprehension clauses", "[semantic]") {
  Analysis a(R"py(
[f(x) for x in xs]
[x for x in xs()]
[g(a, b) for a in A for b in B]
[y for a in A for y in inner(a)]
[z for z in Z if keep(z)]
{k: val(k) for k in K}
(gen(v) for v in V)
{s(w) for w in W}
)py");
  const Observation& body = a.at("f(x)");
  REQUIRE(body.loops.size() == 1);
  CHECK(body.loops[0].kind == LoopKind::comprehension);
  CHECK(body.loops[0].iterable == "xs");
  CHECK(body.loops[0].target == "x");

  CHECK(a.at("xs()").loops.empty());

  const Observation& two = a.at("g(a, b)");
  CHECK(loop_kinds(two) == std::vector<LoopKind>{LoopKind::comprehension, LoopKind::comprehension});
  CHECK(loop_iterables(two) == std::vector<std::string>{"A", "B"});

  CHECK(loop_iterables(a.at("inner(a)")) == std::vector<std::string>{"A"});
  CHECK(loop_iterables(a.at("keep(z)")) == std::vector<std::string>{"Z"});
  CHECK(loop_iterables(a.at("val(k)")) == std::vector<std::string>{"K"});
  CHECK(loop_iterables(a.at("gen(v)")) == std::vector<std::string>{"V"});
  CHECK(loop_iterables(a.at("s(w)")) == std::vector<std::string>{"W"});
}

TEST_CASE("semantic: loops do not carry into nested defs and lambdas", "[semantic]") {
  Analysis a(R"py(
for x in xs:
    def cb():
        in_def()
        for y in ys:
            in_inner_for()
    h = lambda: in_lambda()
    after_def()
)py");
  CHECK(a.at("in_def()").loops.empty());
  CHECK(loop_iterables(a.at("in_inner_for()")) == std::vector<std::string>{"ys"});
  CHECK(a.at("in_lambda()").loops.empty());
  CHECK(loop_iterables(a.at("after_def()")) == std::vector<std::string>{"xs"});
}

TEST_CASE("semantic: with and try statements enclosing a call", "[semantic]") {
  Analysis a(R"py(
with lock():
    try:
        inside()
    except E:
        handler()
outside()
)py");
  CHECK(a.at("lock()").withs == 0);
  CHECK(a.at("inside()").withs == 1);
  CHECK(a.at("inside()").tries == 1);
  CHECK(a.at("handler()").withs == 1);
  CHECK(a.at("handler()").tries == 0);
  CHECK(a.at("outside()").withs == 0);
}

// ---- bindings ------------------------------------------------------------------------------

TEST_CASE("semantic: binding kinds of loop, with, except, walrus and unpacking targets",
          "[semantic]") {
  Analysis a(R"py(
import os
for item in items:
    probe(item)
for k, (v, w) in pairs:
    probe(w)
with open(p) as fh, lock() as (l1, l2):
    probe(fh)
    probe(l2)
try:
    pass
except ValueError as err:
    probe(err)
except (KeyError, TypeError) as err2:
    probe(err2)
if (n := len(a)) > 10:
    probe(n)
first, *rest = values
probe(rest)
def f(param, *args, key=1, **kw):
    probe(param)
    probe(args)
    probe(key)
    probe(kw)
probe(os)
probe(f)
class C:
    pass
probe(C)
[probe(q) for q in qs]
)py");
  auto binding = [&](const std::string& call) { return a.at(call).argument_binding; };
  CHECK(binding("probe(item)") == BindingKind::loop_target);
  CHECK(binding("probe(w)") == BindingKind::loop_target);
  CHECK(binding("probe(fh)") == BindingKind::with_target);
  CHECK(a.at("probe(fh)").argument_binding_value.is_instance_of("builtins.open"));
  CHECK(binding("probe(l2)") == BindingKind::with_target);
  CHECK(binding("probe(err)") == BindingKind::except_target);
  CHECK(binding("probe(err2)") == BindingKind::except_target);
  CHECK(binding("probe(n)") == BindingKind::assignment);
  CHECK(a.at("probe(n)").argument.kind == ValueKind::number);
  CHECK(binding("probe(rest)") == BindingKind::other);
  CHECK(binding("probe(param)") == BindingKind::parameter);
  CHECK(binding("probe(args)") == BindingKind::parameter);
  CHECK(binding("probe(key)") == BindingKind::parameter);
  CHECK(binding("probe(kw)") == BindingKind::parameter);
  CHECK(binding("probe(os)") == BindingKind::import);
  CHECK(binding("probe(f)") == BindingKind::function);
  CHECK(a.at("probe(f)").argument_binding_value.qualified_name == "mod.f");
  CHECK(binding("probe(C)") == BindingKind::class_def);
  CHECK(a.at("probe(C)").argument_binding_value.qualified_name == "mod.C");
  CHECK(binding("probe(q)") == BindingKind::loop_target);
}

TEST_CASE("semantic: with targets in parenthesized and async with statements", "[semantic]") {
  Analysis a(R"py(
import aiohttp
with (open(a) as f1, open(b) as f2):
    f2.read()
async def fetch():
    async with aiohttp.ClientSession() as session:
        session.get(u)
)py");
  CHECK(a.callee("f2.read()") == "builtins.open.read");
  CHECK(a.callee("session.get(u)") == "aiohttp.ClientSession.get");
}

TEST_CASE("semantic: an augmented assignment keeps what the name was known to hold",
          "[semantic]") {
  Analysis a(R"py(
out = ""
for part in parts:
    out += part
probe(out)
total = 0
total += 1
probe(total)
)py");
  CHECK(a.at("probe(out)").argument.kind == ValueKind::str);
  CHECK(a.at("probe(total)").argument.kind == ValueKind::number);
}

TEST_CASE("semantic: a global declaration resolves to the module binding", "[semantic]") {
  Analysis a(R"py(
import requests
session = requests.Session()

def outer():
    session = None
    session.get(local)
    def inner():
        global session
        session.get(global_)
)py");
  CHECK(a.callee("session.get(local)").empty());
  CHECK(a.callee("session.get(global_)") == "requests.Session.get");
}

TEST_CASE("semantic: a nonlocal declaration resolves to the enclosing function binding",
          "[semantic]") {
  // `nonlocal s` names outer()'s `s`, not the module's.
  Analysis a(R"py(
import requests
s = requests.Session()

def outer():
    s = open(p)
    def inner():
        nonlocal s
        s.read()
)py");
  CHECK(a.callee("s.read()") == "builtins.open.read");
}

TEST_CASE("semantic: the first comprehension iterable is resolved in the enclosing scope",
          "[semantic]") {
  // Python evaluates `open(p)` before the comprehension's own scope exists: it is the builtin.
  Analysis a("lines = [open for open in open(p)]\n");
  CHECK(a.callee("open(p)") == "builtins.open");
}

// ---- facts ---------------------------------------------------------------------------------

TEST_CASE("semantic: facts record functions with qualified names, lines and async-ness",
          "[semantic]") {
  Analysis a(R"py(
def top():
    def nested():
        pass

class Service:
    async def fetch(self):
        pass

@decorator
async def handler():
    pass
)py");
  const auto& functions = a.facts().functions;
  REQUIRE(functions.size() == 4);
  CHECK(functions[0].qualified_name == "mod.top");
  CHECK(functions[0].line == 2);
  CHECK_FALSE(functions[0].is_async);
  CHECK(functions[1].qualified_name == "mod.top.nested");
  CHECK(functions[1].line == 3);
  CHECK(functions[2].qualified_name == "mod.Service.fetch");
  CHECK(functions[2].line == 7);
  CHECK(functions[2].is_async);
  CHECK(functions[3].qualified_name == "mod.handler");
  CHECK(functions[3].line == 11);
  CHECK(functions[3].is_async);
  CHECK(a.facts().module == "mod");
  CHECK(a.facts().path == "mod.py");
}

TEST_CASE("semantic: facts record classes with resolved bases", "[semantic]") {
  Analysis a(R"py(
from django.db import models
import sqlalchemy.orm as orm

class Book(models.Model):
    class Meta(object):
        pass

class Base(orm.DeclarativeBase, metaclass=Meta):
    pass

class Local(Book, some.thing, Generic[T]):
    pass
)py");
  const auto& classes = a.facts().classes;
  REQUIRE(classes.size() == 4);
  CHECK(classes[0].qualified_name == "mod.Book");
  CHECK(classes[0].line == 5);
  CHECK(classes[0].bases == std::vector<std::string>{"django.db.models.Model"});
  CHECK(classes[1].qualified_name == "mod.Book.Meta");
  CHECK(classes[1].bases == std::vector<std::string>{"builtins.object"});
  CHECK(classes[2].qualified_name == "mod.Base");
  CHECK(classes[2].bases == std::vector<std::string>{"sqlalchemy.orm.DeclarativeBase"});
  CHECK(classes[3].bases == std::vector<std::string>{"mod.Book", "some.thing", "Generic[T]"});
}

TEST_CASE("semantic: facts record non-builtin calls in loops and async functions",
          "[semantic]") {
  Analysis a(R"py(
import services
services.setup()
for user in users:
    services.load(user)
    len(user)
    unknown(user)

def report():
    for row in rows:
        for cell in row:
            services.format(cell)
    services.flush()

async def handler():
    services.fetch()
    print("x")
)py");
  const auto& calls = a.facts().calls;
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].callee == "services.load");
  CHECK(calls[0].caller.empty());
  CHECK(calls[0].line == 5);
  CHECK(calls[0].column == 5);
  CHECK(calls[0].loop_depth == 1);
  CHECK_FALSE(calls[0].in_async_function);

  CHECK(calls[1].callee == "services.format");
  CHECK(calls[1].caller == "mod.report");
  CHECK(calls[1].line == 12);
  CHECK(calls[1].column == 13);
  CHECK(calls[1].loop_depth == 2);
  CHECK_FALSE(calls[1].in_async_function);

  CHECK(calls[2].callee == "services.fetch");
  CHECK(calls[2].caller == "mod.handler");
  CHECK(calls[2].line == 16);
  CHECK(calls[2].column == 5);
  CHECK(calls[2].loop_depth == 0);
  CHECK(calls[2].in_async_function);
}

TEST_CASE("semantic: call fact columns count characters, not bytes", "[semantic]") {
  // 'é' is two bytes: s.go() starts at byte column 14 (0-based), character column 14 (1-based).
  Analysis a("import s\nfor x in xs:\n    y = 'é'; s.go()\n");
  REQUIRE(a.facts().calls.size() == 1);
  CHECK(a.facts().calls[0].column == 14);
}

// ---- suppressions --------------------------------------------------------------------------

TEST_CASE("semantic: suppression comments", "[semantic]") {
  SECTION("# noqa is blanket") {
    CHECK(parsed_codes("# noqa", 7).empty());
    Suppressions out;
    parse_suppression_comment("# noqa", 7, out);
    CHECK(out.suppresses(7, "PS401"));
    CHECK_FALSE(out.suppresses(8, "PS401"));
    CHECK_FALSE(out.skip_file);
  }
  SECTION("# noqa with codes") {
    CHECK(parsed_codes("# noqa: PS401, PS101") == std::set<std::string>{"PS401", "PS101"});
    CHECK(parsed_codes("# NOQA:ps401") == std::set<std::string>{"PS401"});
    CHECK(parsed_codes("# noqa:PS401,PS101") == std::set<std::string>{"PS401", "PS101"});
  }
  SECTION("# noqa: E501 silences other tools only") {
    CHECK(parsed_codes("# noqa: E501") == std::set<std::string>{"E501"});
    Suppressions out;
    parse_suppression_comment("# noqa: E501", 3, out);
    CHECK_FALSE(out.suppresses(3, "PS401"));
  }
  SECTION("# perfscan: ignore") {
    CHECK(parsed_codes("# perfscan: ignore[PS401]") == std::set<std::string>{"PS401"});
    CHECK(parsed_codes("# perfscan: ignore[PS401, ps101]") ==
          std::set<std::string>{"PS401", "PS101"});
    CHECK(parsed_codes("# perfscan: ignore").empty());
    Suppressions out;
    parse_suppression_comment("# perfscan: ignore[PS401]", 2, out);
    CHECK(out.suppresses(2, "PS401"));
    CHECK_FALSE(out.suppresses(2, "PS101"));
  }
  SECTION("# perfscan: skip-file") {
    Suppressions out;
    parse_suppression_comment("# perfscan: skip-file", 1, out);
    CHECK(out.skip_file);
    CHECK(out.by_line.empty());
    Suppressions compact;
    parse_suppression_comment("# PERFSCAN:SKIP-FILE", 1, compact);
    CHECK(compact.skip_file);
  }
  SECTION("an ordinary comment is nothing") {
    Suppressions out;
    parse_suppression_comment("# just a comment", 1, out);
    CHECK(out.by_line.empty());
    CHECK_FALSE(out.skip_file);
  }
}

TEST_CASE("semantic: the walk records suppression comments by line", "[semantic]") {
  Analysis a(R"py(
x = 1  # noqa: PS401
y = 2  # an ordinary comment
# perfscan: ignore
z = 3
)py");
  const Suppressions& suppressions = a.facts().suppressions;
  CHECK_FALSE(suppressions.skip_file);
  REQUIRE(suppressions.by_line.size() == 2);
  CHECK(suppressions.by_line.at(2) == std::set<std::string>{"PS401"});
  CHECK(suppressions.by_line.at(4).empty());
}

TEST_CASE("semantic: noqa only counts as a directive after a comment marker",
          "[semantic]") {
  // flake8 and ruff look for `#` then `noqa`; prose mentioning noqa is not a directive.
  Suppressions out;
  parse_suppression_comment("# see the noqa docs before adding one", 1, out);
  CHECK(out.by_line.empty());
}

// ---- rule helpers --------------------------------------------------------------------------

TEST_CASE("semantic: is_constant_bounded", "[semantic]") {
  Analysis a(R"py(
CONSTANT = ["a", "b"]
lower = ["a", "b"]
pair = ("a", "b")
d = {"a": 1}
D = {"a": 1}
probe(range(10))
probe(range(-1, 10, 2))
probe(range(n))
probe((1, 2))
probe([a, b])
probe("abc")
probe(enumerate(("a", "b")))
probe(sorted([3, 1]))
probe(zip(xs, (1, 2)))
probe(zip(xs, ys))
probe(xs)
probe(CONSTANT)
probe(lower)
probe(pair)
probe(d.items())
probe(D.items())
probe({"a": 1}.keys())
probe([*xs])
probe(UNBOUND)
)py");
  auto bounded = [&](const std::string& call) { return a.at(call).argument_bounded; };
  CHECK(bounded("probe(range(10))"));
  CHECK(bounded("probe(range(-1, 10, 2))"));
  CHECK_FALSE(bounded("probe(range(n))"));
  CHECK(bounded("probe((1, 2))"));
  CHECK(bounded("probe([a, b])"));
  CHECK(bounded(R"(probe("abc"))"));
  CHECK(bounded(R"(probe(enumerate(("a", "b"))))"));
  CHECK(bounded("probe(sorted([3, 1]))"));
  CHECK(bounded("probe(zip(xs, (1, 2)))"));
  CHECK_FALSE(bounded("probe(zip(xs, ys))"));
  CHECK_FALSE(bounded("probe(xs)"));
  CHECK(bounded("probe(CONSTANT)"));
  CHECK_FALSE(bounded("probe(lower)"));  // lower-case lists are usually filled later
  CHECK(bounded("probe(pair)"));         // tuples cannot be
  // A lower-case dict is treated like a lower-case list; the UPPER_CASE one is constant.
  CHECK_FALSE(bounded("probe(d.items())"));
  CHECK(bounded("probe(D.items())"));
  CHECK(bounded(R"(probe({"a": 1}.keys()))"));
  CHECK_FALSE(bounded("probe([*xs])"));
  CHECK_FALSE(bounded("probe(UNBOUND)"));
}

TEST_CASE("semantic: is_constant_bounded respects scoping", "[semantic]") {
  Analysis a(R"py(
NAMES = ["a", "b"]
def f(NAMES):
    probe(NAMES)
def g():
    probe(NAMES)
)py");
  CHECK_FALSE(a.at("probe(NAMES)", 0).argument_bounded);
  CHECK(a.at("probe(NAMES)", 1).argument_bounded);
}

TEST_CASE("semantic: identifiers_in lists name lookups in source order", "[semantic]") {
  Analysis a(R"py(
probe(a + b.c[d] * f(g, key=h, *i, **j))
probe(x.y.z)
probe([u for u in v])
probe(1)
)py");
  CHECK(a.at("probe(a + b.c[d] * f(g, key=h, *i, **j))").argument_names ==
        std::vector<std::string>{"a", "b", "d", "f", "g", "h", "i", "j"});
  CHECK(a.at("probe(x.y.z)").argument_names == std::vector<std::string>{"x"});
  CHECK(a.at("probe([u for u in v])").argument_names ==
        std::vector<std::string>{"u", "u", "v"});
  CHECK(a.at("probe(1)").argument_names.empty());
}

}  // namespace perfscan

namespace perfscan {

TEST_CASE("facts: NameList keeps distinct qualified names in order, in one string", "[semantic]") {
  NameList names;
  CHECK(names.empty());
  CHECK(names.size() == 0);
  CHECK(names.begin() == names.end());
  names.add("shop.models.Order.total");
  names.add("shop.views.helper");
  names.add("shop.models.Order.total");  // already listed
  names.add("");                         // not a name
  names.add("a\nb");                     // spans lines: not a qualified name
  CHECK(names.size() == 2);
  CHECK(names.joined() == "shop.models.Order.total\nshop.views.helper");
  CHECK(names.contains("shop.views.helper"));
  CHECK_FALSE(names.contains("shop.views"));
  CHECK(std::vector<std::string_view>(names.begin(), names.end()) ==
        std::vector<std::string_view>{"shop.models.Order.total", "shop.views.helper"});
  CHECK(NameList{"x", "y", "x"} == NameList{"x", "y"});
}

}  // namespace perfscan

TEST_CASE("semantic: test modules by file name and by a folder of tests or benchmarks on the path", "[semantic]") {
  for (std::string_view path :
       {"tests/util.py", "pkg/test/helpers.py", "src/testing/fakes.py", "conftest.py",
        "app/test_views.py", "app/views_test.py", "app/tests.py", "aioxmpp/e2etest/__init__.py",
        "web/e2e/flows.py", "svc/integration_tests/db.py", "svc/functional-test/run.py",
        "svc/unit_tests/a.py", "/abs/e2etests/x.py", "sympy/benchmarks/bench_symbench.py",
        "pkg/benchmarks/core.py", "asv_bench/benchmarks/frame.py", "tools/bench_parse.py",
        "tools/parse_bench.py", "perf/io_benchmark.py"}) {
    INFO(path);
    CHECK(perfscan::is_test_file_path(path));
  }
  for (std::string_view path :
       {"unittest/case.py", "_pytest/python.py", "latest/app.py", "contest/judge.py",
        "app/testimonials.py", "attestation/verify.py", "app/views.py", "tests_data.py",
        "protest/x.py", "app/bench.py", "app/benchmarking.py", "workbench/views.py"}) {
    INFO(path);
    CHECK_FALSE(perfscan::is_test_file_path(path));
  }
}
