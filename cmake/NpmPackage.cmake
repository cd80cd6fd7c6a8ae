# perfscan_npm_fetch: a third-party source package from the npm registry, at a pinned version
# whose integrity hash is checked. Third-party source is never committed: `npm pack` downloads
# the tarball once into PERFSCAN_DEPS_DIR, where later configures (and builds) reuse it.
#
#   perfscan_npm_fetch(<package> <version> <sha512 hex> <out var> PATTERNS <path>...)
#
# sets <out var> to the folder the tarball was unpacked into (holding `package/`); only the
# paths matching PATTERNS (file(ARCHIVE_EXTRACT) patterns) are unpacked.

set(PERFSCAN_DEPS_DIR "${PROJECT_SOURCE_DIR}/.deps" CACHE PATH "Where downloaded build dependencies are kept")

function(perfscan_npm_fetch package version sha512 out_dir)
  cmake_parse_arguments(FETCH "" "" "PATTERNS" ${ARGN})
  set(tarball "${PERFSCAN_DEPS_DIR}/${package}-${version}.tgz")
  set(unpacked "${PERFSCAN_DEPS_DIR}/${package}-${version}")
  # The hash of what was unpacked, written last: a folder without it (an extraction that was
  # interrupted, or a tarball of another hash) is unpacked again.
  set(stamp "${unpacked}/.sha512")
  if(EXISTS "${stamp}")
    file(READ "${stamp}" unpacked_hash)
    if(unpacked_hash STREQUAL sha512)
      set(${out_dir} "${unpacked}" PARENT_SCOPE)
      return()
    endif()
  endif()
  file(MAKE_DIRECTORY "${PERFSCAN_DEPS_DIR}")
  if(EXISTS "${tarball}")
    file(SHA512 "${tarball}" have)
    if(NOT have STREQUAL sha512)
      file(REMOVE "${tarball}")
    endif()
  endif()
  if(NOT EXISTS "${tarball}")
    find_program(NPM_EXECUTABLE npm)
    if(NOT NPM_EXECUTABLE)
      message(FATAL_ERROR "npm is needed to fetch ${package} ${version} (apt-get install npm)")
    endif()
    message(STATUS "Fetching ${package} ${version} with npm pack")
    execute_process(
      COMMAND "${NPM_EXECUTABLE}" pack "${package}@${version}"
              --pack-destination "${PERFSCAN_DEPS_DIR}" --silent
      WORKING_DIRECTORY "${PERFSCAN_DEPS_DIR}"
      RESULT_VARIABLE npm_result OUTPUT_QUIET)
    if(NOT npm_result EQUAL 0 OR NOT EXISTS "${tarball}")
      message(FATAL_ERROR "npm pack ${package}@${version} failed (${npm_result})")
    endif()
  endif()
  file(SHA512 "${tarball}" have)
  if(NOT have STREQUAL sha512)
    file(REMOVE "${tarball}")
    message(FATAL_ERROR "${package} ${version} tarball integrity check failed: sha512 ${have}")
  endif()
  file(REMOVE_RECURSE "${unpacked}")
  file(ARCHIVE_EXTRACT INPUT "${tarball}" DESTINATION "${unpacked}" PATTERNS ${FETCH_PATTERNS})
  file(WRITE "${stamp}" "${sha512}")
  set(${out_dir} "${unpacked}" PARENT_SCOPE)
endfunction()
