#include "perfscan/context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "perfscan/node_kinds.hpp"
#include "perfscan/rule.hpp"
#include "perfscan/types.hpp"
#include "semantic/annotations.hpp"
#include "semantic/file_types.hpp"
#include "semantic/kinds.hpp"
#include "syntax/source.hpp"

namespace perfscan {
namespace {

// Expressions nest without bound in hostile input (`a + a + a + ...` ten thousand times);
// inference gives up past this depth rather than recursing on it.
constexpr int kMaxInferDepth = 24;

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> options) {
  for (std::string_view option : options) {
    if (value == option) return true;
  }
  return false;
}

// The literal kind of a string node from its prefix: b"", rb"", f"", u"" ...
ValueKind string_kind(Node string, std::string_view source) {
  Node start = string.child(0);
  if (!start) return ValueKind::str;
  std::string_view prefix = source.substr(start.start_byte(), start.end_byte() - start.start_byte());
  for (char c : prefix) {
    if (c == 'b' || c == 'B') return ValueKind::bytes;
  }
  return ValueKind::str;
}

ValueKind builtin_result_kind(std::string_view builtin) {
  if (is_one_of(builtin, {"str", "repr", "chr", "format", "ascii", "hex", "oct", "bin", "input"}))
    return ValueKind::str;
  if (is_one_of(builtin, {"bytes"})) return ValueKind::bytes;
  if (is_one_of(builtin, {"int", "float", "len", "abs", "round", "ord", "complex", "hash"}))
    return ValueKind::number;
  if (is_one_of(builtin, {"bool", "isinstance", "issubclass", "callable", "hasattr"}))
    return ValueKind::boolean;
  if (is_one_of(builtin, {"list", "sorted"})) return ValueKind::list;
  if (builtin == "tuple") return ValueKind::tuple;
  if (builtin == "dict") return ValueKind::dict;
  if (is_one_of(builtin, {"set", "frozenset"})) return ValueKind::set;
  return ValueKind::unknown;
}

// Methods of str (and bytes) that return the same type.
bool is_text_returning_method(std::string_view method) {
  return is_one_of(method, {"join", "format", "format_map", "upper", "lower", "strip", "lstrip",
                            "rstrip", "replace", "title", "capitalize", "casefold", "center",
                            "ljust", "rjust", "zfill", "expandtabs", "swapcase", "removeprefix",
                            "removesuffix", "translate"});
}

// Project functions returning project functions' results nest; resolution gives up past this.
constexpr int kMaxResolveDepth = 8;

// A folder of tests by its name: `tests`, `test`, `testing`, and the names teams give kinds of
// tests: `e2e`, `e2etest`, `unit_tests`, `integration-tests`, `functional_test`. Not `unittest`
// or `pytest` (the frameworks' own packages) and not `latest` or `contest`.
bool is_test_folder(std::string_view folder) {
  if (folder == "testing" || folder == "e2e") return true;
  // Benchmark suites (asv's `benchmarks/`, `asv_bench/`) run their workloads on purpose, as they
  // are, to time them: like tests, they are not production code.
  if (folder == "benchmarks" || folder == "benchmark" || folder == "asv_bench") return true;
  if (folder.ends_with('s')) folder.remove_suffix(1);
  return folder == "test" || folder == "e2etest" || folder.ends_with("_test") || folder.ends_with("-test");
}

// Names a test module goes by (pytest's and unittest's discovery conventions, and a benchmark
// module's: `bench_*.py`), or a folder of tests or benchmarks on its path.
bool is_test_path(std::string_view path) {
  std::string_view name = path.substr(path.find_last_of('/') + 1);
  if (name.starts_with("test_") || name.ends_with("_test.py") || name == "conftest.py" || name == "tests.py" ||
      name.starts_with("bench_") || name.ends_with("_bench.py") || name.ends_with("_benchmark.py")) {
    return true;
  }
  for (std::size_t start = 0, slash; (slash = path.find('/', start)) != std::string_view::npos; start = slash + 1) {
    if (is_test_folder(path.substr(start, slash - start))) return true;
  }
  return false;
}

// `MAX_ITEMS`, `RETRIES`: a module constant by the naming convention.
bool is_constant_name(std::string_view name) {
  bool letter = false;
  for (char c : name) {
    if (std::islower(static_cast<unsigned char>(c))) return false;
    letter = letter || std::isupper(static_cast<unsigned char>(c));
  }
  return letter;
}

// "builtins.len" for `len`, without fmt's parsing: every builtin name read is qualified.
std::string builtin_name(std::string_view name) {
  constexpr std::string_view kPrefix = "builtins.";
  std::string qualified;
  qualified.reserve(kPrefix.size() + name.size());
  qualified += kPrefix;
  qualified += name;
  return qualified;
}

// Python 2 compatibility modules re-export builtins under their own names: `six.moves.range`
// and `six.moves.zip` are `range` and `zip`.
std::string builtin_of_compat_module(std::string name) {
  constexpr std::string_view kSixMoves = "six.moves.";
  if (!name.starts_with(kSixMoves)) return name;
  std::string_view builtin = std::string_view(name).substr(kSixMoves.size());
  if (is_one_of(builtin, {"range", "zip", "map", "filter", "input"})) return builtin_name(builtin);
  if (builtin == "xrange") return "builtins.range";
  return name;
}

Value with_size(Value value, CollectionSize size) {
  value.size = size;
  return value;
}

Value sized_like(Value value, const Value& source) {
  value.size = source.size;
  value.growing = false;
  return value;
}

// A tuple of item types (`enumerate(xs)` -> (number, X)).
Value tuple_of(std::vector<Value> items) {
  Value value{ValueKind::tuple, {}};
  value.members = std::move(items);
  return value;
}

// A slice whose literal bounds fix its length: `x[:10]`, `x[2:5]`, `x[-3:]`, `x[-5:-1]`. A
// negative stop counts from the end (`x[1:-1]` is all but two items) and a missing stop runs to
// the end, so those are as long as `x` unless the start counts from the end too.
bool is_literal_bounded_slice(Node slice) {
  if (!slice || !slice.is("slice")) return false;
  // -1: absent; 0: a non-negative literal; 1: a negative literal.
  int bounds[2] = {-1, -1};
  int position = 0;
  for (uint32_t i = 0, n = slice.child_count(); i < n; ++i) {
    Node part = slice.child(i);
    if (!part.is_named()) {
      if (++position == 2) break;  // a second colon: the step follows
      continue;
    }
    bool negative = part.is("unary_operator") && part.named_child(0).is("integer");
    if (!part.is("integer") && !negative) return false;
    bounds[position] = negative ? 1 : 0;
  }
  auto [start, stop] = bounds;
  if (stop == 0) return true;
  return start == 1 && (stop == -1 || stop == 1);
}

}  // namespace

