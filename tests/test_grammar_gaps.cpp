// syntax/grammar_gaps: the copy perfscan parses when tree-sitter-python misreads valid Python.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "syntax/grammar_gaps.hpp"

using perfscan::pad_dedented_continuations;

TEST_CASE("grammar gaps: a line inside brackets indented less than its statement is padded") {
  std::string source = "if True:\n    print(1 +\n1)\n    x = (a.\n  b)\n";
  auto padded = pad_dedented_continuations(source);
  REQUIRE(padded.has_value());
  CHECK(padded->first_line == 3);
  CHECK(padded->text == "if True:\n    print(1 +\n    1)\n    x = (a.\n    b)\n");
}

TEST_CASE("grammar gaps: ordinary code is left alone") {
  CHECK_FALSE(pad_dedented_continuations("def f(a,\n      b):\n    return [a,\n            b]\n").has_value());
  // Deeper continuation lines, and a closing bracket at the statement's indentation.
  CHECK_FALSE(pad_dedented_continuations("    x = f(\n        1,\n    )\n").has_value());
  // A backslash continuation is not inside brackets; the grammar reads it.
  CHECK_FALSE(pad_dedented_continuations("    x = 1 + \\\n2\n").has_value());
  CHECK_FALSE(pad_dedented_continuations("").has_value());
}

TEST_CASE("grammar gaps: brackets and line breaks in strings and comments do not count") {
  // An open bracket in a string or comment opens nothing.
  CHECK_FALSE(pad_dedented_continuations("    s = '('\nx = 1\n").has_value());
  CHECK_FALSE(pad_dedented_continuations("    y = 1  # (\nx = 1\n").has_value());
  // A triple-quoted string's lines are its content, not continuation lines.
  CHECK_FALSE(pad_dedented_continuations("    s = \"\"\"(\n[\n\"\"\"\nx = 1\n").has_value());
  CHECK_FALSE(pad_dedented_continuations("    s = f(\"\"\"\ntext\n\"\"\")\n").has_value());
  // An escaped quote does not end the string.
  CHECK_FALSE(pad_dedented_continuations("    s = '\\'('\nx = 1\n").has_value());
}

TEST_CASE("grammar gaps: blank and comment-only lines inside brackets need no pad") {
  CHECK_FALSE(pad_dedented_continuations("    x = [\n\n# note\n        1]\n").has_value());
}

TEST_CASE("grammar gaps: a file that indents with tabs is left as it is") {
  CHECK_FALSE(pad_dedented_continuations("if x:\n\ty = (1 +\n2)\n").has_value());
}

TEST_CASE("grammar gaps: line counts stay right after triple-quoted strings and CRLF") {
  std::string source = "s = \"\"\"a\nb\"\"\"\nif x:\r\n    y = (1 +\r\n2)\r\n";
  auto padded = pad_dedented_continuations(source);
  REQUIRE(padded.has_value());
  CHECK(padded->first_line == 5);
  CHECK(padded->text == "s = \"\"\"a\nb\"\"\"\nif x:\r\n    y = (1 +\r\n    2)\r\n");
}

TEST_CASE("grammar gaps: an f-string format spec that starts with `=` is respelled, same length") {
  using perfscan::respell_equals_format_specs;
  // matplotlib's axis.py: `f"{ticklabels:=} must be a sequence"` read as a walrus.
  CHECK(respell_equals_format_specs("raise TypeError(f\"{ticklabels:=} must be a sequence\")\n") ==
        "raise TypeError(f\"{ticklabels:>} must be a sequence\")\n");
  // Fill and alignment, prefixes in any case and order, triple quotes, a nested field in the spec.
  CHECK(respell_equals_format_specs("s = rF'{x:=^10}' + f'''{y:={w}}'''\n") ==
        "s = rF'{x:>^10}' + f'''{y:>{w}}'''\n");
  // Several fields, only the one whose spec starts with `=` changes.
  CHECK(respell_equals_format_specs("f'{a:>3} {b:=3} {c!r:=}'") == "f'{a:>3} {b:>3} {c!r:>}'");
}

TEST_CASE("grammar gaps: walruses, plain strings and look-alikes are not format specs") {
  using perfscan::respell_equals_format_specs;
  // A parenthesised walrus, a dict, a slice and a lambda in a field: the `:` is at depth > 0.
  CHECK_FALSE(respell_equals_format_specs("f'{(n:=10)} {d[\"k:=\"]} {xs[1:2]} {(lambda: 1)()}'").has_value());
  // Not f-strings: a plain string, bytes, a comment, and a name ending in f before a string.
  CHECK_FALSE(respell_equals_format_specs("s = '{x:=}'\nb = b'{x:=}'\n# f'{x:=}'\n").has_value());
  CHECK_FALSE(respell_equals_format_specs("if (n := len(a)) > 1 and elif_x == '{y:=}': pass\n").has_value());
  // Doubled braces are literal text; the debugging `=` comes before the spec.
  CHECK_FALSE(respell_equals_format_specs("f'{{x:=}} {value=} {value=:>8}'").has_value());
  CHECK_FALSE(respell_equals_format_specs("").has_value());
}
