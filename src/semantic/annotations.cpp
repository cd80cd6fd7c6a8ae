#include "semantic/annotations.hpp"

#include "perfscan/types.hpp"

#include <array>
#include <cctype>
#include <utility>
#include <vector>

namespace perfscan {
namespace {

// Annotations nest (`Optional[Dict[str, List["Row"]]]`) and hostile input nests without bound;
// past this depth the rest reads as unknown.
constexpr int kMaxDepth = 16;

enum class Shape : std::uint8_t { plain, optional, union_of, unwrap, type_of, list, iterable, dict, set, tuple, file };

struct KnownAnnotation {
  std::string_view name;
  Shape shape;
  ValueKind kind = ValueKind::unknown;  // for plain shapes with a fixed kind (str, int, ...)
};

// typing, collections.abc and builtins names with a meaning of their own. Anything else from
// these modules (Callable, Any, TypeVar, Literal, ...) reads as unknown.
constexpr std::array kKnown = {
    KnownAnnotation{"typing.Optional", Shape::optional},
    KnownAnnotation{"typing.Union", Shape::union_of},
    KnownAnnotation{"typing.Annotated", Shape::unwrap},
    KnownAnnotation{"typing.ClassVar", Shape::unwrap},
    KnownAnnotation{"typing.Final", Shape::unwrap},
    KnownAnnotation{"typing_extensions.Annotated", Shape::unwrap},
    KnownAnnotation{"typing_extensions.Final", Shape::unwrap},
    KnownAnnotation{"typing.Type", Shape::type_of},
    KnownAnnotation{"builtins.type", Shape::type_of},
    KnownAnnotation{"builtins.list", Shape::list},
    KnownAnnotation{"typing.List", Shape::list},
    KnownAnnotation{"typing.MutableSequence", Shape::list},
    KnownAnnotation{"collections.abc.MutableSequence", Shape::list},
    KnownAnnotation{"typing.Sequence", Shape::iterable},
    KnownAnnotation{"typing.Iterable", Shape::iterable},
    KnownAnnotation{"typing.Iterator", Shape::iterable},
    KnownAnnotation{"typing.Collection", Shape::iterable},
    KnownAnnotation{"typing.Generator", Shape::iterable},
    KnownAnnotation{"typing.Reversible", Shape::iterable},
    KnownAnnotation{"typing.AsyncIterable", Shape::iterable},
    KnownAnnotation{"typing.AsyncIterator", Shape::iterable},
    KnownAnnotation{"typing.AsyncGenerator", Shape::iterable},
    KnownAnnotation{"collections.abc.Sequence", Shape::iterable},
    KnownAnnotation{"collections.abc.Iterable", Shape::iterable},
    KnownAnnotation{"collections.abc.Iterator", Shape::iterable},
    KnownAnnotation{"collections.abc.Collection", Shape::iterable},
    KnownAnnotation{"collections.abc.Generator", Shape::iterable},
    KnownAnnotation{"collections.abc.Reversible", Shape::iterable},
    KnownAnnotation{"collections.abc.AsyncIterable", Shape::iterable},
    KnownAnnotation{"collections.abc.AsyncIterator", Shape::iterable},
    KnownAnnotation{"collections.abc.AsyncGenerator", Shape::iterable},
    KnownAnnotation{"builtins.dict", Shape::dict},
    KnownAnnotation{"typing.Dict", Shape::dict},
    KnownAnnotation{"typing.Mapping", Shape::dict},
    KnownAnnotation{"typing.MutableMapping", Shape::dict},
    KnownAnnotation{"typing.DefaultDict", Shape::dict},
    KnownAnnotation{"typing.OrderedDict", Shape::dict},
    KnownAnnotation{"typing.Counter", Shape::dict},
    KnownAnnotation{"typing.ChainMap", Shape::dict},
    KnownAnnotation{"collections.abc.Mapping", Shape::dict},
    KnownAnnotation{"collections.abc.MutableMapping", Shape::dict},
    KnownAnnotation{"collections.defaultdict", Shape::dict},
    KnownAnnotation{"collections.OrderedDict", Shape::dict},
    KnownAnnotation{"collections.Counter", Shape::dict},
    KnownAnnotation{"collections.ChainMap", Shape::dict},
    KnownAnnotation{"builtins.set", Shape::set},
    KnownAnnotation{"builtins.frozenset", Shape::set},
    KnownAnnotation{"typing.Set", Shape::set},
    KnownAnnotation{"typing.FrozenSet", Shape::set},
    KnownAnnotation{"typing.AbstractSet", Shape::set},
    KnownAnnotation{"typing.MutableSet", Shape::set},
    KnownAnnotation{"collections.abc.Set", Shape::set},
    KnownAnnotation{"collections.abc.MutableSet", Shape::set},
    KnownAnnotation{"builtins.tuple", Shape::tuple},
    KnownAnnotation{"typing.Tuple", Shape::tuple},
    KnownAnnotation{"builtins.str", Shape::plain, ValueKind::str},
    KnownAnnotation{"typing.Text", Shape::plain, ValueKind::str},
    KnownAnnotation{"builtins.bytes", Shape::plain, ValueKind::bytes},
    KnownAnnotation{"builtins.bytearray", Shape::plain, ValueKind::bytes},
    KnownAnnotation{"builtins.int", Shape::plain, ValueKind::number},
    KnownAnnotation{"builtins.float", Shape::plain, ValueKind::number},
    KnownAnnotation{"builtins.complex", Shape::plain, ValueKind::number},
    KnownAnnotation{"builtins.bool", Shape::plain, ValueKind::boolean},
    // File objects: what open() returns, whatever the annotation calls it.
    KnownAnnotation{"typing.IO", Shape::file},
    KnownAnnotation{"typing.TextIO", Shape::file},
    KnownAnnotation{"typing.BinaryIO", Shape::file},
    KnownAnnotation{"io.TextIOWrapper", Shape::file},
    KnownAnnotation{"io.BufferedReader", Shape::file},
    KnownAnnotation{"io.BufferedWriter", Shape::file},
    KnownAnnotation{"io.BufferedRandom", Shape::file},
    KnownAnnotation{"io.FileIO", Shape::file},
};

const KnownAnnotation* find_known(std::string_view name) {
  for (const KnownAnnotation& known : kKnown) {
    if (known.name == name) return &known;
  }
  return nullptr;
}

// Modules whose other names say nothing a rule can use (Any, Callable, TypeVar, Literal ...).
bool is_typing_module_name(std::string_view name) {
  return name.starts_with("typing.") || name.starts_with("typing_extensions.") ||
         name.starts_with("collections.abc.") || name == "builtins.object";
}

bool is_builtin_type_name(std::string_view name) {
  for (std::string_view builtin : {"int", "float", "complex", "str", "bytes", "bytearray", "bool", "list",
                                   "dict", "set", "frozenset", "tuple", "type", "object"}) {
    if (name == builtin) return true;
  }
  return false;
}

bool is_name_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || u >= 0x80;
}

// A recursive-descent reader over the annotation's text:
//   union   := postfix ('|' postfix)*
//   postfix := atom ('[' union (',' union)* ']')?
//   atom    := NAME ('.' NAME)* | STRING | '(' union ')' | '[' args ']' | anything else (unknown)
class Reader {
 public:
  Reader(std::string_view text, const AnnotationNames& names, int depth)
      : text_(text), names_(names), depth_(depth) {}

