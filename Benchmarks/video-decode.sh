#!/usr/bin/env bash
# VideoIO decode benchmark: a 60 s 1280x720 H.264 video decoded through EmoteLab's VideoReader at full rate
# and sampled at 4 frames/s, next to `ffmpeg -threads 0 -i FILE -f null -` on the same file, in one run.
#
#   Benchmarks/video-decode.sh [ROUNDS]        (default 5 rounds; each row reports its median)
#
# Environment: SCRATCH (SwiftPM scratch path, default .build). The video is made once with the ffmpeg CLI
# from the bundled sample (Fixtures/media/single_face.mp4 looped, scaled to 1280x720, libx264 CRF 23) into
# Benchmarks/out/. Results: printed table + Benchmarks/out/video-decode.md.
# Timings are wall-clock of whole processes (start-up included for both tools) plus user+system CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
SCRATCH=${SCRATCH:-.build}
OUT=Benchmarks/out
VIDEO=$OUT/decode-720p.mp4
mkdir -p "$OUT"

swift build -c release --product emotelab --scratch-path "$SCRATCH" >/dev/null
EMOTELAB=$SCRATCH/release/emotelab

if [[ ! -s $VIDEO ]]; then
  echo "making $VIDEO (60 s, 1280x720, H.264) ..."
  ffmpeg -hide_banner -loglevel error -y -stream_loop 25 -i Fixtures/media/single_face.mp4 -an \
    -vf scale=1280:720 -t 60 -c:v libx264 -preset medium -crf 23 "$VIDEO"
fi
FRAMES=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$VIDEO")

# name|command ; every command decodes $VIDEO once
CASES=(
  "ffmpeg CLI (-threads 0, -f null)|ffmpeg -hide_banner -loglevel error -threads 0 -i $VIDEO -f null -"
  "VideoReader full rate, gray at source size|$EMOTELAB bench-decode $VIDEO"
  "VideoReader 4/s, gray at source size|$EMOTELAB bench-decode $VIDEO --fps 4"
  "VideoReader 4/s, no non-ref skipping|$EMOTELAB bench-decode $VIDEO --fps 4 --no-skip"
  "VideoReader full rate, scaled to 640 wide|$EMOTELAB bench-decode $VIDEO --max-width 640"
  "VideoReader 4/s, scaled to 640 wide|$EMOTELAB bench-decode $VIDEO --fps 4 --max-width 640"
)

TIMES=$(mktemp); trap 'rm -f "$TIMES" "$TIMES.one" "$TIMES.json"' EXIT
for ((round = 1; round <= ROUNDS; round++)); do
  for i in "${!CASES[@]}"; do
    command=${CASES[$i]#*|}
    /usr/bin/time -f "%e %U %S %M" -o "$TIMES.one" $command > "$TIMES.json"
    echo "$i $(cat "$TIMES.one") $(tr -d '\n' < "$TIMES.json")" >> "$TIMES"
  done
  echo "round $round/$ROUNDS done" >&2
done

python3 - "$TIMES" "$FRAMES" "$ROUNDS" "$OUT/video-decode.md" "${CASES[@]%%|*}" <<'PY'
import json, statistics, sys, platform, datetime
times_path, frames, rounds, out_path, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5:]
rows = {i: [] for i in range(len(names))}
outputs = {i: set() for i in range(len(names))}
for line in open(times_path):
    parts = line.split(' ', 5)
    i, wall, user, system, rss = int(parts[0]), *map(float, parts[1:5])
    rows[i].append((wall, user + system, rss))
    if len(parts) > 5 and parts[5].strip():
        report = json.loads(parts[5])
        outputs[i].add((report['delivered'], report['checksum'], report['lastTimestamp']))
med = {i: (statistics.median(w for w, _, _ in r), statistics.median(c for _, c, _ in r), max(m for _, _, m in r))
       for i, r in rows.items()}
ffmpeg_wall = med[0][0]
full_wall = {2: med[1][0], 3: med[1][0], 5: med[4][0]}
lines = [f'{frames} frames, 1280x720 H.264, {rounds} rounds, medians', '',
         '| decoder | wall s | frames/s | CPU s | peak RSS MB | vs ffmpeg CLI | vs own full rate |',
         '|---|---|---|---|---|---|---|']
for i, name in enumerate(names):
    wall, cpu, rss = med[i]
    vs_ffmpeg = f'{ffmpeg_wall / wall:.2f}x'
    vs_full = f'{full_wall[i] / wall:.2f}x faster' if i in full_wall else ''
    lines.append(f'| {name} | {wall:.2f} | {frames / wall:.0f} | {cpu:.2f} | {rss / 1024:.0f} | {vs_ffmpeg} | {vs_full} |')
same = outputs[2] == outputs[3] and len(outputs[2]) == 1
lines += ['', f'4/s with and without non-reference skipping delivered identical frames: {"yes" if same else "NO"} '
          f'({sorted(outputs[2])} vs {sorted(outputs[3])})',
          f'Full rate vs ffmpeg CLI: {(med[1][0] / ffmpeg_wall - 1) * 100:+.1f} % wall time (goal: within 10 %).',
          f'4/s vs full rate: {med[1][0] / med[2][0]:.2f}x faster at source size, '
          f'{med[4][0] / med[5][0]:.2f}x at 640 wide (goal: at least 1.5x).']
text = '\n'.join(lines)
print(text)
open(out_path, 'w').write(f'{datetime.date.today()} {platform.machine()} {platform.node()}\n\n{text}\n')
PY
