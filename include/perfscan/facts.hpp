// Per-file facts: what survives a file's analysis once its syntax tree is gone. The link step
// joins them across the project, so they must stay small (no source text, no nodes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/finding.hpp"

namespace perfscan {

struct FunctionFact {
  std::string qualified_name;  // "pkg.mod.Class.method"
  std::uint32_t line = 0;
  bool is_async = false;

  bool operator==(const FunctionFact&) const = default;
};

struct ClassFact {
  std::string qualified_name;
  std::uint32_t line = 0;
  std::vector<std::string> bases;  // resolved qualified names where known, else source text

  bool operator==(const ClassFact&) const = default;
};

// A call whose target is not a builtin: the raw material for "does this loop call a project
// function that queries?" questions answered after every file is analysed.
struct CallFact {
  std::string callee;  // qualified name as resolved in this file
  std::string caller;  // qualified name of the enclosing function ("" at module level)
  std::uint32_t line = 0;
  std::uint32_t column = 0;  // 1-based, characters
  std::uint16_t loop_depth = 0;
  bool in_async_function = false;

  bool operator==(const CallFact&) const = default;
};

// `# noqa`, `# noqa: PS101,PS401`, `# perfscan: ignore[PS401]`, `# perfscan: skip-file`.
struct Suppressions {
  bool skip_file = false;
  // line -> rule ids; an empty set means every rule.
  std::map<std::uint32_t, std::set<std::string>> by_line;

  [[nodiscard]] bool suppresses(std::uint32_t line, const std::string& rule_id) const;

  bool operator==(const Suppressions&) const = default;
};

// ---- database facts (PS2xx N+1 queries, PS9xx indexes) ----------------------------------------

// One field (column) of a model class body: `email = models.CharField(unique=True)`,
// `author = models.ForeignKey(Author, related_name="books")`, `id = Column(Integer, primary_key=True)`.
enum class FieldKind : std::uint8_t { column, foreign_key, one_to_one, many_to_many, generic_fk, relationship };

struct FieldFact {
  std::string name;
  FieldKind kind = FieldKind::column;
  std::string target;        // related model: qualified name where resolved, else source text
  std::string related_name;  // Django related_name / SQLAlchemy back_populates ("" when absent)
  std::string lazy;          // SQLAlchemy relationship(lazy=...) ("" when absent)
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  bool indexed = false;  // primary key, unique, db_index / index=True, or (Django) a foreign key
  bool boolean = false;  // two values: an index on it alone rarely helps
  // How many values `choices=` allows when the source lists them (a display, or a name bound
  // to one in the class or module); 0 when there are no choices or they cannot be counted.
  std::uint16_t choices = 0;

  bool operator==(const FieldFact&) const = default;
};

enum class Orm : std::uint8_t { unknown, django, sqlalchemy };

// A class body that declares model-like fields or a Meta/__tablename__. Whether it really is a
// model is decided at link time, through its bases across files.
struct ModelFact {
  std::string qualified_name;
  std::string name;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  Orm orm_hint = Orm::unknown;  // which ORM the fields look like
  std::string table;            // Meta.db_table / __tablename__ ("" = framework default)
  bool abstract = false;
  std::vector<FieldFact> fields;
  // Declared indexes, each an ordered column list: Meta.indexes, index_together,
  // unique_together, Index(...) / UniqueConstraint in __table_args__.
  std::vector<std::vector<std::string>> indexes;
  std::vector<std::string> managers;  // attribute names bound to custom managers
  // Methods the class body defines whose work bulk operations skip: "save", "delete".
  std::vector<std::string> overrides;
  // Project classes behind its managers, as resolved in this file: `objects = BookManager()`,
  // `BookQuerySet.as_manager()`, `Manager.from_queryset(BookQuerySet)()`. Inside them, `self`
  // is this model's manager or queryset.
  std::vector<std::string> manager_classes;

  bool operator==(const ModelFact&) const = default;
};

// A module-level name that is an ORM root: `Base = declarative_base()`, `db = SQLAlchemy()`.
struct OrmRootFact {
  std::string qualified_name;
  Orm orm = Orm::sqlalchemy;

