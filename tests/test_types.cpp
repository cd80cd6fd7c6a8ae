// The semantic layer's type answers (issue 13): annotations, instance attributes, flow-sensitive
// locals, return types, late binding, collection sizes. Each test walks a snippet the way a scan
// does (both walks) with a probe rule that records, at every `probe(x)` call, what the Context
// infers for `x`.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "perfscan/context.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/types.hpp"
#include "semantic/annotations.hpp"
#include "semantic/file_types.hpp"
#include "semantic/walker.hpp"
#include "syntax/parser.hpp"

namespace perfscan {
namespace {

struct Seen {
  Value value;
  CollectionSize size = CollectionSize::unknown;
  bool growing = false;
  std::string callee;  // callee_name of the argument when it is a call
  bool in_test = false;
  std::string one_time;
  EntryPoint entry = EntryPoint::none;
};

class TypeProbe final : public Rule {
 public:
  TypeProbe() : Rule(RuleInfo{"PS998", "type-probe", Category::loops, Severity::low, "tests only"}) {}
  [[nodiscard]] std::vector<std::string_view> node_kinds() const override { return {"call"}; }
  void check(Node call, Context& ctx) const override {
    Node function = call.field("function");
    // `make()` stands for a client made on that line: does it stay in the call?
    if (function.is("identifier") && ctx.text(function) == "make") made_[call.line()] = ctx.fate_of(call);
    if (!function.is("identifier") || ctx.text(function) != "probe") return;
    Node arguments = call.field("arguments");
    Node argument = arguments && arguments.named_child_count() > 0 ? arguments.named_child(0) : Node{};
    if (!argument) return;
    Seen seen;
    seen.value = ctx.infer(argument);
    seen.size = ctx.collection_size(argument);
    seen.growing = ctx.is_growing(argument);
    if (argument.is("call")) seen.callee = ctx.callee_name(argument);
    seen.in_test = ctx.in_test_code();
    seen.one_time = std::string(ctx.one_time_path());
    seen.entry = ctx.entry_point();
    seen_[std::string(ctx.text(argument))].push_back(std::move(seen));
  }
  mutable std::map<std::string, std::vector<Seen>> seen_;
  mutable std::map<std::uint32_t, MadeFate> made_;
};

class Types {
 public:
  explicit Types(std::string source, std::string path = "mod.py") : source_(std::move(source)) {
    Parser parser;
    Tree tree = parser.parse(source_);
    REQUIRE(tree.valid());
    RuleDispatch dispatch({&probe_});
    Context context(path, "mod", false, source_);
    FileTypes types;
    walk_file(context, dispatch, tree.root(), types);
  }
  // What `probe(<argument>)` saw; the n-th occurrence when the text repeats.
  [[nodiscard]] const Seen& at(const std::string& argument, std::size_t n = 0) const {
    auto it = probe_.seen_.find(argument);
    INFO("probe(" << argument << ")");
    REQUIRE(it != probe_.seen_.end());
    REQUIRE(n < it->second.size());
    return it->second[n];
  }
  [[nodiscard]] const Value& value(const std::string& argument, std::size_t n = 0) const {
    return at(argument, n).value;
  }
  // Context::stays_in_call of the `make()` on `line` (1-based, counting the raw string's first
  // empty line).
  [[nodiscard]] MadeFate fate(std::uint32_t line) const {
    auto it = probe_.made_.find(line);
    INFO("make() on line " << line);
    REQUIRE(it != probe_.made_.end());
    return it->second;
  }
  [[nodiscard]] bool stays(std::uint32_t line) const { return fate(line) == MadeFate::stays; }
  [[nodiscard]] std::string instance(const std::string& argument, std::size_t n = 0) const {
    const Value& v = value(argument, n);
    return v.kind == ValueKind::instance ? v.qualified_name : fmt::format("<kind {}>", static_cast<int>(v.kind));
  }

