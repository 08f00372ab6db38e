#!/usr/bin/python3
"""Golden fixtures for the NeuralNet/EmotionModel tests, made once with PyTorch (Debian python3-torch).

Run from the repository root:  /usr/bin/python3 Fixtures/nn/make_golden.py
(needs python3-torch, python3-opencv and python3-numpy; writes the files next to this script).

Writes:
  golden_c_weights.safetensors  student C (1x48x48) with fixed random weights and BatchNorm statistics, every
                                value rounded to float16 so the F16 file is exact; metadata as EmoteLab writes it.
  golden_c_io.safetensors       the input batch (14 fer2013-mini val images, 2 per class, as bytes 0..255), eval
                                logits, one training step (CE with class weights + 0.2 * T^2 KL, T=3, dropout off):
                                train logits, loss terms, every parameter's gradient, BatchNorm running stats after
                                the step, and the weights of a few layers after one SGD step; plus a weighted
                                label-smoothing cross-entropy case.
  param_counts.json             parameter counts of teacher/A/B/C for 1- and 3-channel input.
The safetensors files are written with a small writer here (the format is 8-byte header length + JSON + data).
"""
import json
import os
import struct
import sys

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
MINI = os.path.join(HERE, "..", "..", "..", "shared", "data", "fer2013-mini")
LABELS = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]


class SEBlock(nn.Module):
    def __init__(self, channels, hidden):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(nn.Linear(channels, hidden, bias=False), nn.ReLU(inplace=True),
                                nn.Linear(hidden, channels, bias=False), nn.Sigmoid())

    def forward(self, x):
        b, c, _, _ = x.size()
        y = self.fc(self.avg_pool(x).view(b, c)).view(b, c, 1, 1)
        return x * y


class ResidualBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, stride=1, padding=1)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResEmoteNet(nn.Module):
    """The official ResEmoteNet layout with every width divided by `div` (1 teacher, 2 A, 4 B, 8 C)."""

    def __init__(self, div=1, in_ch=3, classes=7, p_stem=0.2, p_head=0.5):
        super().__init__()
        c1, c2, c3 = 64 // div, 128 // div, 256 // div
        r1, r2, r3 = 512 // div, 1024 // div, 2048 // div
        self.conv1 = nn.Conv2d(in_ch, c1, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(c1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(c2)
        self.conv3 = nn.Conv2d(c2, c3, 3, padding=1)
        self.bn3 = nn.BatchNorm2d(c3)
        self.se = SEBlock(c3, 32 if div == 8 else c3 // 16)
        self.res_block1 = ResidualBlock(c3, r1, 2)
        self.res_block2 = ResidualBlock(r1, r2, 2)
        self.res_block3 = ResidualBlock(r2, r3, 2)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc1 = nn.Linear(r3, r3 // 2)
        self.fc2 = nn.Linear(r3 // 2, r3 // 4)
        self.fc3 = nn.Linear(r3 // 4, r3 // 8)
        self.dropout1 = nn.Dropout(p_stem)
        self.dropout2 = nn.Dropout(p_head)
        self.fc4 = nn.Linear(r3 // 8, classes)

    def forward(self, x):
        x = self.dropout1(F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2))
        x = self.dropout1(F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2))
        x = F.max_pool2d(F.relu(self.bn3(self.conv3(x))), 2)
        x = self.se(x)
        x = self.res_block3(self.res_block2(self.res_block1(x)))
        x = self.pool(x).flatten(1)
        x = self.dropout2(F.relu(self.fc1(x)))
        x = self.dropout2(F.relu(self.fc2(x)))
        x = self.dropout2(F.relu(self.fc3(x)))
        return self.fc4(x)


def write_safetensors(path, tensors, metadata=None):
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        t = tensors[name]
        arr = t.detach().cpu().numpy() if torch.is_tensor(t) else np.asarray(t)
        kind = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16", np.dtype(np.int64): "I64"}[arr.dtype]
        raw = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": kind, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)

    counts = {}
    for name, div in [("teacher", 1), ("A", 2), ("B", 4), ("C", 8)]:
        counts[name] = {str(ch): sum(p.numel() for p in ResEmoteNet(div, ch).parameters()) for ch in (1, 3)}
    with open(os.path.join(HERE, "param_counts.json"), "w") as f:
        json.dump(counts, f, indent=2, sort_keys=True)
        f.write("\n")

    model = ResEmoteNet(8, 1, p_stem=0.0, p_head=0.0)
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bn1.weight") or name.endswith("bn2.weight") or name.endswith("bn3.weight") or ".shortcut.1.weight" in name:
                p.copy_(0.5 + torch.rand(p.shape, generator=g))
            elif ".bn" in name or name.startswith("bn") or ".shortcut.1." in name:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(0.1 * torch.randn(b.shape, generator=g))
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand(b.shape, generator=g))
            elif name.endswith("num_batches_tracked"):
                b.fill_(3)
        for t in list(model.parameters()) + [b for n, b in model.named_buffers() if b.dtype == torch.float32]:
            t.copy_(t.half().float())   # exactly representable in F16

    state = {k: (v.half() if v.dtype == torch.float32 else v) for k, v in model.state_dict().items()}
    metadata = {"format": "emotelab-resemotenet-1", "architecture": "ResEmoteNet", "width": "C",
                "input_channels": "1", "input_size": "48", "labels": ",".join(LABELS), "mean": "0.5", "std": "0.5",
                "training": json.dumps({"note": "fixed random weights for golden tests"})}
    write_safetensors(os.path.join(HERE, "golden_c_weights.safetensors"), state, metadata)

    files = []
    for label in LABELS:
        names = sorted(os.listdir(os.path.join(MINI, "val", label)))[:2]
        files += [os.path.join(MINI, "val", label, n) for n in names]
    pixels = np.stack([cv2.imread(f, cv2.IMREAD_GRAYSCALE) for f in files]).astype(np.float32)
    assert pixels.shape == (14, 48, 48)
    x = ((torch.from_numpy(pixels) / 255.0 - 0.5) / 0.5).unsqueeze(1)
    targets = torch.tensor([i // 2 for i in range(14)])
    class_weights = torch.tensor([1.0, 2.5, 1.2, 0.6, 0.9, 1.1, 1.3])
    teacher_logits = 2.0 * torch.randn(14, 7, generator=g)

    out = {"pixels": torch.from_numpy(pixels), "targets": targets.float(), "class_weights": class_weights,
           "teacher_logits": teacher_logits}
    model.eval()
    with torch.no_grad():
        out["eval_logits"] = model(x)

    model.train()
    T, beta = 3.0, 0.2
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    opt.zero_grad()
    logits = model(x)
    ce = F.cross_entropy(logits, targets, weight=class_weights)
    kd = T * T * F.kl_div(F.log_softmax(logits / T, 1), F.softmax(teacher_logits / T, 1), reduction="batchmean")
    loss = ce + beta * kd
    loss.backward()
    out["train_logits"] = logits.detach()
    out["loss"] = torch.tensor([loss.item(), ce.item(), kd.item()])
    for name, p in model.named_parameters():
        out["grad." + name] = p.grad
    for name, b in model.named_buffers():
        if b.dtype == torch.float32:
            out["after." + name] = b
    opt.step()
    for name, p in model.named_parameters():
        if name.startswith(("conv1.", "bn1.", "fc4.", "res_block3.bn2.")):
            out["updated." + name] = p.detach()

    ls_logits = torch.randn(4, 7, generator=g, requires_grad=True)
    ls_targets = torch.tensor([1, 3, 0, 6])
    ls = F.cross_entropy(ls_logits, ls_targets, weight=class_weights, label_smoothing=0.1)
    ls.backward()
    out.update({"ls_logits": ls_logits.detach(), "ls_targets": ls_targets.float(), "ls_loss": ls.detach().reshape(1),
                "ls_grad": ls_logits.grad})
    write_safetensors(os.path.join(HERE, "golden_c_io.safetensors"), {k: v.float() for k, v in out.items()},
                      {"files": ",".join(os.path.relpath(f, MINI) for f in files), "torch": torch.__version__})
    print("loss", loss.item(), "params", sum(p.numel() for p in model.parameters()), counts, file=sys.stderr)


if __name__ == "__main__":
    main()
