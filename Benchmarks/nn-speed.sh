#!/usr/bin/env bash
# Speed of the NeuralNet engine next to PyTorch (eager, TorchScript) and ONNX Runtime, in one run, on the same
# architectures and input (1x48x48), with the same thread count. Prints a table and writes raw JSON lines and
# the table to Benchmarks/out/.
#
#   Benchmarks/nn-speed.sh [--threads N] [--rounds R] [--seconds S]
#
# Needs python3-torch (Debian) and a venv with onnxruntime + onnx, created on first use in Benchmarks/out/venv
# (`/usr/bin/python3 -m venv --system-site-packages`, numpy kept at the Debian version so torch still imports).
# Set EMOTELAB_BIN to use an already built binary; otherwise a release build is made in .build-bench.
# Rounds are interleaved (ours, then the references, per round) and the table shows medians per row.
set -euo pipefail
cd "$(dirname "$0")/.."

threads=2 rounds=3 seconds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "usage: $0 [--threads N] [--rounds R] [--seconds S]" >&2; exit 2 ;;
  esac
done

out=Benchmarks/out
mkdir -p "$out"
venv="$out/venv"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import torch, onnxruntime, onnx" 2>/dev/null; then
  echo "nn-speed: creating $venv (onnxruntime, onnx)" >&2
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  numpy_version=$(/usr/bin/python3 -c "import numpy; print(numpy.__version__)")
  "$venv/bin/pip" install -q onnxruntime onnx "numpy==$numpy_version"
fi

bin="${EMOTELAB_BIN:-}"
if [[ -z "$bin" ]]; then
  swift build -c release --product emotelab --scratch-path .build-bench >&2
  bin=.build-bench/release/emotelab
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
raw="$out/nn-speed-$stamp.jsonl"
inference_cases=("B 1" "B 64" "C 1" "C 64")
train_cases=("B 64" "A 64" "teacher 64")
echo "nn-speed: $rounds rounds, $threads threads, ${seconds}s per measurement, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for round in $(seq 1 "$rounds"); do
  echo "nn-speed: round $round" >&2
  for c in "${inference_cases[@]}"; do
    set -- $c
    "$bin" bench --model "$1" --batch "$2" --threads "$threads" --seconds "$seconds" --format json \
      | "$venv/bin/python" -c "import json,sys; d=json.load(sys.stdin); print(json.dumps({'engine':'emotelab','model':d['model'],'mode':d['mode'],'batch':d['batch'],'images_per_second':d['images_per_second'],'ms_per_batch':d['seconds_per_batch']*1000,'cpu_ms_per_batch':d['cpu_seconds_per_batch']*1000}))" >> "$raw"
  done
  for c in "${train_cases[@]}"; do
    set -- $c
    "$bin" bench --model "$1" --batch "$2" --train --threads "$threads" --seconds "$seconds" --format json \
      | "$venv/bin/python" -c "import json,sys; d=json.load(sys.stdin); print(json.dumps({'engine':'emotelab','model':d['model'],'mode':d['mode'],'batch':d['batch'],'images_per_second':d['images_per_second'],'ms_per_batch':d['seconds_per_batch']*1000,'cpu_ms_per_batch':d['cpu_seconds_per_batch']*1000}))" >> "$raw"
  done
  "$venv/bin/python" Benchmarks/nn_reference.py --threads "$threads" --seconds "$seconds" \
    --inference "B:1,B:64,C:1,C:64" --train "B:64,A:64,teacher:64" 2>/dev/null >> "$raw"
done
"$venv/bin/python" Benchmarks/nn_reference.py --summarize "$raw" --threads "$threads" | tee "$out/nn-speed-$stamp.txt"
echo "nn-speed: raw results in $raw" >&2