 private:
  std::string source_;
  TypeProbe probe_;
};

Value annotation(std::string_view text) {
  AnnotationNames names;
  names.qualify = [](std::string_view name) -> std::string {
    if (name == "Path") return "pathlib.Path";
    if (name == "Optional" || name == "Union" || name == "List" || name == "Dict" || name == "Sequence" ||
        name == "TextIO" || name == "Tuple" || name == "Callable" || name == "Any") {
      return "typing." + std::string(name);
    }
    if (name == "typing" || name == "requests" || name == "io" || name == "collections") return std::string(name);
    return {};
  };
  names.alias_text = [](std::string_view name) -> std::string_view {
    return name == "Paths" ? std::string_view("list[Path]") : std::string_view{};
  };
  return annotation_value(text, names);
}

}  // namespace

TEST_CASE("types: annotations read as values", "[types]") {
  CHECK(annotation("Path").is_instance_of("pathlib.Path"));
  CHECK(annotation("requests.Session").is_instance_of("requests.Session"));
  Value optional = annotation("Optional[Path]");
  CHECK(optional.is_instance_of("pathlib.Path"));
  CHECK(optional.maybe_none);
  Value pipe = annotation("Path | None");
  CHECK(pipe.is_instance_of("pathlib.Path"));
  CHECK(pipe.maybe_none);
  Value forward = annotation("\"Path | None\"");
  CHECK(forward.is_instance_of("pathlib.Path"));
  CHECK(forward.maybe_none);
  Value either = annotation("Union[Path, requests.Session]");
  REQUIRE(either.kind == ValueKind::union_of);
  CHECK(either.members.size() == 2);
  Value with_none = annotation("Union[Path, None]");
  CHECK(with_none.is_instance_of("pathlib.Path"));
  CHECK(with_none.maybe_none);
  Value list = annotation("List[Path]");
  CHECK(list.kind == ValueKind::list);
  CHECK(list.element_type().is_instance_of("pathlib.Path"));
  Value builtin_list = annotation("list[str]");
  CHECK(builtin_list.kind == ValueKind::list);
  CHECK(builtin_list.element_type().kind == ValueKind::str);
  CHECK(annotation("Sequence[str]").kind == ValueKind::iterable);
  Value mapping = annotation("Dict[str, Path]");
  CHECK(mapping.kind == ValueKind::dict);
  REQUIRE(mapping.members.size() == 2);
  CHECK(mapping.members[1].is_instance_of("pathlib.Path"));
  CHECK(annotation("TextIO").is_instance_of("builtins.open"));
  CHECK(annotation("io.TextIOWrapper").is_instance_of("builtins.open"));
  CHECK(annotation("typing.BinaryIO").is_instance_of("builtins.open"));
  CHECK(annotation("Paths").kind == ValueKind::list);  // a module-level alias
  Value tuple = annotation("Tuple[str, Path]");
  CHECK(tuple.kind == ValueKind::tuple);
  CHECK(tuple.members.size() == 2);
  // What it cannot read is unknown, never an error.
  CHECK(!annotation("Callable[[int], str]").is_known());
  CHECK(!annotation("Any").is_known());
  CHECK(!annotation("Unknown").is_known());
  CHECK(!annotation("List[").is_known());
  CHECK(!annotation("\"unterminated").is_known());
  CHECK(!annotation(std::string(5000, '[')).is_known());
  CHECK(!annotation(std::string(300, '[') + "Path" + std::string(300, ']')).is_known());
}

TEST_CASE("types: annotated parameters, locals and globals", "[types]") {
  Types t(R"py(
from pathlib import Path
from typing import Optional, Union, IO
import requests
import httpx

LIMIT: int = 3
GLOBAL_SESSION: requests.Session = make()

def f(p: Path, q: Optional[Path] = None, r: "requests.Session" = None, io: IO[str] = None,
      either: Union[requests.Session, httpx.Client] = None, n: int = 0, *args: str, **kw: Path):
    probe(p)
    probe(q)
    probe(r)
    probe(io)
    probe(either)
    probe(args)
    x: Path = unknown()
    probe(x)
    probe(GLOBAL_SESSION)
)py");
  CHECK(t.instance("p") == "pathlib.Path");
  CHECK(t.instance("q") == "pathlib.Path");
  CHECK(t.value("q").maybe_none);
  CHECK(t.instance("r") == "requests.Session");
  CHECK(t.instance("io") == "builtins.open");
  CHECK(t.value("either").kind == ValueKind::union_of);
  CHECK(t.instance("x") == "pathlib.Path");
  CHECK(t.instance("GLOBAL_SESSION") == "requests.Session");
}

TEST_CASE("types: instance attributes agreed across methods", "[types]") {
  Types t(R"py(
import requests
import aiohttp
from dataclasses import dataclass, field

class Base:
    def __init__(self):
        self.session = requests.Session()
        self.cache = None

class Client(Base):
    timeout: float
    def __init__(self, http: aiohttp.ClientSession):
        super().__init__()
        self.http = http
        self.queue = []
        self.text = ""
        self.mixed = 1
        self.maybe = None

    def start(self):
        self.mixed = "now a string"
        self.maybe = requests.Session()
        self.queue.append(1)
        q = self.queue
        probe(q)

    async def run(self):
        probe(self.session)
        probe(self.http)
        probe(self.queue)
        probe(self.text)
        probe(self.mixed)
        probe(self.maybe)
        probe(self.timeout)
        probe(self.nothing)

@dataclass
class Settings:
    paths: list[str] = field(default_factory=list)
    def use(self):
        probe(self.paths)
)py");
  CHECK(t.instance("self.session") == "requests.Session");  // from the base class
  CHECK(t.instance("self.http") == "aiohttp.ClientSession");  // from the annotated parameter
  CHECK(t.value("self.queue").kind == ValueKind::list);
  CHECK(t.at("self.queue").growing);
  CHECK(t.at("self.queue").size == CollectionSize::data);
  CHECK(t.value("q").kind == ValueKind::list);  // an alias keeps the type...
  CHECK(t.at("q").growing);                    // ...and the growth
  CHECK(t.value("self.text").kind == ValueKind::str);
  CHECK(t.value("self.mixed").kind == ValueKind::union_of);  // disagreeing assignments
  CHECK(t.instance("self.maybe") == "requests.Session");
  CHECK(t.value("self.maybe").maybe_none);  // a None initialiser merges as Optional
  CHECK(t.value("self.timeout").kind == ValueKind::number);  // class-level annotation
  CHECK(!t.value("self.nothing").is_known());
  CHECK(t.value("self.paths").kind == ValueKind::list);  // dataclass field
}

TEST_CASE("types: flow-sensitive locals see the reaching binding", "[types]") {
  Types t(R"py(
import requests
from pathlib import Path

def f(books, flag):
    s = None
    probe(s)
    s = requests.Session()
    probe(s)
    p = Path("a") if flag else Path("b")
    probe(p)
    a, b = requests.Session(), Path("x")
    probe(a)
    probe(b)
    for i, path in enumerate([Path("x"), Path("y")]):
        probe(path)
    if (w := requests.Session()):
        probe(w)
    t = "x"
    t += "y"
    probe(t)
    for line in open("f"):
        probe(line)
)py");
  CHECK(t.value("s", 0).kind == ValueKind::none);
  CHECK(t.instance("s", 1) == "requests.Session");
  CHECK(t.instance("p") == "pathlib.Path");
  CHECK(t.instance("a") == "requests.Session");
  CHECK(t.instance("b") == "pathlib.Path");
  CHECK(t.instance("path") == "pathlib.Path");
  CHECK(t.instance("w") == "requests.Session");
  CHECK(t.value("t").kind == ValueKind::str);
  CHECK(t.value("line").kind == ValueKind::str);
}

TEST_CASE("types: return types of project functions, methods and properties", "[types]") {
  Types t(R"py(
import requests
from pathlib import Path
from functools import cached_property

def make_session():
    return requests.Session()

def annotated() -> Path:
    return unknown()

def maybe(flag):
    if flag:
        return None
    return Path("x")

class Store:
    def open(self):
        return self._connect()

    def _connect(self):
        return requests.Session()

    @property
    def root(self):
        return Path("/srv")

    @cached_property
    def http(self):
        return make_session()

    def use(self):
        probe(self.open())
        probe(self.root)
        probe(self.http)
        probe(later())

def later():
    return Path("late")

probe(make_session())
probe(annotated())
probe(maybe(1))
s = make_session()
probe(s.get("u"))
)py");
  CHECK(t.instance("make_session()") == "requests.Session");
  CHECK(t.instance("annotated()") == "pathlib.Path");
  CHECK(t.instance("maybe(1)") == "pathlib.Path");
  CHECK(t.value("maybe(1)").maybe_none);
  CHECK(t.instance("self.open()") == "requests.Session");  // through a later method
  CHECK(t.instance("self.root") == "pathlib.Path");
  CHECK(t.instance("self.http") == "requests.Session");
  CHECK(t.instance("later()") == "pathlib.Path");  // defined further down
  CHECK(t.at("s.get(\"u\")").callee == "requests.Session.get");
}

TEST_CASE("types: library knowledge", "[types]") {
  Types t(R"py(
import sqlite3, aiohttp, requests, asyncio
from pathlib import Path

def f(p: Path):
    probe(p.parent)
    probe(p.parents[0])
    probe(p.with_suffix(".txt"))
    probe(p / "x")
    probe(sqlite3.connect("db").cursor())
    probe(aiohttp.ClientSession())
    probe(requests.session())
    probe(open("f"))
    probe(asyncio.get_running_loop())
    probe(p.glob("*"))
)py");
  CHECK(t.instance("p.parent") == "pathlib.Path");
  CHECK(t.instance("p.parents[0]") == "pathlib.Path");
  CHECK(t.instance("p.with_suffix(\".txt\")") == "pathlib.Path");
  CHECK(t.instance("p / \"x\"") == "pathlib.Path");
  CHECK(t.instance("sqlite3.connect(\"db\").cursor()") == "sqlite3.Cursor");
  CHECK(t.instance("aiohttp.ClientSession()") == "aiohttp.ClientSession");
  CHECK(t.instance("requests.session()") == "requests.Session");
  CHECK(t.instance("open(\"f\")") == "builtins.open");
  CHECK(t.instance("asyncio.get_running_loop()") == "asyncio.AbstractEventLoop");
  CHECK(t.at("p.glob(\"*\")").size == CollectionSize::data);
}

TEST_CASE("types: late binding sees names bound after a nested def", "[types]") {
  Types t(R"py(
def outer():
    def inner():
        probe(session)
        probe(re)
    session = make()
    import re
    return inner

def make():
    import requests
    return requests.Session()
)py");
  CHECK(t.instance("session") == "requests.Session");
  CHECK(t.value("re").kind == ValueKind::symbol);
  CHECK(t.value("re").qualified_name == "re");
}

TEST_CASE("types: collection sizes", "[types]") {
  Types t(R"py(
import enum
NAMES = ("a", "b", "c")

class Color(enum.Enum):
    RED = 1
    BLUE = 2

def f(rows, items: list, path):
    probe([1, 2, 3])
    probe("abc")
    probe(NAMES)
    probe(NAMES[:2])
    probe(range(3))
    probe(range(len(NAMES)))
    probe(enumerate(NAMES))
    probe(Color)
    probe(type(rows).__mro__)
    probe(open(path).readlines())
    probe(path.read_text().split())
    probe(rows)
    out = []
    for r in rows:
        out.append(r)
    probe(out)
    items.append(1)
    probe(items)
    probe(rows[:10])
    probe([x for x in NAMES])
)py");
  CHECK(t.at("[1, 2, 3]").size == CollectionSize::bounded);
  CHECK(t.at("\"abc\"").size == CollectionSize::bounded);
  CHECK(t.at("NAMES").size == CollectionSize::bounded);
  CHECK(t.at("NAMES[:2]").size == CollectionSize::bounded);
  CHECK(t.at("range(3)").size == CollectionSize::bounded);
  CHECK(t.at("range(len(NAMES))").size == CollectionSize::bounded);
  CHECK(t.at("enumerate(NAMES)").size == CollectionSize::bounded);
  CHECK(t.at("Color").size == CollectionSize::bounded);
  CHECK(t.at("type(rows).__mro__").size == CollectionSize::bounded);
  CHECK(t.at("open(path).readlines()").size == CollectionSize::data);
  CHECK(t.at("rows").size == CollectionSize::unknown);
  CHECK(t.at("out").growing);
  CHECK(t.at("out").size == CollectionSize::data);
  CHECK(t.at("items").growing);
  CHECK(t.at("items").size == CollectionSize::data);  // a parameter that grows
  CHECK(t.at("rows[:10]").size == CollectionSize::bounded);
  CHECK(t.at("[x for x in NAMES]").size == CollectionSize::bounded);
}

TEST_CASE("types: test code and one-time paths", "[types]") {
  Types tests(R"py(
def helper():
    probe(1)
)py",
              "tests/test_x.py");
  CHECK(tests.at("1").in_test);
  Types t(R"py(
probe(0)

def test_thing():
    # Outside a test module only unittest's TestCase subclasses are tests (as pytest collects).
    probe(1)

class TestCheckout(unittest.TestCase):
    def check(self):
        probe(2)

class Service:
    def __init__(self):
        probe(3)
    def handle(self):
        probe(4)

class ShopConfig(AppConfig):
    def ready(self):
        probe(5)

def main():
    def nested():
        probe(6)
)py",
          "app/service.py");
  CHECK(!t.at("0").in_test);
  CHECK(t.at("0").one_time == "module top level");
  CHECK(!t.at("1").in_test);
  CHECK(t.at("2").in_test);
  CHECK(!t.at("4").in_test);
  CHECK(t.at("3").one_time == "`__init__`");
  CHECK(t.at("4").one_time.empty());
  CHECK(t.at("5").one_time == "Django `AppConfig.ready()`");
  CHECK(t.at("6").one_time == "CLI `main()`");
}

