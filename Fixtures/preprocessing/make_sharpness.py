#!/usr/bin/env python3
"""Golden values for EmotionModel's SharpnessNormalization, from OpenCV (Debian python3-opencv).

Writes sharpness.json: two 48×48 FER2013 faces (one val = sharp, one train = blurred) as raw bytes, their
sharpness (mean |cv2.Laplacian| / std, BORDER_REFLECT_101) and the val face blurred by cv2.GaussianBlur at
σ = 1.5 with the kernel radius EmoteLab uses (⌈3σ⌉). Run from the repository root:
    python3 Fixtures/preprocessing/make_sharpness.py ../shared/data
"""
import json, math, sys
import cv2
import numpy as np

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
val = cv2.imread(f"{data}/fer2013-mini/val/happy/PublicTest_10130075.jpg", cv2.IMREAD_GRAYSCALE)
train = cv2.imread(sorted(__import__("glob").glob(f"{data}/fer2013-mini/train/happy/*.jpg"))[0], cv2.IMREAD_GRAYSCALE)
assert val.shape == (48, 48) and train.shape == (48, 48)

def sharpness(img):
    f = img.astype(np.float32)
    std = f.std()
    if std < 1:
        return 0.0
    return float(np.abs(cv2.Laplacian(f, cv2.CV_32F)).mean() / std)

sigma = 1.5
r = math.ceil(3 * sigma)
blurred = cv2.GaussianBlur(val.astype(np.float32), (2 * r + 1, 2 * r + 1), sigma, borderType=cv2.BORDER_REFLECT_101)
out = {
    "val_pixels": val.flatten().tolist(),
    "val_sharpness": sharpness(val),
    "train_pixels": train.flatten().tolist(),
    "train_sharpness": sharpness(train),
    "blur_sigma": sigma,
    "val_blurred": [round(float(v), 4) for v in blurred.flatten()],
    "val_blurred_sharpness": sharpness(blurred),
}
json.dump(out, open("Fixtures/preprocessing/sharpness.json", "w"))
print({k: v for k, v in out.items() if "sharp" in k})
