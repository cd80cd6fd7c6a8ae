# Provides the target `tree_sitter_python`: the generated tree-sitter-python parser, taken from
# the npm package at a pinned version whose integrity hash is checked (cmake/NpmPackage.cmake).
#
# Packagers with an unpacked grammar set PERFSCAN_GRAMMAR_DIR to the folder holding parser.c,
# scanner.c and tree_sitter/parser.h (the package's src/ folder).

set(PERFSCAN_GRAMMAR_VERSION "0.23.6")
# sha512 of tree-sitter-python-0.23.6.tgz, the npm registry's `dist.integrity` in hex.
set(PERFSCAN_GRAMMAR_SHA512
    "c8833dcf4a31288c53edb02d3ce860a1597a8135e59a5221b9eee58854f8a013c5fe585aec76b8750052f3602fea130c459a159c5248f0cea62fe4b05a82c3dc")
set(PERFSCAN_GRAMMAR_DIR "" CACHE PATH "Unpacked tree-sitter-python src/ folder (skips the npm download)")

if(PERFSCAN_GRAMMAR_DIR)
  set(grammar_src "${PERFSCAN_GRAMMAR_DIR}")
  set(PERFSCAN_GRAMMAR_LICENSE "${PERFSCAN_GRAMMAR_DIR}/../LICENSE")
else()
  perfscan_npm_fetch(tree-sitter-python "${PERFSCAN_GRAMMAR_VERSION}" "${PERFSCAN_GRAMMAR_SHA512}"
                     grammar_package
                     PATTERNS package/src/parser.c package/src/scanner.c package/src/tree_sitter
                              package/LICENSE)
  set(grammar_src "${grammar_package}/package/src")
  set(PERFSCAN_GRAMMAR_LICENSE "${grammar_package}/package/LICENSE")
endif()
if(NOT EXISTS "${grammar_src}/parser.c" OR NOT EXISTS "${grammar_src}/scanner.c")
  message(FATAL_ERROR "No parser.c/scanner.c in ${grammar_src}")
endif()

add_library(tree_sitter_python STATIC "${grammar_src}/parser.c" "${grammar_src}/scanner.c")
target_include_directories(tree_sitter_python PRIVATE "${grammar_src}")
set_target_properties(tree_sitter_python PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
# Generated code: its warnings are not ours to fix.
target_compile_options(tree_sitter_python PRIVATE -w)
# Kept out of link-time optimisation: its lexer calls the runtime only through TSLexer's function
# pointers, so there is nothing to inline across, and in one LTO unit with perfscan GCC stopped
# inlining the grammar's own helpers into its lexer (more instructions, measured in bench/README.md).
set_target_properties(tree_sitter_python PROPERTIES INTERPROCEDURAL_OPTIMIZATION OFF
                                                    INTERPROCEDURAL_OPTIMIZATION_RELEASE OFF)
