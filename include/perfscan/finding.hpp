// Values shared by every stage: severities, categories, findings and errors.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace perfscan {

// Ordered from most to least severe so that `a < b` means "a is worse than b".
enum class Severity : std::uint8_t { critical, high, medium, low };

inline constexpr std::array<Severity, 4> kAllSeverities = {Severity::critical, Severity::high,
                                                           Severity::medium, Severity::low};

std::string_view severity_name(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);
// Weight used to rank files and categories: one critical outweighs several lows.
int severity_weight(Severity severity);
// True when `severity` is at least as severe as `threshold`.
inline bool at_least(Severity severity, Severity threshold) { return severity <= threshold; }

// The rule id digit is the category's position plus one (PS1xx = nested-loops, ...).
// `syntax` holds PS000 only: it is not a performance category but must be countable.
enum class Category : std::uint8_t {
  nested_loops,
  n_plus_one,
  blocking_io,
  string_concat,
  async,
  memory,
  caching,
  loops,
  database,
  syntax,
};

inline constexpr std::array<Category, 10> kAllCategories = {
    Category::nested_loops, Category::n_plus_one, Category::blocking_io, Category::string_concat,
    Category::async,        Category::memory,     Category::caching,     Category::loops,
    Category::database,     Category::syntax};

std::string_view category_id(Category category);            // "nested-loops"
std::string_view category_display_name(Category category);  // "Nested Loop Issues"
std::optional<Category> parse_category(std::string_view id);

// A finding's location: 1-based lines, 1-based columns counted in characters.
struct Span {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t end_line = 0;
  std::uint32_t end_column = 0;

  bool operator==(const Span&) const = default;
};

// How sure a fix is to keep the program's behaviour: `safe` fixes keep it exactly and `--fix`
// applies them; `unsafe` ones may change it in corner cases the doc names (an exception's
// type, code skipped by short-circuiting) and need `--unsafe-fixes`.
enum class FixSafety : std::uint8_t { safe, unsafe };

std::string_view fix_safety_name(FixSafety safety);  // "safe", "unsafe"

// One text edit of a fix: replace the decoded source's bytes [start, end) with `content`
// (start == end inserts, empty content deletes). `span` is the same range in lines and
// character columns, for reports that speak positions (JSON, SARIF); `end_column` is exclusive.
struct Edit {
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  std::string content;
  Span span;

  bool operator==(const Edit&) const = default;
};

// A rewrite of the flagged code that makes the finding go away. Edits never overlap and are
// sorted by position; they are applied together or not at all.
struct Fix {
  FixSafety safety = FixSafety::safe;
  std::vector<Edit> edits;

  bool operator==(const Fix&) const = default;
};

struct Finding {
  std::string rule_id;  // "PS401"
  std::string rule_name;
  Category category = Category::loops;
  Severity severity = Severity::low;
  std::string path;  // as the user gave it (joined with the walked relative path)
  Span span;
  std::string message;
  std::string suggestion;
  std::string fingerprint;
  // Qualified name of the enclosing function, class or module ("pkg.mod.Class.method").
  std::string scope;
  // The text of the first flagged line, kept so reports can show it after the tree is gone.
  std::string source_line;
  // Line of the statement that contains the flagged node: suppressions may sit there too.
  std::uint32_t statement_line = 0;
  // In a notebook (.ipynb): the cell (1-based among all cells) and the line within it; `span`
  // then counts lines of the code cells joined in order. 0 in a Python file.
  std::uint32_t cell = 0;
  std::uint32_t cell_line = 0;
  // The flagged node is test code (Context::in_test_code): the scan's test profile decides,
  // after the walk and the link step, whether such a finding is reported.
  bool in_test_code = false;
  // The one-time path its severity was lowered for ("`__init__`"), or "": the message gets a
  // note saying so when the finding is finished (rule_info.hpp, one_time_note).
  std::string lowered_on;
  // The rewrite that removes the finding, when the rule knows one (src/fix applies it).
  std::optional<Fix> fix;

  bool operator==(const Finding&) const = default;
};

// Something that stopped a file (or a path) from being scanned, in part or whole.
struct FileError {
  std::string path;
  std::string message;
  // True when the file was still analysed (e.g. invalid UTF-8 replaced); false when skipped.
  bool analysed = false;

  bool operator==(const FileError&) const = default;
};

}  // namespace perfscan