TEST_CASE("types: merging values", "[types]") {
  Value session{ValueKind::instance, "requests.Session"};
  Value none{ValueKind::none, {}};
  Value path{ValueKind::instance, "pathlib.Path"};
  Value merged = merge_values(session, none);
  CHECK(merged.is_instance_of("requests.Session"));
  CHECK(merged.maybe_none);
  CHECK(merge_values(session, session).is_instance_of("requests.Session"));
  CHECK(merge_values(session, path).kind == ValueKind::union_of);
  CHECK(!merge_values(session, Value{}).is_known());
  // Too many alternatives say nothing.
  Value wide = session;
  for (const char* name : {"a.A", "b.B", "c.C", "d.D"}) wide = merge_values(wide, Value{ValueKind::instance, name});
  CHECK(!wide.is_known());
}


TEST_CASE("types: calling an async def gives a coroutine until it is awaited", "[types]") {
  Types types(R"(
import asyncio

async def fetch(u):
    return u

class Syncer:
    async def refresh(self, record) -> int:
        return 1

    async def run(self, records, urls):
        pending = [self.refresh(r) for r in records]
        probe(pending)
        for job in pending:
            probe(job)
        probe(fetch(1))
        probe(await fetch(1))
        probe(await self.refresh(2))
        coros = (fetch(u) for u in urls)
        for c in coros:
            probe(c)
        tasks = [asyncio.create_task(fetch(u)) for u in urls]
        for t in tasks:
            probe(t)
        names = [r.name for r in records]
        for n in names:
            probe(n)
)");
  CHECK(types.value("pending").element_type().awaitable);
  CHECK(types.value("job").awaitable);
  CHECK(types.value("fetch(1)").awaitable);
  CHECK_FALSE(types.value("await fetch(1)").awaitable);
  CHECK_FALSE(types.value("await self.refresh(2)").awaitable);
  CHECK(types.value("await self.refresh(2)").kind == ValueKind::number);
  CHECK(types.value("c").awaitable);
  CHECK_FALSE(types.value("t").awaitable);
  CHECK_FALSE(types.value("n").awaitable);
}

