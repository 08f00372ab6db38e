#!/usr/bin/env bash
# Renders the README's example report: the realistic synthetic session of the end-to-end tests
# (Tests/emotelabTests/SyntheticSession.swift) through `emotelab report --html`, photographed with
# headless Chromium into docs/report-example.png. Needs the dev packages (scripts/setup.sh --dev).
# Usage: scripts/report-example.sh [SCRATCH_PATH]   (default .build)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${1:-.build}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
EMOTELAB_REPORT_EXAMPLE_DIR="$out" swift test --scratch-path "$scratch" --disable-swift-testing \
  --filter 'emotelabTests.StoreCommandsTests/testReportOfARealisticSession' >/dev/null
# --no-sandbox: Chromium refuses to sandbox as root; the page is our own file and loads nothing.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size=1100,1420 --screenshot="$out/shot.png" "file://$out/report-example.html" 2>/dev/null
mkdir -p docs
cp "$out/shot.png" docs/report-example.png
echo "report-example: wrote docs/report-example.png (database and HTML were in $out)"
