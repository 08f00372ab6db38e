#!/usr/bin/env bash
# The README's main command: on a fresh machine, installs the Debian packages, builds EmoteLab (release),
# analyses the bundled sample Fixtures/media/face_noface.mov with its tasks file and writes the per-task
# report as demo/report.csv and demo/report.html (the database is demo/emotelab.sqlite).
# Usage: scripts/demo.sh            (SWIFT_SCRATCH_PATH picks another build folder; default .build)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scratch="${SWIFT_SCRATCH_PATH:-.build}"
echo "demo: building emotelab (release; the first build takes a few minutes)"
swift build -c release --scratch-path "$scratch" --product emotelab
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/emotelab"

mkdir -p demo
rm -f demo/emotelab.sqlite demo/emotelab.sqlite-wal demo/emotelab.sqlite-shm demo/report.csv demo/report.html
"$bin" analyze Fixtures/media/face_noface.mov --tasks Fixtures/media/face_noface.tasks.csv --db demo/emotelab.sqlite
"$bin" report --session latest --db demo/emotelab.sqlite --csv demo/report.csv --html demo/report.html >/dev/null
echo
echo "demo: per-task report (CSV):  $PWD/demo/report.csv"
echo "demo: per-task report (HTML): $PWD/demo/report.html"
echo "demo: session database:       $PWD/demo/emotelab.sqlite  (try: $bin timeline --session latest --db demo/emotelab.sqlite)"
