// Node kinds the semantic layer acts on, mapped once from the grammar's symbol ids so the walk
// compares small integers instead of strings.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <tree_sitter/api.h>

namespace perfscan {

enum class SemKind : std::uint8_t {
  other,
  module,
  function_definition,
  lambda,
  class_definition,
  for_statement,
  while_statement,
  comprehension,  // list/set/dictionary comprehension, generator expression
  for_in_clause,
  import_statement,
  import_from_statement,
  future_import_statement,
  assignment,
  augmented_assignment,
  named_expression,
  with_statement,
  try_statement,
  except_clause,
  global_statement,
  nonlocal_statement,
  comment,
  call,
  return_statement,
  yield,
  error,
  statement,  // any other simple or compound statement (suppressions may sit on its line)
};

// tree-sitter's ERROR nodes carry this built-in symbol, outside the grammar's symbol table.
inline constexpr TSSymbol kErrorSymbol = static_cast<TSSymbol>(-1);

// Indexed by TSSymbol.
const std::vector<SemKind>& semantic_kinds();

inline SemKind semantic_kind(TSSymbol symbol) {
  if (symbol == kErrorSymbol) return SemKind::error;
  const auto& kinds = semantic_kinds();
  return symbol < kinds.size() ? kinds[symbol] : SemKind::other;
}

bool is_python_builtin(std::string_view name);

// Statements are what suppressions attach to; these kinds open one. Inline: the walk asks it of
// every named node.
inline bool is_statement_kind(SemKind kind) {
  switch (kind) {
    case SemKind::function_definition:
    case SemKind::class_definition:
    case SemKind::for_statement:
    case SemKind::while_statement:
    case SemKind::import_statement:
    case SemKind::import_from_statement:
    case SemKind::future_import_statement:
    case SemKind::with_statement:
    case SemKind::try_statement:
    case SemKind::global_statement:
    case SemKind::nonlocal_statement:
    case SemKind::statement:
    case SemKind::return_statement:
      return true;
    default:
      return false;
  }
}

}  // namespace perfscan