Context::Context(std::string path, std::string module, bool is_package, std::string_view source,
                 RuleSettings settings)
    : source_(source), settings_(std::move(settings)), is_package_(is_package) {
  facts_.path = std::move(path);
  facts_.module = std::move(module);
  is_test_file_ = is_test_path(facts_.path);
  scopes_.push_back(Scope{FrameKind::module, {}});
  frames_.push_back(ExecutionFrame{FrameKind::module, Node{}, false, facts_.module, 0, false});
}

std::string_view Context::text(Node node) const {
  if (!node) return {};
  auto begin = std::min<std::size_t>(node.start_byte(), source_.size());
  auto end = std::min<std::size_t>(node.end_byte(), source_.size());
  return source_.substr(begin, end - begin);
}

const Binding* Context::lookup(std::string_view name) const {
  // Python's LEGB rule: a class body's names are visible in the class body itself, not in
  // functions nested in it. `global` sends the search to the module scope, `nonlocal` on outwards.
  for (std::size_t i = scopes_.size(); i-- > 0;) {
    const Scope& scope = scopes_[i];
    if (scope.kind == FrameKind::class_body && i + 1 != scopes_.size()) continue;
    auto it = scope.bindings.find(name);
    if (it == scope.bindings.end()) continue;
    if (it->second.kind == BindingKind::nonlocal_decl) continue;
    if (it->second.kind == BindingKind::global_decl) {
      if (i == 0) return nullptr;
      auto global = scopes_.front().bindings.find(name);
      return global == scopes_.front().bindings.end() ? nullptr : &global->second;
    }
    return &it->second;
  }
  return nullptr;
}

bool Context::declared_outer(std::string_view name) const {
  if (scopes_.empty()) return false;
  auto it = scopes_.back().bindings.find(name);
  return it != scopes_.back().bindings.end() &&
         (it->second.kind == BindingKind::global_decl || it->second.kind == BindingKind::nonlocal_decl);
}

std::string Context::qualified_name(Node expr) const {
  // Walk down the attribute chain to its base: `a.b.c` is attribute(attribute(a, b), c).
  // Parentheses change nothing: `(list)(x)`, `(os.path).join`.
  auto unparenthesised = [](Node node) {
    while (node && kinds::parenthesized_expression.matches(node)) node = node.named_child(0);
    return node;
  };
  Node top = unparenthesised(expr);
  Node base = top;
  while (base && kinds::attribute.matches(base)) base = unparenthesised(base.field("object"));
  if (!base || !kinds::identifier.matches(base)) return {};
  std::string name;
  std::string_view identifier = text(base);
  if (const Binding* binding = lookup(identifier)) {
    if (binding->value.kind != ValueKind::symbol) return {};
    name = binding->value.qualified_name;
  } else if (is_python_builtin(identifier)) {
    name = builtin_name(identifier);
  } else {
    return {};
  }
  // Back up from the base to the top, adding each attribute's name in source order.
  for (Node node = base; !(node == top);) {
    node = node.parent();
    if (!kinds::attribute.matches(node)) continue;
    name += '.';
    name += text(node.field("attribute"));
  }
  return builtin_of_compat_module(std::move(name));
}

std::string Context::callee_name(Node call) const {
  if (!memo_.active) return callee_bounded(call, 0);
  for (const auto& [id, callee] : memo_.callees) {
    if (id == call.id()) return callee;
  }
  std::string callee = callee_bounded(call, 0);
  memo_.callees.emplace_back(call.id(), callee);
  return callee;
}

void Context::begin_dispatch() const { memo_.active = true; }

void Context::end_dispatch() const {
  memo_.active = false;
  memo_.callees.clear();
  memo_.values.clear();
  memo_.sizes.clear();
}

std::string Context::callee_bounded(Node call, int depth) const {
  Node function = call.field("function");
  while (function && kinds::parenthesized_expression.matches(function)) function = function.named_child(0);
  std::string name = qualified_name(function);
  if (!name.empty() || !kinds::attribute.matches(function)) return name;
  Value receiver = infer_bounded(function.field("object"), depth + 1);
  if (receiver.kind != ValueKind::instance) return {};
  return fmt::format("{}.{}", receiver.qualified_name, text(function.field("attribute")));
}

std::vector<std::string> Context::callee_alternatives(Node call) const {
  Node function = call.field("function");
  if (!function || !kinds::attribute.matches(function)) return {};
  Value receiver = infer(function.field("object"));
  if (receiver.kind != ValueKind::union_of) return {};
  std::vector<std::string> callees;
  std::string_view method = text(function.field("attribute"));
  for (const Value& alternative : receiver.members) {
    if (alternative.kind != ValueKind::instance) return {};  // `str | Path`: not every one has it
    callees.push_back(fmt::format("{}.{}", alternative.qualified_name, method));
  }
  return callees;
}

std::string Context::deferred_callee(Node call) const {
  std::string callee = callee_name(call);
  if (!callee.empty()) return callee;
  Node function = call.field("function");
  if (!function || !kinds::attribute.matches(function)) return {};
  Value receiver = infer(function.field("object"));
  if (receiver.kind != ValueKind::unknown || receiver.qualified_name.empty()) return {};
  return fmt::format("{}.{}", receiver.qualified_name, text(function.field("attribute")));
}

void Context::export_types(std::vector<TypeFact>& out) const {
  if (types_ == nullptr) return;
  auto exported = [](const Value& value) {
    return (value.kind == ValueKind::instance || (value.kind == ValueKind::unknown && !value.qualified_name.empty())) &&
           !value.qualified_name.starts_with("builtins.");
  };
  types_->for_each_function([&](const std::string& name, const FunctionTypes& function) {
    if (function.generator) return;
    Value returned = resolve(function.returns, 0);
    if (exported(returned)) out.push_back(TypeFact{name, returned.qualified_name});
  });
  types_->for_each_class([&](const std::string& name, const ClassTypes& cls) {
    for (const auto& [attribute, type] : cls.attributes) {
      Value value = resolve(type.value, 0);
      if (exported(value)) out.push_back(TypeFact{fmt::format("{}#{}", name, attribute), value.qualified_name});
    }
    for (const auto& [method, kind] : cls.methods) {
      if (kind != MethodKind::property) continue;
      Value value = returns_of(fmt::format("{}.{}", name, method), 0);
      if (exported(value)) out.push_back(TypeFact{fmt::format("{}#{}", name, method), value.qualified_name});
    }
  });
  // Hash-map order is not the file's: the facts (and the cache) must not depend on it.
  std::sort(out.begin(), out.end(), [](const TypeFact& a, const TypeFact& b) { return a.name < b.name; });
}

