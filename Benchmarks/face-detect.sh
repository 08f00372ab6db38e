#!/usr/bin/env bash
# Face detection benchmark: per-frame time of FaceDetection (face-bench) and OpenCV 4.6 detectMultiScale
# (python3-opencv) on the same 640x360 and 1280x720 gray frames with the same parameters (scaleFactor 1.1,
# minNeighbors 5), full-frame search and tracked-region search, in one run. Prints a Markdown table and
# writes it with the raw per-frame figures to Benchmarks/out/face-detect/.
#
# Usage: Benchmarks/face-detect.sh            (env: FRAMES=24 frames per size, REPEAT=5 runs per frame,
#                                               SCRATCH=.build SwiftPM scratch path, EMOTELAB_SHARED)
# Needs: ffmpeg, python3-opencv (scripts/setup.sh --dev), opencv-data.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
FRAMES=${FRAMES:-24}
REPEAT=${REPEAT:-5}
SHARED=${EMOTELAB_SHARED:-../shared}
OUT=Benchmarks/out/face-detect
VIDEO="$SHARED/media/single_face.mp4"
mkdir -p "$OUT"

# Frames: every 3rd frame of single_face.mp4 (640x360), and the same frames scaled to 1280x720, decoded
# to gray by FFmpeg as the pipeline does.
for size in 640x360 1280x720; do
  dir="$OUT/frames-$size"
  rm -rf "$dir" && mkdir -p "$dir"
  ffmpeg -hide_banner -loglevel error -i "$VIDEO" -map 0:v:0 -fps_mode passthrough -frames:v "$FRAMES" \
    -vf "select=not(mod(n\,3)),scale=${size%x*}:${size#*x}:flags=bilinear,format=gray" "$dir/f%03d.pgm"
done

swift build -c release --scratch-path "$SCRATCH" --product face-bench >/dev/null
BENCH="$SCRATCH/release/face-bench"
declare -A CASCADES=(
  [haar]=/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml
  [lbp]=/usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml
)
for name in haar lbp; do
  for size in 640x360 1280x720; do
    for threads in 1 2; do
      "$BENCH" --frames "$OUT/frames-$size" --cascade "${CASCADES[$name]}" --threads "$threads" \
        --repeat "$REPEAT" --json "$OUT/ours-$name-$size-t$threads.json" >/dev/null
    done
  done
done

/usr/bin/python3 Benchmarks/face_detect_opencv.py --out "$OUT" --repeat "$REPEAT" \
  --haar "${CASCADES[haar]}" --lbp "${CASCADES[lbp]}"
