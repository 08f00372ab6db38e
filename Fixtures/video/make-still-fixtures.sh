#!/usr/bin/env bash
# Makes the still-image golden fixtures for Tests/VideoIOTests/StillImageTests.swift (run once; outputs are
# committed). The expected gray bytes come from the ffmpeg CLI: `-pix_fmt gray -f rawvideo`.
#   fer_happy_10019449.gray    FER2013 train/happy/Training_10019449.jpg (48x48 gray baseline JPEG, read
#                              from ../shared/data/fer2013-mini at test time)
#   testsrc_64x48.png(.gray)   RGB PNG from FFmpeg's testsrc2 pattern (RGB -> gray conversion)
#   testsrc_64x48.jpg(.gray)   full-range YUV 4:2:0 JPEG of the same pattern (yuvj -> gray conversion)
set -euo pipefail
cd "$(dirname "$0")"
SHARED=${EMOTELAB_SHARED:-../../../shared}
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }

ff -i "$SHARED/data/fer2013-mini/train/happy/Training_10019449.jpg" -pix_fmt gray -f rawvideo fer_happy_10019449.gray
ff -f lavfi -i testsrc2=size=64x48:rate=1 -frames:v 1 -pix_fmt rgb24 testsrc_64x48.png
ff -i testsrc_64x48.png -pix_fmt gray -f rawvideo testsrc_64x48.png.gray
ff -f lavfi -i testsrc2=size=64x48:rate=1 -frames:v 1 -pix_fmt yuvj420p -q:v 3 testsrc_64x48.jpg
ff -i testsrc_64x48.jpg -pix_fmt gray -f rawvideo testsrc_64x48.jpg.gray
