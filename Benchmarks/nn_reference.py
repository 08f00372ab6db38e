#!/usr/bin/env python3
"""Reference speeds for the ResEmoteNet family: PyTorch eager, TorchScript and ONNX Runtime on the CPU.

Prints one JSON object per line: {"engine", "model", "mode", "batch", "images_per_second", "ms_per_batch"}.
Run with a Python that has torch (Debian python3-torch) and onnxruntime, e.g. a venv made with
`/usr/bin/python3 -m venv --system-site-packages DIR && DIR/bin/pip install onnxruntime onnx` (see nn-speed.sh).
The network definition is the one the golden fixtures use (Fixtures/nn/make_golden.py).
"""
import argparse
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # keep PyTorch's BLAS pool from fighting its own threads

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "nn"))
from make_golden import ResEmoteNet  # noqa: E402

DIVISORS = {"teacher": 1, "A": 2, "B": 4, "C": 8}


def timed(fn, seconds):
    """Median wall time per call and mean process CPU time per call (all threads)."""
    fn()
    times = []
    cpu0 = time.process_time()
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or len(times) < 3:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    cpu = (time.process_time() - cpu0) / len(times)
    times.sort()
    return times[len(times) // 2], cpu


def report(engine, model, mode, batch, measured):
    seconds_per_batch, cpu = measured
    print(json.dumps({"engine": engine, "model": model, "mode": mode, "batch": batch,
                      "images_per_second": batch / seconds_per_batch, "ms_per_batch": seconds_per_batch * 1000,
                      "cpu_ms_per_batch": cpu * 1000}), flush=True)


def inference(model_name, batch, seconds, threads, engines):
    net = ResEmoteNet(DIVISORS[model_name], 1).eval()
    x = torch.randn(batch, 1, 48, 48)
    if "eager" in engines:
        with torch.no_grad():
            report("pytorch-eager", model_name, "inference", batch, timed(lambda: net(x), seconds))
    if "torchscript" in engines:
        with torch.no_grad():
            scripted = torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.trace(net, x)))
            scripted(x)
            report("torchscript", model_name, "inference", batch, timed(lambda: scripted(x), seconds))
    if "ort" in engines:
        import onnxruntime as ort
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.onnx")
            torch.onnx.export(net, x, path, input_names=["x"], output_names=["y"],
                              dynamic_axes={"x": {0: "n"}, "y": {0: "n"}}, opset_version=13)
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
            feed = {"x": x.numpy()}
            report("onnxruntime", model_name, "inference", batch, timed(lambda: session.run(None, feed), seconds))


def training(model_name, batch, seconds):
    net = ResEmoteNet(DIVISORS[model_name], 1).train()
    x = torch.randn(batch, 1, 48, 48)
    y = torch.arange(batch) % 7
    opt = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-4)

    def step():
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()
    report("pytorch-eager", model_name, "train", batch, timed(step, seconds))


def summarize(path, threads):
    """Prints the comparison table (medians over rounds) for a JSON-lines file of measurements."""
    rows, cpu = {}, {}
    for line in open(path):
        d = json.loads(line)
        key = (d["mode"], d["model"], d["batch"])
        rows.setdefault(key, {}).setdefault(d["engine"], []).append(d["images_per_second"])
        if "cpu_ms_per_batch" in d:
            cpu.setdefault(key, {}).setdefault(d["engine"], []).append(d["cpu_ms_per_batch"] / d["batch"])
    med = lambda xs: sorted(xs)[len(xs) // 2]
    engines = ["emotelab", "pytorch-eager", "torchscript", "onnxruntime"]
    order = {"inference": 0, "train": 1}
    keys = sorted(rows, key=lambda k: (order[k[0]], k[1] if k[1] != "teacher" else "Z", k[2]))
    print(f"images/s (wall clock), {threads} threads, input 1x48x48 (median of rounds; batch-1 rows also as ms/image)")
    print(f"{'mode':<10}{'model':<9}{'batch':>5} | " + " | ".join(f"{e:>13}" for e in engines) + " | ours/ORT | ours/eager")
    for key in keys:
        mode, model, batch = key
        values = {e: med(v) for e, v in rows[key].items()}
        cells = []
        for e in engines:
            if e not in values:
                cells.append(f"{'-':>13}")
            elif batch == 1:
                cells.append(f"{values[e]:>7.0f} {1000 / values[e]:4.2f}ms")
            else:
                cells.append(f"{values[e]:>13.0f}")
        ours = values.get("emotelab")
        ratio = lambda e: f"{ours / values[e]:8.2f}x" if ours and e in values else f"{'-':>9}"
        print(f"{mode:<10}{model:<9}{batch:>5} | " + " | ".join(cells) + f" | {ratio('onnxruntime')} | {ratio('pytorch-eager')}")
    print()
    print("process CPU ms per image (all threads; steadier than wall time on a shared machine), median of rounds")
    print(f"{'mode':<10}{'model':<9}{'batch':>5} | " + " | ".join(f"{e:>13}" for e in engines))
    for key in keys:
        values = {e: med(v) for e, v in cpu.get(key, {}).items()}
        cells = [f"{values[e]:>13.3f}" if e in values else f"{'-':>13}" for e in engines]
        print(f"{key[0]:<10}{key[1]:<9}{key[2]:>5} | " + " | ".join(cells))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--summarize", metavar="JSONL", help="print the table for a results file and exit")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seconds", type=float, default=3)
    p.add_argument("--inference", default="B:1,B:64,C:1,C:64", help="model:batch list")
    p.add_argument("--train", default="B:64,A:64,teacher:64", help="model:batch list")
    p.add_argument("--engines", default="eager,torchscript,ort")
    a = p.parse_args()
    if a.summarize:
        summarize(a.summarize, a.threads)
        return
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    engines = set(a.engines.split(","))
    for item in filter(None, a.inference.split(",")):
        m, b = item.split(":")
        inference(m, int(b), a.seconds, a.threads, engines)
    for item in filter(None, a.train.split(",")):
        m, b = item.split(":")
        training(m, int(b), a.seconds)


if __name__ == "__main__":
    main()