Value Context::infer(Node expr) const {
  if (!memo_.active || !expr) return infer_bounded(expr, 0);
  for (const auto& [id, value] : memo_.values) {
    if (id == expr.id()) return value;
  }
  Value value = infer_bounded(expr, 0);
  memo_.values.emplace_back(expr.id(), value);
  return value;
}

CollectionSize Context::collection_size(Node expr) const {
  if (!memo_.active || !expr) return size_bounded(expr, 0);
  for (const auto& [id, size] : memo_.sizes) {
    if (id == expr.id()) return size;
  }
  CollectionSize size = size_bounded(expr, 0);
  memo_.sizes.emplace_back(expr.id(), size);
  return size;
}

CollectionSize Context::size_bounded(Node expr, int depth) const {
  while (expr && kinds::parenthesized_expression.matches(expr)) expr = expr.named_child(0);
  if (!expr || depth > kMaxInferDepth) return CollectionSize::unknown;
  return size_of_value(infer_bounded(expr, depth), expr, depth);
}

// The size of `expr`, whose value inference already gave: callers that inferred it anyway pass
// it in, so that nested calls (`list(sorted(list(...)))`) infer each level once, not twice per
// level.
CollectionSize Context::size_of_value(const Value& value, Node expr, int depth) const {
  while (expr && kinds::parenthesized_expression.matches(expr)) expr = expr.named_child(0);
  if (!expr || depth > kMaxInferDepth) return CollectionSize::unknown;
  if (value.growing) return CollectionSize::data;
  if (value.size != CollectionSize::unknown) return value.size;
  // Iterating a file object reads its lines; a queryset, its rows: as many as the data has.
  if (is_file_object(value) ||
      (value.kind == ValueKind::instance && !django_queryset_model(value.qualified_name).empty())) {
    return CollectionSize::data;
  }
  // Iterating an enum class visits its members: a handful fixed by the program.
  if (value.kind == ValueKind::symbol && types_ != nullptr) {
    if (const ClassTypes* cls = types_->find_class(value.qualified_name); cls != nullptr && cls->is_enum) {
      return CollectionSize::bounded;
    }
  }
  // `(cls,) + mro`, `base + extra`: a concatenation is bounded when every piece is, sized by
  // the data when one piece is.
  if (expr.is("binary_operator") && text(expr.field("operator")) == "+") return concatenation_size(expr, depth);
  // A dict's views and a copy are as large as what they are taken from, known or not
  // (`MAPPING.items()` on an imported constant).
  if (kinds::call.matches(expr)) {
    Node function = expr.field("function");
    Node arguments = expr.field("arguments");
    if (kinds::attribute.matches(function) && arguments && arguments.named_child_count() == 0 &&
        is_one_of(text(function.field("attribute")), {"items", "keys", "values", "copy"})) {
      return size_bounded(function.field("object"), depth + 1);
    }
  }
  // The naming-convention fallback, when nothing above knows better: an UPPER_CASE name or
  // attribute (`EXTENSION_SUFFIXES`, `settings.INSTALLED_APPS`, `obj.PERMISSIONS_PRIORITY`) is
  // a constant, fixed by the program or its configuration.
  Node name = kinds::attribute.matches(expr) ? expr.field("attribute") : expr;
  if (kinds::identifier.matches(name) && is_constant_name(text(name))) return CollectionSize::bounded;
  return CollectionSize::unknown;
}

CollectionSize Context::concatenation_size(Node expr, int depth) const {
  constexpr int kMaxPieces = 16;
  std::vector<Node> pieces;
  Node node = expr;
  for (; node.is("binary_operator") && text(node.field("operator")) == "+"; node = node.field("left")) {
    Node right = node.field("right");
    // Pieces that are sums themselves (`a + (b + c)`) nest without bound: not worth following.
    if (right.is("binary_operator") || pieces.size() == kMaxPieces) return CollectionSize::unknown;
    pieces.push_back(right);
  }
  pieces.push_back(node);
  bool all_bounded = true;
  for (Node piece : pieces) {
    CollectionSize size = size_bounded(piece, depth + 1);
    if (size == CollectionSize::data) return CollectionSize::data;
    all_bounded = all_bounded && size == CollectionSize::bounded;
  }
  return all_bounded ? CollectionSize::bounded : CollectionSize::unknown;
}

bool Context::is_growing(Node expr) const { return infer(expr).growing; }

std::string Context::receiver_name(Node receiver) const {
  while (receiver && kinds::parenthesized_expression.matches(receiver)) receiver = receiver.named_child(0);
  std::string_view name;
  if (kinds::identifier.matches(receiver)) name = text(receiver);
  if (kinds::attribute.matches(receiver)) name = text(receiver.field("attribute"));
  while (name.starts_with('_')) name.remove_prefix(1);
  std::string lowered(name);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lowered;
}

std::string_view Context::enclosing_class() const {
  for (std::size_t i = frames_.size(); i-- > 1;) {
    if (frames_[i].kind == FrameKind::class_body) return frames_[i].qualified_name;
    if (frames_[i - 1].kind == FrameKind::class_body) return frames_[i - 1].qualified_name;
  }
  return {};
}

bool Context::is_enum_class(std::string_view class_name) const {
  if (types_ == nullptr) return false;
  const ClassTypes* found = types_->find_class(class_name);
  return found != nullptr && found->is_enum;
}

bool Context::hashes_by_value(std::string_view class_name) const {
  if (types_ == nullptr) return false;
  const ClassTypes* found = types_->find_class(class_name);
  if (found == nullptr) return false;
  if (found->value_type) return true;
  FileTypes::Member hash = types_->find_member(class_name, "__hash__");
  return hash.method != nullptr;
}

bool Context::in_test_code() const { return is_test_file_ || frames_.back().is_test; }

