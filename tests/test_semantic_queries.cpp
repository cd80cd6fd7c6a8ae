// Semantic layer: questions added for the memory, loops, caching and async rules: what the
// Context knows about the classes of a file (Context::is_enum_class, Context::hashes_by_value,
// asked from inside each class body), callees written in parentheses, library predicates.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/types.hpp"
#include "semantic/walker.hpp"
#include "syntax/parser.hpp"

namespace perfscan {
namespace {

struct ClassSeen {
  bool is_enum = false;
  bool hashes_by_value = false;
};

// Records, for every `def` directly in a class body, what the Context says about that class.
class ClassProbe final : public Rule {
 public:
  ClassProbe()
      : Rule(RuleInfo{"PS998", "class-probe", Category::memory, Severity::low,
                      "Records what the semantic context says about classes (tests only)"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override {
    return {"function_definition"};
  }

  void check(Node, Context& ctx) const override {
    if (ctx.frame().kind != FrameKind::class_body) return;
    std::string name(ctx.enclosing_class());
    seen_[name] = ClassSeen{ctx.is_enum_class(name), ctx.hashes_by_value(name)};
  }

  mutable std::map<std::string, ClassSeen> seen_;
};

// Records the callee of every call.
class CalleeProbe final : public Rule {
 public:
  CalleeProbe()
      : Rule(RuleInfo{"PS997", "callee-probe", Category::memory, Severity::low,
                      "Records callees (tests only)"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    callees_[std::string(ctx.text(call))] = ctx.callee_name(call);
  }

  mutable std::map<std::string, std::string> callees_;
};

// Records ctx.collection_size of the argument of every `probe(...)` call.
class SizeProbe final : public Rule {
 public:
  SizeProbe()
      : Rule(RuleInfo{"PS996", "size-probe", Category::memory, Severity::low,
                      "Records collection sizes (tests only)"}) {}

  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }

  void check(Node call, Context& ctx) const override {
    if (ctx.text(call.field("function")) != "probe") return;
    Node argument = call.field("arguments").named_child(0);
    sizes_[std::string(ctx.text(argument))] = ctx.collection_size(argument);
  }

  mutable std::map<std::string, CollectionSize> sizes_;
};

std::map<std::string, CollectionSize> sizes_of(const std::string& source) {
  Parser parser;
  Tree tree = parser.parse(source);
  REQUIRE(tree.valid());
  SizeProbe probe;
  RuleDispatch dispatch({&probe});
  Context context("mod.py", "mod", false, source);
  FileTypes types;
  walk_file(context, dispatch, tree.root(), types);
  return probe.sizes_;
}

std::map<std::string, std::string> callees_of(const std::string& source) {
  Parser parser;
  Tree tree = parser.parse(source);
  REQUIRE(tree.valid());
  CalleeProbe probe;
  RuleDispatch dispatch({&probe});
  Context context("mod.py", "mod", false, source);
  FileTypes types;
  walk_file(context, dispatch, tree.root(), types);
  return probe.callees_;
}

std::map<std::string, ClassSeen> classes_of(const std::string& source) {
  Parser parser;
  Tree tree = parser.parse(source);
  REQUIRE(tree.valid());
  ClassProbe probe;
  RuleDispatch dispatch({&probe});
  Context context("mod.py", "mod", false, source);
  FileTypes types;
  walk_file(context, dispatch, tree.root(), types);
  return probe.seen_;
}

}  // namespace

TEST_CASE("semantic: enum classes, directly and through a base in the file", "[semantic]") {
  auto seen = classes_of(R"(
import enum
from enum import Enum, IntFlag

class Colour(Enum):
    RED = 1
    def rgb(self): ...

class Shade(Colour):
    def darker(self): ...

class Level(enum.IntEnum):
    def describe(self): ...

class Bits(IntFlag):
    def names(self): ...

class Plain:
    def f(self): ...
)");
  CHECK(seen.at("mod.Colour").is_enum);
  CHECK(seen.at("mod.Shade").is_enum);
  CHECK(seen.at("mod.Level").is_enum);
  CHECK(seen.at("mod.Bits").is_enum);
  CHECK_FALSE(seen.at("mod.Plain").is_enum);
}

TEST_CASE("semantic: classes that hash by value", "[semantic]") {
  auto seen = classes_of(R"(
import collections
import dataclasses
from dataclasses import dataclass
from typing import NamedTuple
import attr

class Address:
    def __eq__(self, other): ...
    def __hash__(self): ...

class V4(Address):
    def reverse(self): ...

@dataclass(frozen=True)
class Money:
    def formatted(self): ...

@dataclasses.dataclass(eq=True, unsafe_hash=True)
class Tag:
    def slug(self): ...

@attr.s(frozen=True)
class Frozen:
    def f(self): ...

class Pair(NamedTuple):
    def total(self): ...

class Point(collections.namedtuple("Point", "x y")):
    def norm(self): ...

@dataclass
class Mutable:
    def f(self): ...

class Unhashable:
    __hash__ = None
    def f(self): ...

class Identity:
    def f(self): ...
)");
  CHECK(seen.at("mod.Address").hashes_by_value);
  CHECK(seen.at("mod.V4").hashes_by_value);
  CHECK(seen.at("mod.Money").hashes_by_value);
  CHECK(seen.at("mod.Tag").hashes_by_value);
  CHECK(seen.at("mod.Frozen").hashes_by_value);
  CHECK(seen.at("mod.Pair").hashes_by_value);
  CHECK(seen.at("mod.Point").hashes_by_value);
  CHECK_FALSE(seen.at("mod.Mutable").hashes_by_value);
  CHECK_FALSE(seen.at("mod.Unhashable").hashes_by_value);
  CHECK_FALSE(seen.at("mod.Identity").hashes_by_value);
}

TEST_CASE("semantic: parentheses around a callee change nothing", "[semantic]") {
  auto callees = callees_of(R"(
import os
import requests
(list)(x)
(os.path).join(a, b)
((os).path.exists)(p)
s = requests.Session()
(s).get(url)
)");
  CHECK(callees.at("(list)(x)") == "builtins.list");
  CHECK(callees.at("(os.path).join(a, b)") == "os.path.join");
  CHECK(callees.at("((os).path.exists)(p)") == "os.path.exists");
  CHECK(callees.at("(s).get(url)") == "requests.Session.get");
}

TEST_CASE("semantic: a file's lines, a queryset's rows and a parsed mapping's views are sized by the data",
          "[semantic]") {
  auto sizes = sizes_of(R"(
import json
from shop.models import Book

def f(path):
    with open(path) as handle:
        probe(handle)
    probe(open(path))
    probe(Book.objects.filter(active=True))
    books = Book.objects.all()
    probe(books)
    probe(Book.objects.get(id=1))
    probe(("a", "b"))
    with open(path) as f:
        summary = json.load(f)
    probe(summary.keys())
    probe(summary.items())
)");
  CHECK(sizes.at("handle") == CollectionSize::data);
  CHECK(sizes.at("open(path)") == CollectionSize::data);
  CHECK(sizes.at("Book.objects.filter(active=True)") == CollectionSize::data);
  CHECK(sizes.at("books") == CollectionSize::data);
  CHECK(sizes.at("Book.objects.get(id=1)") == CollectionSize::unknown);
  CHECK(sizes.at("(\"a\", \"b\")") == CollectionSize::bounded);
  // Views of a mapping of unknown type are as large as the mapping.
  CHECK(sizes.at("summary.keys()") == CollectionSize::data);
  CHECK(sizes.at("summary.items()") == CollectionSize::data);
}

TEST_CASE("library types: mappings with dict views", "[semantic]") {
  CHECK(is_mapping(Value{ValueKind::dict, {}}));
  CHECK(is_mapping(Value{ValueKind::instance, "collections.OrderedDict"}));
  CHECK(is_mapping(Value{ValueKind::instance, "collections.defaultdict"}));
  CHECK(is_mapping(Value{ValueKind::instance, "collections.Counter"}));
  CHECK_FALSE(is_mapping(Value{ValueKind::instance, "pandas.DataFrame"}));
  CHECK_FALSE(is_mapping(Value{ValueKind::instance, "configparser.ConfigParser"}));
  CHECK_FALSE(is_mapping(Value{ValueKind::list, {}}));
  CHECK_FALSE(is_mapping(Value{}));
}

}  // namespace perfscan
