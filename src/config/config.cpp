#include "config/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <optional>
#include <regex>
#include <sstream>
#include <utility>

#include "core/paths.hpp"
#include "perfscan/errors.hpp"
#include "perfscan/rule.hpp"

namespace perfscan {
namespace {

namespace fs = std::filesystem;

// A key or value from the file as a message shows it: control characters escaped and anything
// past 80 bytes cut, so that every message is one readable line whatever the file holds.
std::string shown_text(std::string_view text) {
  constexpr std::size_t kMaxShown = 80;
  std::size_t cut = std::min(text.size(), kMaxShown);
  // Never in the middle of a UTF-8 sequence: back off over continuation bytes.
  while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out;
  for (char c : text.substr(0, cut)) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  if (cut < text.size()) out += "...";
  return out;
}

// libstdc++'s std::regex recurses once per character matched: a name of a few hundred thousand
// characters would overflow the stack. No qualified name is anywhere near this long.
constexpr std::size_t kMaxNameLength = 1000;

std::string too_long(const std::string& name) {
  return fmt::format("must hold names of at most {} characters, not '{}' ({} characters)",
                     kMaxNameLength, shown_text(name), name.size());
}

// Reads one table's keys, naming the file and line of every mistake. Keys inside nested
// tables are named by their dotted path ("severity.PS401") so the message points at one place.
class KeyReader {
 public:
  KeyReader(std::string path, const std::vector<std::string>& formats)
      : path_(std::move(path)), formats_(formats) {}

  [[noreturn]] void fail(const toml::source_region& where, std::string_view key,
                         std::string_view problem) const {
    throw ConfigError(
        fmt::format("{}:{}: key '{}' {}", path_, where.begin.line, shown_text(key), problem));
  }

  static std::string_view type_name(const toml::node& node) {
    switch (node.type()) {
      case toml::node_type::table:
        return "a table";
      case toml::node_type::array:
        return "an array";
      case toml::node_type::string:
        return "a string";
      case toml::node_type::integer:
        return "an integer";
      case toml::node_type::floating_point:
        return "a float";
      case toml::node_type::boolean:
        return "a boolean";
      case toml::node_type::date:
      case toml::node_type::time:
      case toml::node_type::date_time:
        return "a date or time";
      case toml::node_type::none:
        break;
    }
    return "nothing";
  }

  std::string string(const toml::node& node, std::string_view key) const {
    const auto* value = node.as_string();
    if (value == nullptr)
      fail(node.source(), key, fmt::format("must be a string, not {}", type_name(node)));
    return value->get();
  }

  // An array of strings. A lone string (`select = "PS4"`) is a type error like any other:
  // guessing what was meant is how configuration silently drifts from intent.
  std::vector<std::string> strings(const toml::node& node, std::string_view key) const {
    std::vector<std::string> out;
    const auto* array = node.as_array();
    if (array == nullptr) {
      fail(node.source(), key, fmt::format("must be an array of strings, not {}", type_name(node)));
    }
    for (const toml::node& item : *array) {
      const auto* text = item.as_string();
      if (text == nullptr) {
        fail(item.source(), key,
             fmt::format("must be an array of strings, but holds {}", type_name(item)));
      }
      out.push_back(text->get());
    }
    return out;
  }

  // An array of strings, each checked by `problem` (empty: fine); a mistake names the line of
  // the element, which matters in arrays written one element per line.
  template <typename Problem>
  std::vector<std::string> checked_strings(const toml::node& node, std::string_view key,
                                           Problem problem) const {
    std::vector<std::string> out = strings(node, key);
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (std::string why = problem(out[i]); !why.empty()) {
        fail(node.as_array()->get(i)->source(), key, why);
      }
    }
    return out;
  }

  // Rule selectors, checked against the registered rules now rather than at scan time, when
  // the file and line would be lost.
  std::vector<std::string> selectors(const toml::node& node, std::string_view key) const {
    return checked_strings(node, key, [](const std::string& selector) -> std::string {
      try {
        (void)rules_matching({selector});
        return {};
      } catch (const UsageError&) {
        return fmt::format(
            "names no rule: '{}' (use an id like PS401, a prefix like PS4, a "
            "category, a rule name or ALL; see --list-rules)",
            shown_text(selector));
      }
    });
  }

  Severity severity(const toml::node& node, std::string_view key) const {
    std::string text = string(node, key);
    std::optional<Severity> parsed = parse_severity(text);
    if (!parsed) {
      fail(node.source(), key,
           fmt::format("must be one of critical, high, medium, low, not '{}'", shown_text(text)));
    }
    return *parsed;
  }

