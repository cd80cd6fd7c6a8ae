# Provides the target `perfscan_tree_sitter`: the tree-sitter runtime perfscan parses with, its
# <tree_sitter/api.h>, and (for src/syntax only) its internal headers.
#
# tree-sitter 0.25's C runtime is built from source into perfscan as a static library. Its
# sources come from the `tree-sitter` npm package (the Node.js binding), which vendors the C
# library under vendor/tree-sitter/lib; the tarball is pinned and integrity-checked like the
# grammar (cmake/NpmPackage.cmake), and only that folder is unpacked.
#
# Why from source rather than a distribution's shared libtree-sitter: perfscan copies every
# syntax tree into its own flat one, and reading tree-sitter's subtrees directly (their layout is
# in the runtime's internal headers, src/subtree.h) costs a small fraction of going through the
# public cursor API (src/syntax/direct_copy.cpp, bench/README.md). That needs the very runtime
# whose headers it was compiled against, so there is one runtime, this one, in every build. It
# also parses faster than Debian's 0.20.7 and leaves the binary with no libtree-sitter
# dependency.
#
# The runtime is third-party code and is built without the sanitizers and fuzzing coverage that
# the asan and fuzz presets give perfscan's own code (as Debian's uninstrumented shared library
# was before): AddressSanitizer still sees its heap, and perfscan's reads of its subtrees are in
# perfscan's instrumented code.
#
# perfscan reads the grammar's ABI at run time (grammar_incompatibility in src/syntax/parser.cpp)
# and refuses a runtime that cannot load it.

set(PERFSCAN_RUNTIME_NPM_VERSION "0.25.1")
# sha512 of tree-sitter-0.25.1.tgz, the npm registry's `dist.integrity` in hex.
set(PERFSCAN_RUNTIME_NPM_SHA512
    "9ab70476462d1dfacad40e9fb373ba171901a344228395d45ea1e1c54390bb46e63e8d34405e17692c7879da5acdd1f0c674828e518a1a022a59d68de1dbd32c")

perfscan_npm_fetch(tree-sitter "${PERFSCAN_RUNTIME_NPM_VERSION}" "${PERFSCAN_RUNTIME_NPM_SHA512}"
                   runtime_package
                   PATTERNS package/vendor/tree-sitter/lib package/LICENSE)
set(runtime_lib "${runtime_package}/package/vendor/tree-sitter/lib")
if(NOT EXISTS "${runtime_lib}/src/lib.c" OR NOT EXISTS "${runtime_lib}/include/tree_sitter/api.h")
  message(FATAL_ERROR "No src/lib.c and include/tree_sitter/api.h in ${runtime_lib}")
endif()
set(PERFSCAN_TREE_SITTER_LICENSE "${runtime_package}/package/LICENSE")
# The runtime's internal headers, for the one part that reads subtrees (src/syntax).
set(PERFSCAN_TREE_SITTER_INTERNAL_DIR "${runtime_lib}/src")

# lib.c includes every other source file: one translation unit, as upstream's amalgamated
# build, so the compiler inlines across the runtime's files even without LTO.
add_library(tree_sitter_runtime STATIC "${runtime_lib}/src/lib.c")
# SYSTEM: perfscan's warning flags are not for the runtime's header either.
target_include_directories(tree_sitter_runtime SYSTEM PUBLIC "${runtime_lib}/include")
target_include_directories(tree_sitter_runtime PRIVATE "${runtime_lib}/src" "${runtime_lib}/src/wasm")
# As upstream's lib/CMakeLists.txt builds it (without the optional Wasm feature).
target_compile_definitions(tree_sitter_runtime PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
set_target_properties(tree_sitter_runtime PROPERTIES C_STANDARD 11 C_VISIBILITY_PRESET hidden
                                                     POSITION_INDEPENDENT_CODE ON)
# Third-party code: its warnings are not ours to fix, and it is not instrumented (above).
target_compile_options(tree_sitter_runtime PRIVATE -w)
if(PERFSCAN_FUZZ OR CMAKE_C_FLAGS MATCHES "-fsanitize")
  target_compile_options(tree_sitter_runtime PRIVATE -fno-sanitize=all)
endif()

add_library(perfscan_tree_sitter INTERFACE)
target_link_libraries(perfscan_tree_sitter INTERFACE tree_sitter_runtime)
message(STATUS "tree-sitter runtime: ${PERFSCAN_RUNTIME_NPM_VERSION} (npm, static)")
