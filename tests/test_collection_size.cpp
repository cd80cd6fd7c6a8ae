// Stage 3, semantic layer: Context::collection_size, the one answer every quadratic-cost rule
// (PS101-PS106, PS401-PS403, ...) asks of the collection a loop walks. A probe rule records,
// for every `probe(x)` call and every `for` statement, the size the Context gives `x` or the
// loop's iterable at that point of the walk; each test asserts the exact answers.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/semantic.hpp"
#include "semantic/file_types.hpp"
#include "semantic/walker.hpp"
#include "syntax/parser.hpp"

namespace perfscan {
namespace {

class SizeProbe final : public Rule {
 public:
  SizeProbe()
      : Rule(RuleInfo{"PS999", "size-probe", Category::loops, Severity::low,
                      "Records collection sizes (tests only)"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"call", "for_statement"};
  }

  void check(Node node, Context& ctx) const override {
    Node subject;
    if (node.is("for_statement")) {
      subject = node.field("right");
    } else if (ctx.text(node.field("function")) == "probe") {
      Node arguments = node.field("arguments");
      subject = arguments ? arguments.named_child(0) : Node{};
    }
    if (!subject) return;
    // Probes run single-threaded, in these tests only.
    sizes_[std::string(ctx.text(subject))].push_back(ctx.collection_size(subject));
    kinds_[std::string(ctx.text(subject))].push_back(ctx.infer(subject).kind);
  }

  mutable std::map<std::string, std::vector<CollectionSize>> sizes_;
  mutable std::map<std::string, std::vector<ValueKind>> kinds_;
};

class Sizes {
 public:
  explicit Sizes(std::string source) : source_(std::move(source)) {
    Parser parser;
    Tree tree = parser.parse(source_);
    REQUIRE(tree.valid());
    RuleDispatch dispatch({&probe_});
    Context context("mod.py", "mod", false, source_);
    FileTypes types;
    walk_file(context, dispatch, tree.root(), types);
  }

  // The size of the only probe or loop over `text`, or of its n-th occurrence.
  [[nodiscard]] CollectionSize of(const std::string& text, std::size_t index = 0) const {
    auto it = probe_.sizes_.find(text);
    INFO("expression: " << text);
    REQUIRE(it != probe_.sizes_.end());
    REQUIRE(index < it->second.size());
    return it->second[index];
  }

  // What infer() says the only probe or loop over `text` holds.
  [[nodiscard]] ValueKind kind_of(const std::string& text) const {
    auto it = probe_.kinds_.find(text);
    INFO("expression: " << text);
    REQUIRE(it != probe_.kinds_.end());
    return it->second.front();
  }

 private:
  std::string source_;
  SizeProbe probe_;
};

constexpr CollectionSize kBounded = CollectionSize::bounded;
constexpr CollectionSize kData = CollectionSize::data;
constexpr CollectionSize kUnknown = CollectionSize::unknown;

}  // namespace
}  // namespace perfscan

namespace Catch {
template <>
struct StringMaker<perfscan::CollectionSize> {
  static std::string convert(perfscan::CollectionSize size) {
    static constexpr const char* kNames[] = {"unknown", "bounded", "data"};
    return kNames[static_cast<int>(size)];
  }
};
}  // namespace Catch

namespace perfscan {

TEST_CASE("collection size: displays, literals, constants and ranges are bounded", "[semantic][size]") {
  Sizes s(R"py(
CONSTANT = ["a", "b"]
PAIR = ("a", "b")
HEX = "0123456789abcdef"
LIMIT = 8
probe([a, b])
probe((1, 2))
probe({"a": 1})
probe("abc")
probe(range(10))
probe(range(LIMIT))
probe(CONSTANT)
probe(PAIR)
probe(HEX[8:])
probe(enumerate(("a", "b")))
probe(sorted([3, 1]))
probe(zip(xs, (1, 2)))
probe("a b c".split())
probe([x.upper() for x in PAIR])
probe(xs[:3])
for flag in True, False:
    pass
)py");
  for (const char* bounded :
       {"[a, b]", "(1, 2)", R"({"a": 1})", R"("abc")", "range(10)", "range(LIMIT)", "CONSTANT", "PAIR",
        "HEX[8:]", R"(enumerate(("a", "b")))", "sorted([3, 1])", "zip(xs, (1, 2))", R"("a b c".split())",
        "[x.upper() for x in PAIR]", "xs[:3]", "True, False"}) {
    INFO(bounded);
    CHECK(s.of(bounded) == kBounded);
  }
}

TEST_CASE("collection size: what is not known stays unknown", "[semantic][size]") {
  Sizes s(R"py(
def f(xs, n, obj, text):
    probe(text.split(","))  # `text` may be anything with a split()
    probe(xs)
    probe(range(n))
    probe(obj.items)
    probe([*xs])
    probe(zip(xs, xs))
)py");
  for (const char* unknown : {"xs", "range(n)", "obj.items", "[*xs]", "zip(xs, xs)", R"(text.split(","))"}) {
    INFO(unknown);
    CHECK(s.of(unknown) == kUnknown);
  }
}
}  // namespace perfscan