TEST_CASE("types: pandas frames and NumPy arrays from the library tables", "[types]") {
  Types t(R"py(
import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas import DataFrame

def f(path, given: pd.DataFrame, typed: npt.NDArray, other: DataFrame):
    df = pd.read_csv(path)
    probe(df)
    probe(df["price"])
    probe(df[df.price > 0])
    probe(df[["a", "b"]])
    probe(df.dropna().head())
    probe(given)
    probe(other)
    probe(df.values)
    probe(np.zeros(3))
    probe(typed)
    probe(pd.concat([df, given]))
)py");
  CHECK(t.instance("df") == "pandas.DataFrame");
  CHECK(t.instance("df[\"price\"]") == "pandas.Series");
  CHECK(t.instance("df[df.price > 0]") == "pandas.DataFrame");
  CHECK(t.instance("df[[\"a\", \"b\"]]") == "pandas.DataFrame");
  CHECK(t.instance("df.dropna().head()") == "pandas.DataFrame");
  CHECK(t.instance("given") == "pandas.DataFrame");
  CHECK(t.instance("other") == "pandas.DataFrame");
  CHECK(t.instance("df.values") == "numpy.ndarray");
  CHECK(t.instance("np.zeros(3)") == "numpy.ndarray");
  CHECK(t.instance("typed") == "numpy.ndarray");
  // pd.concat joins Series too: not assumed to be a frame.
  CHECK(t.instance("pd.concat([df, given])") != "pandas.DataFrame");
}

