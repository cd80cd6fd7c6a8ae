# Profile-guided optimisation (GCC), behind PERFSCAN_PGO (off by default: it builds perfscan
# twice and runs it once at build time). With it on, in a Release build:
#
# 1. an instrumented perfscan (-fprofile-generate) is built in <build>/pgo/instrumented, from
#    the same sources and options, as an external project;
# 2. it scans PERFSCAN_PGO_CORPUS (default: the Python standard library) with every rule, one
#    job, and writes its profile into <build>/pgo/profile;
# 3. every object of this build is compiled with -fprofile-use against that profile, and is
#    compiled again whenever the profile is regenerated (after any change to the sources).
#
# -fprofile-prefix-path strips each build folder from the profile's file names, so an object of
# this build finds the profile its twin in the instrumented build wrote. Code the corpus never
# runs (--fix, most report formats, the tests) is optimised as without a profile
# (-fprofile-partial-training) rather than for size.

option(PERFSCAN_PGO "Profile-guided optimisation (GCC, Release): build and run an instrumented perfscan first" OFF)

# Called at the end of the top-level CMakeLists.txt, once every option and target exists: steps 1
# and 2, then every compiled target (in every folder) waits for the profile, and each of its
# objects is compiled again when the profile changes.
function(perfscan_pgo_use_profile)
  if(NOT PERFSCAN_PGO OR PERFSCAN_PGO_GENERATE)
    return()
  endif()
  include(ExternalProject)
  # BUILD_ALWAYS: the sub-build's own dependency tracking decides what to rebuild; its binary is a
  # byproduct, so the profile run below repeats only when the binary changed.
  ExternalProject_Add(perfscan_pgo_instrumented
    SOURCE_DIR "${PROJECT_SOURCE_DIR}"
    BINARY_DIR "${perfscan_pgo_instrumented}"
    CMAKE_ARGS
      -DCMAKE_BUILD_TYPE=Release
      -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
      -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
      -DCMAKE_C_COMPILER_LAUNCHER=$CACHE{CMAKE_C_COMPILER_LAUNCHER}
      -DCMAKE_CXX_COMPILER_LAUNCHER=$CACHE{CMAKE_CXX_COMPILER_LAUNCHER}
      -DPERFSCAN_PGO=OFF
      -DPERFSCAN_PGO_GENERATE=${perfscan_pgo_profile}
      -DPERFSCAN_LTO=OFF
      -DPERFSCAN_BUILD_TESTS=OFF
      -DPERFSCAN_BUILD_BENCH=OFF
      -DPERFSCAN_MAN_PAGE=OFF
      -DPERFSCAN_USE_MIMALLOC=${PERFSCAN_USE_MIMALLOC}
      -DPERFSCAN_DEPS_DIR=${PERFSCAN_DEPS_DIR}
      -DPERFSCAN_GRAMMAR_DIR=${PERFSCAN_GRAMMAR_DIR}
    BUILD_COMMAND ${CMAKE_COMMAND} --build "${perfscan_pgo_instrumented}" --target perfscan
    BUILD_BYPRODUCTS "${perfscan_pgo_instrumented}/perfscan"
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON)

  # One job: the counters are not atomic (atomic ones would slow the run), and one thread updates them.
  add_custom_command(
    OUTPUT "${perfscan_pgo_stamp}"
    COMMAND ${CMAKE_COMMAND} -E rm -rf "${perfscan_pgo_profile}"
    COMMAND "${perfscan_pgo_instrumented}/perfscan" --isolated --no-cache --select ALL --exit-zero
            --jobs 1 --quiet --format json -o /dev/null "${PERFSCAN_PGO_CORPUS}"
    COMMAND ${CMAKE_COMMAND} -E touch "${perfscan_pgo_stamp}"
    DEPENDS "${perfscan_pgo_instrumented}/perfscan"
    COMMENT "PGO: scanning ${PERFSCAN_PGO_CORPUS} with the instrumented perfscan"
    VERBATIM)
  add_custom_target(perfscan_pgo_profile DEPENDS "${perfscan_pgo_stamp}")

  set(dirs "${PROJECT_SOURCE_DIR}")
  while(dirs)
    list(POP_FRONT dirs dir)
    get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
    list(APPEND dirs ${subdirs})
    get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
    foreach(target IN LISTS targets)
      get_target_property(type ${target} TYPE)
      if(type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$")
        add_dependencies(${target} perfscan_pgo_profile)
        get_target_property(sources ${target} SOURCES)
        set_property(SOURCE ${sources} DIRECTORY "${dir}" APPEND PROPERTY OBJECT_DEPENDS "${perfscan_pgo_stamp}")
      endif()
    endforeach()
  endwhile()
endfunction()

# PERFSCAN_PGO_GENERATE (a folder) is set by step 1 for the instrumented build itself.
if(PERFSCAN_PGO_GENERATE)
  add_compile_options(-fprofile-generate=${PERFSCAN_PGO_GENERATE}
                      -fprofile-prefix-path=${CMAKE_BINARY_DIR})
  add_link_options(-fprofile-generate=${PERFSCAN_PGO_GENERATE})
  return()
endif()
if(NOT PERFSCAN_PGO)
  return()
endif()

if(NOT CMAKE_C_COMPILER_ID STREQUAL "GNU" OR NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  message(FATAL_ERROR "PERFSCAN_PGO needs GCC (its -fprofile-use and -fprofile-prefix-path)")
endif()
if(NOT CMAKE_BUILD_TYPE STREQUAL "Release")
  message(FATAL_ERROR "PERFSCAN_PGO is for the Release build (CMAKE_BUILD_TYPE=Release)")
endif()

find_package(Python3 REQUIRED COMPONENTS Interpreter)
execute_process(COMMAND "${Python3_EXECUTABLE}" -c "import sysconfig; print(sysconfig.get_paths()['stdlib'])"
                OUTPUT_VARIABLE perfscan_python_stdlib OUTPUT_STRIP_TRAILING_WHITESPACE)
set(PERFSCAN_PGO_CORPUS "${perfscan_python_stdlib}" CACHE PATH
    "Python code the instrumented perfscan scans to make the PGO profile")

set(perfscan_pgo_dir "${CMAKE_BINARY_DIR}/pgo")
set(perfscan_pgo_profile "${perfscan_pgo_dir}/profile")
set(perfscan_pgo_instrumented "${perfscan_pgo_dir}/instrumented")
set(perfscan_pgo_stamp "${perfscan_pgo_dir}/profile.stamp")

# No compiler launcher: ccache cannot always tell which profile file an object was compiled
# against once -fprofile-prefix-path renames them, and could hand back an object made with an
# older profile.
set(CMAKE_C_COMPILER_LAUNCHER "")
set(CMAKE_CXX_COMPILER_LAUNCHER "")
# -Wno-missing-profile: sources the corpus never reaches (the tests among them) have no profile,
# which is expected, not an error under PERFSCAN_WARNINGS_AS_ERRORS.
add_compile_options(-fprofile-use=${perfscan_pgo_profile} -fprofile-prefix-path=${CMAKE_BINARY_DIR}
                    -fprofile-partial-training -Wno-missing-profile)
add_link_options(-fprofile-use=${perfscan_pgo_profile})

