// Per-file facts: what survives a file's analysis once its syntax tree is gone. The link step
// joins them across the project, so they must stay small (no source text, no nodes).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace perfscan {

struct FunctionFact {
  std::string qualified_name;  // "pkg.mod.Class.method"
  std::uint32_t line = 0;
  bool is_async = false;
};

struct ClassFact {
  std::string qualified_name;
  std::uint32_t line = 0;
  std::vector<std::string> bases;  // resolved qualified names where known, else source text
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
};

// `# noqa`, `# noqa: PS101,PS401`, `# perfscan: ignore[PS401]`, `# perfscan: skip-file`.
struct Suppressions {
  bool skip_file = false;
  // line -> rule ids; an empty set means every rule.
  std::map<std::uint32_t, std::set<std::string>> by_line;

  [[nodiscard]] bool suppresses(std::uint32_t line, const std::string& rule_id) const;
};

struct FileFacts {
  std::string path;
  std::string module;  // dotted module name ("pkg.sub.mod"); "" when unknown
  std::vector<FunctionFact> functions;
  std::vector<ClassFact> classes;
  std::vector<CallFact> calls;
  Suppressions suppressions;
};

}  // namespace perfscan
