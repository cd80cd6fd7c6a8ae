#include "perfscan/context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <vector>

#include "perfscan/rule.hpp"
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

}  // namespace

Context::Context(std::string path, std::string module, bool is_package, std::string_view source,
                 RuleSettings settings)
    : source_(source), settings_(std::move(settings)), is_package_(is_package) {
  facts_.path = std::move(path);
  facts_.module = std::move(module);
  scopes_.push_back(Scope{FrameKind::module, {}});
  frames_.push_back(ExecutionFrame{FrameKind::module, Node{}, false, facts_.module, 0});
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

std::string Context::qualified_name(Node expr) const {
  // Walk down the attribute chain iteratively: `a.b.c` is attribute(attribute(a, b), c).
  std::vector<std::string_view> attributes;
  Node base = expr;
  while (base && base.is("attribute")) {
    attributes.push_back(text(base.field("attribute")));
    base = base.field("object");
  }
  if (!base || !base.is("identifier")) return {};
  std::string name;
  std::string_view identifier = text(base);
  if (const Binding* binding = lookup(identifier)) {
    if (binding->value.kind != ValueKind::symbol) return {};
    name = binding->value.qualified_name;
  } else if (is_python_builtin(identifier)) {
    name = fmt::format("builtins.{}", identifier);
  } else {
    return {};
  }
  for (auto it = attributes.rbegin(); it != attributes.rend(); ++it) {
    name += '.';
    name += *it;
  }
  return name;
}

std::string Context::callee_name(Node call) const { return callee_bounded(call, 0); }

std::string Context::callee_bounded(Node call, int depth) const {
  Node function = call.field("function");
  std::string name = qualified_name(function);
  if (!name.empty() || !function.is("attribute")) return name;
  Value receiver = infer_bounded(function.field("object"), depth + 1);
  if (receiver.kind != ValueKind::instance) return {};
  return fmt::format("{}.{}", receiver.qualified_name, text(function.field("attribute")));
}

Value Context::infer(Node expr) const { return infer_bounded(expr, 0); }

Value Context::value_of_name(std::string_view name) const {
  if (const Binding* binding = lookup(name)) return binding->value;
  if (is_python_builtin(name)) return Value{ValueKind::symbol, fmt::format("builtins.{}", name)};
  return {};
}

Value Context::infer_bounded(Node expr, int depth) const {
  if (!expr || depth > kMaxInferDepth) return {};
  std::string_view kind = expr.kind();
  if (kind == "string") return Value{string_kind(expr, source_), {}};
  if (kind == "concatenated_string") return Value{string_kind(expr.named_child(0), source_), {}};
  if (kind == "integer" || kind == "float") return Value{ValueKind::number, {}};
  if (kind == "true" || kind == "false") return Value{ValueKind::boolean, {}};
  if (kind == "none") return Value{ValueKind::none, {}};
  if (kind == "list" || kind == "list_comprehension") return Value{ValueKind::list, {}};
  if (kind == "tuple") return Value{ValueKind::tuple, {}};
  if (kind == "dictionary" || kind == "dictionary_comprehension") return Value{ValueKind::dict, {}};
  if (kind == "set" || kind == "set_comprehension") return Value{ValueKind::set, {}};
  if (kind == "parenthesized_expression") return infer_bounded(expr.named_child(0), depth + 1);
  if (kind == "identifier") return value_of_name(text(expr));
  if (kind == "attribute") {
    std::string name = qualified_name(expr);
    return name.empty() ? Value{} : Value{ValueKind::symbol, std::move(name)};
  }
  if (kind == "call") return infer_call(expr, depth);
  if (kind == "binary_operator") return infer_binary(expr, depth);
  if (kind == "conditional_expression") {
    Value first = infer_bounded(expr.named_child(0), depth + 1);
    Value second = infer_bounded(expr.named_child(2), depth + 1);
    return first.kind == second.kind && first.qualified_name == second.qualified_name ? first
                                                                                      : Value{};
  }
  return {};
}

Value Context::infer_call(Node call, int depth) const {
  Node function = call.field("function");
  std::string callee = qualified_name(function);
  if (callee.empty() && function.is("attribute")) {
    // A method call on a computed receiver: infer the receiver once (chains are long).
    std::string_view method = text(function.field("attribute"));
    Value receiver = infer_bounded(function.field("object"), depth + 1);
    if (receiver.is_text() && is_text_returning_method(method)) return Value{receiver.kind, {}};
    if (receiver.kind == ValueKind::bytes && method == "decode") return Value{ValueKind::str, {}};
    if (receiver.kind == ValueKind::str && method == "encode") return Value{ValueKind::bytes, {}};
    // str.split() and friends return a list: rules asking "is this a list?" can see it.
    if (receiver.is_text() && is_one_of(method, {"split", "rsplit", "splitlines"})) {
      return Value{ValueKind::list, {}};
    }
    if (receiver.kind == ValueKind::instance) {
      callee = fmt::format("{}.{}", receiver.qualified_name, method);
    }
  }
  if (callee.empty()) return {};
  constexpr std::string_view kBuiltinPrefix = "builtins.";
  if (callee.starts_with(kBuiltinPrefix)) {
    ValueKind kind = builtin_result_kind(std::string_view(callee).substr(kBuiltinPrefix.size()));
    if (kind != ValueKind::unknown) return Value{kind, {}};
  }
  return Value{ValueKind::instance, std::move(callee)};
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

void Context::report(const Rule& rule, Node node, std::string message, std::string suggestion,
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
  findings_.push_back(std::move(finding));
}

}  // namespace perfscan
