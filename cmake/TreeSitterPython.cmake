# Provides the target `tree_sitter_python`: the generated tree-sitter-python parser, taken from
# the npm package at a pinned version whose integrity hash is checked. Third-party source is
# never committed: it is downloaded once into PERFSCAN_DEPS_DIR and reused by later builds.
#
# Packagers with an unpacked grammar set PERFSCAN_GRAMMAR_DIR to the folder holding parser.c,
# scanner.c and tree_sitter/parser.h (the package's src/ folder).

set(PERFSCAN_GRAMMAR_VERSION "0.23.6")
# sha512 of tree-sitter-python-0.23.6.tgz, the npm registry's `dist.integrity` in hex.
set(PERFSCAN_GRAMMAR_SHA512
    "c8833dcf4a31288c53edb02d3ce860a1597a8135e59a5221b9eee58854f8a013c5fe585aec76b8750052f3602fea130c459a159c5248f0cea62fe4b05a82c3dc")
set(PERFSCAN_GRAMMAR_DIR "" CACHE PATH "Unpacked tree-sitter-python src/ folder (skips the npm download)")
set(PERFSCAN_DEPS_DIR "${PROJECT_SOURCE_DIR}/.deps" CACHE PATH "Where downloaded build dependencies are kept")

function(perfscan_fetch_grammar out_dir)
  set(tarball "${PERFSCAN_DEPS_DIR}/tree-sitter-python-${PERFSCAN_GRAMMAR_VERSION}.tgz")
  set(unpacked "${PERFSCAN_DEPS_DIR}/tree-sitter-python-${PERFSCAN_GRAMMAR_VERSION}")
  if(EXISTS "${unpacked}/package/src/parser.c")
    set(${out_dir} "${unpacked}/package/src" PARENT_SCOPE)
    return()
  endif()
  file(MAKE_DIRECTORY "${PERFSCAN_DEPS_DIR}")
  if(EXISTS "${tarball}")
    file(SHA512 "${tarball}" have)
    if(NOT have STREQUAL PERFSCAN_GRAMMAR_SHA512)
      file(REMOVE "${tarball}")
    endif()
  endif()
  if(NOT EXISTS "${tarball}")
    find_program(NPM_EXECUTABLE npm)
    if(NOT NPM_EXECUTABLE)
      message(FATAL_ERROR "npm is needed to fetch tree-sitter-python ${PERFSCAN_GRAMMAR_VERSION} "
                          "(apt-get install npm), or set PERFSCAN_GRAMMAR_DIR to an unpacked grammar.")
    endif()
    message(STATUS "Fetching tree-sitter-python ${PERFSCAN_GRAMMAR_VERSION} with npm pack")
    execute_process(
      COMMAND "${NPM_EXECUTABLE}" pack "tree-sitter-python@${PERFSCAN_GRAMMAR_VERSION}"
              --pack-destination "${PERFSCAN_DEPS_DIR}" --silent
      WORKING_DIRECTORY "${PERFSCAN_DEPS_DIR}"
      RESULT_VARIABLE npm_result OUTPUT_QUIET)
    if(NOT npm_result EQUAL 0 OR NOT EXISTS "${tarball}")
      message(FATAL_ERROR "npm pack tree-sitter-python@${PERFSCAN_GRAMMAR_VERSION} failed (${npm_result})")
    endif()
  endif()
  file(SHA512 "${tarball}" have)
  if(NOT have STREQUAL PERFSCAN_GRAMMAR_SHA512)
    file(REMOVE "${tarball}")
    message(FATAL_ERROR "tree-sitter-python tarball integrity check failed: sha512 ${have}")
  endif()
  file(ARCHIVE_EXTRACT INPUT "${tarball}" DESTINATION "${unpacked}"
       PATTERNS package/src/parser.c package/src/scanner.c package/src/tree_sitter package/LICENSE)
  set(${out_dir} "${unpacked}/package/src" PARENT_SCOPE)
endfunction()

if(PERFSCAN_GRAMMAR_DIR)
  set(grammar_src "${PERFSCAN_GRAMMAR_DIR}")
else()
  perfscan_fetch_grammar(grammar_src)
endif()
if(NOT EXISTS "${grammar_src}/parser.c" OR NOT EXISTS "${grammar_src}/scanner.c")
  message(FATAL_ERROR "No parser.c/scanner.c in ${grammar_src}")
endif()

add_library(tree_sitter_python STATIC "${grammar_src}/parser.c" "${grammar_src}/scanner.c")
target_include_directories(tree_sitter_python PRIVATE "${grammar_src}")
set_target_properties(tree_sitter_python PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
# Generated code: its warnings are not ours to fix.
target_compile_options(tree_sitter_python PRIVATE -w)
