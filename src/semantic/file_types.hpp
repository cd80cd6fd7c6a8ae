// What one file's first walk learns about its classes and functions, for the second walk (the
// one the rules see) to answer "what is this?" about code written anywhere in the file: the
// types of instance attributes agreed across every method, what each function returns, which
// lists, dicts and sets grow. Built by Walker in WalkMode::collect_types, read through Context.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "perfscan/node.hpp"
#include "perfscan/semantic.hpp"

namespace perfscan {

// Lets the tables below be searched with a string_view without building a string.
struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
};
template <typename T>
using NameMap = std::unordered_map<std::string, T, NameHash, std::equal_to<>>;

// How a method is bound to its class.
enum class MethodKind : std::uint8_t { instance, static_method, class_method, property };

struct AttributeType {
  Value value;             // what every assignment agrees on (an annotation overrides them)
  bool annotated = false;  // `self.x: T`, a class-level `x: T`, a dataclass field
  bool assigned = false;   // at least one assignment merged into `value`
  bool growing = false;    // appended, extended, added or inserted into somewhere in the file
};

struct ClassTypes {
  std::string qualified_name;
  Node node;
  std::vector<std::string> bases;  // qualified names as resolved in this file, else source text
  bool is_enum = false;
  // A frozen (or unsafe_hash) dataclass or attrs class, or a NamedTuple: compared and hashed by
  // its fields. A class that defines `__hash__` is found through `methods` instead.
  bool value_type = false;
  NameMap<AttributeType> attributes;
  NameMap<MethodKind> methods;
};

struct FunctionTypes {
  Node node;
  Value returns;  // the annotation, else what every `return` agrees on
  bool annotated = false;
  bool returns_value = false;  // some `return <expr>`
  bool generator = false;      // `yield` in its body: calling it makes a generator
  bool is_async = false;
  MethodKind method = MethodKind::instance;
  bool cached = false;  // @cache / @lru_cache / @cached_property: repeated calls reuse the result
  // Locals (and parameters) of this function that are appended to, extended, added to,
  // inserted into or stored into by key somewhere in it, or rebound from themselves in a loop.
  std::unordered_set<std::string, NameHash, std::equal_to<>> growing_locals;
};

class FileTypes {
 public:
  [[nodiscard]] const ClassTypes* find_class(std::string_view qualified_name) const;
  [[nodiscard]] const FunctionTypes* find_function(std::string_view qualified_name) const;
  ClassTypes& class_types(const std::string& qualified_name) { return classes_[qualified_name]; }
  FunctionTypes& function_types(const std::string& qualified_name) { return functions_[qualified_name]; }

  // A member of a class or one of its bases in this file, searched in declaration order of the
  // bases (depth-first, as Python's MRO does for the single-inheritance chains that matter).
  struct Member {
    const ClassTypes* owner = nullptr;
    const AttributeType* attribute = nullptr;  // null for a method
    const MethodKind* method = nullptr;        // null for an attribute
  };
  [[nodiscard]] Member find_member(std::string_view class_name, std::string_view member) const;

  // Does the class, or one of its bases in this file, derive from a class defined elsewhere
  // (whose attributes only the link step knows)?
  [[nodiscard]] bool has_foreign_base(std::string_view class_name) const;

  template <typename Visit>
  void for_each_function(Visit&& visit) const {
    for (const auto& [name, function] : functions_) visit(name, function);
  }
  template <typename Visit>
  void for_each_class(Visit&& visit) const {
    for (const auto& [name, cls] : classes_) visit(name, cls);
  }

  // Names in the module scope that are appended to (the module's growing globals).
  std::unordered_set<std::string, NameHash, std::equal_to<>> growing_globals;

 private:
  NameMap<ClassTypes> classes_;
  NameMap<FunctionTypes> functions_;
};

}  // namespace perfscan
