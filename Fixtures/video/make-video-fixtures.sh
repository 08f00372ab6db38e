#!/usr/bin/env bash
# Makes the video fixtures for Tests/VideoIOTests and the probe tests (run once; outputs are committed).
# Needs the ffmpeg/ffprobe CLI (Debian ffmpeg 5.1) and python3.
#
#   <media>.best_effort_timestamps   ffprobe's best_effort_timestamp of every frame of ../shared/media/<media>
#                                    (first line: the stream time base "num/den"; then one integer per line)
#   rotate{90,180,270}.mp4           64x36 testsrc2, 5 frames at 10 fps, H.264, display matrix rotating it
#                                    90/180/270 degrees clockwise (set-display-rotation.py)
#   rotate{90,180,270}.mp4.gray      its first frame as the ffmpeg CLI shows it (autorotate), -pix_fmt gray
#   fullrange.webm / .gray           VP9 yuv420p tagged full range (pc) and its first frame as ffmpeg's gray
#   audio_only.m4a                   0.5 s of a 440 Hz tone, AAC, no video
#   truncated.mp4                    a 2 s 160x90 30 fps H.264 clip with its index first (+faststart), cut
#                                    after 12000 bytes, mid-stream
#   truncated.mp4.best_effort_timestamps   what ffprobe still decodes from it
#   anamorphic.mp4 / .gray           48x36 testsrc2 stored with 4:3 pixels (shown 64x36, 16:9), 3 frames,
#                                    and its first frame as the ffmpeg CLI scales it to square pixels, gray
#   two-videos.mkv                   1 s of two video streams (0: 64x36, 1: 96x54 testsrc2, H.264) and a tone
#   truncated.mkv                    a 4 s 64x36 10 fps H.264 Matroska file cut to its first half of bytes
#                                    (a clean end of file: only the stated duration tells it is short)
#   damaged.mp4                      keyframes-closed.mp4 with 6 runs of 20 bytes XOR 0x5A (seeded), two of
#                                    them in frame data the decoder patches up (error concealment)
#   single_face.mp4.width64.gray     first frame of ../shared/media/single_face.mp4 scaled to 64x36 (bilinear), gray
#   joined.ts                        three 1-s MPEG-TS cuts of keyframes-closed.mp4 joined with cat, the middle
#                                    one on a clock 100 s later (the clock jumps ahead, then back)
#   stepped.ts                       keyframes-closed.mp4 as MPEG-TS with its second half 0.68 s earlier (no jump)
#   h264-veryfast.mp4                96x64 testsrc2, 2 s at 30 fps, x264 -preset veryfast (ref=1, 3 B-frames,
#                                    B-pyramid): its P pictures reference only I/P pictures
#   h264-medium.mp4                  the same with -preset medium (ref=3): P pictures reference B pictures
#   h264-no-b.mp4                    the same as veryfast without B-frames (bframes=0)
#   keyframes-veryfast.mp4           keyframes-closed.mp4's picture encoded with -preset veryfast (ref=1,
#                                    B-pyramid): sampled on its I/P frames alone (AnchorSamplingTests)
#   h264-veryfast.h264               h264-veryfast.mp4's stream in Annex B (start codes, parameter sets in-band)
set -euo pipefail
cd "$(dirname "$0")"
SHARED=${EMOTELAB_SHARED:-../../../shared}
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
timestamps() {   # FILE -> time base line + best_effort_timestamp per frame of the chosen video stream
  ffprobe -v error -select_streams V:0 -show_entries stream=time_base -of csv=p=0 "$1"
  ffprobe -v quiet -select_streams V:0 -show_entries frame=best_effort_timestamp -of csv=p=0 "$1" \
    | sed 's/,$//' | grep -E '^-?[0-9]+$'
}

for media in single_face.mp4 face_noface.mov no_face.mp4; do
  timestamps "$SHARED/media/$media" > "$media.best_effort_timestamps"
done

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ff -f lavfi -i testsrc2=size=64x36:rate=10 -frames:v 5 -pix_fmt yuv420p -c:v libx264 "$tmp/upright.mp4"
for degrees in 90 180 270; do
  python3 set-display-rotation.py "$tmp/upright.mp4" "rotate$degrees.mp4" "$degrees"
  ff -i "rotate$degrees.mp4" -frames:v 1 -pix_fmt gray -f rawvideo "rotate$degrees.mp4.gray"
done

ff -f lavfi -i testsrc2=size=64x36:rate=10 -frames:v 3 -pix_fmt yuv420p -color_range pc -c:v libvpx-vp9 \
   -b:v 200k fullrange.webm
ff -i fullrange.webm -frames:v 1 -pix_fmt gray -f rawvideo fullrange.webm.gray

ff -f lavfi -i sine=frequency=440:duration=0.5 -c:a aac -b:a 32k audio_only.m4a

ff -f lavfi -i testsrc2=size=160x90:rate=30 -t 2 -pix_fmt yuv420p -c:v libx264 -movflags +faststart \
   "$tmp/whole.mp4"
head -c 12000 "$tmp/whole.mp4" > truncated.mp4
timestamps truncated.mp4 > truncated.mp4.best_effort_timestamps

# First frame of the bundled sample scaled to 64 px wide the way VideoReader does it (one swscale pass,
# bilinear, straight to gray).
ff -i "$SHARED/media/single_face.mp4" -frames:v 1 -vf scale=64:36:flags=bilinear,format=gray -f rawvideo \
   single_face.mp4.width64.gray

