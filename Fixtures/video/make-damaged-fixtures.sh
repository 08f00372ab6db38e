#!/usr/bin/env bash
# Makes the damaged-media fixtures of issue 22 (run once; outputs are committed, the tests read them).
# Needs the ffmpeg CLI (Debian ffmpeg 5.1) and python3.
#
#   leading-cut.ts   Fixtures/media/single_face.mp4 looped 4 times, 9.6 s of H.264 (x264 veryfast) in MPEG-TS,
#                    of which only the second half of the bytes is kept (cut at a 188-byte packet boundary):
#                    the file starts inside a group of pictures, so its first seconds cannot be decoded
set -euo pipefail
cd "$(dirname "$0")"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }

ff -stream_loop 3 -i ../media/single_face.mp4 -an -c:v libx264 -preset veryfast -t 9.6 -f mpegts loop.ts.tmp
python3 - <<'PY'
data = open("loop.ts.tmp", "rb").read()
half = len(data) // 2
half -= half % 188          # whole transport packets
open("leading-cut.ts", "wb").write(data[half:])
PY
rm -f loop.ts.tmp
