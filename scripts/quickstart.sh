#!/usr/bin/env bash
# Quick start: install what is missing, build perfscan, and scan the bundled example project.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PERFSCAN_ROOT"
# The examples are full of findings on purpose: show the report without failing.
"$PERFSCAN_BUILD/perfscan" --exit-zero examples/
