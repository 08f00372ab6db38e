#!/usr/bin/python3
"""Makes a FER2013 training folder that covers both contrast ranges of the shared copy.

In ../shared/data/fer2013 the val images are contrast-stretched (median per-image range 0-247, pixel std
about 56) while the train images mostly are not (median range 37-209, std about 38), and faces cropped from
video look like val (range about 4-236, std about 44 on single_face.mp4). A model trained on train alone
learns the low-contrast look and its val accuracy falls as it fits it. This writes OUT/train/<class>/ with
every train image twice (as is, and linearly stretched from its 1st-99th percentile to 0-255, as PNG) and
OUT/val/<class>/ linking to the original val images, for `emotelab train --data OUT`.

Usage: /usr/bin/python3 scripts/make-contrast-fer.py SHARED_FER2013 OUT     (needs python3-opencv)
"""
import os
import sys

import cv2
import numpy as np

source, out = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(os.path.join(source, "train"))):
    folder = os.path.join(source, "train", name)
    target = os.path.join(out, "train", name)
    os.makedirs(target, exist_ok=True)
    for file in sorted(os.listdir(folder)):
        path = os.path.join(folder, file)
        stem = os.path.splitext(file)[0]
        link = os.path.join(target, file)
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(path), link)
        image = cv2.imread(path, cv2.IMREAD_GRAYSCALE).astype(np.float32)
        low, high = np.percentile(image, 1), np.percentile(image, 99)
        stretched = np.clip((image - low) * 255.0 / max(high - low, 1.0), 0, 255).round().astype(np.uint8)
        cv2.imwrite(os.path.join(target, stem + "_stretched.png"), stretched)
for name in sorted(os.listdir(os.path.join(source, "val"))):
    target = os.path.join(out, "val", name)
    os.makedirs(target, exist_ok=True)
    for file in sorted(os.listdir(os.path.join(source, "val", name))):
        link = os.path.join(target, file)
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(os.path.join(source, "val", name, file)), link)
print(f"make-contrast-fer: wrote {out}")
