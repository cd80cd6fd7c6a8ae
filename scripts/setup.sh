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
          libtree-sitter-dev libcli11-dev libfmt-dev nlohmann-json3-dev catch2
          libgit2-dev libxxhash-dev libtomlplusplus-dev libmimalloc-dev python3
          help2man dpkg-dev file)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# npm fetches the tree-sitter-python grammar; any npm will do, Debian's or a Node.js build's.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  echo "perfscan setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ ! -f "$PERFSCAN_BUILD/CMakeCache.txt" ]]; then
  cmake -S "$PERFSCAN_ROOT" -B "$PERFSCAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DPERFSCAN_WARNINGS_AS_ERRORS=ON
fi
cmake --build "$PERFSCAN_BUILD"