TEST_CASE("types: entry points a framework calls per request or per event", "[types]") {
  Types t(R"py(
import click
import typer
from discord.ext import commands
from django.dispatch import receiver

bot = commands.Bot(command_prefix="!")
cli_app = typer.Typer()

def view(request, pk):
    probe(1)
    def nested():
        probe(2)

@app.get("/items")
async def items():
    probe(3)

class BookListView(View):
    def get(self, slug):
        probe(4)
    def helper(self):
        probe(5)

@bot.command()
async def balance(ctx):
    probe(6)

@bot.event
async def on_ready():
    probe(7)

@receiver(post_save, sender=Book)
def audit(sender, instance, **kwargs):
    probe(8)

@click.command()
def export():
    probe(9)

@click.group()
def cli():
    pass

@cli.command()
def sync():
    probe(10)

@cli_app.command()
def load():
    probe(11)

class MyClient(discord.Client):
    async def on_message(self, message):
        probe(12)
    async def on_ready(self):
        probe(13)

class Chat(AsyncWebsocketConsumer):
    async def receive(self, text_data):
        probe(14)

class Music(commands.Cog):
    @commands.Cog.listener()
    async def on_member_join(self, member):
        probe(15)

@app.on_event("startup")
async def start():
    probe(16)

@sio.on("chat")
async def chat(sid, data):
    probe(17)

def plain():
    probe(18)
)py",
          "app/views.py");
  CHECK(t.at("1").entry == EntryPoint::request_handler);
  CHECK(t.at("2").entry == EntryPoint::none);  // nested in a view: not what the framework calls
  CHECK(t.at("3").entry == EntryPoint::request_handler);
  CHECK(t.at("4").entry == EntryPoint::request_handler);
  CHECK(t.at("5").entry == EntryPoint::none);
  CHECK(t.at("6").entry == EntryPoint::event_handler);
  CHECK(t.at("7").entry == EntryPoint::none);  // start-up event
  CHECK(t.at("8").entry == EntryPoint::event_handler);
  CHECK(t.at("9").entry == EntryPoint::none);  // a Click command: a CLI
  CHECK(t.at("10").entry == EntryPoint::none);
  CHECK(t.at("11").entry == EntryPoint::none);  // a Typer command
  CHECK(t.at("12").entry == EntryPoint::event_handler);
  CHECK(t.at("13").entry == EntryPoint::none);
  CHECK(t.at("14").entry == EntryPoint::event_handler);
  CHECK(t.at("15").entry == EntryPoint::event_handler);
  CHECK(t.at("16").entry == EntryPoint::none);
  CHECK(t.at("17").entry == EntryPoint::event_handler);
  CHECK(t.at("18").entry == EntryPoint::none);
}

