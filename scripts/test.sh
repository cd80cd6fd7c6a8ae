#!/usr/bin/env bash
# Install what is missing, build perfscan and its tests, and run the whole suite with ctest.
set -euo pipefail
PERFSCAN_TEST_TOOLS=1  # chromium too, for the screenshot test of the HTML review
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ctest --test-dir "$PERFSCAN_BUILD" --output-on-failure -j "$(nproc)"