std::string_view Context::one_time_path() const {
  std::string_view path = facts_.path;
  if (path.find("/migrations/") != std::string_view::npos || path.starts_with("migrations/")) {
    return "a data migration";
  }
  if (path.find("/management/commands/") != std::string_view::npos) return "a management command";
  // The outermost function decides: a helper nested in `main` runs when main runs.
  const ExecutionFrame* outermost = nullptr;
  const ExecutionFrame* owner_class = nullptr;
  for (std::size_t i = 1; i < frames_.size(); ++i) {
    if (frames_[i].kind == FrameKind::function || frames_[i].kind == FrameKind::lambda) {
      outermost = &frames_[i];
      owner_class = frames_[i - 1].kind == FrameKind::class_body ? &frames_[i - 1] : nullptr;
      break;
    }
  }
  if (outermost == nullptr) {
    return frames_.back().kind == FrameKind::module ? "module top level" : std::string_view{};
  }
  // A view of the member, not of a substr() temporary: the name must outlive this statement.
  std::string_view qualified = outermost->qualified_name;
  std::string_view name = qualified.substr(qualified.rfind('.') + 1);
  if (name == "__init__" || name == "__init_subclass__" || name == "__set_name__") return "`__init__`";
  if (owner_class != nullptr && name == "ready") {
    std::string_view owner = owner_class->qualified_name;
    std::string_view cls = owner.substr(owner.rfind('.') + 1);
    if (cls.ends_with("Config")) return "Django `AppConfig.ready()`";
  }
  if (name == "setup" || name == "setUp" || name == "setUpClass" || name == "configure" || name == "setup_module") {
    return "start-up `setup()`";
  }
  if (owner_class == nullptr && (name == "main" || name == "cli" || name == "run_cli")) return "CLI `main()`";
  for (std::string_view loader : {"load_fixtures", "load_fixture", "load_demo", "load_demo_data", "load_sample_data",
                                  "create_demo_data", "populate", "seed", "seed_data", "bootstrap"}) {
    if (name == loader) return "a fixture loader";
  }
  return {};
}

Value Context::annotation_type(Node annotation) const {
  if (!annotation) return {};
  if (annotation.is("type") && annotation.named_child_count() == 1) annotation = annotation.named_child(0);
  AnnotationNames names;
  names.qualify = [this](std::string_view name) -> std::string {
    const Binding* binding = lookup(name);
    if (binding == nullptr) return {};
    return binding->value.kind == ValueKind::symbol ? binding->value.qualified_name : std::string{};
  };
  names.alias_text = [this](std::string_view name) -> std::string_view {
    // `Rows = list[Row]`, `MaybePath = Optional[Path]`: a module-level alias of a type.
    const Binding* binding = lookup(name);
    if (binding == nullptr || binding->kind != BindingKind::assignment || !binding->node.is("assignment")) return {};
    Node value = binding->node.field("right");
    if (!value || (!kinds::subscript.matches(value) && !value.is("binary_operator") && !value.is("generic_type"))) return {};
    return text(value);
  };
  return annotation_value(text(annotation), names);
}

Value Context::value_of_name(std::string_view name) const {
  if (const Binding* binding = lookup(name)) {
    if (!is_growing_name(name)) return binding->value;
    Value value = binding->value;
    value.growing = true;
    // A parameter that grows is the caller's data; a local that grows is unknown and growing.
    value.size = binding->kind == BindingKind::parameter ? CollectionSize::data : CollectionSize::unknown;
    return value;
  }
  if (is_python_builtin(name)) return Value{ValueKind::symbol, builtin_name(name)};
  return {};
}

bool Context::is_growing_name(std::string_view name) const {
  if (types_ == nullptr) return false;
  const ExecutionFrame* current = function();
  if (current != nullptr && current->kind == FrameKind::function) {
    if (growth_function_ != current->node.id()) {
      growth_function_ = current->node.id();
      const FunctionTypes* types = types_->find_function(current->qualified_name);
      growth_locals_ = types != nullptr && !types->growing_locals.empty() ? &types->growing_locals : nullptr;
    }
    if (growth_locals_ != nullptr &&
        static_cast<const decltype(FunctionTypes::growing_locals)*>(growth_locals_)->count(name) != 0) {
      return true;
    }
  }
  // A module-level name: grows if appended to anywhere in the module's own code.
  if (types_->growing_globals.empty() || types_->growing_globals.count(name) == 0) return false;
  const Scope& module = scopes_.front();
  auto global = module.bindings.find(name);
  return global != module.bindings.end() && lookup(name) == &global->second;
}

Value Context::infer_bounded(Node expr, int depth) const {
  if (!expr || depth > kMaxInferDepth) return {};
  std::string_view kind = expr.kind();
  if (kind == "identifier") return value_of_name(text(expr));
  if (kind == "attribute") return infer_attribute(expr, depth);
  if (kind == "call") return infer_call(expr, depth);
  if (kind == "string") return with_size(Value{string_kind(expr, source_), {}}, CollectionSize::bounded);
  if (kind == "concatenated_string") {
    return with_size(Value{string_kind(expr.named_child(0), source_), {}}, CollectionSize::bounded);
  }
  if (kind == "integer" || kind == "float") return Value{ValueKind::number, {}};
  if (kind == "true" || kind == "false") return Value{ValueKind::boolean, {}};
  if (kind == "none") return Value{ValueKind::none, {}};
  if (kind == "list") return infer_display(expr, ValueKind::list, depth);
  // `for flag in True, False:` iterates a bare expression list: a tuple without parentheses.
  if (kind == "tuple" || kind == "expression_list") return infer_display(expr, ValueKind::tuple, depth);
  if (kind == "set") return infer_display(expr, ValueKind::set, depth);
  if (kind == "dictionary") return infer_dict_display(expr, depth);
  if (kind == "list_comprehension" || kind == "set_comprehension" || kind == "dictionary_comprehension" ||
      kind == "generator_expression") {
    return infer_comprehension(expr, depth);
  }
  if (kind == "parenthesized_expression") return infer_bounded(expr.named_child(0), depth + 1);
  if (kind == "await") {
    Value awaited = infer_bounded(expr.named_child(0), depth + 1);
    awaited.awaitable = false;
    return awaited;
  }
  if (kind == "subscript") return infer_subscript(expr, depth);
  if (kind == "binary_operator") return infer_binary(expr, depth);
  if (kind == "named_expression") return infer_bounded(expr.field("value"), depth + 1);
  if (kind == "conditional_expression") {
    return merge_values(infer_bounded(expr.named_child(0), depth + 1), infer_bounded(expr.named_child(2), depth + 1));
  }
  if (kind == "boolean_operator" && text(expr.field("operator")) == "or") {
    // `items = given or []`: either side.
    return merge_values(infer_bounded(expr.field("left"), depth + 1), infer_bounded(expr.field("right"), depth + 1));
  }
  return {};
}