# Keyframe-segment fixtures (VideoSegmentPlan): 96x54 testsrc2, 6 s at 30 fps, H.264 with B-frames and a
# keyframe every 15 frames: closed groups of pictures (x264's default), open ones (leading B-frames shown
# before their keyframe), and variable frame intervals (Matroska, frame n at n/30 + n^2/20000 s).
ff -f lavfi -i testsrc2=size=96x54:rate=30 -t 6 -pix_fmt yuv420p -c:v libx264 -crf 30 \
   -x264-params keyint=15:min-keyint=15:scenecut=0:bframes=3 keyframes-closed.mp4
ff -f lavfi -i testsrc2=size=96x54:rate=30 -t 6 -pix_fmt yuv420p -c:v libx264 -crf 30 \
   -x264-params keyint=15:min-keyint=15:scenecut=0:bframes=3:open-gop=1:b-adapt=0 keyframes-open.mp4
ff -f lavfi -i testsrc2=size=96x54:rate=30 -t 6 -vf "settb=1/1000,setpts=(N/30+N*N/20000)/TB" -fps_mode passthrough \
   -pix_fmt yuv420p -c:v libx264 -crf 30 -x264-params keyint=15:min-keyint=15:scenecut=0:bframes=2 keyframes-vfr.mkv
ff -f lavfi -i testsrc2=size=96x54:rate=30 -t 6 -pix_fmt yuv420p -c:v libx264 -preset veryfast -crf 30 \
   -x264-params keyint=15:min-keyint=15:scenecut=0 keyframes-veryfast.mp4
# The closed-GOP clip remuxed into an MPEG transport stream (no index: VideoReader seeks to a part's keyframe
# by byte position).
ff -i keyframes-closed.mp4 -c copy keyframes-closed.ts

# A transport stream joined from parts (cat), whose clock jumps ahead by 100 s and then back to the start:
# three copies of a 1-s cut of the closed-GOP clip, the middle one on a clock 100 s later.
ff -i keyframes-closed.mp4 -t 1 -c copy -f mpegts part-a.ts.tmp
ff -i keyframes-closed.mp4 -t 1 -c copy -output_ts_offset 100 -f mpegts part-b.ts.tmp
cat part-a.ts.tmp part-b.ts.tmp part-a.ts.tmp > joined.ts
rm part-a.ts.tmp part-b.ts.tmp
# A small step back (no jump): keyframes-closed.mp4's first 3 s, then the rest on a clock 0.68 s earlier.
ff -i keyframes-closed.mp4 -t 3 -c copy -f mpegts step-a.ts.tmp
ff -ss 3 -i keyframes-closed.mp4 -c copy -output_ts_offset 2.32 -f mpegts step-b.ts.tmp
cat step-a.ts.tmp step-b.ts.tmp > stepped.ts
rm step-a.ts.tmp step-b.ts.tmp
# Reference-structure fixtures (H264ReferenceAnalyzer): which pictures P pictures predict from.
for preset in veryfast medium; do
  ff -f lavfi -i testsrc2=size=96x64:rate=30 -t 2 -pix_fmt yuv420p -c:v libx264 -preset $preset -crf 36 "h264-$preset.mp4"
done
ff -f lavfi -i testsrc2=size=96x64:rate=30 -t 2 -pix_fmt yuv420p -c:v libx264 -preset veryfast -crf 36 \
   -x264-params bframes=0 h264-no-b.mp4
ff -i h264-veryfast.mp4 -c copy -bsf:v h264_mp4toannexb -f h264 h264-veryfast.h264

# Non-square pixels: 48x36 stored, 4:3 sample aspect ratio, shown 64x36.
ff -f lavfi -i testsrc2=size=48x36:rate=10 -frames:v 3 -vf setsar=4/3 -pix_fmt yuv420p -c:v libx264 anamorphic.mp4
ff -i anamorphic.mp4 -frames:v 1 -vf scale=64:36:flags=bilinear,format=gray -f rawvideo anamorphic.mp4.gray

# Two video streams (screen and camera side by side, say) and an audio stream.
ff -f lavfi -i testsrc2=size=64x36:rate=10 -f lavfi -i testsrc2=size=96x54:rate=10 -f lavfi -i sine=frequency=440:duration=1 \
   -map 0:v -map 1:v -map 2:a -t 1 -pix_fmt yuv420p -c:v libx264 -c:a aac -b:a 32k two-videos.mkv

# A Matroska file cut short: FFmpeg reaches a clean end of file after 10 of its 40 frames.
ff -f lavfi -i testsrc2=size=64x36:rate=10 -t 4 -pix_fmt yuv420p -c:v libx264 -g 10 "$tmp/whole.mkv"
head -c $(( $(stat -c %s "$tmp/whole.mkv") / 2 )) "$tmp/whole.mkv" > truncated.mkv

# Damaged frame data (deterministic): the decoder conceals the errors of two frames.
python3 - <<'PY'
import random
random.seed(2)
data = bytearray(open("keyframes-closed.mp4", "rb").read())
for _ in range(6):
    start = random.randrange(8000, len(data) - 4000)
    for j in range(20):
        data[start + j] ^= 0x5A
open("damaged.mp4", "wb").write(data)
PY