namespace perfscan {

TEST_CASE("collection size: class hierarchies are bounded", "[semantic][size]") {
  Sizes s(R"py(
import inspect
from inspect import getmro

class Base:
    pass

class Child(Base):
    def walk(self, other):
        probe(type(self).__mro__)
        probe(self.__class__.__mro__)
        probe(Child.__mro__)
        probe(Child.__bases__)
        probe(type(other).__bases__)
        probe(inspect.getmro(type(other)))
        probe(getmro(Child))
        probe(reversed(Child.__mro__))
        probe(Child.__mro__[1:])

def f(cls):
    probe(cls.__mro__)
)py");
  for (const char* bounded :
       {"type(self).__mro__", "self.__class__.__mro__", "Child.__mro__", "Child.__bases__", "type(other).__bases__",
        "inspect.getmro(type(other))", "getmro(Child)", "reversed(Child.__mro__)", "Child.__mro__[1:]",
        "cls.__mro__"}) {
    INFO(bounded);
    CHECK(s.of(bounded) == kBounded);
  }
}

TEST_CASE("collection size: constant dicts, their views and class-level literals", "[semantic][size]") {
  Sizes s(R"py(
OPTIONS = {"a": 1, "b": 2}
NAMES = ("a", "b", "c")

class Form:
    FIELDS = ["name", "email"]
    CHOICES = (("a", "A"), ("b", "B"))

    def clean(self):
        probe(self.FIELDS)
        probe(Form.CHOICES)

    @classmethod
    def build(cls):
        probe(cls.FIELDS)

probe(OPTIONS.keys())
probe(OPTIONS.items())
probe(OPTIONS.values())
probe({"x": 1}.items())
probe(sorted(OPTIONS))
probe(NAMES)
)py");
  for (const char* bounded :
       {"self.FIELDS", "Form.CHOICES", "cls.FIELDS", "OPTIONS.keys()", "OPTIONS.items()",
        "OPTIONS.values()", R"({"x": 1}.items())", "sorted(OPTIONS)", "NAMES"}) {
    INFO(bounded);
    CHECK(s.of(bounded) == kBounded);
  }
}

TEST_CASE("collection size: a display that grows is not bounded", "[semantic][size]") {
  Sizes s(R"py(
REGISTRY = []

def register(x):
    REGISTRY.append(x)

class Pool:
    items = []

    def add(self, x):
        self.items.append(x)

    def walk(self):
        probe(self.items)

def local():
    names = ["a"]
    for x in xs:
        names.append(x)
    probe(names)
    index = {}
    for x in xs:
        index[x] = 1
    probe(index)

probe(REGISTRY)
)py");
  CHECK(s.of("self.items") == kData);
  CHECK(s.of("names") != kBounded);
  CHECK(s.of("index") != kBounded);
  CHECK(s.of("REGISTRY") != kBounded);
}

TEST_CASE("collection size: rows, lines and parsed input are data", "[semantic][size]") {
  Sizes s(R"py(
import json
import os
from pathlib import Path
from shop.models import Book

def f(path: Path, items: list):
    probe(open(path).readlines())
    with open(path) as handle:
        probe(handle)
    probe(json.load(handle))
    probe(text.split(","))
    probe(path.read_text().split())
    probe(os.listdir(path))
    probe(Book.objects.filter(active=True))
    probe(Book.objects.all())
    items.append(1)
    probe(items)
)py");
  for (const char* data : {"open(path).readlines()", "handle", "json.load(handle)", "path.read_text().split()",
                           "os.listdir(path)", "Book.objects.filter(active=True)", "Book.objects.all()", "items"}) {
    INFO(data);
    CHECK(s.of(data) == kData);
  }
}

}  // namespace perfscan

