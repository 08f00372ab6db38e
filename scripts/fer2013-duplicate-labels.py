#!/usr/bin/env python3
"""Checks FER2013's train labels through the faces that appear in both splits (MODELS.md, "What the numbers mean").

FER2013 holds near-duplicate faces across its splits. Each val image is matched to its most similar train image
(cosine similarity of the mean-removed pixels). If the train labels had been corrupted, matched pairs would disagree
far more often than FER2013's own duplicates do (they disagree in a few per cent of pairs: the labels are noisy).

Usage: scripts/fer2013-duplicate-labels.py [DATA]   (default ../shared/data/fer2013; needs numpy and ffmpeg)
"""
import subprocess
import sys

import numpy as np

CLASSES = "angry disgust fear happy neutral sad surprise".split()


def load(root, split):
    images, labels = [], []
    for i, name in enumerate(CLASSES):
        folder = f"{root}/{split}/{name}"
        try:
            raw = subprocess.run(["ffmpeg", "-v", "error", "-pattern_type", "glob", "-i", f"{folder}/*.jpg",
                                  "-f", "rawvideo", "-pix_fmt", "gray", "-"], check=True, capture_output=True).stdout
        except (OSError, subprocess.CalledProcessError):
            sys.exit(f"error: cannot read the JPEGs of {folder} (is {root} FER2013 in the image-folder layout?)")
        a = np.frombuffer(raw, np.uint8).reshape(-1, 48, 48).astype(np.float32)
        images.append(a)
        labels += [i] * len(a)
    return np.concatenate(images), np.array(labels)


def unit(x):
    x = x.reshape(len(x), -1)
    x = x - x.mean(1, keepdims=True)
    return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-6)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/fer2013"
    train, train_labels = load(root, "train")
    val, val_labels = load(root, "val")
    similarity = unit(val) @ unit(train).T
    best, score = similarity.argmax(1), similarity.max(1)
    print("cosine >=  pairs  same label")
    for threshold in (0.999, 0.995, 0.99, 0.98):
        chosen = score >= threshold
        agree = (val_labels[chosen] == train_labels[best[chosen]]).mean() if chosen.any() else float("nan")
        print(f"{threshold:9}  {chosen.sum():5}  {100 * agree:9.1f} %")


if __name__ == "__main__":
    main()
