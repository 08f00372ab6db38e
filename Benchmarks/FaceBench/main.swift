// face-bench: times CascadeDetector on PGM frames, full-frame and tracked-region searches.
// Usage: face-bench --frames DIR [--cascade XML] [--threads N] [--repeat N] [--json OUT]
// Benchmarks/face-detect.sh runs it beside OpenCV and prints the comparison table.
import Dispatch
import FaceDetection
import Foundation

struct Options {
    var frames = ""
    var cascade = Cascade.defaultHaarURL.path
    var threads = ProcessInfo.processInfo.activeProcessorCount
    var repeats = 5
    var json: String?

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw PGMFile.ReadError(description: "\(flag) needs a value") }
            switch flag {
            case "--frames": frames = value
            case "--cascade": cascade = value
            case "--threads": threads = Int(value) ?? threads
            case "--repeat": repeats = max(1, Int(value) ?? repeats)
            case "--json": json = value
            default: throw PGMFile.ReadError(description: "unknown option \(flag)")
            }
        }
        guard !frames.isEmpty else { throw PGMFile.ReadError(description: "--frames DIR is required") }
    }
}

/// Median wall time in milliseconds of `repeats` runs of `body` (after one warm-up run).
func medianMilliseconds(_ repeats: Int, _ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times.sorted()[times.count / 2]
}

func run() throws {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let directory = URL(fileURLWithPath: options.frames)
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasSuffix(".pgm") }.sorted()
    guard !files.isEmpty else { throw PGMFile.ReadError(description: "no .pgm frames in \(directory.path)") }
    let detector = try CascadeDetector(contentsOf: URL(fileURLWithPath: options.cascade), threadCount: options.threads)

    var records: [[String: Any]] = []
    var previous: [DetectedFace] = []
    for file in files {
        let frame = try PGMFile(contentsOf: directory.appendingPathComponent(file))
        var faces: [DetectedFace] = []
        let fullMs = medianMilliseconds(options.repeats) {
            faces = detector.detect(pixels: frame.pixels, width: frame.width, height: frame.height)
        }
        var record: [String: Any] = ["file": file, "width": frame.width, "height": frame.height,
                                     "full_ms": fullMs, "faces": faces.count]
        // The tracked search: regions around the faces of the previous frame (`regionSearch`).
        let regions = previous.compactMap { regionSearch(around: $0.box, width: frame.width, height: frame.height) }
        if !regions.isEmpty {
            var found = 0
            let regionMs = medianMilliseconds(options.repeats) {
                found = regions.reduce(0) { count, r in
                    count + detector.detect(pixels: frame.pixels, width: frame.width, height: frame.height,
                                            region: r.region, parameters: r.parameters).count
                }
            }
            record["tracked_ms"] = regionMs
            record["tracked_faces"] = found
            record["regions"] = regions.map { r -> [String: Int] in
                ["x": r.region.x, "y": r.region.y, "w": r.region.width, "h": r.region.height,
                 "min": r.parameters.minSize.width, "max": r.parameters.maxSize.width]
            }
        }
        previous = faces
        records.append(record)
    }

    let full = records.compactMap { $0["full_ms"] as? Double }.sorted()
    let tracked = records.compactMap { $0["tracked_ms"] as? Double }.sorted()
    let fullMedian = full[full.count / 2]
    print(String(format: "%@  %@  threads %d: full %.2f ms/frame (median of %d frames)",
                 (options.cascade as NSString).lastPathComponent, directory.lastPathComponent, options.threads,
                 fullMedian, full.count))
    if !tracked.isEmpty {
        let trackedMedian = tracked[tracked.count / 2]
        print(String(format: "  tracked %.3f ms/frame (median of %d frames): %.1fx faster", trackedMedian,
                     tracked.count, fullMedian / trackedMedian))
    }
    if let json = options.json {
        let summary: [String: Any] = ["cascade": options.cascade, "threads": options.threads,
                                      "repeats": options.repeats, "frames": records]
        let data = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: json))
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
