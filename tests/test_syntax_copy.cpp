// The direct copy of tree-sitter's tree (SyntaxTree::build, reading subtrees) against the one
// through tree-sitter's public cursor (SyntaxTree::build_with_cursor): every node, in the same
// order, with the same positions, symbol, field, flags, parent and children.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "perfscan/node.hpp"
#include "syntax/parser.hpp"

namespace perfscan {
namespace {

std::string describe(const NodeData& node) {
  return fmt::format("{}:{}-{}:{} bytes {}-{} symbol {} ({}) field {} flags {} parent {} children {}+{} "
                     "named {}+{} index {} named index {}",
                     node.start_point.row, node.start_point.column, node.end_point.row,
                     node.end_point.column, node.start_byte, node.end_byte, node.symbol,
                     symbol_name(node.symbol), node.field, node.flags, node.parent, node.first_child,
                     node.child_count, node.first_named, node.named_child_count,
                     node.index_in_parent, node.named_index);
}

// "" when the two copies of `source` agree, else the first difference.
std::string compare_copies(Parser& parser, const std::string& source, const TreeLimits& limits = {}) {
  TSTree* tree = parser.parse_raw(source);
  if (tree == nullptr) return "tree-sitter gave up";
  SyntaxTree direct;
  SyntaxTree cursor;
  std::string direct_problem = direct.build(tree, limits);
  std::string cursor_problem = cursor.build_with_cursor(tree, limits);
  ts_tree_delete(tree);
  if (direct_problem != cursor_problem) {
    return fmt::format("direct copy: '{}', cursor copy: '{}'", direct_problem, cursor_problem);
  }
  if (direct.size() != cursor.size()) {
    return fmt::format("{} nodes copied directly, {} through the cursor", direct.size(), cursor.size());
  }
  for (std::uint32_t index = 0; index < direct.size(); ++index) {
    std::string from_direct = describe(direct.data(index));
    std::string from_cursor = describe(cursor.data(index));
    if (from_direct != from_cursor) {
      return fmt::format("node {}: direct {} / cursor {}", index, from_direct, from_cursor);
    }
    const NodeData& node = direct.data(index);
    for (std::uint32_t i = 0; i < node.child_count; ++i) {
      if (direct.child_id(node, i) != cursor.child_id(cursor.data(index), i)) {
        return fmt::format("node {}: child {} differs", index, i);
      }
    }
  }
  return {};
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every *.py file under `root`: how many were compared, and the first difference found (with
// its file).
std::pair<int, std::string> compare_tree_files(const std::filesystem::path& root) {
  Parser parser;
  int compared = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
    ++compared;
    std::string difference = compare_copies(parser, read_all(entry.path()));
    if (!difference.empty()) return {compared, entry.path().string() + ": " + difference};
  }
  return {compared, {}};
}

}  // namespace

TEST_CASE("syntax copy: the direct copy equals the cursor's on every fixture") {
  auto [compared, difference] = compare_tree_files(std::filesystem::path(PERFSCAN_SOURCE_DIR) / "tests");
  INFO(difference);
  CHECK(difference.empty());
  CHECK(compared > 100);
}

TEST_CASE("syntax copy: aliases, hidden nodes, extras, errors and missing nodes") {
  Parser parser;
  const char* sources[] = {
      "",
      "\n\n   \n",
      "# only a comment\n",
      // Aliased nodes (`as_pattern_target`, `keyword_identifier`), a hidden `_simple_statements`,
      // comments (extras) between fields, decorators, f-strings and their format specs.
      "import a.b as c\nfrom . import (x,  # why\n  y)\n@d(1)\nclass K(B, metaclass=M):\n"
      "    def f(self, /, a: int = 1, *args, b, **kw) -> 'K':\n"
      "        with open(p) as f, g() as (h, i):\n            print(f'{a!r:>{w}} {b=}')\n"
      "        match a:\n            case [1, *rest] if rest: pass\n            case {'k': v, **kw}: pass\n"
      "            case K(x=1) | None as z: pass\n"
      "        return (yield from a) if a else [c async for c in b]\n"
      "print(match, type, exec)\nlambda *a, **k: (a, k)\nx: list[int] = [*a, *b]\n",
      // Syntax errors: ERROR nodes, missing tokens, a stray indent.
      "def f(:\n    pass\n",
      "x = (1, 2\ny = 3\n",
      "if x\n    y = [1, 2,\n",
      "class C:\npass\n  return )]}\n",
      "for x in y: print(x\nelse: z = ",
      "\"\"\"unterminated\n",
      "x = 1 +\n",
  };
  for (const char* source : sources) {
    INFO(source);
    CHECK(compare_copies(parser, source).empty());
  }
}

TEST_CASE("syntax copy: both stop at the same limits") {
  Parser parser;
  std::string deep = std::string(300, '(') + "x" + std::string(300, ')') + "\n";
  std::string many;
  for (int i = 0; i < 500; ++i) many += fmt::format("a{} = b{} + {}\n", i, i, i);
  TreeLimits shallow;
  shallow.max_depth = 50;
  TreeLimits small;
  small.max_nodes = 100;
  CHECK(compare_copies(parser, deep).empty());
  CHECK(compare_copies(parser, deep, shallow).empty());
  CHECK(compare_copies(parser, many, small).empty());
  SyntaxTree tree;
  TSTree* parsed = parser.parse_raw(deep);
  CHECK(tree.build(parsed, shallow) == "nested deeper than 50 levels");
  CHECK(tree.size() == 0);
  ts_tree_delete(parsed);
  parsed = parser.parse_raw(many);
  CHECK(tree.build(parsed, small) == "syntax tree larger than 100 nodes");
  ts_tree_delete(parsed);
}

// Over any tree of Python files, for a runtime upgrade or a change to the direct copy:
//   PERFSCAN_SYNTAX_COPY_TREE=/usr/lib/python3.11 build/release/tests/perfscan_tests "[.syntax-copy-tree]"
TEST_CASE("syntax copy: the direct copy equals the cursor's over PERFSCAN_SYNTAX_COPY_TREE", "[.syntax-copy-tree]") {
  const char* root = std::getenv("PERFSCAN_SYNTAX_COPY_TREE");
  REQUIRE(root != nullptr);
  auto [compared, difference] = compare_tree_files(root);
  INFO(difference);
  CHECK(difference.empty());
  WARN(fmt::format("{} files compared", compared));
}

}  // namespace perfscan
