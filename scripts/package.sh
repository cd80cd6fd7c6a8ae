#!/usr/bin/env bash
# Builds the Debian package of perfscan (CPack over what `cmake --install` installs), installs
# it with dpkg -i on this machine and checks it from PATH: the package holds the binary, the man
# page and the docs, `perfscan --version` is this build's, and a scan of examples/ with every
# rule reports findings (exit 1; examples/ is written to have them). Needs root (or sudo) for
# dpkg -i. Run by .ci/run after the test suite, which has built build/release already.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PERFSCAN_ROOT"

rm -f "$PERFSCAN_BUILD"/perfscan_*.deb
(cd "$PERFSCAN_BUILD" && cpack -G DEB >/dev/null)
deb=$(ls "$PERFSCAN_BUILD"/perfscan_*.deb)
echo "package: $deb"
dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Depends\|Homepage\):/  \1:/p'

sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" dpkg -i "$deb"

fail() { echo "package check failed: $*" >&2; exit 1; }
for file in /usr/bin/perfscan /usr/share/man/man1/perfscan.1 /usr/share/doc/perfscan/README.md \
            /usr/share/doc/perfscan/docs/ci.md /usr/share/doc/perfscan/rules/loops/PS801.md; do
  dpkg -L perfscan | grep -qx "$file" || fail "$file is not in the package"
done

hash -r
[[ $(command -v perfscan) == /usr/bin/perfscan ]] || fail "perfscan on PATH is $(command -v perfscan)"
expected=$("$PERFSCAN_BUILD/perfscan" --version)
installed=$(perfscan --version)
echo "installed: $installed"
[[ $installed == "$expected" ]] || fail "installed '$installed', built '$expected'"

status=0
perfscan --select ALL --no-cache -q examples/ >/dev/null || status=$?
[[ $status -eq 1 ]] || fail "a scan of examples/ from PATH exited $status, not 1 (findings)"
echo "package OK: installed from $deb, scanned examples/ from PATH (exit 1, findings)"
