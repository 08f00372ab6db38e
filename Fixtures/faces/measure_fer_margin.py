#!/usr/bin/python3
"""Measures how FER2013 frames a face relative to OpenCV's Haar box; the result sets FaceCrop.defaultMargin.

Run: /usr/bin/python3 Fixtures/faces/measure_fer_margin.py   (python3-opencv, ../shared/data/fer2013)
Every 10th FER2013 val image is enlarged 4x (INTER_LINEAR) onto a 384x384 gray canvas and searched with
haarcascade_frontalface_default (scaleFactor 1.1, minNeighbors 5). For images with exactly one face, the
margin that turns the Haar box into the 48x48 FER crop is (48 - s) / (2 s), s = box side / 4.
Result (2026-11-21, OpenCV 4.6): 277 of 359 images, median margin 0.022, quartiles -0.008 and 0.055.
"""
import glob
import os

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("EMOTELAB_SHARED", os.path.join(os.path.dirname(os.path.dirname(HERE)), "..", "shared"))

cascade = cv2.CascadeClassifier("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml")
files = sorted(glob.glob(os.path.join(SHARED, "data", "fer2013", "val", "*", "*.jpg")))[::10]
margins = []
for path in files:
    face = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    canvas = np.full((384, 384), 128, np.uint8)
    canvas[96:288, 96:288] = cv2.resize(face, (192, 192), interpolation=cv2.INTER_LINEAR)
    boxes = cascade.detectMultiScale(canvas, 1.1, 5)
    if len(boxes) == 1:
        side = boxes[0][2] / 4.0
        margins.append((48 - side) / (2 * side))
print("%d of %d images: median margin %.3f, quartiles %.3f %.3f" % (
    len(margins), len(files), np.median(margins), np.percentile(margins, 25), np.percentile(margins, 75)))