  TestProfile tests(const toml::node& node, std::string_view key) const {
    std::string text = string(node, key);
    std::optional<TestProfile> parsed = parse_test_profile(text);
    if (!parsed)
      fail(node.source(), key, fmt::format("must be one of relaxed, full, skip, not '{}'", text));
    return *parsed;
  }

  unsigned jobs(const toml::node& node, std::string_view key) const {
    const auto* value = node.as_integer();
    if (value == nullptr)
      fail(node.source(), key, fmt::format("must be an integer, not {}", type_name(node)));
    std::int64_t jobs = value->get();
    if (jobs < 1 || jobs > 1024)
      fail(node.source(), key, fmt::format("must be from 1 to 1024, not {}", jobs));
    return static_cast<unsigned>(jobs);
  }

  // Seconds, as an integer or a float: 0 (no budget) to a day.
  double seconds(const toml::node& node, std::string_view key) const {
    std::optional<double> value;
    if (const auto* integer = node.as_integer()) value = static_cast<double>(integer->get());
    if (const auto* floating = node.as_floating_point()) value = floating->get();
    if (!value) fail(node.source(), key, fmt::format("must be a number of seconds, not {}", type_name(node)));
    if (!(*value >= 0 && *value <= 86400)) {
      fail(node.source(), key, fmt::format("must be from 0 to 86400 seconds, not {}", *value));
    }
    return *value;
  }

  std::string target_version(const toml::node& node, std::string_view key) const {
    static const std::regex kVersion(R"(3\.[0-9]{1,2})");
    std::string text = string(node, key);
    if (!std::regex_match(text, kVersion)) {
      fail(node.source(), key,
           fmt::format("must be a Python version like \"3.10\", not '{}'", shown_text(text)));
    }
    return text;
  }

  std::string format(const toml::node& node, std::string_view key) const {
    std::string text = string(node, key);
    if (std::find(formats_.begin(), formats_.end(), text) == formats_.end()) {
      fail(node.source(), key,
           fmt::format("must be one of {}, not '{}'", fmt::join(formats_, ", "), shown_text(text)));
    }
    return text;
  }

  // Knowledge-table names are dotted Python names ("mylib.io.fetch").
  std::vector<std::string> qualified_names(const toml::node& node, std::string_view key) const {
    static const std::regex kDotted(R"([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)");
    return checked_strings(node, key, [](const std::string& name) -> std::string {
      if (name.size() > kMaxNameLength) return too_long(name);
      if (std::regex_match(name, kDotted)) return {};
      return fmt::format("must hold dotted Python names like \"mylib.io.fetch\", not '{}'",
                         shown_text(name));
    });
  }

  // extra-blocking-calls: a dotted name, `Type.*` for every method of a type, and an optional
  // `:kind` choosing the PS3xx rule that reports it (default wait, PS308).
  std::vector<std::string> blocking_calls(const toml::node& node, std::string_view key) const {
    static const std::regex kBlocking(
        R"([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\.\*)?)"
        R"((:(http|sleep|subprocess|file-io|fs-metadata|db|socket|wait))?)");
    return checked_strings(node, key, [](const std::string& name) -> std::string {
      if (name.size() > kMaxNameLength) return too_long(name);
      if (std::regex_match(name, kBlocking)) return {};
      return fmt::format(
          "must hold dotted Python names, optionally `Type.*` and `:kind` (kind one of http, "
          "sleep, subprocess, file-io, fs-metadata, db, socket, wait), like "
          "\"mylib.io.fetch:http\", not '{}'",
          shown_text(name));
    });
  }

  const toml::table& table(const toml::node& node, std::string_view key) const {
    const auto* table = node.as_table();
    if (table == nullptr)
      fail(node.source(), key, fmt::format("must be a table, not {}", type_name(node)));
    return *table;
  }

  void per_file_ignores(const toml::node& node, std::string_view key, FileConfig& config) const {
    for (const auto& [pattern, rules] : table(node, key)) {
      std::string name = fmt::format("{}.\"{}\"", key, pattern.str());
      config.per_file_ignores.push_back(
          PerFileIgnore{std::string(pattern.str()), selectors(rules, name)});
    }
  }

  // `[severity]` keys are single rules (id or name): a prefix would hide which rule changed.
  void severities(const toml::node& node, std::string_view key, FileConfig& config) const {
    for (const auto& [rule, level] : table(node, key)) {
      std::string name = fmt::format("{}.{}", key, rule.str());
      const Rule* found = find_rule(rule.str());
      for (const auto& candidate : all_rules()) {
        if (found == nullptr && candidate->info().name == rule.str()) found = candidate.get();
      }
      if (found == nullptr) {
        throw ConfigError(
            fmt::format("{}:{}: key '{}' names no rule: use a rule id like PS401 "
                        "or a rule name (see --list-rules)",
                        path_, rule.source().begin.line, shown_text(name)));
      }
      config.severity[std::string(found->info().id)] = severity(level, name);
    }
  }

