#include "semantic/kinds.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

#include "syntax/parser.hpp"

namespace perfscan {
namespace {

SemKind classify(std::string_view name) {
  static const std::unordered_map<std::string_view, SemKind> kByName = {
      {"module", SemKind::module},
      {"function_definition", SemKind::function_definition},
      {"lambda", SemKind::lambda},
      {"class_definition", SemKind::class_definition},
      {"for_statement", SemKind::for_statement},
      {"while_statement", SemKind::while_statement},
      {"list_comprehension", SemKind::comprehension},
      {"set_comprehension", SemKind::comprehension},
      {"dictionary_comprehension", SemKind::comprehension},
      {"generator_expression", SemKind::comprehension},
      {"for_in_clause", SemKind::for_in_clause},
      {"import_statement", SemKind::import_statement},
      {"import_from_statement", SemKind::import_from_statement},
      {"future_import_statement", SemKind::future_import_statement},
      {"assignment", SemKind::assignment},
      {"augmented_assignment", SemKind::augmented_assignment},
      {"named_expression", SemKind::named_expression},
      {"with_statement", SemKind::with_statement},
      {"try_statement", SemKind::try_statement},
      {"except_clause", SemKind::except_clause},
      {"global_statement", SemKind::global_statement},
      {"nonlocal_statement", SemKind::nonlocal_statement},
      {"comment", SemKind::comment},
      {"call", SemKind::call},
      {"expression_statement", SemKind::statement},
      {"return_statement", SemKind::return_statement},
      {"yield", SemKind::yield},
      {"delete_statement", SemKind::statement},
      {"raise_statement", SemKind::statement},
      {"pass_statement", SemKind::statement},
      {"break_statement", SemKind::statement},
      {"continue_statement", SemKind::statement},
      {"if_statement", SemKind::statement},
      {"match_statement", SemKind::statement},
      {"assert_statement", SemKind::statement},
      {"print_statement", SemKind::statement},
      {"exec_statement", SemKind::statement},
      {"type_alias_statement", SemKind::statement},
      {"decorated_definition", SemKind::statement},
  };
  auto it = kByName.find(name);
  return it == kByName.end() ? SemKind::other : it->second;
}

}  // namespace

const std::vector<SemKind>& semantic_kinds() {
  static const std::vector<SemKind> kinds = [] {
    const TSLanguage* language = tree_sitter_python();
    std::vector<SemKind> table(ts_language_symbol_count(language), SemKind::other);
    for (std::size_t index = 0; index < table.size(); ++index) {
      auto symbol = static_cast<TSSymbol>(index);
      // Anonymous tokens share names with keywords ("for", "lambda"): only named nodes count.
      // ERROR is not in this table (see semantic_kind()).
      if (ts_language_symbol_type(language, symbol) != TSSymbolTypeRegular) continue;
      table[index] = classify(ts_language_symbol_name(language, symbol));
    }
    return table;
  }();
  return kinds;
}

bool is_python_builtin(std::string_view name) {
  // CPython 3.11's builtins module, sorted for binary search.
  static constexpr std::string_view kBuiltins[] = {
      "ArithmeticError", "AssertionError", "AttributeError", "BaseException",
      "BaseExceptionGroup", "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning",
      "ChildProcessError", "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError",
      "ConnectionResetError", "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning",
      "EnvironmentError", "Exception", "ExceptionGroup", "False", "FileExistsError",
      "FileNotFoundError", "FloatingPointError", "FutureWarning", "GeneratorExit", "IOError",
      "ImportError", "ImportWarning", "IndentationError", "IndexError", "InterruptedError",
      "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
      "ModuleNotFoundError", "NameError", "None", "NotADirectoryError", "NotImplemented",
      "NotImplementedError", "OSError", "OverflowError", "PendingDeprecationWarning",
      "PermissionError", "ProcessLookupError", "RecursionError", "ReferenceError",
      "ResourceWarning", "RuntimeError", "RuntimeWarning", "StopAsyncIteration", "StopIteration",
      "SyntaxError", "SyntaxWarning", "SystemError", "SystemExit", "TabError", "TimeoutError",
      "True", "TypeError", "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError",
      "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "ValueError",
      "Warning", "ZeroDivisionError", "__build_class__", "__debug__", "__doc__", "__import__",
      "__name__", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint",
      "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex", "copyright",
      "credits", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit",
      "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help",
      "hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len", "license", "list",
      "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord", "pow",
      "print", "property", "quit", "range", "repr", "reversed", "round", "set", "setattr",
      "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type", "vars", "zip"};
  return std::binary_search(std::begin(kBuiltins), std::end(kBuiltins), name);
}

}  // namespace perfscan