  bool operator==(const OrmRootFact&) const = default;
};

// Columns a query site filters or orders by, for PS9xx: `Book.objects.filter(isbn=x)`,
// `select(User).where(User.email == e)`, `.order_by("-created")`.
// `join`: a lookup through a relation (`author__name=x`): the query joins on the relation's
// column, which its foreign key index serves.
enum class LookupKind : std::uint8_t { equality, range, order, join };

// The kind of code a query site sits in, for how much its columns weigh (PS901).
enum class SiteContext : std::uint8_t {
  ordinary,  // a function whose callers decide (the link step follows calls from request handlers)
  request,   // a request handler (view, API method) or a views/api module
  offline,   // a management command or admin configuration: real, but off the request path
  excluded,  // tests and migrations: no production query
};

// How `model` of a query site is to be read at link time.
enum class SiteModel : std::uint8_t {
  model,     // the model's qualified name
  relation,  // `model.<relation>`: rows of the model a relation of `model` leads to
  manager,   // a custom manager or queryset class: the models that use it
};

struct QuerySiteFact {
  std::string model;  // qualified name of the queried model as resolved in this file
  std::vector<std::pair<std::string, LookupKind>> columns;  // in source order
  // Where the chain starts: every call of `X.objects.filter(a=1).order_by("b")` starts there,
  // so the link step joins them into one site (composite index).
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  SiteModel model_kind = SiteModel::model;
  SiteContext context = SiteContext::ordinary;
  std::string relation;  // SiteModel::relation: the accessor (`author.books.filter` -> "books")
  std::string function;  // qualified name of the enclosing function ("" at module level)

  bool operator==(const QuerySiteFact&) const = default;
};

// The last dotted segment of a qualified name (`load` of `shop.db.Store.load`), as messages
// print a function or class.
inline std::string_view last_segment(std::string_view qualified_name) {
  auto dot = qualified_name.rfind('.');
  return dot == std::string_view::npos ? qualified_name : qualified_name.substr(dot + 1);
}

// A set of qualified names kept in one string, one per line, in the order added. A function
// calls dozens of others and the link step keeps every function's list: one allocation per
// list instead of one per name keeps those facts about half the size.
class NameList {
 public:
  // Walks the names in order; the end iterator is the default one.
  class iterator {
   public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(std::string_view text) : text_(text), start_(0) { find_end(); }
    std::string_view operator*() const { return text_.substr(start_, end_ - start_); }
    iterator& operator++() {
      if (end_ >= text_.size()) {
        start_ = std::string_view::npos;
      } else {
        start_ = end_ + 1;
        find_end();
      }
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.start_ == b.start_; }

   private:
    void find_end() {
      end_ = text_.find('\n', start_);
      if (end_ == std::string_view::npos) end_ = text_.size();
    }
    std::string_view text_;
    std::size_t start_ = std::string_view::npos;
    std::size_t end_ = std::string_view::npos;
  };

  NameList() = default;
  NameList(std::initializer_list<std::string_view> names) {
    for (std::string_view name : names) add(name);
  }

  [[nodiscard]] iterator begin() const { return joined_.empty() ? iterator{} : iterator{joined_}; }
  [[nodiscard]] iterator end() const { return iterator{}; }
  [[nodiscard]] bool empty() const { return joined_.empty(); }
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] bool contains(std::string_view name) const;
  // Adds `name` unless it is empty, already listed, or spans lines (not a qualified name).
  void add(std::string_view name);
  // The names, one per line: how the result cache stores the list.
  [[nodiscard]] const std::string& joined() const { return joined_; }
  [[nodiscard]] std::string& joined() { return joined_; }
  friend bool operator==(const NameList&, const NameList&) = default;

 private:
  std::string joined_;
};

// What a function does that matters per call: it runs a query or a remote call directly (the
// first such call is kept), and which other functions it calls, to close over at link time.
struct FunctionEffectFact {
  std::string function;     // qualified name
  std::string effect;       // "`Profile.objects.get`" ("" when only callees are known)
  std::uint32_t effect_line = 0;
  bool effect_is_remote = false;  // HTTP/Redis rather than a database query
  bool cached = false;  // @lru_cache / @cache / @cached...: repeated calls do not repeat the effect
  bool is_async = false;  // `async def`: its blocking calls are its own PS3xx findings
  // The first call it makes that blocks the calling thread, for PS309 (blocking through a
  // helper called from async code): 1 + the BlockingKind (rules/blocking_io), 0 for none; the
  // call's canonical name; its line.
  std::uint16_t blocking_kind = 0;
  std::string blocking_call;
  std::uint32_t blocking_line = 0;
  // Work the same on every call that a loop calling the function repeats for nothing
  // (PS701/PS702 through helpers): "re.compile" of a constant pattern, "json.loads" of a
  // constant; "" for none.
  std::string constant_work;
  std::uint32_t constant_work_line = 0;
  // It returns a client that owns connections, made new on each call (`return
  // psycopg2.connect(DSN)`, not a cached or shared one): its canonical type, for PS902 / PS506
  // at the callers that make one per request; "" for none. And the line that makes it.
  std::string fresh_client;
  std::uint32_t fresh_client_line = 0;
  NameList callees;  // qualified names of called functions (deduplicated)

  bool operator==(const FunctionEffectFact&) const = default;
};

