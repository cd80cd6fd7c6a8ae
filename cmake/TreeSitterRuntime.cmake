# Provides the target `perfscan_tree_sitter`: the tree-sitter runtime perfscan parses with, and
# its <tree_sitter/api.h>. PERFSCAN_TREE_SITTER_RUNTIME chooses it:
#
# - npm (the default): tree-sitter 0.25's C runtime built from source into perfscan as a static
#   library, with perfscan's compiler flags (and LTO when that is on). Its sources come from the
#   `tree-sitter` npm package (the Node.js binding), which vendors the C library under
#   vendor/tree-sitter/lib; the tarball is pinned and integrity-checked like the grammar
#   (cmake/NpmPackage.cmake), and only that folder is unpacked. Measured faster than Debian's
#   0.20.7 (bench/README.md), needs nothing that the grammar does not already need (npm), and the
#   binary then carries no dependency on a libtree-sitter package.
# - system: the shared libtree-sitter found by pkg-config (Debian 12: 0.20.7, `libtree-sitter-dev`),
#   for distributions that build against their own packages. The asan and fuzz presets use it:
#   they instrument perfscan's own code, against the same uninstrumented runtime as before, and CI
#   keeps building and testing both runtimes (release: npm; asan, fuzz: system).
#
# perfscan reads the grammar's ABI at run time (grammar_incompatibility in src/syntax/parser.cpp)
# and refuses a runtime that cannot load it.

set(PERFSCAN_TREE_SITTER_RUNTIME "npm" CACHE STRING
    "tree-sitter runtime: npm (0.25, built from source, static) or system (pkg-config tree-sitter, shared)")
set_property(CACHE PERFSCAN_TREE_SITTER_RUNTIME PROPERTY STRINGS npm system)

set(PERFSCAN_RUNTIME_NPM_VERSION "0.25.1")
# sha512 of tree-sitter-0.25.1.tgz, the npm registry's `dist.integrity` in hex.
set(PERFSCAN_RUNTIME_NPM_SHA512
    "9ab70476462d1dfacad40e9fb373ba171901a344228395d45ea1e1c54390bb46e63e8d34405e17692c7879da5acdd1f0c674828e518a1a022a59d68de1dbd32c")

add_library(perfscan_tree_sitter INTERFACE)
if(PERFSCAN_TREE_SITTER_RUNTIME STREQUAL "npm")
  perfscan_npm_fetch(tree-sitter "${PERFSCAN_RUNTIME_NPM_VERSION}" "${PERFSCAN_RUNTIME_NPM_SHA512}"
                     runtime_package
                     PATTERNS package/vendor/tree-sitter/lib package/LICENSE)
  set(runtime_lib "${runtime_package}/package/vendor/tree-sitter/lib")
  if(NOT EXISTS "${runtime_lib}/src/lib.c" OR NOT EXISTS "${runtime_lib}/include/tree_sitter/api.h")
    message(FATAL_ERROR "No src/lib.c and include/tree_sitter/api.h in ${runtime_lib}")
  endif()
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
  # Third-party code: its warnings are not ours to fix.
  target_compile_options(tree_sitter_runtime PRIVATE -w)
  target_link_libraries(perfscan_tree_sitter INTERFACE tree_sitter_runtime)
  set(PERFSCAN_TREE_SITTER_DESCRIPTION "tree-sitter ${PERFSCAN_RUNTIME_NPM_VERSION} (npm, static)")
elseif(PERFSCAN_TREE_SITTER_RUNTIME STREQUAL "system")
  find_package(PkgConfig REQUIRED)
  # Debian labels libtree-sitter 0.20.7 as version 0.6.3 (its soname): the ABI is checked in
  # src/syntax/parser.cpp instead of by version number.
  pkg_check_modules(TREE_SITTER REQUIRED IMPORTED_TARGET tree-sitter)
  target_link_libraries(perfscan_tree_sitter INTERFACE PkgConfig::TREE_SITTER)
  set(PERFSCAN_TREE_SITTER_DESCRIPTION "system tree-sitter (pkg-config ${TREE_SITTER_VERSION}, shared)")
else()
  message(FATAL_ERROR "PERFSCAN_TREE_SITTER_RUNTIME is '${PERFSCAN_TREE_SITTER_RUNTIME}': "
                      "npm or system")
endif()
message(STATUS "tree-sitter runtime: ${PERFSCAN_TREE_SITTER_DESCRIPTION}")
