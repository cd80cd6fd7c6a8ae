#!/usr/bin/env bash
# Installs what perfscan needs to build (only what is missing), then configures and builds the
# Release binary in build/release. Safe to run again: nothing already there is fetched or
# rebuilt. Sourced by quickstart.sh and test.sh.
set -euo pipefail

PERFSCAN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PERFSCAN_BUILD="${PERFSCAN_BUILD:-$PERFSCAN_ROOT/build/release}"

# help2man writes the man page from --help; dpkg-dev (dpkg-shlibdeps) and file let CPack
# work out the Debian package's dependencies (scripts/package.sh).
packages=(g++ cmake ninja-build pkg-config git
          libcli11-dev libfmt-dev nlohmann-json3-dev catch2
          libgit2-dev libxxhash-dev libtomlplusplus-dev libmimalloc-dev python3
          help2man dpkg-dev file)
# What only the test suite needs, when PERFSCAN_TEST_TOOLS=1 (test.sh sets it, quickstart.sh does
# not): headless Chromium renders the HTML review for the screenshot test
# (tests/screenshot_test.py), which is skipped without it. Installed without the recommended
# packages: on Debian 12 that is 146 packages and 188 MB to fetch instead of 258 and 208 MB,
# fonts-dejavu-core included, which is all the rendering needs.
test_packages=()
if [[ "${PERFSCAN_TEST_TOOLS:-0}" == 1 ]]; then
  test_packages+=(chromium)
fi

# The packages among the arguments that are not installed, one a line.
not_installed() {
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || echo "$package"
  done
}

mapfile -t missing < <(not_installed "${packages[@]}")
# npm fetches tree-sitter's runtime and the tree-sitter-python grammar; any npm will do, Debian's
# or a Node.js build's.
command -v npm >/dev/null 2>&1 || missing+=(npm)
mapfile -t missing_tests < <(not_installed "${test_packages[@]}")

if ((${#missing[@]} + ${#missing_tests[@]})); then
  echo "perfscan setup: installing ${missing[*]} ${missing_tests[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  if ((${#missing[@]})); then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if ((${#missing_tests[@]})); then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing_tests[@]}" >/dev/null
  fi
fi

if [[ ! -f "$PERFSCAN_BUILD/CMakeCache.txt" ]]; then
  cmake -S "$PERFSCAN_ROOT" -B "$PERFSCAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DPERFSCAN_WARNINGS_AS_ERRORS=ON
fi
cmake --build "$PERFSCAN_BUILD"
