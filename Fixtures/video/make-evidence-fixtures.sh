#!/usr/bin/env bash
# Makes the fixtures of Tests/EvidenceTests and the clips/annotate command tests (run once; outputs are
# committed). Needs the ffmpeg CLI (Debian ffmpeg 5.1, libx264).
#
#   evidence-keyframes.mp4   10 s of 160x90 testsrc2 at 25 fps, H.264 with a keyframe exactly every 2 s
#                            (0, 2, 4, 6, 8 s; no scene-cut keyframes), and 10 s of a 440 Hz tone, AAC
#                            mono 22.05 kHz: stream-copied clips start on those keyframes
#   evidence-gray.mp4        2 s of flat gray (RGB 128,128,128) 160x90 at 10 fps, H.264 (yuv420p), and a
#                            tone, AAC: drawn boxes stand out against it in the annotated-video tests
set -euo pipefail
cd "$(dirname "$0")"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
ff -f lavfi -i testsrc2=size=160x90:rate=25 -f lavfi -i sine=frequency=440:sample_rate=22050 -t 10 \
   -c:v libx264 -preset veryfast -crf 32 -g 50 -keyint_min 50 -sc_threshold 0 -pix_fmt yuv420p \
   -c:a aac -b:a 32k -ac 1 -map_metadata -1 -fflags +bitexact evidence-keyframes.mp4
ff -f lavfi -i color=c=0x808080:size=160x90:rate=10 -f lavfi -i sine=frequency=440:sample_rate=22050 -t 2 \
   -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p \
   -c:a aac -b:a 32k -ac 1 -map_metadata -1 -fflags +bitexact evidence-gray.mp4
