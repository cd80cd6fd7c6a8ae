#!/usr/bin/env bash
# Validates perfscan's SARIF with Microsoft's SARIF Multitool: the SARIF 2.1.0 schema, the SARIF
# rules and GitHub code scanning's rules (rule kinds Sarif and Ghas). Any error or warning
# fails. Notes are counted, not failed: the SARIF rules' notes are size and style advice, and
# one of them (SARIF2002, message ids instead of text) contradicts GitHub's GH1015, which
# requires the text. The report checked holds every kind of object perfscan writes: findings
# of every rule in examples/, findings with fixes (the fix behaviour cases), a syntax error and
# a file that cannot be decoded (tool notifications), scanned from the folder above them as a
# repository checkout would be.
#
# usage: scripts/validate_sarif.sh [PERFSCAN]   (default build/release/perfscan)
#
# The Multitool's Linux build is an npm package (a self-contained .NET program), fetched once
# at a pinned version into .deps/ like the grammar. Run by .ci/run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
perfscan="$(realpath "${1:-$root/build/release/perfscan}")"
version=5.7.0
tool_dir="$root/.deps/sarif-multitool-linux-$version"
tool="$tool_dir/package/Sarif.Multitool"

if [[ ! -x $tool ]]; then
  mkdir -p "$tool_dir"
  (cd "$tool_dir" && npm pack --silent "@microsoft/sarif-multitool-linux@$version" >/dev/null &&
     tar -xzf "microsoft-sarif-multitool-linux-$version.tgz" && rm "microsoft-sarif-multitool-linux-$version.tgz")
  chmod u+x "$tool"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples" "$work/scanned"
cp "$root"/tests/fix_behaviour/PS*.py "$work/scanned/"
printf 'def broken(:\n    pass\n' >"$work/scanned/broken.py"
printf 'x = "\xff\xfe"\n' >"$work/scanned/undecodable.py"
(cd "$work" && "$perfscan" --select ALL --no-cache --exit-zero --format sarif \
                          -o perfscan.sarif scanned 2>/dev/null)

# SARIF2006 (URIs should be reachable) sends an HTTP GET to every URI in the report: off, as
# this machine reaches no web site (it would only add one note per rule's helpUri).
cat >"$work/config.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
XML
# Without ICU: the Multitool needs no culture data, and a fresh machine may have no libicu.
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$tool" validate --rule-kind "Ghas;Sarif" \
  --config "$work/config.xml" --level "Error;Warning;Note" \
  --output "$work/validation.sarif" "$work/perfscan.sarif" >"$work/validation.log"
grep -E ': (error|warning) [A-Z]+[0-9]+:' "$work/validation.log" || true
python3 - "$work/perfscan.sarif" "$work/validation.sarif" <<'PY'
import collections
import json
import sys

report = json.load(open(sys.argv[1]))["runs"][0]
results = json.load(open(sys.argv[2]))["runs"][0]["results"]
by_level = collections.Counter(result.get("level", "warning") for result in results)
notes = collections.Counter(result["ruleId"] for result in results
                            if result.get("level", "warning") == "note")
fixes = sum(1 for result in report["results"] if "fixes" in result)
print(f"SARIF Multitool, rule kinds Sarif and Ghas, on {len(report['results'])} findings "
      f"({fixes} with fixes) and "
      f"{len(report['invocations'][0]['toolExecutionNotifications'])} notifications: "
      f"{by_level['error']} errors, {by_level['warning']} warnings, {by_level['note']} notes "
      f"({', '.join(f'{rule} x{count}' for rule, count in sorted(notes.items())) or 'none'})")
sys.exit(1 if by_level["error"] or by_level["warning"] else 0)
PY
