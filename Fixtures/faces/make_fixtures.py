#!/usr/bin/python3
"""Makes the FaceDetection golden fixtures with OpenCV (Debian python3-opencv 4.6) and FFmpeg.

Run once from anywhere:  /usr/bin/python3 Fixtures/faces/make_fixtures.py
Needs: python3-opencv, python3-numpy, ffmpeg/ffprobe, opencv-data, and ../shared (media + FER2013).

It writes, next to this script:
  images/*.pgm        gray inputs (binary PGM, lossless): the two stills, 10 frames of single_face.mp4,
                      6 frames of face_noface.mov (640x360), 20 FER2013 val faces (48x48) and their
                      3x enlargements (144x144, cv2.INTER_LINEAR)
  parity.json         OpenCV detectMultiScale2 boxes + neighbour counts (and the raw, ungrouped hits with
                      minNeighbors=0) for every image and cascade
  kernels.json        OpenCV reference outputs of the building blocks on a small random image:
                      resize(INTER_LINEAR_EXACT) to several sizes and integral(sum, sqsum, tilted)
  tracks.json         per-frame timestamps and OpenCV Haar boxes for every frame of single_face.mp4 and
                      face_noface.mov (decoded to 640x360 gray), to drive the tracker
The tests read only these files: no OpenCV, FFmpeg or JPEG decoding at test time.

Decoding: FFmpeg does every decode and the gray conversion (`format=gray`, bilinear scaling), as the
EmoteLab pipeline does. FER canvases (640x480, filled with 128) are composed by the tests from the PGMs;
the composed canvas's FNV-1a-64 hash is stored so a test can check it built the same pixels.
"""
import glob
import json
import os
import subprocess
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("EMOTELAB_SHARED", os.path.join(os.path.dirname(REPO), "shared"))
MEDIA = os.path.join(SHARED, "media")
CASCADES = "/usr/share/opencv4"
IMAGES = os.path.join(HERE, "images")

HAAR = "haarcascades/haarcascade_frontalface_default.xml"
LBP = "lbpcascades/lbpcascade_frontalface_improved.xml"
# Extra cascades on the stills only: deeper trees, tilted features, the older 24x24 LBP cascade.
EXTRA = [
    "haarcascades/haarcascade_frontalface_alt2.xml",
    "haarcascades/haarcascade_eye_tree_eyeglasses.xml",
    "haarcascades/haarcascade_upperbody.xml",
    "lbpcascades/lbpcascade_frontalface.xml",
]
SCALE_FACTOR = 1.1
MIN_NEIGHBORS = 5
FRAME_W, FRAME_H = 640, 360
CANVAS_W, CANVAS_H, CANVAS_FILL = 640, 480, 128


def ffmpeg_gray(path, extra_filters="", select=None):
    """Decodes every frame (or one still) of `path` to 8-bit gray, returns (frames, width, height)."""
    vf = (extra_filters + "," if extra_filters else "") + "format=gray"
    probe = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", path, "-map", "0:v:0", "-fps_mode",
         "passthrough", "-vf", vf, "-f", "rawvideo", "-"], check=True, capture_output=True).stdout
    if extra_filters.startswith("scale="):
        w, h = (int(v) for v in extra_filters[6:].split(":")[:2])
    else:
        info = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                               "stream=width,height", "-of", "csv=p=0", path],
                              check=True, capture_output=True, text=True).stdout.split()[0]
        w, h = (int(v) for v in info.split(","))
    count = len(probe) // (w * h)
    assert count * w * h == len(probe), path
    frames = np.frombuffer(probe, dtype=np.uint8).reshape(count, h, w)
    return frames, w, h


def timestamps(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "frame=best_effort_timestamp_time", "-of", "csv=p=0", path],
                         check=True, capture_output=True, text=True).stdout
    return [round(float(v.strip(",")), 6) for v in out.split() if v.strip(",")]


