#include "syntax/notebook.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

namespace perfscan {
namespace {

using Json = nlohmann::json;

// Cell magics whose body is Python run in the kernel: only their first line is IPython.
constexpr std::array<std::string_view, 8> kPythonCellMagics = {
    "time", "timeit", "capture", "prun", "memit", "debug", "python", "python3"};

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// `obj?`, `obj.attr??`, `?obj`, `np.*load*?`: IPython's help syntax on one line.
bool is_help_line(std::string_view rest) {
  if (rest.empty() || (rest.back() != '?' && rest.front() != '?')) return false;
  std::size_t first = rest.find_first_not_of('?');
  std::size_t last = rest.find_last_not_of('?');
  if (first == std::string_view::npos) return false;
  std::string_view name = rest.substr(first, last - first + 1);
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return is_name_char(c) || c == '.' || c == '*'; }) &&
         !std::isdigit(static_cast<unsigned char>(name.front()));
}

// `x = !ls`, `files, n = %sx ls`: where the IPython right-hand side starts, or npos.
std::size_t magic_assignment_value(std::string_view rest) {
  std::size_t equals = rest.find('=');
  if (equals == std::string_view::npos || equals == 0) return std::string_view::npos;
  if (equals + 1 < rest.size() && rest[equals + 1] == '=') return std::string_view::npos;
  char before = rest[equals - 1];
  if (before == '=' || before == '!' || before == '<' || before == '>') return std::string_view::npos;
  for (std::size_t i = 0; i < equals; ++i) {
    char c = rest[i];
    if (!is_name_char(c) && std::string_view(" \t.,()[]*").find(c) == std::string_view::npos) {
      return std::string_view::npos;
    }
  }
  std::size_t value = rest.find_first_not_of(" \t", equals + 1);
  if (value == std::string_view::npos) return std::string_view::npos;
  if (rest[value] == '!') return value;
  if (rest[value] == '%' && value + 1 < rest.size() &&
      (std::isalpha(static_cast<unsigned char>(rest[value + 1])) != 0 || rest[value + 1] == '%')) {
    return value;
  }
  return std::string_view::npos;
}

// What a line leaves open for the next one: brackets, a triple-quoted string, a backslash.
struct OpenState {
  int depth = 0;
  char triple = 0;  // the quote of an open triple-quoted string, or 0
  bool backslash = false;

  bool continues() const { return depth > 0 || triple != 0 || backslash; }
};

void scan_line(std::string_view line, OpenState& state) {
  state.backslash = false;
  std::size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (state.triple != 0) {
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == state.triple && line.substr(i, 3) == std::string(3, state.triple)) {
        state.triple = 0;
        i += 3;
        continue;
      }
      ++i;
      continue;
    }
    if (c == '#') return;
    if (c == '"' || c == '\'') {
      if (line.substr(i, 3) == std::string(3, c)) {
        state.triple = c;
        i += 3;
        continue;
      }
      ++i;
      while (i < line.size() && line[i] != c) i += line[i] == '\\' ? 2 : 1;
      ++i;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++state.depth;
    if ((c == ')' || c == ']' || c == '}') && state.depth > 0) --state.depth;
    if (c == '\\' && i + 1 == line.size()) state.backslash = true;
    ++i;
  }
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

// The cell's source as one string, or false when it is neither a string nor a list of them.
bool cell_source(const Json& cell, std::string& text) {
  auto found = cell.find("source");
  if (found == cell.end()) return true;  // nbformat allows none: an empty cell
  if (found->is_string()) {
    text = found->get<std::string>();
    return true;
  }
  if (!found->is_array()) return false;
  for (const Json& piece : *found) {
    if (!piece.is_string()) return false;
    text += piece.get_ref<const std::string&>();
  }
  return true;
}

std::string notebook_language(const Json& document) {
  auto metadata = document.find("metadata");
  if (metadata == document.end() || !metadata->is_object()) return {};
  for (const char* key : {"language_info", "kernelspec"}) {
    auto section = metadata->find(key);
    if (section == metadata->end() || !section->is_object()) continue;
    const char* field = std::string_view(key) == "language_info" ? "name" : "language";
    auto language = section->find(field);
    if (language != section->end() && language->is_string()) return language->get<std::string>();
  }
  return {};
}

