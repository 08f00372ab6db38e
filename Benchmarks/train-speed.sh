#!/usr/bin/env bash
# Training speed: seconds per FER2013-train epoch (28,709 images, batch 64, 1×48×48, 2 threads) of EmoteLab's
# trainer for students C, B, A and the teacher, beside eager PyTorch (Debian python3-torch) in the same
# setting. Student C is measured over (nearly) a whole epoch; B, A and the teacher are extrapolated from their
# first batches (override with BATCHES="C=440,B=440,A=200,teacher=200"). Wall-clock img/s and s/epoch, plus
# process CPU ms per image, which does not depend on how other jobs share the cores.
# PyTorch runs with OMP_WAIT_POLICY=PASSIVE (override with TORCH_OMP_WAIT_POLICY=ACTIVE): on a machine shared
# with other jobs its OpenMP threads otherwise spin against each other and training collapses (C: 28 img/s
# instead of ~350 measured side by side on a loaded VM). Each model runs in EmoteLab, then in PyTorch, before
# the next model starts, so both see the same machine load.
# Prints a table and writes Benchmarks/out/train-speed.{json,md}.
#
# usage: Benchmarks/train-speed.sh   (from the repository root; needs ../shared/data/fer2013 and python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
THREADS=${THREADS:-2}
BATCHES=${BATCHES:-C=440,B=200,A=80,teacher=40}
export MODELS=${MODELS:-C,B,A,teacher}
DATA=${EMOTELAB_SHARED:-../shared}/data/fer2013
mkdir -p Benchmarks/out

swift build -q -c release --product train-speed --scratch-path "$SCRATCH"
IFS=, read -r -a models <<< "$MODELS"
for model in "${models[@]}"; do
  echo "== $model: EmoteLab trainer"
  "$SCRATCH/release/train-speed" --data "$DATA" --threads "$THREADS" --models "$model" --batches "$BATCHES" \
    --json "Benchmarks/out/train-speed-emotelab-$model.json"
  echo "== $model: PyTorch (eager)"
  OMP_WAIT_POLICY=${TORCH_OMP_WAIT_POLICY:-PASSIVE} OPENBLAS_NUM_THREADS=1 /usr/bin/python3 Benchmarks/train_speed_torch.py \
    --threads "$THREADS" --models "$model" --batches "$BATCHES" --json "Benchmarks/out/train-speed-torch-$model.json"
done

/usr/bin/python3 - <<'PY'
import json, os
models = os.environ.get("MODELS", "C,B,A,teacher").split(",")
parts = [json.load(open(f"Benchmarks/out/train-speed-emotelab-{m}.json")) for m in models]
ours = {"threads": parts[0]["threads"], "loadSeconds": parts[0]["loadSeconds"], "trainImages": parts[0]["trainImages"],
        "rows": [r for p in parts for r in p["rows"]]}
torch = {r["model"]: r for m in models for r in json.load(open(f"Benchmarks/out/train-speed-torch-{m}.json"))["rows"]}
lines = ["| model | params | batches timed | EmoteLab img/s | EmoteLab s/epoch | PyTorch img/s | PyTorch s/epoch "
         "| wall speed-up | EmoteLab CPU ms/img | PyTorch CPU ms/img | CPU speed-up |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
rows = []
for r in ours["rows"]:
    t = torch[r["model"]]
    wall = t["secondsPerEpoch"] / r["secondsPerEpoch"]
    cpu = t["cpuMillisecondsPerImage"] / r["cpuMillisecondsPerImage"]
    lines.append(f"| {r['model']} | {r['parameters'] / 1e6:.2f} M | {r['batchesMeasured']} of {r['batchesPerEpoch']} "
                 f"| {r['imagesPerSecond']:.0f} | {r['secondsPerEpoch']:.0f} | {t['imagesPerSecond']:.0f} "
                 f"| {t['secondsPerEpoch']:.0f} | {wall:.2f}× | {r['cpuMillisecondsPerImage']:.2f} "
                 f"| {t['cpuMillisecondsPerImage']:.2f} | {cpu:.2f}× |")
    rows.append({**r, "torch": t, "wallSpeedup": wall, "cpuSpeedup": cpu})
table = "\n".join(lines)
print(table)
print(f"(data load and byte cache, not in the epoch time: {ours['loadSeconds']:.1f} s for {ours['trainImages']} images)")
open("Benchmarks/out/train-speed.md", "w").write(table + "\n")
json.dump({"threads": ours["threads"], "loadSeconds": ours["loadSeconds"], "rows": rows},
          open("Benchmarks/out/train-speed.json", "w"), indent=2)
PY