def write_pgm(name, image):
    h, w = image.shape
    with open(os.path.join(IMAGES, name), "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (w, h))
        f.write(np.ascontiguousarray(image, dtype=np.uint8).tobytes())
    return "images/" + name


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


_classifiers = {}


def detect(image, cascade, min_neighbors=MIN_NEIGHBORS):
    if cascade not in _classifiers:
        c = cv2.CascadeClassifier(os.path.join(CASCADES, cascade))
        assert not c.empty(), cascade
        _classifiers[cascade] = c
    boxes, counts = _classifiers[cascade].detectMultiScale2(image, SCALE_FACTOR, min_neighbors)
    return [[int(v) for v in b] + [int(n)] for b, n in zip(boxes, counts)]


def case(name, source, image, cascades):
    out = []
    for cascade in cascades:
        out.append({
            "name": "%s / %s" % (name, os.path.basename(cascade)),
            "image": source,
            "cascade": cascade,
            "boxes": detect(image, cascade),
            "raw": [b[:4] for b in detect(image, cascade, 0)],
        })
    return out


def kernels():
    """Reference outputs of the pyramid resize and the integral images on a seeded random image."""
    image = np.random.RandomState(7).randint(0, 256, size=(29, 37)).astype(np.uint8)
    resized = []
    for w, h in [(17, 13), (33, 26), (37, 20), (30, 29), (12, 9), (19, 15)]:
        out = cv2.resize(image, (w, h), interpolation=cv2.INTER_LINEAR_EXACT)
        resized.append({"width": w, "height": h, "pixels": out.flatten().tolist()})
    total, squares, tilted = cv2.integral3(image, sdepth=cv2.CV_32S, sqdepth=cv2.CV_64F)
    return {"width": 37, "height": 29, "pixels": image.flatten().tolist(), "resized": resized,
            "sum": total.flatten().tolist(), "squares": [int(v) for v in squares.flatten()],
            "tilted": tilted.flatten().tolist()}


def main():
    cv2.setNumThreads(1)
    os.makedirs(IMAGES, exist_ok=True)
    with open(os.path.join(HERE, "kernels.json"), "w") as f:
        json.dump(kernels(), f)
    cases = []

    # Stills at their own size.
    for still in ["single_face.jpg", "multi_face.jpg"]:
        frames, w, h = ffmpeg_gray(os.path.join(MEDIA, still))
        image = frames[0]
        source = {"file": write_pgm(still.replace(".jpg", ".pgm"), image)}
        cases += case(still, source, image, [HAAR, LBP] + EXTRA)

    # 10 frames spread over single_face.mp4 (640x360, 30 fps).
    video = os.path.join(MEDIA, "single_face.mp4")
    frames, w, h = ffmpeg_gray(video)
    times = timestamps(video)
    assert len(times) == len(frames) == 72
    single_track = [{"t": times[i], "boxes": detect(frames[i], HAAR)} for i in range(len(frames))]
    picked = [round(k * (len(frames) - 1) / 9) for k in range(10)]
    single_frames = []
    for i in picked:
        source = {"file": write_pgm("single_face_f%02d.pgm" % i, frames[i]), "t": times[i]}
        single_frames.append(source)
        cases += case("single_face.mp4 frame %d" % i, source, frames[i], [HAAR, LBP])

    # face_noface.mov: variable frame rate, face until 2.37 s; decoded at 640x360 like the pipeline.
    video = os.path.join(MEDIA, "face_noface.mov")
    frames, w, h = ffmpeg_gray(video, "scale=%d:%d:flags=bilinear" % (FRAME_W, FRAME_H))
    times = timestamps(video)
    assert len(times) == len(frames) == 169
    noface_track = [{"t": times[i], "boxes": detect(frames[i], HAAR)} for i in range(len(frames))]
    noface_frames = []
    for i in [0, 30, 60, 71, 72, 120]:
        source = {"file": write_pgm("face_noface_f%03d.pgm" % i, frames[i]), "t": times[i]}
        noface_frames.append(source)
        cases += case("face_noface.mov frame %d" % i, source, frames[i], [HAAR, LBP])

    # 20 FER2013 val faces, each on its own 640x480 gray canvas, at native size and enlarged 3x.
    fer_root = os.path.join(SHARED, "data", "fer2013", "val")
    picks = []
    for label in sorted(os.listdir(fer_root)):
        picks += sorted(glob.glob(os.path.join(fer_root, label, "*.jpg")))[:3]
    picks = picks[:20]
    for i, path in enumerate(picks):
        face = ffmpeg_gray(path)[0][0]
        assert face.shape == (48, 48), path
        big = cv2.resize(face, (144, 144), interpolation=cv2.INTER_LINEAR)
        stem = "fer_%02d" % i
        pastes = [{"file": write_pgm(stem + ".pgm", face), "x": 40 + 11 * i, "y": 320 + 4 * i},
                  {"file": write_pgm(stem + "_x3.pgm", big), "x": 330 + 7 * i, "y": 60 + 9 * i}]
        canvas = np.full((CANVAS_H, CANVAS_W), CANVAS_FILL, dtype=np.uint8)
        for p, img in zip(pastes, [face, big]):
            canvas[p["y"]:p["y"] + img.shape[0], p["x"]:p["x"] + img.shape[1]] = img
        source = {"canvas": {"width": CANVAS_W, "height": CANVAS_H, "fill": CANVAS_FILL, "pastes": pastes,
                             "fnv1a64": fnv1a64(canvas.tobytes())},
                  "fer": os.path.relpath(path, SHARED)}
        cases += case("FER %s" % os.path.basename(path), source, canvas, [HAAR, LBP])

    meta = {"opencv": cv2.__version__, "scaleFactor": SCALE_FACTOR, "minNeighbors": MIN_NEIGHBORS,
            "threads": 1, "made_by": "Fixtures/faces/make_fixtures.py"}
    with open(os.path.join(HERE, "parity.json"), "w") as f:
        f.write('{"meta": %s,\n "cases": [\n  ' % json.dumps(meta))
        f.write(",\n  ".join(json.dumps(c) for c in cases))
        f.write("\n]}\n")
    with open(os.path.join(HERE, "tracks.json"), "w") as f:
        f.write('{"meta": %s,\n "videos": {' % json.dumps(dict(meta, cascade=HAAR, frameWidth=FRAME_W,
                                                                 frameHeight=FRAME_H)))
        videos = [("single_face.mp4", single_track, single_frames), ("face_noface.mov", noface_track, noface_frames)]
        for k, (name, frames, pgm) in enumerate(videos):
            f.write('%s\n  "%s": {"pgm": %s,\n   "frames": [\n    ' % ("," if k else "", name, json.dumps(pgm)))
            f.write(",\n    ".join(json.dumps(fr) for fr in frames))
            f.write("]}")
        f.write("\n}}\n")
    print("wrote %d parity cases, %d + %d tracked frames" % (len(cases), len(single_track), len(noface_track)))


if __name__ == "__main__":
    sys.exit(main())
