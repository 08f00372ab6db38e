#!/usr/bin/env bash
# Makes the 10-minute benchmark recording used by analyze-speed.sh and evidence-speed.sh, once:
# Benchmarks/out/analyze-speed/session-10min-1280x720.mp4, the bundled sample Fixtures/media/single_face.mp4
# looped and scaled to 1280x720 (H.264 veryfast, 30 fps; a face in every frame, like a participant at a
# webcam). Prints the file's path. Needs the ffmpeg CLI (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
video=Benchmarks/out/analyze-speed/session-10min-1280x720.mp4
mkdir -p "$(dirname "$video")"
if [[ ! -s "$video" ]]; then
  echo "make-session-video: making $video (10 min, 1280x720, H.264, 30 fps)" >&2
  ffmpeg -hide_banner -loglevel error -y -stream_loop -1 -i Fixtures/media/single_face.mp4 -t 600 -an \
    -vf scale=1280:720:flags=bicubic -r 30 -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p "$video.tmp.mp4"
  mv "$video.tmp.mp4" "$video"
fi
echo "$video"