  Value read() {
    Value value = union_expression(0);
    skip_space();
    // A text that is not wholly an annotation we read says nothing.
    return !failed_ && pos_ == text_.size() ? value : Value{};
  }

 private:
  void skip_space() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\' || c == '\f') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  Value union_expression(int nesting) {
    Value value = postfix(nesting);
    while (accept('|')) value = merge_annotation(value, postfix(nesting));
    return value;
  }

  std::vector<Value> arguments(int nesting) {
    std::vector<Value> values;
    skip_space();
    if (accept(']')) return values;
    do {
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ']') break;  // trailing comma
      values.push_back(union_expression(nesting + 1));
    } while (accept(','));
    if (!accept(']')) failed_ = true;
    return values;
  }

  Value postfix(int nesting) {
    skip_space();
    if (failed_ || nesting + depth_ > kMaxDepth || pos_ >= text_.size()) {
      failed_ = true;
      return {};
    }
    char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      Value inner = union_expression(nesting + 1);
      if (!accept(')')) failed_ = true;
      return inner;
    }
    if (c == '[') {  // Callable[[A, B], R]'s argument list: read past it
      ++pos_;
      arguments(nesting + 1);
      return {};
    }
    if (c == '"' || c == '\'') return string_annotation(nesting);
    if (is_name_char(c) && !std::isdigit(static_cast<unsigned char>(c))) {
      std::string_view name = dotted_name();
      if (accept('[')) return subscripted(name, arguments(nesting));
      return named(name);
    }
    // Literal values (numbers, `...`, `-1`): nothing to read.
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ']' && text_[pos_] != '|' &&
           text_[pos_] != ')') {
      ++pos_;
    }
    return {};
  }

  std::string_view dotted_name() {
    std::size_t start = pos_;
    while (pos_ < text_.size()) {
      while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
      if (pos_ + 1 < text_.size() && text_[pos_] == '.' && is_name_char(text_[pos_ + 1])) {
        ++pos_;
        continue;
      }
      break;
    }
    return text_.substr(start, pos_ - start);
  }

  // A forward reference: the string's content is an annotation of its own.
  Value string_annotation(int nesting) {
    char quote = text_[pos_];
    bool triple = text_.substr(pos_, 3) == std::string(3, quote);
    std::size_t open = triple ? 3 : 1;
    std::size_t start = pos_ + open;
    std::size_t end = text_.find(text_.substr(pos_, open), start);
    if (end == std::string_view::npos) {
      failed_ = true;
      pos_ = text_.size();
      return {};
    }
    pos_ = end + open;
    return Reader(text_.substr(start, end - start), names_, depth_ + nesting + 1).read();
  }

  // The qualified name a dotted annotation name stands for, or "" when unknown.
  std::string qualify(std::string_view dotted) const {
    std::string_view first = dotted.substr(0, dotted.find('.'));
    std::string_view rest = first.size() < dotted.size() ? dotted.substr(first.size()) : std::string_view{};
    std::string base = names_.qualify ? names_.qualify(first) : std::string{};
    if (base.empty() && is_builtin_type_name(first)) base = "builtins." + std::string(first);
    if (base.empty()) return {};
    return base + std::string(rest);
  }

  Value named(std::string_view dotted) {
    if (dotted == "None") return Value{ValueKind::none, {}};
    if (dotted.find('.') == std::string_view::npos && names_.alias_text) {
      std::string_view alias = names_.alias_text(dotted);
      if (!alias.empty()) return Reader(alias, names_, depth_ + 1).read();
    }
    std::string name = qualify(dotted);
    if (name.empty()) return {};
    return typed(name, {});
  }

  Value subscripted(std::string_view dotted, std::vector<Value> args) {
    std::string name = qualify(dotted);
    if (name.empty()) return {};
    return typed(name, std::move(args));
  }

  // `name[args]` (args empty for a bare name) as a value.
  static Value typed(const std::string& name, std::vector<Value> args) {
    const KnownAnnotation* known = find_known(name);
    if (known == nullptr) {
      if (is_typing_module_name(name)) return {};
      // A class: its instances. A generic class of one argument (`QuerySet[Book]`,
      // `Manager[Book]`, `Page[Row]`) yields that argument when iterated.
      // Spelled as the library tables spell it (`npt.NDArray` is a `numpy.ndarray`).
      Value value{ValueKind::instance, canonical_type(name)};
      if (args.size() == 1) value.set_element(args.front());
      return value;
    }
    auto arg = [&](std::size_t i) { return i < args.size() ? args[i] : Value{}; };
    switch (known->shape) {
      case Shape::plain: return Value{known->kind, {}};
      case Shape::optional: {
        Value value = arg(0);
        if (value.is_known()) value.maybe_none = true;
        return value;
      }
      case Shape::union_of: {
        if (args.empty()) return {};
        Value value = args.front();
        for (std::size_t i = 1; i < args.size(); ++i) value = merge_annotation(value, args[i]);
        return value;
      }
      case Shape::unwrap: return arg(0);
      case Shape::type_of: {
        Value of = arg(0);
        return of.kind == ValueKind::instance ? Value{ValueKind::symbol, of.qualified_name} : Value{};
      }
      case Shape::list:
      case Shape::iterable:
      case Shape::set: {
        Value value{known->shape == Shape::list  ? ValueKind::list
                    : known->shape == Shape::set ? ValueKind::set
                                                 : ValueKind::iterable,
                    {}};
        value.set_element(arg(0));
        return value;
      }
      case Shape::dict: {
        Value value{ValueKind::dict, {}};
        value.set_element(arg(0));  // iterating a mapping gives its keys
        if (args.size() == 2) value.members = {args[0], args[1]};
        return value;
      }
      case Shape::tuple: {
        Value value{ValueKind::tuple, {}};
        bool homogeneous = args.size() == 2 && !args[1].is_known();  // Tuple[T, ...]
        if (homogeneous) {
          value.set_element(args[0]);
        } else {
          value.members = std::move(args);
        }
        return value;
      }
      case Shape::file: return Value{ValueKind::instance, "builtins.open"};
    }
    return {};
  }

  // An annotation union: None is folded into maybe_none (`T | None` is Optional[T]).
  static Value merge_annotation(const Value& a, const Value& b) {
    if (a.kind == ValueKind::none && b.is_known()) {
      Value value = b;
      value.maybe_none = true;
      return value;
    }
    if (b.kind == ValueKind::none && a.is_known()) {
      Value value = a;
      value.maybe_none = true;
      return value;
    }
    return merge_values(a, b);
  }

  std::string_view text_;
  const AnnotationNames& names_;
  int depth_ = 0;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace

Value annotation_value(std::string_view text, const AnnotationNames& names) {
  if (text.size() > 4096) return {};  // not a type anyone writes
  return Reader(text, names, 0).read();
}

}  // namespace perfscan
