# The man page, perfscan(1), and its install rule.
#
# Generated at build time from the built binary's `--help` and `--version` by help2man when it
# is installed (scripts/setup.sh installs it, so CI and the Debian package get this one): the
# page then lists exactly the options of the binary it ships with. docs/perfscan.h2m adds the
# sections --help has no room for (exit status, files, see also).
#
# Without help2man, docs/perfscan.1 is installed instead: written by hand, it names no option
# but sends the reader to `perfscan --help`, so nothing in it can go stale as options change.
#
# The asan and fuzz presets turn PERFSCAN_MAN_PAGE off: the page is a release artifact, and
# running an instrumented binary at build time would make the build depend on its sanitizers.
option(PERFSCAN_MAN_PAGE "Generate the man page with help2man when it is installed" ON)
find_program(PERFSCAN_HELP2MAN help2man)

if(PERFSCAN_MAN_PAGE AND PERFSCAN_HELP2MAN AND NOT CMAKE_CROSSCOMPILING)
  set(PERFSCAN_MAN "${PROJECT_BINARY_DIR}/perfscan.1")
  set(include_file "${PROJECT_SOURCE_DIR}/docs/perfscan.h2m")
  add_custom_command(
    OUTPUT "${PERFSCAN_MAN}"
    COMMAND "${PERFSCAN_HELP2MAN}" --no-info --section 1 --source "perfscan ${PROJECT_VERSION}"
            --name "${PROJECT_DESCRIPTION}" --include "${include_file}"
            --output "${PERFSCAN_MAN}" "$<TARGET_FILE:perfscan>"
    DEPENDS perfscan "${include_file}"
    COMMENT "Generating the man page perfscan.1 with help2man"
    VERBATIM)
  add_custom_target(perfscan_man_page ALL DEPENDS "${PERFSCAN_MAN}")
else()
  set(PERFSCAN_MAN "${PROJECT_SOURCE_DIR}/docs/perfscan.1")
endif()

install(FILES "${PERFSCAN_MAN}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