TEST_CASE("types: does an object a call makes stay in the call?", "[types]") {
  Types t(R"py(
CACHE = {}
POOL = []
shared = None

def local_closed():
    conn = make()
    conn.close()

def with_target():
    with make() as conn:
        return conn.cursor().fetchall()

def used_in_place():
    return make().get("k")

def handle_kept_local():
    cur = make().cursor()
    cur.execute("SELECT 1")
    return cur.fetchall()

def returned():
    return make()

def returned_through_a_local():
    conn = make()
    return conn

def returned_handle():
    conn = make()
    cur = conn.cursor()
    return cur

def stored_on_self(self):
    self.conn = make()

def stored_through_a_local(self):
    conn = make()
    self.conn = conn

def stored_in_a_dict(key):
    conn = make()
    CACHE[key] = conn

def appended():
    conn = make()
    POOL.append(conn)

def in_a_global():
    global shared
    shared = make()

def yielded():
    conn = make()
    yield conn

def captured():
    conn = make()
    return lambda: conn.execute("SELECT 1")

def wrapped():
    conn = make()
    return Repository(conn)

def used_by_a_function():
    conn = make()
    rows = read_rows(conn, "SELECT 1")
    return {"rows": rows}

def maybe_passed_in(conn=None):
    conn = make()
    return conn.execute("SELECT 1")

def an_argument():
    use(make())

def closing_wrapper():
    with closing(make()) as conn:
        conn.execute("SELECT 1")

make()

class Holder:
    conn = make()

def attribute_of_a_client():
    db = make().shop
    return db.users.find_one()

def database_returned():
    client = make()
    return client.shop

@contextlib.contextmanager
def connection():
    conn = make()
    try:
        yield conn
    finally:
        conn.close()
)py",
          "app/db.py");
  CHECK(t.stays(7));
  CHECK(t.stays(11));
  CHECK(t.stays(15));
  CHECK(t.stays(18));
  CHECK_FALSE(t.stays(23));
  CHECK_FALSE(t.stays(26));
  CHECK_FALSE(t.stays(30));
  CHECK_FALSE(t.stays(35));
  CHECK_FALSE(t.stays(38));
  CHECK_FALSE(t.stays(42));
  CHECK_FALSE(t.stays(46));
  CHECK_FALSE(t.stays(51));
  CHECK_FALSE(t.stays(54));
  CHECK_FALSE(t.stays(58));
  CHECK_FALSE(t.stays(62));
  CHECK(t.stays(66));
  CHECK_FALSE(t.stays(71));
  CHECK_FALSE(t.stays(75));
  CHECK(t.stays(78));
  CHECK_FALSE(t.stays(81));  // module level
  CHECK_FALSE(t.stays(84));  // class body
  CHECK(t.stays(87));
  CHECK_FALSE(t.stays(91));
  // Factories: the object itself returned, and kept nowhere else.
  CHECK(t.fate(23) == MadeFate::returned);
  CHECK(t.fate(26) == MadeFate::returned);
  CHECK(t.fate(30) == MadeFate::kept);  // a handle returned
  CHECK(t.fate(38) == MadeFate::kept);  // stored as well
  CHECK(t.fate(58) == MadeFate::kept);  // yielded
  CHECK(t.fate(66) == MadeFate::stays);
  CHECK(t.fate(91) == MadeFate::kept);  // a database of the client returned
  CHECK(t.fate(96) == MadeFate::returned);  // yielded to the caller's `with`
}