void add_code_cell(NotebookSource& notebook, std::uint32_t cell, const std::string& text) {
  std::vector<std::string> lines = split_lines(text);
  bool whole_cell_foreign = false;
  if (!lines.empty() && lines.front().starts_with("%%")) {
    std::string_view magic = std::string_view(lines.front()).substr(2);
    std::size_t end = 0;
    while (end < magic.size() && is_name_char(magic[end])) ++end;
    magic = magic.substr(0, end);
    whole_cell_foreign = std::find(kPythonCellMagics.begin(), kPythonCellMagics.end(), magic) ==
                         kPythonCellMagics.end();
  }
  OpenState state;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line;
    if (whole_cell_foreign) {
      line = "";  // %%bash, %%sql, %%html...: not Python; the line stays, empty
    } else if (i == 0 && lines[i].starts_with("%%")) {
      line = "pass";
    } else {
      line = neutralise_magic_line(lines[i], state.continues());
      scan_line(line, state);
    }
    notebook.text += line;
    notebook.text += '\n';
    notebook.lines.push_back(NotebookLine{cell, static_cast<std::uint32_t>(i + 1)});
  }
}

}  // namespace

bool is_notebook_path(std::string_view path) { return path.ends_with(".ipynb"); }

std::string neutralise_magic_line(std::string_view line, bool in_bracket) {
  if (in_bracket) return std::string(line);
  std::size_t indent = line.find_first_not_of(" \t");
  if (indent == std::string_view::npos) return std::string(line);
  std::string_view rest = line.substr(indent);
  std::size_t end = rest.find_last_not_of(" \t");
  std::string_view trimmed = rest.substr(0, end + 1);
  std::string prefix(line.substr(0, indent));
  if (rest.front() == '%' || rest.front() == '!') return prefix + "pass";
  if (is_help_line(trimmed)) return prefix + "pass";
  std::size_t value = magic_assignment_value(rest);
  if (value != std::string_view::npos) return prefix + std::string(rest.substr(0, value)) + "None";
  return std::string(line);
}

NotebookSource read_notebook(std::string_view bytes) {
  NotebookSource notebook;
  Json document;
  try {
    document = Json::parse(bytes.begin(), bytes.end());
  } catch (const Json::exception& error) {
    notebook.error = fmt::format("invalid notebook JSON: {}", error.what());
    return notebook;
  }
  if (!document.is_object()) {
    notebook.error = "not a notebook: the JSON document is not an object";
    return notebook;
  }
  auto cells = document.find("cells");
  if (cells == document.end() || !cells->is_array()) {
    notebook.error = "not a notebook: no `cells` list (nbformat 4 expected)";
    return notebook;
  }
  std::string language = notebook_language(document);
  std::string lowered = language;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!language.empty() && lowered != "python") {
    notebook.error = fmt::format("skipped: a {} notebook, not Python", language);
    return notebook;
  }
  for (const Json& cell : *cells) {
    std::uint32_t number = ++notebook.cells;
    if (!cell.is_object()) {
      notebook.error = fmt::format("invalid notebook: cell {} is not an object", number);
      return notebook;
    }
    std::string text;
    if (!cell_source(cell, text)) {
      notebook.error = fmt::format(
          "invalid notebook: the source of cell {} is neither a string nor a list of strings",
          number);
      return notebook;
    }
    auto type = cell.find("cell_type");
    if (type == cell.end() || !type->is_string() || *type != "code") continue;
    ++notebook.code_cells;
    add_code_cell(notebook, number, text);
  }
  return notebook;
}

void locate_in_notebook(Finding& finding, const NotebookSource& notebook) {
  finding.fix.reset();
  if (finding.span.line == 0 || finding.span.line > notebook.lines.size()) return;
  const NotebookLine& where = notebook.lines[finding.span.line - 1];
  finding.cell = where.cell;
  finding.cell_line = where.cell_line;
}

}  // namespace perfscan
