#!/usr/bin/env bash
# Renders the study-page example (docs/study-example.png): three "participants" made from the bundled
# samples (Fixtures/media/face_noface.mov, single_face.mp4 and a trimmed re-encode of the first, one folder
# each), analysed with one semicolon tasks file whose names hold <, &, quotes and CJK text, an open end
# and a point event; then `emotelab report --session all --html` and headless Chromium.
# With --check it also photographs the study page and a participant page at 1400 and 800 px wide and
# dumps the DOM after layout, into the folder it prints (kept), for looking at overlaps and names.
# Needs the dev packages (scripts/setup.sh --dev). EMOTELAB_BIN: use an already built binary.
# Usage: scripts/study-example.sh [--check] [SCRATCH_PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
if [[ "${1:-}" == "--check" ]]; then check=1; shift; fi
scratch="${1:-.build}"
out="$(mktemp -d)"
if [[ $check == 0 ]]; then trap 'rm -rf "$out"' EXIT; fi
bin="${EMOTELAB_BIN:-}"
if [[ -z "$bin" ]]; then
  swift build -c release --scratch-path "$scratch" --product emotelab >/dev/null
  bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/emotelab"
fi
mkdir -p "$out/study/P01" "$out/study/P02" "$out/study/P03"
cp Fixtures/media/face_noface.mov "$out/study/P01/session.mov"
cp Fixtures/media/single_face.mp4 "$out/study/P02/session.mp4"
ffmpeg -loglevel error -y -ss 0.8 -i Fixtures/media/face_noface.mov -an -c:v libx264 -preset veryfast "$out/study/P03/session.mkv"
printf '%s\n' 'task;start;end;type;notes' \
  '"Sign up <now> & ""verify""";0;;task;first try' \
  '購入手続き (checkout);1,2;;task;' \
  'clicked Buy;1,5;;event;' > "$out/tasks.csv"
"$bin" analyze "$out/study" --tasks "$out/tasks.csv" --db "$out/study.sqlite" >/dev/null 2>&1
"$bin" report --session all --db "$out/study.sqlite" --html "$out/study.html" --summary "$out/summary.csv" \
  --csv "$out/study.csv" >/dev/null
shoot() {  # PAGE WIDTH,HEIGHT PNG
  # --no-sandbox: Chromium refuses to sandbox as root; the page is our own file and loads nothing.
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$2" --screenshot="$3" "file://$1" 2>/dev/null
}
shoot "$out/study.html" "${EMOTELAB_SHOT_SIZE:-1100,1900}" "$out/shot.png"
mkdir -p docs
cp "$out/shot.png" docs/study-example.png
echo "study-example: wrote docs/study-example.png"
if [[ $check == 1 ]]; then
  for width in 1400 800; do
    shoot "$out/study.html" "$width,2600" "$out/study-$width.png"
    shoot "$out/study-P01.html" "$width,1700" "$out/P01-$width.png"
  done
  chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=2000 --dump-dom "file://$out/study.html" \
    2>/dev/null > "$out/study.dom.html"
  echo "study-example: check pages, screenshots and DOM in $out"
fi
