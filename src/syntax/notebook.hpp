// Jupyter notebooks (.ipynb, nbformat 4) as Python modules: the code cells, in order, joined
// into one text (names flow between cells as they do in a kernel), with IPython's magics and
// shell escapes neutralised in place so that every line keeps its number. A line map says
// which cell and which line of it each line of the joined text came from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "perfscan/finding.hpp"

namespace perfscan {

struct NotebookLine {
  std::uint32_t cell = 0;       // 1-based position among all cells (markdown ones included)
  std::uint32_t cell_line = 0;  // 1-based line within that cell
};

struct NotebookSource {
  std::string text;                 // the code cells joined, each ending with a newline
  std::vector<NotebookLine> lines;  // lines[n - 1] is where line n of `text` came from
  std::uint32_t cells = 0;          // all cells
  std::uint32_t code_cells = 0;
  std::string error;                // why this is not a notebook perfscan can read; "" if it is
};

// True for a path perfscan reads as a notebook (`*.ipynb`).
bool is_notebook_path(std::string_view path);

// Reads a notebook's JSON. Invalid JSON, a document without a `cells` list, a cell without a
// string or list-of-strings `source`, or a notebook in another language than Python set
// `error` (the file is then not analysed).
NotebookSource read_notebook(std::string_view bytes);

// One line of a code cell with IPython syntax made into Python of the same line count:
// `%magic` / `!cmd` / `obj?` lines become `pass` (indentation kept), `x = !cmd` and
// `x = %magic` keep the assignment with `None` on the right. `in_bracket` says the line
// continues an open bracket or string, where `%` is an operator. Exposed for tests.
std::string neutralise_magic_line(std::string_view line, bool in_bracket);

// Points `finding` at its cell: sets `cell` and `cell_line` from its line in the joined text.
// A notebook is never rewritten, so any fix attached to the finding is dropped.
void locate_in_notebook(Finding& finding, const NotebookSource& notebook);

}  // namespace perfscan