Value Context::infer_display(Node expr, ValueKind kind, int depth) const {
  Value value{kind, {}};
  value.size = CollectionSize::bounded;
  // A display's items, for their types: `(a, b)` keeps each by position, a list or set the
  // type they share. Large literal tables are not worth walking item by item.
  constexpr uint32_t kMaxItems = 8;
  uint32_t count = expr.named_child_count();
  if (count == 0 || count > kMaxItems) return value;
  std::vector<Value> items;
  for (uint32_t i = 0; i < count; ++i) {
    Node item = expr.named_child(i);
    if (kinds::comment.matches(item)) continue;
    if (kinds::list_splat.matches(item) || item.is("parenthesized_list_splat")) {
      value.size = CollectionSize::unknown;  // `[*xs]`: as large as xs
      return value;
    }
    items.push_back(infer_bounded(item, depth + 1));
  }
  if (kind == ValueKind::tuple) {
    value.members = std::move(items);
    return value;
  }
  if (items.empty()) return value;  // a display that holds only comments
  Value shared = items.front();
  for (std::size_t i = 1; i < items.size() && shared.is_known(); ++i) {
    shared = shared.same_type(items[i]) ? shared : Value{};
  }
  value.set_element(std::move(shared));
  return value;
}

// `{"body": "", "head": ""}`: a bounded dict whose key and value types are those its pairs
// share (`members` = {key, value}, as for `Dict[K, V]`), unknown when they differ.
Value Context::infer_dict_display(Node expr, int depth) const {
  Value value = with_size(Value{ValueKind::dict, {}}, CollectionSize::bounded);
  constexpr uint32_t kMaxPairs = 8;  // large literal tables are not worth walking pair by pair
  uint32_t count = expr.named_child_count();
  if (count == 0 || count > kMaxPairs) return value;
  Value key;
  Value item;
  bool first = true;
  for (uint32_t i = 0; i < count; ++i) {
    Node pair = expr.named_child(i);
    if (kinds::comment.matches(pair)) continue;
    if (!pair.is("pair")) {
      value.size = CollectionSize::unknown;  // `{**other}`: as large as other
      return value;
    }
    Value pair_key = infer_bounded(pair.field("key"), depth + 1);
    Value pair_item = infer_bounded(pair.field("value"), depth + 1);
    key = first || key.same_type(pair_key) ? pair_key : Value{};
    item = first || item.same_type(pair_item) ? pair_item : Value{};
    first = false;
  }
  if (key.is_known() && item.is_known()) {
    value.set_element(key);
    value.members = {key, item};
  }
  return value;
}

// A comprehension holds one item per item of its first iterable (give or take its filters).
Value Context::infer_comprehension(Node expr, int depth) const {
  std::string_view kind = expr.kind();
  Value value{kind == "list_comprehension"         ? ValueKind::list
              : kind == "set_comprehension"        ? ValueKind::set
              : kind == "dictionary_comprehension" ? ValueKind::dict
                                                   : ValueKind::iterable,
              {}};
  for (uint32_t i = 0, n = expr.named_child_count(); i < n; ++i) {
    Node clause = expr.named_child(i);
    if (!clause.is("for_in_clause")) continue;
    CollectionSize size = size_bounded(clause.field("right"), depth + 1);
    value.size = size;
    break;
  }
  value.iterator = kind == "generator_expression";
  if (value.kind != ValueKind::dict) value.set_element(comprehension_item(expr, depth));
  return value;
}

// The type of a comprehension's items when its body is a call whose callee does not depend on
// the comprehension's own variables (`[fetch(u) for u in urls]`, `(self.load(p) for p in ps)`):
// the callee is then resolved where the comprehension stands, and so is what it returns.
Value Context::comprehension_item(Node expr, int depth) const {
  Node body = expr.field("body");
  if (!body || !kinds::call.matches(body)) return {};
  Node root = body.field("function");
  while (root && kinds::attribute.matches(root)) root = root.field("object");
  if (!root || !kinds::identifier.matches(root)) return {};
  std::string_view callee_root = text(root);
  for (uint32_t i = 0, n = expr.named_child_count(); i < n; ++i) {
    Node clause = expr.named_child(i);
    if (clause.is("for_in_clause") && binds_name(clause.field("left"), callee_root)) return {};
  }
  return infer_bounded(body, depth + 1);
}

// Does the target pattern `target` (`x`, `(k, v)`, `[a, *rest]`) bind `name`?
bool Context::binds_name(Node target, std::string_view name) const {
  if (!target) return false;
  if (kinds::identifier.matches(target)) return text(target) == name;
  for (uint32_t i = 0, n = target.named_child_count(); i < n; ++i) {
    if (binds_name(target.named_child(i), name)) return true;
  }
  return false;
}

// A project `async def` (not an async generator) by its qualified name: a function of this
// file, or a method of one of its classes (inherited ones included).
bool Context::is_coroutine_function(const std::string& name) const {
  const FunctionTypes* function = project_function(name);
  return function != nullptr && function->is_async && !function->generator;
}

const FunctionTypes* Context::project_function(const std::string& name) const {
  if (types_ == nullptr) return nullptr;
  if (const FunctionTypes* function = types_->find_function(name)) return function;
  auto dot = name.rfind('.');
  if (dot == std::string::npos) return nullptr;
  std::string_view owner = std::string_view(name).substr(0, dot);
  if (types_->find_class(owner) == nullptr) return nullptr;
  FileTypes::Member member = types_->find_member(owner, std::string_view(name).substr(dot + 1));
  if (member.method == nullptr) return nullptr;
  return types_->find_function(fmt::format("{}.{}", member.owner->qualified_name, name.substr(dot + 1)));
}

Value Context::returns_of_function(const std::string& name, int depth) const {
  const FunctionTypes* function = project_function(name);
  if (function == nullptr || depth > kMaxResolveDepth) return {};
  return resolve(function->returns, depth + 1);
}