namespace perfscan {

TEST_CASE("collection size: a name rebuilt from itself in a loop grows", "[semantic][size]") {
  Sizes s(R"py(
def product(pools):
    result = [[]]
    for pool in pools:
        result = [x + [y] for x in result for y in pool]
    probe(result)

def levels(root):
    level = [root]
    while level:
        level = [child for node in level for child in node.children]
        probe(level)

def rebound_once(xs):
    names = ["a", "b"]
    for x in xs:
        other = [n for n in names]
    probe(names)
)py");
  CHECK(s.of("result") == kData);
  CHECK(s.of("level") == kData);
  CHECK(s.of("names") == kBounded);
}

}  // namespace perfscan

namespace perfscan {

TEST_CASE("collection size: straight-line appends to a local keep it bounded", "[semantic][size]") {
  Sizes s(R"py(
__all__ = ["a"]
__all__.append("b")
__all__ += ["c"]
probe(__all__)

def locales(lang):
    names = [lang]
    if "_" in lang:
        names.append(lang.split("_")[0])
    probe(names)

def in_loop(xs):
    grown = ["a"]
    for x in xs:
        grown.append(x)
    probe(grown)

def extended(a, b, extra):
    items = [a, b]
    items.extend(extra)
    probe(items)
    pair = [a]
    pair.extend((b, b))
    probe(pair)

def parameter(acc):
    acc.append(1)
    probe(acc)

REGISTRY = []

def register(x):
    REGISTRY.append(x)
    probe(REGISTRY)
)py");
  CHECK(s.of("__all__") == kBounded);
  CHECK(s.of("names") == kBounded);
  CHECK(s.of("grown") != kBounded);
  CHECK(s.of("items") != kBounded);  // extended by a collection of unknown size
  CHECK(s.of("pair") == kBounded);
  CHECK(s.of("acc") == kData);
  CHECK(s.of("REGISTRY") != kBounded);
}

}  // namespace perfscan

namespace perfscan {

TEST_CASE("collection size: UPPER_CASE names and attributes are constants", "[semantic][size]") {
  Sizes s(R"py(
from django.conf import settings
from importlib import machinery
from .models import EXTRA_FIELDS

def f(obj, rows):
    probe(obj.PERMISSIONS_PRIORITY)
    probe(settings.INSTALLED_APPS)
    probe(machinery.EXTENSION_SUFFIXES)
    probe(EXTRA_FIELDS)
    probe(EXTRA_FIELDS.items())
    probe(obj.OPTIONS.keys())
    probe(obj.permissions)
    probe(obj.permissions.values())
    probe(rows)

GROWN = []

def grow(x):
    GROWN.append(x)
    probe(GROWN)
)py");
  for (const char* bounded :
       {"obj.PERMISSIONS_PRIORITY", "settings.INSTALLED_APPS", "machinery.EXTENSION_SUFFIXES", "EXTRA_FIELDS",
        "EXTRA_FIELDS.items()", "obj.OPTIONS.keys()"}) {
    INFO(bounded);
    CHECK(s.of(bounded) == kBounded);
  }
  CHECK(s.of("obj.permissions") == kUnknown);
  CHECK(s.of("obj.permissions.values()") == kUnknown);
  CHECK(s.of("rows") == kUnknown);
  // What the program says beats the convention: a constant list that grows is data.
  CHECK(s.of("GROWN") == kData);
}

TEST_CASE("collection size: six.moves re-exports builtins", "[semantic][size]") {
  Sizes s(R"py(
from six.moves import range, zip
import six

probe(range(3))
probe(six.moves.range(4))
probe(zip(xs, (1, 2)))
)py");
  CHECK(s.of("range(3)") == kBounded);
  CHECK(s.of("six.moves.range(4)") == kBounded);
  CHECK(s.of("zip(xs, (1, 2))") == kBounded);
}

}  // namespace perfscan