TEST_CASE("library types: clients that own connections", "[types]") {
  CHECK(client_kind(canonical_type("psycopg2.connect")) == ClientKind::database);
  CHECK(client_kind(canonical_type("mysql.connector.connect")) == ClientKind::database);
  CHECK(client_kind(canonical_type("asyncpg.create_pool")) == ClientKind::database);
  CHECK(client_kind(canonical_type("sqlalchemy.create_engine")) == ClientKind::database);
  CHECK(client_kind(canonical_type("pymongo.mongo_client.MongoClient")) == ClientKind::database);
  CHECK(client_kind(canonical_type("redis.StrictRedis")) == ClientKind::cache);
  CHECK(client_kind(canonical_type("redis.Redis.from_url")) == ClientKind::cache);
  CHECK(client_kind(canonical_type("redis.from_url")) == ClientKind::cache);
  CHECK(client_kind(canonical_type("redis.asyncio.from_url")) == ClientKind::cache);
  CHECK(client_kind(canonical_type("requests.session")) == ClientKind::http_client);
  CHECK(client_kind(canonical_type("httpx2.AsyncClient")) == ClientKind::async_http_client);
  CHECK(client_kind(canonical_type("aiohttp.ClientSession")) == ClientKind::async_http_client);
  CHECK(client_kind(canonical_type("aiohttp.TCPConnector")) == ClientKind::http_connector);
  CHECK(client_kind(canonical_type("sqlite3.connect")) == ClientKind::none);
  CHECK(client_kind(canonical_type("psycopg2.connect.cursor")) == ClientKind::none);
}

}  // namespace perfscan
