// Jupyter notebooks: code cells analysed in order as one module, IPython syntax neutralised in
// place, findings pointed back at their cell, suppressions per cell line, bad notebooks as
// per-file errors, and notebooks never rewritten.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "cli_support.hpp"
#include "syntax/notebook.hpp"

using namespace perfscan;
using namespace perfscan::testing;

namespace {

struct Cell {
  std::string type;  // "code", "markdown", "raw"
  std::string source;
};

// An nbformat 4 notebook as Jupyter writes it: each cell's source a list of lines.
std::string notebook(const std::vector<Cell>& cells) {
  Json list = Json::array();
  for (const Cell& cell : cells) {
    Json lines = Json::array();
    for (std::size_t start = 0; start < cell.source.size();) {
      std::size_t end = cell.source.find('\n', start);
      end = end == std::string::npos ? cell.source.size() : end + 1;
      lines.push_back(cell.source.substr(start, end - start));
      start = end;
    }
    Json entry = {{"cell_type", cell.type}, {"metadata", Json::object()}, {"source", lines}};
    if (cell.type == "code") {
      entry["execution_count"] = nullptr;
      entry["outputs"] = Json::array();
    }
    list.push_back(entry);
  }
  Json document = {{"cells", list},
                   {"metadata", {{"language_info", {{"name", "python"}}}}},
                   {"nbformat", 4},
                   {"nbformat_minor", 5}};
  return document.dump(1);
}

// cell 1 markdown; cell 2 defines `out`; cell 3 grows it in a loop (the name flows across).
const std::vector<Cell> kAnalysis = {
    {"markdown", "# Report\nSome words.\n"},
    {"code", "rows = load()\nout = \"\"\n"},
    {"code", "for row in rows:\n    out += str(row)\n"},
};

Json finding_at(const Json& report, std::size_t index) { return report.at("findings").at(index); }

}  // namespace

TEST_CASE("notebook: magic lines become Python of the same line count") {
  CHECK(neutralise_magic_line("%matplotlib inline", false) == "pass");
  CHECK(neutralise_magic_line("    !pip install pandas", false) == "    pass");
  CHECK(neutralise_magic_line("files = !ls *.csv", false) == "files = None");
  CHECK(neutralise_magic_line("t = %timeit -o f()", false) == "t = None");
  CHECK(neutralise_magic_line("df.head?", false) == "pass");
  CHECK(neutralise_magic_line("??np.mean", false) == "pass");
  // Python stays Python: modulo, comparisons, strings and comments with question marks.
  CHECK(neutralise_magic_line("x = a % b", false) == "x = a % b");
  CHECK(neutralise_magic_line("ok = a != b", false) == "ok = a != b");
  CHECK(neutralise_magic_line("print('why?')", false) == "print('why?')");
  CHECK(neutralise_magic_line("x = 1  # really?", false) == "x = 1  # really?");
  // Inside an open bracket `% b` continues an expression.
  CHECK(neutralise_magic_line("    % b)", true) == "    % b)");
}

TEST_CASE("notebook: read_notebook joins code cells and maps lines to cells") {
  NotebookSource source = read_notebook(notebook(kAnalysis));
  REQUIRE(source.error.empty());
  CHECK(source.cells == 3);
  CHECK(source.code_cells == 2);
  CHECK(source.text == "rows = load()\nout = \"\"\nfor row in rows:\n    out += str(row)\n");
  REQUIRE(source.lines.size() == 4);
  CHECK(source.lines[2].cell == 3);
  CHECK(source.lines[2].cell_line == 1);
  CHECK(source.lines[3].cell_line == 2);
}

TEST_CASE("notebook: findings carry their cell in JSON, text and CI formats") {
  TempDir dir;
  dir.write("analysis.ipynb", notebook(kAnalysis));

  SECTION("json: cell and cell_line; line counts the joined code cells") {
    Json report = parse_json(run_in(dir, "analysis.ipynb --select PS401 --format json"));
    REQUIRE(report.at("findings").size() == 1);
    Json finding = finding_at(report, 0);
    CHECK(finding.at("path") == "analysis.ipynb");
    CHECK(finding.at("cell") == 3);
    CHECK(finding.at("cell_line") == 2);
    CHECK(finding.at("line") == 4);
    CHECK(finding.at("column") == 5);
    CHECK(report.at("errors").empty());
  }
  SECTION("text: path:cell N:line:col, the gutter numbers the cell's line") {
    auto result = run_in(dir, "analysis.ipynb --select PS401 --color never");
    CHECK(contains(result.out, "analysis.ipynb:cell 3:2:5: PS401"));
    CHECK(contains(result.out, "2 |     out += str(row)"));
  }
  SECTION("github: the notebook file, the cell named in the message") {
    auto result = run_in(dir, "analysis.ipynb --select PS401 --format github");
    CHECK(contains(result.out, "file=analysis.ipynb,line=1,"));
    CHECK(contains(result.out, "::cell 3, line 2: "));
  }
  SECTION("sarif: the notebook artifact, the cell named in the message") {
    Json sarif = parse_json(run_in(dir, "analysis.ipynb --select PS401 --format sarif"));
    Json result = sarif.at("runs").at(0).at("results").at(0);
    CHECK(result.at("message").at("text").get<std::string>().starts_with("cell 3, line 2: "));
    Json location = result.at("locations").at(0).at("physicalLocation");
    CHECK(location.at("artifactLocation").at("uri") == "analysis.ipynb");
    CHECK(location.at("region").at("startLine") == 1);
  }
  SECTION("gitlab: the notebook file, the cell named in the description") {
    Json gitlab = parse_json(run_in(dir, "analysis.ipynb --select PS401 --format gitlab"));
    CHECK(gitlab.at(0).at("location").at("path") == "analysis.ipynb");
    CHECK(contains(gitlab.at(0).at("description").get<std::string>(), "cell 3, line 2: "));
  }
}

