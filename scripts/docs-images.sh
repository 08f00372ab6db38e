#!/usr/bin/env bash
# Regenerates every image in docs/ from the current code (do not edit them by hand):
#   docs/report-example.png  the README's example report: a real analysis of the bundled sample
#                            Fixtures/media/face_noface.mov with its tasks file (what scripts/demo.sh does),
#                            through `emotelab report --html`, photographed with headless Chromium.
#   docs/study-example.png   the study page of three participants (scripts/study-example.sh).
# Installs Chromium and fonts first (scripts/setup.sh --docs).
# Usage: scripts/docs-images.sh [SCRATCH_PATH]   (default .build; EMOTELAB_BIN: use an already built binary)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${1:-.build}"
scripts/setup.sh --docs
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
bin="${EMOTELAB_BIN:-}"
if [[ -z "$bin" ]]; then
  swift build -c release --scratch-path "$scratch" --product emotelab >/dev/null
  bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/emotelab"
fi
"$bin" analyze Fixtures/media/face_noface.mov --tasks Fixtures/media/face_noface.tasks.csv --db "$out/example.sqlite" >/dev/null
"$bin" report --session latest --db "$out/example.sqlite" --html "$out/report-example.html" >/dev/null
# --no-sandbox: Chromium refuses to sandbox as root; the page is our own file and loads nothing.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size="${EMOTELAB_SHOT_SIZE:-1100,1250}" --screenshot="$out/shot.png" "file://$out/report-example.html" 2>/dev/null
mkdir -p docs
cp "$out/shot.png" docs/report-example.png
echo "docs-images: wrote docs/report-example.png"
EMOTELAB_BIN="$bin" scripts/study-example.sh