  void read(const toml::table& table, FileConfig& config) const {
    using Handler = std::function<void(const toml::node&, std::string_view)>;
    const std::vector<std::pair<std::string_view, Handler>> handlers = {
        {"select",
         [&](const toml::node& n, std::string_view k) { config.select = selectors(n, k); }},
        {"ignore",
         [&](const toml::node& n, std::string_view k) { config.ignore = selectors(n, k); }},
        {"extend-select",
         [&](const toml::node& n, std::string_view k) { config.extend_select = selectors(n, k); }},
        {"extend-ignore",
         [&](const toml::node& n, std::string_view k) { config.extend_ignore = selectors(n, k); }},
        {"exclude",
         [&](const toml::node& n, std::string_view k) { config.exclude = strings(n, k); }},
        {"extend-exclude",
         [&](const toml::node& n, std::string_view k) { config.extend_exclude = strings(n, k); }},
        {"per-file-ignores",
         [&](const toml::node& n, std::string_view k) { per_file_ignores(n, k, config); }},
        {"severity", [&](const toml::node& n, std::string_view k) { severities(n, k, config); }},
        {"fail-on",
         [&](const toml::node& n, std::string_view k) { config.fail_on = severity(n, k); }},
        {"min-severity",
         [&](const toml::node& n, std::string_view k) { config.min_severity = severity(n, k); }},
        {"target-version",
         [&](const toml::node& n, std::string_view k) {
           config.target_version = target_version(n, k);
         }},
        {"format", [&](const toml::node& n, std::string_view k) { config.format = format(n, k); }},
        {"jobs", [&](const toml::node& n, std::string_view k) { config.jobs = jobs(n, k); }},
        {"tests", [&](const toml::node& n, std::string_view k) { config.tests = tests(n, k); }},
        {"file-timeout",
         [&](const toml::node& n, std::string_view k) { config.file_timeout = seconds(n, k); }},
        {"profile",
         [&](const toml::node& n, std::string_view k) { config.profiles = strings(n, k); }},
        {"extra-blocking-calls",
         [&](const toml::node& n, std::string_view k) {
           config.knowledge.blocking_calls = blocking_calls(n, k);
         }},
        {"extra-query-methods",
         [&](const toml::node& n, std::string_view k) {
           config.knowledge.query_methods = qualified_names(n, k);
         }},
        {"extra-http-clients",
         [&](const toml::node& n, std::string_view k) {
           config.knowledge.http_clients = qualified_names(n, k);
         }},
    };
    for (const auto& [key, node] : table) {
      // A copy of the name: clang 14 does not let a lambda capture a structured binding.
      std::string_view name = key.str();
      auto handler = std::find_if(handlers.begin(), handlers.end(),
                                  [&](const auto& entry) { return entry.first == name; });
      if (handler == handlers.end()) {
        throw ConfigError(
            fmt::format("{}:{}: unknown key '{}' (see docs/ci.md for the keys "
                        "perfscan reads)",
                        path_, key.source().begin.line, shown_text(key.str())));
      }
      handler->second(node, key.str());
    }
  }

