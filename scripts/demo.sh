#!/usr/bin/env bash
# Runs EmoteLab's main job on the bundled sample video. For now that is `emotelab probe` (what the recording
# holds, how many frames decode, and the timestamps sampled at 4 frames per second); later issues make it
# the full analysis. Installs the Debian packages first (scripts/setup.sh) and builds a release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product emotelab
exec "$(swift build -c release --show-bin-path)/emotelab" probe Fixtures/media/face_noface.mov --fps 4 "$@"
