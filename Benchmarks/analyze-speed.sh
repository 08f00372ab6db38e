#!/usr/bin/env bash
# End-to-end analysis speed on a long session: makes a 10-minute 1280x720 H.264 recording by looping and
# scaling the bundled sample Fixtures/media/single_face.mp4 (a face in every frame, like a participant at
# a webcam) with the ffmpeg CLI, then times `emotelab analyze` at 4 samples/s (wall time, x real time,
# peak RSS from /usr/bin/time -v) with the decode-only time beside it (`emotelab bench-decode` with the
# decode settings analyze uses: 4 frames/s, 640 px wide, no deblocking; once with one reader, once with
# one reader per core (at most 4) on keyframe segments, as analyze's default --decoders 0 does).
# With ONE_HOUR=1 it also analyses a one-hour session: six copies of the 10-minute file joined without
# re-encoding (ffmpeg's concat demuxer), to check that time scales linearly and memory stays flat.
# A first row times the ffmpeg CLI decoding the whole file on one thread (every frame, deblocking
# skipped) as a yardstick of the host's speed: shared VMs of one kind differ by up to 2x between days, so
# compare runs from different days through that row.
# Prints a table and writes Benchmarks/out/analyze-speed/results.tsv plus each run's log.
# Usage: Benchmarks/analyze-speed.sh [extra analyze options...]   (SWIFT_SCRATCH_PATH: build folder;
# EMOTELAB_BIN: use an already built binary instead of building one; ONE_HOUR=1: add the one-hour run)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SWIFT_SCRATCH_PATH:-.build}"
out=Benchmarks/out/analyze-speed
mkdir -p "$out"
command -v ffmpeg >/dev/null || { echo "analyze-speed: needs the ffmpeg CLI (scripts/setup.sh)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "analyze-speed: needs /usr/bin/time (Debian package time)" >&2; exit 1; }
video="$(Benchmarks/make-session-video.sh)"

duration=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$video")
hour_video="$out/session-60min-1280x720.mp4"
if [[ "${ONE_HOUR:-0}" == 1 && ! -s "$hour_video" ]]; then
  echo "analyze-speed: making $hour_video (six copies of the 10-minute file, stream copy)"
  for _ in 1 2 3 4 5 6; do echo "file '$(basename "$video")'"; done > "$out/concat.txt"
  ffmpeg -hide_banner -loglevel error -y -f concat -safe 0 -i "$out/concat.txt" -c copy "$hour_video.tmp.mp4"
  mv "$hour_video.tmp.mp4" "$hour_video"
fi

bin="${EMOTELAB_BIN:-}"
if [[ -z "$bin" ]]; then
  swift build -c release --scratch-path "$scratch" --product emotelab >/dev/null
  bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/emotelab"
fi

# Runs a command under /usr/bin/time -v; prints "wall_s cpu_s rss_mb" (cpu = user + system).
measure() {
  local log="$1"; shift
  /usr/bin/time -v "$@" >"$log" 2>"$log.time"
  local wall cpu rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$log.time")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {s += $2} END {printf "%.2f", s}' "$log.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$log.time")
  echo "$wall $cpu $rss"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
read -r ffmpeg_wall ffmpeg_cpu ffmpeg_rss < <(measure "$out/ffmpeg-decode.log" ffmpeg -hide_banner -nostats -threads 1 -skip_loop_filter all -i "$video" -f null -)
frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of default=nw=1:nk=1 "$video")
cores=$(nproc); decoders=$(( cores < 4 ? cores : 4 ))
read -r decode_wall decode_cpu decode_rss < <(measure "$out/decode.log" "$bin" bench-decode "$video" --fps 4 --max-width 640 --threads 1 --skip-loop-filter)
read -r pdecode_wall pdecode_cpu pdecode_rss < <(measure "$out/decode-parallel.log" "$bin" bench-decode "$video" --fps 4 --max-width 640 --skip-loop-filter --segments "$decoders")
rm -f "$out/bench.sqlite" "$out/bench.sqlite-wal" "$out/bench.sqlite-shm"
read -r analyze_wall analyze_cpu analyze_rss < <(measure "$out/analyze.log" "$bin" analyze "$video" --db "$out/bench.sqlite" --fps 4 --timings "$@")
if [[ "${ONE_HOUR:-0}" == 1 ]]; then
  rm -f "$out/bench-hour.sqlite" "$out/bench-hour.sqlite-wal" "$out/bench-hour.sqlite-shm"
  read -r hour_wall hour_cpu hour_rss < <(measure "$out/analyze-hour.log" "$bin" analyze "$hour_video" --db "$out/bench-hour.sqlite" --fps 4 --timings "$@")
fi

speed() { awk -v d="$duration" -v w="$1" 'BEGIN { printf "%.1f", d / w }'; }
{
  echo "load average before: $load_before"
  printf "%-34s %9s %12s %10s %13s\n" "run (10-min 1280x720 H.264, 4/s)" "wall (s)" "x real time" "CPU (s)" "peak RSS (MB)"
  printf "%-34s %9.2f %12s %10s %13s   (host yardstick: %s frames/s/core)\n" "ffmpeg CLI, 1 thread, every frame" "$ffmpeg_wall" "$(speed "$ffmpeg_wall")" "$ffmpeg_cpu" "$ffmpeg_rss" \
    "$(awk -v f="$frames" -v c="$ffmpeg_cpu" 'BEGIN { printf "%.0f", f / c }')"
  printf "%-34s %9.2f %12s %10s %13s\n" "decode only, 1 reader" "$decode_wall" "$(speed "$decode_wall")" "$decode_cpu" "$decode_rss"
  printf "%-34s %9.2f %12s %10s %13s\n" "decode only, $decoders readers on segments" "$pdecode_wall" "$(speed "$pdecode_wall")" "$pdecode_cpu" "$pdecode_rss"
  printf "%-34s %9.2f %12s %10s %13s\n" "analyze (end to end)" "$analyze_wall" "$(speed "$analyze_wall")" "$analyze_cpu" "$analyze_rss"
  if [[ "${ONE_HOUR:-0}" == 1 ]]; then
    printf "%-34s %9.2f %12s %10s %13s\n" "analyze, one-hour session" "$hour_wall" \
      "$(awk -v w="$hour_wall" 'BEGIN { printf "%.1f", 3600 / w }')" "$hour_cpu" "$hour_rss"
  fi
} | tee "$out/table.txt"
printf "run\twall_s\tx_real_time\tcpu_s\tpeak_rss_mb\nffmpeg_cli_decode\t%s\t%s\t%s\t%s\ndecode\t%s\t%s\t%s\t%s\ndecode_parallel\t%s\t%s\t%s\t%s\nanalyze\t%s\t%s\t%s\t%s\n" \
  "$ffmpeg_wall" "$(speed "$ffmpeg_wall")" "$ffmpeg_cpu" "$ffmpeg_rss" \
  "$decode_wall" "$(speed "$decode_wall")" "$decode_cpu" "$decode_rss" \
  "$pdecode_wall" "$(speed "$pdecode_wall")" "$pdecode_cpu" "$pdecode_rss" \
  "$analyze_wall" "$(speed "$analyze_wall")" "$analyze_cpu" "$analyze_rss" > "$out/results.tsv"
if [[ "${ONE_HOUR:-0}" == 1 ]]; then
  printf "analyze_one_hour\t%s\t%s\t%s\t%s\n" "$hour_wall" "$(awk -v w="$hour_wall" 'BEGIN { printf "%.1f", 3600 / w }')" \
    "$hour_cpu" "$hour_rss" >> "$out/results.tsv"
fi
echo
grep -A12 '^timings for' "$out/analyze.log" || true
[[ "${ONE_HOUR:-0}" == 1 ]] && { grep -A12 '^timings for' "$out/analyze-hour.log" || true; }
echo "analyze-speed: wrote $out/results.tsv (logs: $out/analyze.log, $out/decode.log)"