// A finding a per-file rule could not decide alone: the link step confirms it (the callee
// queries; the class is a model; the attribute is a lazy relation) or drops it. Carries no
// source text: the engine reads the flagged line back for the findings that survive.
struct PendingFinding {
  Finding finding;
  std::string subject;  // model or function qualified name the decision depends on
  std::string detail;   // the accessed attribute (PS202), the called method, ...
  std::vector<std::string> eager;  // relations loaded eagerly for the iterated query (PS202)
  bool subject_is_collection = false;  // PS202: the access reads a to-many relation
  std::uint32_t loop_line = 0;          // the loop the finding repeats in
  // The rows come from a relation of `subject` (`order.lines.all()`): the model iterated is the
  // one that relation leads to, which only the link step knows.
  std::string via_relation;
  // PS202: the rows come from this parameter of the enclosing function (`finding.scope`), so
  // the callers' arguments say which model they are and what they load; position among the
  // parameters a caller passes (`self`/`cls` excluded).
  std::string parameter;
  std::uint16_t parameter_position = 0;
  // PS202: the relation's definition is not in the scan, but the code says it is one: used as
  // a manager (`row.tags.all()`) or dereferenced further (`row.author.name`).
  bool strong_evidence = false;
  // A call whose target only the link step can name (PS3xx through types from other modules):
  // its first argument as written, and whether it has none, for the blocking table's conditions.
  std::string first_argument;
  bool no_arguments = false;
  // PS902 / PS506: the project function called to make the client (`conn = get_db()`), whose
  // summary says at link time whether it makes a new one per call; "" when the client is made
  // in place.
  std::string factory;

  bool operator==(const PendingFinding&) const = default;
};

// A Django model signal connected for a sender: `post_save.connect(f, sender=Book)`,
// `@receiver(post_save, sender=Book)`. Bulk operations do not send the save signals.
struct SignalFact {
  std::string signal;  // "pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed"
  std::string sender;  // qualified name as resolved in this file, else source text
  std::uint32_t line = 0;

  bool operator==(const SignalFact&) const = default;
};

// A queryset handed to a project function (PS202 follows it into the callee's loops): which
// model's rows and which relations it loads.
struct QuerysetArgumentFact {
  std::string callee;            // qualified name of the called function or method
  std::string keyword;           // `f(books=qs)`: the keyword; "" for a positional argument
  std::uint16_t position = 0;    // positional index (the receiver of a method call excluded)
  std::string model;             // iterated model's qualified name
  std::vector<std::string> eager;  // relations select_related / prefetch_related / *load name
  bool everything_eager = false;   // `select_related()` without arguments
  std::string caller;            // qualified name of the calling function
  std::uint32_t line = 0;

  bool operator==(const QuerysetArgumentFact&) const = default;
};

struct DatabaseFacts {
  std::vector<ModelFact> models;
  std::vector<OrmRootFact> roots;
  std::vector<QuerySiteFact> query_sites;
  std::vector<FunctionEffectFact> functions;
  std::vector<PendingFinding> pending;
  std::vector<SignalFact> signals;
  std::vector<QuerysetArgumentFact> queryset_arguments;
  // Functions that serve requests (views, API methods): the link step marks what they call as
  // on the request path.
  NameList request_handlers;
  // Functions that run once per event (listeners, bot commands, signal receivers): with the
  // request handlers, what makes the functions they call run many times (PS902, PS506).
  NameList event_handlers;
  // Classes the code uses as models (`X.objects`, `X.query`), for models whose definition is
  // not in the scan (the open world).
  NameList model_evidence;

  bool operator==(const DatabaseFacts&) const = default;
};

// What a project function returns, or what an attribute of a project class holds, for the
// link step to type receivers that one file alone cannot: `s = make_session()` with
// make_session in another module, `self.session` assigned in a base class elsewhere.
struct TypeFact {
  // "pkg.mod.make_session" (what calling it returns), "pkg.mod.Client.fetch" (a method's
  // result), "pkg.mod.Client#session" (an attribute or property of the class's instances).
  std::string name;
  // A canonical library or project type ("requests.Session", "pkg.mod.Store"), or an
  // expression of other names to resolve in turn ("pkg.other.factory", "pkg.mod.Base#http").
  std::string type;

  bool operator==(const TypeFact&) const = default;
};

struct FileFacts {
  std::string path;
  std::string module;  // dotted module name ("pkg.sub.mod"); "" when unknown
  std::vector<FunctionFact> functions;
  std::vector<ClassFact> classes;
  std::vector<TypeFact> types;
  std::vector<CallFact> calls;
  Suppressions suppressions;
  DatabaseFacts database;

  bool operator==(const FileFacts&) const = default;
};

}  // namespace perfscan