Value Context::infer_subscript(Node expr, int depth) const {
  Value collection = infer_bounded(expr.field("value"), depth + 1);
  Node index = expr.field("subscript");
  if (index && index.is("slice")) {
    // A slice is a collection of the same type (a queryset slice is still a queryset).
    Value slice = collection;
    slice.growing = false;
    if (is_literal_bounded_slice(index) || collection.size == CollectionSize::bounded) {
      slice.size = CollectionSize::bounded;
    }
    return slice;
  }
  if (collection.kind == ValueKind::dict) {
    return collection.members.size() == 2 ? collection.members[1] : Value{};
  }
  if (collection.kind == ValueKind::tuple && index && index.is("integer")) {
    std::size_t position = 0;
    for (char c : text(index)) position = position * 10 + static_cast<std::size_t>(c - '0');
    if (position < collection.members.size()) return collection.members[position];
  }
  if (collection.kind == ValueKind::instance && index) {
    // `df["col"]` / `df[mask]` on a pandas frame.
    Value known = library_subscript(collection, index.kind());
    if (known.is_known()) return known;
  }
  if (collection.kind == ValueKind::instance) {
    // `client["shop"]` on a pymongo client is a database.
    std::string_view member = member_type(collection.qualified_name);
    if (!member.empty()) return Value{ValueKind::instance, std::string(member)};
  }
  return collection.element_type();
}

Value Context::infer_attribute(Node expr, int depth) const {
  std::string_view attribute = text(expr.field("attribute"));
  // The class hierarchy of one object (`Child.__mro__`, `type(x).__bases__`): a handful of
  // classes, never the data.
  if (attribute == "__mro__" || attribute == "__bases__") {
    return with_size(Value{ValueKind::tuple, {}}, CollectionSize::bounded);
  }
  std::string name = qualified_name(expr);
  if (!name.empty()) {
    // `cls.registry` / `Config.items`: a class attribute of a class in this file has a type.
    auto dot = name.rfind('.');
    if (types_ != nullptr && dot != std::string::npos) {
      FileTypes::Member member = types_->find_member(std::string_view(name).substr(0, dot), name.substr(dot + 1));
      if (member.attribute != nullptr) {
        Value value = member.attribute->value;
        if (member.attribute->growing) {
          value.growing = true;
          value.size = CollectionSize::data;
        }
        return value;
      }
    }
    return Value{ValueKind::symbol, std::move(name)};
  }
  Value object = infer_bounded(expr.field("object"), depth + 1);
  if (object.kind == ValueKind::union_of) {
    Value merged;
    bool first = true;
    for (const Value& alternative : object.members) {
      Value member = member_of(alternative, attribute, depth + 1);
      merged = first ? member : merge_values(merged, member);
      first = false;
    }
    return merged;
  }
  return member_of(object, attribute, depth + 1);
}

// An attribute of a value: an instance attribute, property or bound method of a project class,
// or what the library tables know.
Value Context::member_of(const Value& object, std::string_view member, int depth) const {
  if (depth > kMaxInferDepth) return {};
  // A member of something only the link step can type: still unknown here, but named so that
  // a call on it can be resolved there (`pkg.views.Sub#session.get`).
  auto deferred = [&](std::string_view owner, char separator) {
    Value value;
    value.qualified_name = fmt::format("{}{}{}", owner, separator, member);
    return value;
  };
  if (object.kind == ValueKind::unknown && !object.qualified_name.empty()) return deferred(object.qualified_name, '#');
  if (object.kind != ValueKind::instance) return {};
  if (types_ != nullptr && types_->find_class(object.qualified_name) != nullptr) {
    FileTypes::Member found = types_->find_member(object.qualified_name, member);
    if (found.attribute != nullptr) {
      Value value = resolve(found.attribute->value, depth + 1);
      if (found.attribute->growing) {
        value.growing = true;
        value.size = CollectionSize::data;
      }
      return value;
    }
    if (found.method != nullptr) {
      std::string method = fmt::format("{}.{}", found.owner->qualified_name, member);
      if (*found.method == MethodKind::property) return returns_of(method, depth + 1);
      return Value{ValueKind::symbol, std::move(method)};
    }
    // Not assigned in this file: a base class in another module may assign it.
    return types_->has_foreign_base(object.qualified_name) ? deferred(object.qualified_name, '#') : Value{};
  }
  Value known = library_attribute(object, member);
  if (known.is_known()) return known;
  // An instance of a class from another module (or of what an imported function returns).
  return deferred(object.qualified_name, '#');
}

Value Context::returns_of(const std::string& function, int depth) const {
  if (types_ == nullptr || depth > kMaxResolveDepth) return {};
  const FunctionTypes* types = types_->find_function(function);
  if (types == nullptr) return {};
  if (types->generator) {
    Value generator{ValueKind::iterable, {}};
    generator.iterator = true;
    return generator;
  }
  return resolve(types->returns, depth + 1);
}

Value Context::resolve(Value value, int depth) const {
  if (types_ == nullptr || depth > kMaxResolveDepth) return value;
  if (value.kind == ValueKind::union_of) {
    Value merged;
    for (std::size_t i = 0; i < value.members.size(); ++i) {
      Value member = resolve(value.members[i], depth + 1);
      merged = i == 0 ? member : merge_values(merged, member);
    }
    if (merged.is_known()) merged.maybe_none = merged.maybe_none || value.maybe_none;
    return merged;
  }
  if (value.kind != ValueKind::instance) return value;
  const std::string& name = value.qualified_name;
  if (types_->find_function(name) != nullptr) {
    Value returned = returns_of(name, depth + 1);
    if (returned.is_known()) returned.maybe_none = returned.maybe_none || value.maybe_none;
    return returned;
  }
  // `instance of pkg.mod.Service.load`: a method of a class in this file (or its bases).
  auto dot = name.rfind('.');
  if (dot == std::string::npos || types_->find_class(name) != nullptr) return value;
  std::string_view owner = std::string_view(name).substr(0, dot);
  if (types_->find_class(owner) == nullptr) return value;
  FileTypes::Member member = types_->find_member(owner, std::string_view(name).substr(dot + 1));
  if (member.method == nullptr) return value;
  return returns_of(fmt::format("{}.{}", member.owner->qualified_name, name.substr(dot + 1)), depth + 1);
}

// What iterating a collection gives: its item type, the lines of a file, the rows of a queryset.
Value Context::element_of(const Value& collection) const {
  if (collection.element) return *collection.element;
  if (is_file_object(collection)) return Value{ValueKind::str, {}};
  if (collection.kind == ValueKind::instance) {
    std::string model = django_queryset_model(collection.qualified_name);
    if (!model.empty()) return Value{ValueKind::instance, std::move(model)};
  }
  return {};
}