 private:
  std::string path_;
  const std::vector<std::string>& formats_;
};

// toml++ builds and destroys nested tables recursively: a key of some 30,000 dotted parts
// overflows the stack (SIGSEGV) before any check of ours could run. Configuration nests a few
// levels; past this bound the text is refused unparsed.
constexpr std::size_t kMaxTomlNesting = 1000;

// Skips the string starting at `i` (a quote character) and returns the index just past it.
std::size_t skip_string(std::string_view text, std::size_t i) {
  const char quote = text[i];
  const bool multiline = text.substr(i, 3) == std::string(3, quote);
  std::size_t at = i + (multiline ? 3 : 1);
  while (at < text.size()) {
    if (quote == '"' && text[at] == '\\') {
      at += 2;
    } else if (multiline ? text.substr(at, 3) == std::string(3, quote) : text[at] == quote) {
      return at + (multiline ? 3 : 1);
    } else if (!multiline && text[at] == '\n') {
      return at;  // unterminated: toml++ will say so
    } else {
      ++at;
    }
  }
  return at;
}

// Past a string or a comment starting at `i`: the index of its last character, or `i` itself
// when none starts there.
std::size_t past_string_or_comment(std::string_view text, std::size_t i) {
  if (text[i] == '"' || text[i] == '\'') return skip_string(text, i) - 1;
  if (text[i] == '#') return std::min(text.find('\n', i), text.size()) - 1;
  return i;
}

bool is_digit(std::string_view text, std::size_t i) {
  return i < text.size() && text[i] >= '0' && text[i] <= '9';
}

// An upper bound on how deeply the tables and arrays of a TOML document nest, read without
// parsing it: every level is opened by a part of a [table] header, a dot in a key, or an open
// bracket or brace, so the bound is the most of those in effect at any point.
std::size_t nesting_bound(std::string_view text) {
  std::size_t header = 0;    // parts of the last [table] header
  std::size_t key_dots = 0;  // dots in keys since the last line break outside brackets
  std::string open;          // the '[' and '{' open in values
  bool key_position = true;  // a key may start here (line start, after '{' or ',' in a table)
  std::size_t bound = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (std::size_t skipped = past_string_or_comment(text, i); skipped != i) {
      i = skipped;
    } else if (c == '[' && key_position && open.empty()) {
      std::size_t end = std::min(text.find_first_of("]\n", i), text.size());
      header = 1 + static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(i),
                                                       text.begin() + static_cast<std::ptrdiff_t>(end), '.'));
      key_dots = 0;
      i = end;
    } else if (c == '[' || c == '{') {
      open.push_back(c);
      key_position = c == '{';
    } else if (c == ']' || c == '}') {
      if (!open.empty()) open.pop_back();
    } else if (c == '=') {
      key_position = false;
    } else if (c == ',') {
      key_position = !open.empty() && open.back() == '{';
    } else if (c == '\n' && open.empty()) {
      key_position = true;
      key_dots = 0;
    } else if (c == '.' && (key_position || !is_digit(text, i - 1) || !is_digit(text, i + 1))) {
      ++key_dots;  // a dot in a key; a dot between digits in a value is a number's
    }
    bound = std::max(bound, header + key_dots + open.size());
  }
  return bound;
}

// toml++ 3.3 (Debian 12) has undefined behaviour on non-ASCII text in three places: its
// whitespace test reaches `__builtin_unreachable` for code points such as U+00E9, U+0145 or
// U+044B (upstream issues #190 and #295, fixed in 2026 by pull request #305). It asks that test
//   - of text outside strings and comments (which TOML 1.0 forbids anyway),
//   - of the rest of a malformed value, strings included (`a = 0["é"]`),
//   - of the first character after a line-ending backslash in a """ string.
// fuzz_config found all three (tests/fuzz/regressions/config/). perfscan keeps such text from
// toml++: the first is refused with its position; the second by parsing a copy whose non-ASCII
// bytes are replaced by 'x' first, so a malformed document fails on ASCII text alone; the third
// is refused with a way around it. Release builds link Debian's compiled toml++, where the test
// happens to answer false, but nothing promises that.

// Where the first byte of a non-ASCII character outside strings and comments is, if any.
std::optional<std::size_t> stray_non_ascii(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (std::size_t skipped = past_string_or_comment(text, i); skipped != i) {
      i = skipped;
    } else if (static_cast<unsigned char>(text[i]) >= 0x80) {
      return i;
    }
  }
  return std::nullopt;
}

// Where a line-ending backslash of a """ string is followed (past whitespace and line breaks)
// by a non-ASCII character, if anywhere.
std::optional<std::size_t> non_ascii_after_line_ending_backslash(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '#') {
      i = std::min(text.find('\n', i), text.size()) - 1;
    } else if (c == '"' || c == '\'') {
      const std::size_t end = skip_string(text, i);
      if (c == '"' && text.substr(i, 3) == R"(""")") {
        for (std::size_t at = i + 3; at < end; ++at) {
          if (text[at] != '\\') continue;
          std::size_t next = text.find_first_not_of(" \t\r", at + 1);
          if (next < end && text[next] == '\n') {
            next = text.find_first_not_of(" \t\r\n", next);
            if (next < end && static_cast<unsigned char>(text[next]) >= 0x80) return next;
          }
          ++at;  // an escape: `\\` is one backslash, not a line ending
        }
      }
      i = end - 1;
    }
  }
  return std::nullopt;
}

// The 1-based line and column (in bytes) of `offset`.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  const auto before = text.substr(0, offset);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t line_start = before.rfind('\n');
  return {line, line_start == std::string_view::npos ? offset + 1 : offset - line_start};
}