namespace perfscan {

TEST_CASE("collection size: a binding in one branch merges with another branch's", "[semantic][size]") {
  Sizes s(R"py(
def f(introspection, rows, flag, a, b):
    try:
        constraints = introspection.get_constraints()
    except NotImplementedError:
        constraints = {}
    probe(constraints)
    if flag:
        names = [a, b]
    else:
        names = [a]
    probe(names)
    if flag:
        found = [a]
    elif rows:
        found = list(rows)
    probe(found)
    items = [a]
    items = list(rows)
    probe(items)

def g(exog_values=None, cond=False):
    if exog_values is None:
        exog_values = [{}]
    probe(exog_values)
    parts = ["a"]
    if cond:
        parts = ["a", "b"]
    probe(parts)
)py");
  CHECK(s.of("constraints") == kUnknown);
  CHECK(s.of("names") == kBounded);
  CHECK(s.of("found") == kUnknown);
  CHECK(s.of("items") == kUnknown);  // straight-line: the later binding replaces the first
  CHECK(s.of("exog_values") == kUnknown);
  CHECK(s.of("parts") == kBounded);
}

TEST_CASE("collection size: a long chained assignment is bound once, each name merged in its branch",
          "[semantic][size]") {
  // `a1 = a2 = ... = a1500 = ...` nests 1,500 assignments: binding the chain from every link,
  // each target walking up every link, once took cubic time (3 s on CPython's test_exceptions.py).
  std::string chain;
  for (int i = 1; i <= 1500; ++i) chain += fmt::format("a{} = ", i);
  Sizes s("def f(rows, flag):\n    a1 = a1500 = list(rows)\n    if flag:\n        " + chain +
          "[1, 2]\n    probe(a1)\n    probe(a1500)\n    probe(a700)\n");
  CHECK(s.of("a1") == kUnknown);     // merged with the data-sized binding before the `if`
  CHECK(s.of("a1500") == kUnknown);  // the innermost target too
  CHECK(s.of("a700") == kBounded);   // bound only in the branch
}

}  // namespace perfscan

namespace perfscan {

TEST_CASE("collection size: slices bounded by their literals", "[semantic][size]") {
  Sizes s(R"py(
def f(xs):
    probe(xs[:10])
    probe(xs[2:5])
    probe(xs[-3:])
    probe(xs[-5:-1])
    probe(xs[::2])
    probe(xs[1:-1])
    probe(xs[:-1])
    probe(xs[2:])
    probe(xs[i:10])
)py");
  for (const char* bounded : {"xs[:10]", "xs[2:5]", "xs[-3:]", "xs[-5:-1]"}) {
    INFO(bounded);
    CHECK(s.of(bounded) == kBounded);
  }
  for (const char* unbounded : {"xs[::2]", "xs[1:-1]", "xs[:-1]", "xs[2:]", "xs[i:10]"}) {
    INFO(unbounded);
    CHECK(s.of(unbounded) == kUnknown);
  }
}

}  // namespace perfscan

namespace perfscan {

TEST_CASE("collection size: comments in displays, concatenations", "[semantic][size]") {
  Sizes s(R"py(
import inspect

def f(cls, rows, path):
    known = ("expires", "domain",
             # RFC 2109 attributes
             "version", "port")
    probe(known)
    operations = [
        # nothing yet
    ]
    probe(operations)
    probe((cls,) + inspect.getmro(cls))
    probe(["a"] + ["b", "c"])
    probe(["a"] + rows)
    probe(["a"] + open(path).readlines())
)py");
  CHECK(s.of("known") == kBounded);
  CHECK(s.of("operations") == kBounded);
  CHECK(s.of("(cls,) + inspect.getmro(cls)") == kBounded);
  CHECK(s.of(R"(["a"] + ["b", "c"])") == kBounded);
  CHECK(s.of(R"(["a"] + rows)") == kUnknown);
  CHECK(s.of(R"(["a"] + open(path).readlines())") == kData);
}

}  // namespace perfscan

namespace perfscan {

TEST_CASE("semantic: a dict display's key and value types", "[semantic][size]") {
  Sizes s(R"py(
out = {"body": "", "head": ""}
mixed = {"body": "", "count": 0}
probe({"body": "", "head": ""})
probe({**other})
probe(out["body"])
probe(mixed["body"])
for key in out:
    pass
)py");
  CHECK(s.of(R"({"body": "", "head": ""})") == kBounded);
  CHECK(s.of("{**other}") == kUnknown);
  CHECK(s.kind_of(R"(out["body"])") == ValueKind::str);
  CHECK(s.kind_of(R"(mixed["body"])") == ValueKind::unknown);
}

}  // namespace perfscan

namespace perfscan {

TEST_CASE("collection size: deeply nested wrappers are answered in linear time", "[semantic][size]") {
  // `list(list(...(xs)...))` once inferred every level twice (its items, then its size):
  // 2^depth work. Each level is now inferred once and the depth is bounded.
  std::string nested = "xs";
  for (int i = 0; i < 200; ++i) nested = "list(" + nested + ")";
  std::string chained = "xs";
  for (int i = 0; i < 200; ++i) chained += ".copy()";
  Sizes s("def f(xs):\n    probe(" + nested + ")\n    probe(" + chained + ")\n    probe(list(list([1, 2])))\n");
  CHECK(s.of(nested) == kUnknown);
  CHECK(s.of(chained) == kUnknown);
  CHECK(s.of("list(list([1, 2]))") == kBounded);
}

}  // namespace perfscan