Value Context::infer_call(Node call, int depth) const {
  Node function = call.field("function");
  while (function && kinds::parenthesized_expression.matches(function)) function = function.named_child(0);
  std::string callee = qualified_name(function);
  Value receiver;
  if (callee.empty() && kinds::attribute.matches(function)) {
    // A method call on a computed receiver: infer the receiver once (chains are long).
    std::string_view method = text(function.field("attribute"));
    receiver = infer_bounded(function.field("object"), depth + 1);
    if (receiver.is_text() && is_text_returning_method(method)) return Value{receiver.kind, {}};
    if (receiver.kind == ValueKind::bytes && method == "decode") return Value{ValueKind::str, {}};
    if (receiver.kind == ValueKind::str && method == "encode") return Value{ValueKind::bytes, {}};
    // str.split() and friends return a list of pieces: as many as the text has.
    if (receiver.is_text() && is_one_of(method, {"split", "rsplit", "splitlines"})) {
      Value pieces{ValueKind::list, {}};
      pieces.set_element(Value{receiver.kind, {}});
      pieces.size = receiver.size == CollectionSize::bounded ? CollectionSize::bounded : CollectionSize::data;
      return pieces;
    }
    if (receiver.kind == ValueKind::dict && is_one_of(method, {"keys", "values", "items"})) {
      Value view{ValueKind::iterable, {}};
      if (method == "keys") view.set_element(receiver.element_type());
      if (method == "values" && receiver.members.size() == 2) view.set_element(receiver.members[1]);
      if (method == "items" && receiver.members.size() == 2) view.set_element(tuple_of(receiver.members));
      return sized_like(view, receiver);
    }
    // A mapping whose type is unknown but whose size is (`json.load(f).keys()`, a growing
    // parameter's `.values()`) has views as large as itself.
    if (!receiver.is_known() && receiver.size != CollectionSize::unknown &&
        is_one_of(method, {"keys", "values", "items"})) {
      return sized_like(Value{ValueKind::iterable, {}}, receiver);
    }
    if ((receiver.kind == ValueKind::list || receiver.kind == ValueKind::tuple) && method == "copy") return receiver;
    if (receiver.kind == ValueKind::instance) {
      callee = fmt::format("{}.{}", receiver.qualified_name, method);
    } else if (receiver.kind == ValueKind::unknown && !receiver.qualified_name.empty()) {
      // What a method of a not-yet-typed receiver returns: named for the link step.
      Value deferred;
      deferred.qualified_name = fmt::format("{}.{}", receiver.qualified_name, method);
      return deferred;
    }
  }
  if (callee.empty()) return {};
  constexpr std::string_view kBuiltinPrefix = "builtins.";
  if (callee.starts_with(kBuiltinPrefix)) {
    Value builtin = infer_builtin_call(std::string_view(callee).substr(kBuiltinPrefix.size()), call, depth);
    if (builtin.is_known() || builtin.size != CollectionSize::unknown) return builtin;
  }
  if (types_ != nullptr) {
    if (types_->find_class(callee) != nullptr) return Value{ValueKind::instance, std::move(callee)};
    if (is_coroutine_function(callee)) {
      Value coroutine = returns_of_function(callee, depth + 1);
      coroutine.awaitable = true;
      return coroutine;
    }
    Value project = resolve(Value{ValueKind::instance, callee}, depth + 1);
    if (!project.is_instance_of(callee)) return project;
  }
  std::string canonical = canonical_callee(callee);
  Value known = library_call_result(canonical);
  if (known.is_known() || known.size != CollectionSize::unknown) return known;
  return Value{ValueKind::instance, canonical_type(canonical)};
}

Value Context::infer_builtin_call(std::string_view builtin, Node call, int depth) const {
  Node arguments = call.field("arguments");
  Node first = arguments && arguments.named_child_count() > 0 ? arguments.named_child(0) : Node{};
  if (first && (kinds::keyword_argument.matches(first) || kinds::comment.matches(first))) first = Node{};
  auto argument = [&] { return first ? infer_bounded(first, depth + 1) : Value{}; };
  if (builtin == "map" || builtin == "filter") {
    Value value{ValueKind::iterable, {}};
    value.iterator = true;
    Node iterable = arguments && arguments.named_child_count() > 1 ? arguments.named_child(1) : Node{};
    value.size = iterable ? size_bounded(iterable, depth + 1) : CollectionSize::unknown;
    return value;
  }
  if (is_one_of(builtin, {"list", "sorted", "tuple", "set", "frozenset", "reversed", "iter"})) {
    Value of = argument();
    Value value{builtin == "list" || builtin == "sorted" ? ValueKind::list
                : builtin == "tuple"                     ? ValueKind::tuple
                : builtin == "set" || builtin == "frozenset" ? ValueKind::set
                                                             : ValueKind::iterable,
                {}};
    value.set_element(element_of(of));
    value.size = first ? size_of_value(of, first, depth + 1) : CollectionSize::bounded;
    value.iterator = builtin == "reversed" || builtin == "iter";
    return value;
  }
  if (builtin == "dict") return Value{ValueKind::dict, {}};
  if (builtin == "range") {
    // range(3), range(N) with N a constant: bounded; range(len(xs)): as large as xs.
    Value value{ValueKind::iterable, {}};
    value.set_element(Value{ValueKind::number, {}});
    value.size = CollectionSize::bounded;
    for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
      Node bound = arguments.named_child(i);
      if (bound.is("integer") || (bound.is("unary_operator") && bound.named_child(0).is("integer"))) continue;
      if (kinds::identifier.matches(bound) && is_constant_name(text(bound))) continue;
      Node inner = kinds::call.matches(bound) ? bound.field("arguments") : Node{};
      if (kinds::call.matches(bound) && qualified_name(bound.field("function")) == "builtins.len" && inner &&
          inner.named_child_count() == 1) {
        CollectionSize size = size_bounded(inner.named_child(0), depth + 1);
        if (size == CollectionSize::bounded) continue;
        value.size = size;
      } else {
        value.size = CollectionSize::unknown;
      }
      break;
    }
    return value;
  }
  if (builtin == "enumerate") {
    Value of = argument();
    Value value{ValueKind::iterable, {}};
    value.set_element(tuple_of({Value{ValueKind::number, {}}, element_of(of)}));
    value.size = first ? size_of_value(of, first, depth + 1) : CollectionSize::unknown;
    value.iterator = true;
    return value;
  }
  if (builtin == "zip") {
    // As long as the shortest: bounded when any side is.
    Value value{ValueKind::iterable, {}};
    std::vector<Value> items;
    bool any_bounded = false;
    bool all_data = true;
    for (uint32_t i = 0, n = arguments ? arguments.named_child_count() : 0; i < n; ++i) {
      Node side = arguments.named_child(i);
      if (kinds::keyword_argument.matches(side) || kinds::comment.matches(side)) continue;
      Value of = infer_bounded(side, depth + 1);
      items.push_back(element_of(of));
      CollectionSize size = size_of_value(of, side, depth + 1);
      any_bounded = any_bounded || size == CollectionSize::bounded;
      all_data = all_data && size == CollectionSize::data;
    }
    value.set_element(tuple_of(std::move(items)));
    value.iterator = true;
    value.size = any_bounded ? CollectionSize::bounded : all_data && first ? CollectionSize::data : CollectionSize::unknown;
    return value;
  }
  if (builtin == "open") return Value{ValueKind::instance, "builtins.open"};
  ValueKind kind = builtin_result_kind(builtin);
  return kind == ValueKind::unknown ? Value{} : Value{kind, {}};
}

