#!/usr/bin/env bash
# Training speed: seconds per FER2013-train epoch (28,709 images, batch 64, 1×48×48, 2 threads) of EmoteLab's
# trainer for students C, B, A and the teacher, beside eager PyTorch (Debian python3-torch) in the same
# setting. Students C and B are measured over (nearly) a whole epoch; A and the teacher are extrapolated from
# the first batches (override with BATCHES="C=448,B=448,A=200,teacher=200").
# Prints a table and writes Benchmarks/out/train-speed.{json,md}.
#
# usage: Benchmarks/train-speed.sh   (from the repository root; needs ../shared/data/fer2013 and python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
THREADS=${THREADS:-2}
BATCHES=${BATCHES:-C=448,B=448,A=120,teacher=60}
MODELS=${MODELS:-C,B,A,teacher}
DATA=${EMOTELAB_SHARED:-../shared}/data/fer2013
mkdir -p Benchmarks/out

swift build -c release --product train-speed --scratch-path "$SCRATCH" >/dev/null
echo "== EmoteLab trainer"
"$SCRATCH/release/train-speed" --data "$DATA" --threads "$THREADS" --models "$MODELS" --batches "$BATCHES" \
  --json Benchmarks/out/train-speed-emotelab.json
echo "== PyTorch (eager)"
OPENBLAS_NUM_THREADS=1 /usr/bin/python3 Benchmarks/train_speed_torch.py --threads "$THREADS" --models "$MODELS" \
  --batches "$BATCHES" --json Benchmarks/out/train-speed-torch.json

/usr/bin/python3 - <<'PY'
import json
ours = json.load(open("Benchmarks/out/train-speed-emotelab.json"))
torch = {r["model"]: r for r in json.load(open("Benchmarks/out/train-speed-torch.json"))["rows"]}
lines = ["| model | params | batches timed (ours / torch) | EmoteLab img/s | EmoteLab s/epoch | PyTorch img/s | PyTorch s/epoch | speed-up |",
         "|---|---|---|---|---|---|---|---|"]
rows = []
for r in ours["rows"]:
    t = torch.get(r["model"])
    speedup = t["secondsPerEpoch"] / r["secondsPerEpoch"] if t else float("nan")
    lines.append(f"| {r['model']} | {r['parameters'] / 1e6:.2f} M | {r['batchesMeasured']} / {t['batchesMeasured'] if t else '-'} "
                 f"of {r['batchesPerEpoch']} | {r['imagesPerSecond']:.0f} | {r['secondsPerEpoch']:.0f} | "
                 f"{t['imagesPerSecond']:.0f} | {t['secondsPerEpoch']:.0f} | {speedup:.2f}× |")
    rows.append({**r, "torchImagesPerSecond": t and t["imagesPerSecond"], "torchSecondsPerEpoch": t and t["secondsPerEpoch"],
                 "speedup": speedup})
table = "\n".join(lines)
print(table)
print(f"(data load and byte cache, not in the epoch time: {ours['loadSeconds']:.1f} s for {ours['trainImages']} images)")
open("Benchmarks/out/train-speed.md", "w").write(table + "\n")
json.dump({"threads": ours["threads"], "loadSeconds": ours["loadSeconds"], "rows": rows},
          open("Benchmarks/out/train-speed.json", "w"), indent=2)
PY