ConfigError invalid_toml(const std::string& shown_path, std::string_view text, std::size_t offset,
                         std::string_view what) {
  auto [line, column] = line_and_column(text, offset);
  return ConfigError(fmt::format("{}:{}:{}: invalid TOML: {}", shown_path, line, column, what));
}

ConfigError invalid_toml(const std::string& shown_path, const toml::parse_error& error) {
  return ConfigError(fmt::format("{}:{}:{}: invalid TOML: {}", shown_path, error.source().begin.line,
                                 error.source().begin.column, error.description()));
}

// Parses TOML, keeping from toml++ what it cannot take (above) and documents nested past
// kMaxTomlNesting; throws ConfigError naming the file, line and column.
toml::table parse_toml(std::string_view text, const std::string& shown_path) {
  if (nesting_bound(text) > kMaxTomlNesting) {
    throw ConfigError(fmt::format("{}: invalid TOML: tables or arrays nested deeper than {} levels",
                                  shown_path, kMaxTomlNesting));
  }
  if (std::optional<std::size_t> stray = stray_non_ascii(text)) {
    throw invalid_toml(shown_path, text, *stray,
                       "a non-ASCII character outside a string or comment (TOML allows it only there)");
  }
  const bool has_non_ascii = std::any_of(text.begin(), text.end(),
                                         [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  if (has_non_ascii) {
    std::string ascii(text);
    std::replace_if(ascii.begin(), ascii.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }, 'x');
    try {
      (void)toml::parse(ascii, shown_path);
    } catch (const toml::parse_error& error) {
      throw invalid_toml(shown_path, error);
    }
    if (std::optional<std::size_t> after = non_ascii_after_line_ending_backslash(text)) {
      throw invalid_toml(shown_path, text, *after,
                         "a non-ASCII character right after a line-ending backslash, which the TOML "
                         "library perfscan uses mis-reads; escape it (\\uXXXX) or join the lines");
    }
  }
  try {
    return toml::parse(text, shown_path);
  } catch (const toml::parse_error& error) {
    throw invalid_toml(shown_path, error);
  }
}

bool read_text(const fs::path& file, std::string& text) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return true;
}

// pyproject.toml files without our table are common: they must not stop the walk upwards.
bool has_perfscan_table(const fs::path& pyproject) {
  std::string text;
  if (!read_text(pyproject, text)) return false;
  try {
    toml::table document = parse_toml(text, pyproject.string());
    return document["tool"]["perfscan"].node() != nullptr;
  } catch (const ConfigError&) {
    return true;  // broken: let load_config say where
  }
}

// Paths under the working folder are shown relative to it, as the user would type them.
std::string shown(const fs::path& file) { return path_relative_to(file.string(), "."); }

}  // namespace

std::optional<fs::path> find_config(const fs::path& start) {
  std::error_code error;
  fs::path folder = fs::absolute(start, error).lexically_normal();
  if (error) return std::nullopt;
  if (!fs::is_directory(folder, error)) folder = folder.parent_path();
  while (true) {
    for (const char* name : {".perfscan.toml", "perfscan.toml"}) {
      if (fs::is_regular_file(folder / name, error)) return folder / name;
    }
    if (fs::is_regular_file(folder / "pyproject.toml", error) &&
        has_perfscan_table(folder / "pyproject.toml")) {
      return folder / "pyproject.toml";
    }
    if (!folder.has_parent_path() || folder.parent_path() == folder) return std::nullopt;
    folder = folder.parent_path();
  }
}

FileConfig parse_config(std::string_view text, const std::string& shown_path, bool pyproject,
                        const std::vector<std::string>& formats) {
  toml::table document = parse_toml(text, shown_path);
  FileConfig config;
  config.path = shown_path;
  const toml::table* table = &document;
  if (pyproject) {
    toml::node* node = document["tool"]["perfscan"].node();
    if (node == nullptr) throw ConfigError(fmt::format("{}: no [tool.perfscan] table", shown_path));
    table = node->as_table();
    if (table == nullptr) {
      throw ConfigError(fmt::format("{}:{}: key 'tool.perfscan' must be a table", shown_path,
                                    node->source().begin.line));
    }
  }
  KeyReader(shown_path, formats).read(*table, config);
  return config;
}

FileConfig load_config(const fs::path& file, const std::vector<std::string>& formats) {
  std::string text;
  std::string shown_path = shown(file);
  std::error_code error;
  if (fs::is_directory(file, error) || !read_text(file, text)) {
    throw ConfigError(fmt::format("{}: cannot read the configuration file", shown_path));
  }
  FileConfig config = parse_config(text, shown_path, file.filename() == "pyproject.toml", formats);
  config.dir = normal_absolute(file).parent_path();
  return config;
}

}  // namespace perfscan