// `+`, `%` and `*` chains are left-nested (`a + b + c` is `(a + b) + c`), so the left spine is
// walked iteratively; only right operands recurse, one level each.
Value Context::infer_binary(Node expr, int depth) const {
  std::string_view op = text(expr.field("operator"));
  if (op == "%") {
    Value left = infer_bounded(expr.field("left"), depth + 1);
    return left.kind == ValueKind::str || left.kind == ValueKind::bytes ? Value{left.kind, {}}
                                                                         : Value{};
  }
  if (op == "/") {
    // `base / "name"` joins paths: a pathlib path (made by Path(), Path.cwd(), p.parent ...)
    // stays a pathlib.Path, so `(base / "x").read_text()` is recognised as file I/O.
    Value left = infer_bounded(expr.field("left"), depth + 1);
    if (left.kind == ValueKind::instance && left.qualified_name.starts_with("pathlib.")) {
      return Value{ValueKind::instance, "pathlib.Path"};
    }
  }
  if (op != "+" && op != "*") {
    Value left = infer_bounded(expr.field("left"), depth + 1);
    Value right = infer_bounded(expr.field("right"), depth + 1);
    bool numeric = left.kind == ValueKind::number && right.kind == ValueKind::number;
    return numeric ? Value{ValueKind::number, {}} : Value{};
  }
  Node node = expr;
  while (node.is("binary_operator") && text(node.field("operator")) == op) {
    Value right = infer_bounded(node.field("right"), depth + 1);
    if (op == "+" && (right.is_text() || right.kind == ValueKind::list)) return Value{right.kind, {}};
    node = node.field("left");
  }
  Value leftmost = infer_bounded(node, depth + 1);
  switch (leftmost.kind) {
    case ValueKind::str:
    case ValueKind::bytes:
    case ValueKind::list:
    case ValueKind::tuple:
    case ValueKind::number:
      return Value{leftmost.kind, {}};
    default:
      return {};
  }
}

// `from ..util import x` inside module a.b.c (a plain module) names a.util; inside the package
// a.b (its __init__.py) one dot already means a.b itself.
std::string Context::resolve_relative_import(Node relative_import) const {
  std::size_t dots = 0;
  std::string_view suffix;
  for (uint32_t i = 0, n = relative_import.named_child_count(); i < n; ++i) {
    Node part = relative_import.named_child(i);
    if (part.is("import_prefix")) {
      std::string_view prefix = text(part);
      dots = static_cast<std::size_t>(std::count(prefix.begin(), prefix.end(), '.'));
    } else {
      suffix = text(part);
    }
  }
  std::string base = facts_.module;
  std::size_t levels = dots == 0 ? 0 : (is_package_ ? dots - 1 : dots);
  for (std::size_t i = 0; i < levels && !base.empty(); ++i) {
    auto dot = base.rfind('.');
    base = dot == std::string::npos ? std::string{} : base.substr(0, dot);
  }
  if (suffix.empty()) return base;
  return base.empty() ? std::string(suffix) : fmt::format("{}.{}", base, suffix);
}

const ExecutionFrame* Context::function() const {
  const ExecutionFrame& current = frames_.back();
  bool is_function = current.kind == FrameKind::function || current.kind == FrameKind::lambda;
  return is_function ? &current : nullptr;
}

bool Context::in_async_function() const {
  const ExecutionFrame* current = function();
  return current != nullptr && current->is_async;
}

std::span<const LoopFrame> Context::loops() const {
  std::size_t first = frames_.back().first_loop;
  return std::span<const LoopFrame>(loops_).subspan(first);
}

Finding& Context::report(const Rule& rule, Node node, std::string message, std::string suggestion,
                         std::optional<Severity> severity) {
  const RuleInfo& info = rule.info();
  Finding finding;
  finding.rule_id = info.id;
  finding.rule_name = info.name;
  finding.category = info.category;
  finding.severity = severity.value_or(info.severity);
  finding.path = facts_.path;
  TSPoint start = node.start_point();
  TSPoint end = node.end_point();
  std::uint32_t start_line_byte = node.start_byte() - start.column;
  std::uint32_t end_line_byte = node.end_byte() - end.column;
  finding.span.line = start.row + 1;
  finding.span.column = char_column(source_, start_line_byte, start.column);
  finding.span.end_line = end.row + 1;
  finding.span.end_column = char_column(source_, end_line_byte, end.column);
  finding.message = std::move(message);
  finding.suggestion = std::move(suggestion);
  finding.source_line = std::string(line_containing(source_, node.start_byte()));
  finding.statement_line = finding.span.line;
  for (auto it = statements_.rbegin(); it != statements_.rend(); ++it) {
    if (it->first.contains(node)) {
      finding.statement_line = it->second;
      break;
    }
  }
  finding.scope = frames_.back().qualified_name;
  finding.in_test_code = in_test_code();
  // The one-time-path policy, for every rule whose table row says its cost scales with
  // repetition: the engine adds the note to the message when it finishes the finding.
  if (rule.traits().cost != CostScale::fixed && finding.severity != Severity::low) {
    std::string_view once = one_time_path();
    LoopPlace place = loops().empty() ? LoopPlace::none : LoopPlace::for_loops;
    for (const LoopFrame& loop : loops()) {
      if (loop.kind == LoopKind::while_loop) place = LoopPlace::while_loop;
    }
    if (auto lowered = lowered_on_one_time_path(rule.traits(), finding.severity, once, place)) {
      finding.severity = *lowered;
      finding.lowered_on = std::string(once);
    }
  }
  findings_.push_back(std::move(finding));
  return findings_.back();
}

bool is_test_file_path(std::string_view path) { return is_test_path(path); }

}  // namespace perfscan
