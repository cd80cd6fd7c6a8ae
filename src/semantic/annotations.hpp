// Type annotations read as values: `Optional[requests.Session]`, `"Path | None"`,
// `List[Path]`, `typing.TextIO`. Annotations are read from their source text with a small
// parser of their own, so the same code reads an annotation node, a string (forward reference)
// annotation and a module-level alias (`Rows = list[Row]`) alike.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "perfscan/semantic.hpp"

namespace perfscan {

// Resolves the first name of a dotted annotation name (`typing`, `Path`, `Session`) to the
// value it is bound to in the annotated code: a symbol for imports and classes; for an alias
// (`Rows = list[Row]`) the alias's own annotation text through `alias_text`.
struct AnnotationNames {
  // The qualified name `name` refers to ("pathlib.Path" for `Path` after `from pathlib import
  // Path`), or "" when it is not a known symbol.
  std::function<std::string(std::string_view name)> qualify;
  // The text of a type alias `name` is bound to (`Rows = list[Row]` -> "list[Row]"), or "".
  std::function<std::string_view(std::string_view name)> alias_text;
};

// The value an annotation describes. Unknown for what it cannot read (`Callable[...]`, type
// variables, `Any`); never throws, whatever the text.
Value annotation_value(std::string_view text, const AnnotationNames& names);

}  // namespace perfscan
