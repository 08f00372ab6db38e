#!/usr/bin/env bash
# Speed of the video-evidence commands (docs/video-evidence.md) on the 10-minute 1280x720 benchmark
# recording that Benchmarks/analyze-speed.sh makes (made here the same way when missing; H.264 30 fps,
# no audio). With CUT_SECONDS=N (e.g. 60) every command runs on the first N seconds instead (a stream
# copy of the recording's start), for hosts where annotating ten minutes takes too long.
# The recording is analysed first (4 samples/s, 5 equal tasks) into Benchmarks/out/evidence-speed/bench.sqlite;
# then each command is timed once (wall s from /usr/bin/time -v, x real time = seconds of video / wall s):
#   clips (re-encoded)       default kinds, 1 per task and kind, 6 s clips
#   clips --fast             the same by stream copy
#   clips --captions         re-encoded with burned-in captions
#   annotate                 the whole recording (or cut)
# Usage: Benchmarks/evidence-speed.sh   (EMOTELAB_BIN: a built binary; SWIFT_SCRATCH_PATH: build folder)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SWIFT_SCRATCH_PATH:-.build}"
out=Benchmarks/out/evidence-speed
mkdir -p "$out"
command -v ffmpeg >/dev/null || { echo "evidence-speed: needs the ffmpeg CLI (scripts/setup.sh)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "evidence-speed: needs /usr/bin/time (Debian package time)" >&2; exit 1; }

source_video="$(Benchmarks/make-session-video.sh)"
video="$source_video"
if [[ -n "${CUT_SECONDS:-}" ]]; then
  video="$out/session-${CUT_SECONDS}s-1280x720.mp4"
  [[ -s "$video" ]] || ffmpeg -hide_banner -loglevel error -y -i "$source_video" -t "$CUT_SECONDS" -c copy "$video"
fi
duration=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$video")

bin="${EMOTELAB_BIN:-}"
if [[ -z "$bin" ]]; then
  swift build -c release --scratch-path "$scratch" --product emotelab >/dev/null
  bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/emotelab"
fi

measure() {   # LOG COMMAND... -> "wall_s cpu_s rss_mb"
  local log="$1"; shift
  /usr/bin/time -v "$@" >"$log" 2>"$log.time"
  local wall cpu rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$log.time")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {s += $2} END {printf "%.2f", s}' "$log.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$log.time")
  echo "$wall $cpu $rss"
}

db="$out/bench.sqlite"
rm -f "$db" "$db-wal" "$db-shm"
awk -v d="$duration" 'BEGIN { print "task,start,end"; for (i = 0; i < 5; i++) printf "Task %d,%.3f,%.3f\n", i + 1, d * i / 5, d * (i + 1) / 5 }' > "$out/tasks.csv"
echo "evidence-speed: analysing $video ($duration s) at 4 samples/s"
"$bin" analyze "$video" --tasks "$out/tasks.csv" --db "$db" --fps 4 >"$out/analyze.log" 2>&1

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$out/clips" "$out/clips-fast" "$out/clips-captions" "$out/annotated.mp4"
read -r c_wall c_cpu c_rss < <(measure "$out/clips.log" "$bin" clips --session 1 --out "$out/clips" --db "$db")
read -r f_wall f_cpu f_rss < <(measure "$out/clips-fast.log" "$bin" clips --session 1 --out "$out/clips-fast" --fast --db "$db")
read -r p_wall p_cpu p_rss < <(measure "$out/clips-captions.log" "$bin" clips --session 1 --out "$out/clips-captions" --captions --db "$db")
read -r a_wall a_cpu a_rss < <(measure "$out/annotate.log" "$bin" annotate --session 1 --out "$out/annotated.mp4" --db "$db")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
count=$(($(wc -l < "$out/clips/clips.csv") - 1))
speed() { awk -v d="$duration" -v w="$1" 'BEGIN { printf "%.2f", d / w }'; }

echo "recording: $video ($duration s); $count clips per clips run; load before $load_before, after $load_after"
printf "%-28s %8s %12s %8s %12s\n" run wall_s x_real_time cpu_s peak_rss_mb
printf "%-28s %8s %12s %8s %12s\n" "clips (re-encoded)" "$c_wall" "-" "$c_cpu" "$c_rss"
printf "%-28s %8s %12s %8s %12s\n" "clips --fast" "$f_wall" "-" "$f_cpu" "$f_rss"
printf "%-28s %8s %12s %8s %12s\n" "clips --captions" "$p_wall" "-" "$p_cpu" "$p_rss"
printf "%-28s %8s %12s %8s %12s\n" "annotate" "$a_wall" "$(speed "$a_wall")" "$a_cpu" "$a_rss"
printf "run\twall_s\tcpu_s\tpeak_rss_mb\nclips\t%s\t%s\t%s\nclips_fast\t%s\t%s\t%s\nclips_captions\t%s\t%s\t%s\nannotate\t%s\t%s\t%s\n" \
  "$c_wall" "$c_cpu" "$c_rss" "$f_wall" "$f_cpu" "$f_rss" "$p_wall" "$p_cpu" "$p_rss" "$a_wall" "$a_cpu" "$a_rss" > "$out/results.tsv"
tail -n 1 "$out/annotate.log"
