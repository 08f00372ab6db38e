#!/usr/bin/python3
"""Times OpenCV 4.6 CascadeClassifier.detectMultiScale on the frames face-bench used (full frames, and the
same tracked regions with the same size limits), then prints and writes the comparison table.
Called by Benchmarks/face-detect.sh after face-bench has written out/face-detect/ours-*.json."""
import argparse
import json
import os
import platform
import statistics
import time

import cv2


def median_ms(repeat, fn):
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--haar", required=True)
    parser.add_argument("--lbp", required=True)
    args = parser.parse_args()

    default_threads = cv2.getNumThreads()
    rows, raw = [], {}
    for name, xml in [("haar", args.haar), ("lbp", args.lbp)]:
        classifier = cv2.CascadeClassifier(xml)
        for size in ["640x360", "1280x720"]:
            ours1 = json.load(open(os.path.join(args.out, "ours-%s-%s-t1.json" % (name, size))))
            ours2 = json.load(open(os.path.join(args.out, "ours-%s-%s-t2.json" % (name, size))))
            frames = [cv2.imread(os.path.join(args.out, "frames-" + size, f["file"]), cv2.IMREAD_GRAYSCALE)
                      for f in ours1["frames"]]
            cv1, cv2t, cv_regions, same = [], [], [], 0
            for image, record in zip(frames, ours1["frames"]):
                cv2.setNumThreads(1)
                cv1.append(median_ms(args.repeat, lambda: classifier.detectMultiScale(image, 1.1, 5)))
                found = classifier.detectMultiScale(image, 1.1, 5)
                same += len(found) == record["faces"]
                regions = record.get("regions", [])
                if regions:
                    def run_regions():
                        for r in regions:
                            crop = image[r["y"]:r["y"] + r["h"], r["x"]:r["x"] + r["w"]]
                            classifier.detectMultiScale(crop, 1.1, 5, minSize=(r["min"], r["min"]),
                                                        maxSize=(r["max"], r["max"]))
                    cv_regions.append(median_ms(args.repeat, run_regions))
                cv2.setNumThreads(default_threads)
                cv2t.append(median_ms(args.repeat, lambda: classifier.detectMultiScale(image, 1.1, 5)))
            med = statistics.median
            o1 = med(f["full_ms"] for f in ours1["frames"])
            o2 = med(f["full_ms"] for f in ours2["frames"])
            tracked = med(f["tracked_ms"] for f in ours1["frames"] if "tracked_ms" in f)
            row = {"size": size, "cascade": name, "frames": len(frames), "ours_1t": o1, "ours_2t": o2,
                   "opencv_1t": med(cv1), "opencv_default": med(cv2t), "ours_tracked_1t": tracked,
                   "opencv_regions_1t": med(cv_regions), "same_face_count": same}
            rows.append(row)
            raw["%s-%s" % (name, size)] = {"opencv_1t": cv1, "opencv_default": cv2t, "opencv_regions_1t": cv_regions}

    lines = ["Machine: %s, %d logical CPUs; OpenCV %s (default %d threads); median ms per frame." % (
                 platform.machine(), os.cpu_count(), cv2.__version__, default_threads), "",
             "| frames | cascade | ours 1 thr | ours 2 thr | OpenCV 1 thr | OpenCV %d thr | ours/OpenCV 1 thr "
             "| ours/OpenCV %d thr | ours tracked (1 thr) | OpenCV same regions | full/tracked (ours 1 thr) |" % (
                 default_threads, default_threads),
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append("| %s x%d | %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f | %.1fx |" % (
            r["size"], r["frames"], r["cascade"], r["ours_1t"], r["ours_2t"], r["opencv_1t"], r["opencv_default"],
            r["ours_1t"] / r["opencv_1t"], r["ours_2t"] / r["opencv_default"], r["ours_tracked_1t"],
            r["opencv_regions_1t"], r["ours_1t"] / r["ours_tracked_1t"]))
    lines.append("")
    lines.append("Face counts equal to OpenCV's on %d of %d frames." % (
        sum(r["same_face_count"] for r in rows), sum(r["frames"] for r in rows)))
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write(table + "\n")
    with open(os.path.join(args.out, "opencv.json"), "w") as f:
        json.dump({"rows": rows, "per_frame": raw}, f, indent=1)


if __name__ == "__main__":
    main()
