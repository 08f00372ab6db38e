#!/usr/bin/python3
"""PyTorch reference for Benchmarks/train-speed.sh: seconds per FER2013-train epoch (28,709 images, batch 64,
1x48x48) of eager PyTorch training in the setting EmoteLab's trainer uses: random horizontal flips, dropout on,
class-weighted cross-entropy (inverse frequency, FER2013 train counts), SGD momentum 0.9, weight decay 5e-4.

The network is the ResEmoteNet family definition of Fixtures/nn/make_golden.py (the one EmoteLab's golden tests
match). Inputs are random tensors held in memory: training speed does not depend on pixel values, and EmoteLab
also trains from an in-memory cache. Run with OPENBLAS_NUM_THREADS=1 (the script sets torch threads).

usage: train_speed_torch.py [--threads 2] [--models C,B,A,teacher] [--batches C=440,B=200,A=80,teacher=40] [--json F]
"""
import argparse
import importlib.util
import json
import os
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("golden", os.path.join(HERE, "..", "Fixtures", "nn", "make_golden.py"))
golden = importlib.util.module_from_spec(spec)
spec.loader.exec_module(golden)

TRAIN_IMAGES = 28709
COUNTS = [3995, 436, 4097, 7215, 4965, 4830, 3171]   # FER2013 train, EmoteLab label order
DIVISORS = {"teacher": 1, "A": 2, "B": 4, "C": 8}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--models", default="C,B,A,teacher")
    parser.add_argument("--batches", default="C=440,B=200,A=80,teacher=40")
    parser.add_argument("--json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    batches = {k: int(v) for k, v in (p.split("=") for p in args.batches.split(","))}
    weights = torch.tensor([TRAIN_IMAGES / (7 * n) for n in COUNTS])
    pool = torch.rand(4096, 1, 48, 48)             # images are drawn from this in-memory pool
    labels = torch.randint(0, 7, (4096,))
    per_epoch = TRAIN_IMAGES // 64 + (1 if TRAIN_IMAGES % 64 >= 2 else 0)
    rows = []
    print(f"torch {torch.__version__}, {args.threads} threads")
    print("model    params   batches  img/s    s/epoch  CPU ms/img")
    for name in args.models.split(","):
        model = golden.ResEmoteNet(div=DIVISORS[name], in_ch=1)
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
        wanted = min(batches.get(name, 50), per_epoch - 2)

        def step(i):
            idx = torch.randint(0, pool.shape[0], (64,))
            x = pool[idx].clone()
            flip = torch.rand(64) < 0.5
            x[flip] = x[flip].flip(-1)
            loss = F.cross_entropy(model(x), labels[idx], weight=weights)
            opt.zero_grad()
            loss.backward()
            opt.step()

        step(0)                                        # warm-up (allocations), not timed
        start, cpu_start = time.perf_counter(), time.process_time()
        for i in range(wanted):
            step(i)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        rate = wanted * 64 / seconds
        params = sum(p.numel() for p in model.parameters())
        rows.append({"model": name, "parameters": params, "batchesMeasured": wanted, "batchesPerEpoch": per_epoch,
                     "imagesPerSecond": rate, "secondsPerEpoch": TRAIN_IMAGES / rate,
                     "cpuMillisecondsPerImage": cpu / (wanted * 64) * 1000})
        print(f"{name:<8} {params / 1e6:6.2f} M  {wanted:3d}/{per_epoch:3d}  {rate:7.1f}  {TRAIN_IMAGES / rate:8.1f}  "
              f"{cpu / (wanted * 64) * 1000:8.3f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"torch": torch.__version__, "threads": args.threads, "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
