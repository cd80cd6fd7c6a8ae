#!/usr/bin/env bash
# Builds the Debian package of perfscan (CPack), installs it with dpkg -i on this machine and
# checks the installed binary from PATH: --version, then a scan of examples/ with every rule.
# Needs root (or sudo) for dpkg -i. Not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
nice cmake --build --preset release -j"$(nproc)"
(cd build/release && cpack -G DEB)
deb=$(ls -t build/release/perfscan_*.deb | head -n1)
echo "package: $deb"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" dpkg -i "$deb"
hash -r
installed=$(command -v perfscan)
echo "installed: $installed"
perfscan --version
# Findings exit 1: that is the scan working, not failing.
status=0
perfscan --select ALL --no-cache -q examples/ || status=$?
if [ "$status" -gt 1 ]; then
  echo "perfscan failed on examples/ (exit $status)" >&2
  exit "$status"
fi
echo "package OK"
