#!/usr/bin/env bash
# Quick start: install what is missing, build perfscan, and scan the bundled example project.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PERFSCAN_ROOT"
# The examples are full of findings on purpose: show the report without failing, with every
# rule on (`--select ALL`: the extended tier too), so that the tour shows every category. A
# plain run takes the default tier only: the rules measured at 90% precision or more on real
# code (README, "Severity, tiers and test code").
"$PERFSCAN_BUILD/perfscan" --exit-zero --select ALL examples/