TEST_CASE("notebook: discovered in folders next to Python files") {
  TempDir dir;
  dir.write("nb/analysis.ipynb", notebook(kAnalysis));
  dir.write("nb/helpers.py", "def f(rows):\n    s = ''\n    for r in rows:\n        s += r\n    return s\n");
  Json report = parse_json(run_in(dir, "nb --select PS401 --format json"));
  CHECK(hits(report) == std::vector<std::string>{"PS401 nb/analysis.ipynb:4:5", "PS401 nb/helpers.py:4:9"});
  CHECK(report.at("summary").at("files_scanned") == 2);
}

TEST_CASE("notebook: magics, shell escapes and help are neutralised without shifting lines") {
  TempDir dir;
  dir.write("magic.ipynb",
            notebook({{"code", "%matplotlib inline\n!pip install pandas\nfiles = !ls\nfiles?\n"},
                      {"code", "%%bash\nfor f in *; do echo $f; done\n"},
                      {"code", "%%time\nout = \"\"\nfor name in files:\n    out += name\n"}}));
  Json report = parse_json(run_in(dir, "magic.ipynb --select ALL --format json"));
  INFO(report.dump(1));
  REQUIRE(report.at("findings").size() == 1);
  Json finding = finding_at(report, 0);
  CHECK(finding.at("rule") == "PS401");
  CHECK(finding.at("cell") == 3);
  CHECK(finding.at("cell_line") == 4);
  CHECK(report.at("errors").empty());
}

TEST_CASE("notebook: # noqa works per cell line") {
  TempDir dir;
  dir.write("quiet.ipynb",
            notebook({{"code", "rows = load()\nout = ''\n"},
                      {"code", "for row in rows:\n    out += str(row)  # noqa: PS401\n"},
                      {"code", "for row in rows:\n    out += repr(row)\n"}}));
  Json report = parse_json(run_in(dir, "quiet.ipynb --select PS401 --format json"));
  REQUIRE(report.at("findings").size() == 1);
  CHECK(finding_at(report, 0).at("cell") == 3);
}

TEST_CASE("notebook: a broken notebook is a per-file error and the scan goes on") {
  TempDir dir;
  dir.write("broken.ipynb", "{\"cells\": [ {\"cell_type\": \"code\", ");
  dir.write("bad_cell.ipynb", R"({"cells": [{"cell_type": "code", "source": 42}], "metadata": {}})");
  dir.write("no_cells.ipynb", R"({"metadata": {}})");
  dir.write("ok.py", "def f(rows):\n    s = ''\n    for r in rows:\n        s += r\n    return s\n");
  auto result = run_in(dir, ". --select PS401 --format json");
  CHECK(result.exit_code == 1);
  Json report = parse_json(result);
  CHECK(hits(report) == std::vector<std::string>{"PS401 ok.py:4:9"});
  std::map<std::string, std::string> errors;
  for (const Json& error : report.at("errors")) errors[error.at("path")] = error.at("message");
  REQUIRE(errors.size() == 3);
  CHECK(errors["broken.ipynb"].starts_with("invalid notebook JSON: "));
  CHECK(errors["bad_cell.ipynb"] ==
        "invalid notebook: the source of cell 1 is neither a string nor a list of strings");
  CHECK(errors["no_cells.ipynb"] == "not a notebook: no `cells` list (nbformat 4 expected)");
}

TEST_CASE("notebook: one without code cells is scanned and clean") {
  TempDir dir;
  dir.write("notes.ipynb", notebook({{"markdown", "# Only words\n"}, {"raw", "for x in y:\n"}}));
  auto result = run_in(dir, "notes.ipynb --select ALL --format json");
  CHECK(result.exit_code == 0);
  Json report = parse_json(result);
  CHECK(report.at("findings").empty());
  CHECK(report.at("errors").empty());
  CHECK(report.at("summary").at("files_scanned") == 1);
}

TEST_CASE("notebook: --fix never rewrites a notebook, and its findings offer no fix") {
  TempDir dir;
  const std::string text =
      notebook({{"code", "names = load()\nfor name in list(sorted(names)):\n    print(name)\n"}});
  dir.write("fixme.ipynb", text);
  Json report = parse_json(run_in(dir, "fixme.ipynb --select PS801 --format json"));
  REQUIRE(report.at("findings").size() == 1);
  CHECK_FALSE(finding_at(report, 0).contains("fix"));
  run_in(dir, "fixme.ipynb --select PS801 --fix");
  CHECK(read_file(dir.path() / "fixme.ipynb") == text);
}

TEST_CASE("notebook: the result cache keeps the cell of each finding") {
  TempDir dir;
  dir.write("analysis.ipynb", notebook(kAnalysis));
  Json first = parse_json(run_in(dir, "analysis.ipynb --select PS401 --format json"));
  Json second = parse_json(run_in(dir, "analysis.ipynb --select PS401 --format json"));
  CHECK(second.at("stats").at("cache").at("hits") == 1);
  CHECK(second.at("findings") == first.at("findings"));
  CHECK(second.at("findings").at(0).at("cell") == 3);
}
