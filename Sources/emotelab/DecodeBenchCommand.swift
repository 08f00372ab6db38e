import ArgumentParser
import Foundation
import VideoIO

/// `emotelab bench-decode FILE`: decodes a video through `VideoReader` and prints one JSON line with the
/// counts and the decode time. Hidden; `Benchmarks/video-decode.sh` uses it.
struct DecodeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-decode",
        abstract: "Time VideoReader on a file (used by Benchmarks/video-decode.sh).",
        shouldDisplay: false)

    @Argument(help: "The video file.")
    var file: String

    @Option(help: "Deliver this many frames per second (default: every frame).")
    var fps: Double?

    @Option(help: "Scale delivered frames down to this width.")
    var maxWidth: Int?

    @Option(help: "Decoder threads (0 = automatic).")
    var threads: Int = 0

    @Flag(help: "Decode every frame even when sampling (no non-reference skipping, no anchor-frame sampling).")
    var noSkip = false

    @Flag(help: "Skip the H.264 in-loop deblocking filter (what analyze does unless --exact-decode).")
    var skipLoopFilter = false

    @Option(help: "Decode in parallel with this many readers, each on its own keyframe segments (VideoSegmentPlan; needs --fps).")
    var segments: Int?

    func run() throws {
        if let segments { return try runSegmented(workers: segments) }
        var options = VideoReadOptions(sampleRate: fps, maxWidth: maxWidth, threads: threads,
                                       skipsUndeliverableFrames: !noSkip, skipsLoopFilter: skipLoopFilter)
        try reportingFailures {
            let start = DispatchTime.now().uptimeNanoseconds
            // As analyze does: the plan decides whether only anchor frames are sampled.
            if let fps, !noSkip, let plan = try? VideoSegmentPlan.make(url: URL(fileURLWithPath: file), sampleRate: fps) {
                options = plan.readOptions(options)
            }
            let reader = try VideoReader(url: URL(fileURLWithPath: file), options: options)
            var checksum: UInt64 = 0       // middle pixel of every delivered frame: same frames, same sum
            var lastTimestamp = 0.0
            var timestamps: [Double] = []
            while let frame = try reader.next() {
                checksum &+= Self.checksum(frame)
                lastTimestamp = frame.timestamp
                timestamps.append(frame.timestamp)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print("{\"decoded\": \(reader.decodedFrameCount), \"delivered\": \(reader.deliveredFrameCount), "
                  + "\"anchorFramesOnly\": \(options.anchorFramesOnly), "
                  + "\"lastTimestamp\": \(lastTimestamp), \"seconds\": \(seconds), \"checksum\": \(checksum), "
                  + "\"timestamps\": \(Self.digest(timestamps))}")
        }
    }

    /// Sum of every pixel of a frame.
    private static func checksum(_ frame: VideoFrame) -> UInt64 {
        frame.image.pixels.reduce(0) { $0 &+ UInt64($1) }
    }

    /// An order-sensitive digest of the delivered timestamps (same frames, same digest).
    private static func digest(_ timestamps: [Double]) -> UInt64 {
        timestamps.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ $1.bitPattern) &* 1_099_511_628_211 }
    }

    /// Plans segments and decodes them with `workers` readers at once, claiming segments in order.
    private func runSegmented(workers: Int) throws {
        guard let fps else { throw ValidationError("--segments needs --fps") }
        var options = VideoReadOptions(sampleRate: fps, maxWidth: maxWidth, threads: 1,
                                       skipsUndeliverableFrames: !noSkip, skipsLoopFilter: skipLoopFilter)
        try reportingFailures {
            let start = DispatchTime.now().uptimeNanoseconds
            let url = URL(fileURLWithPath: file)
            let plan = try VideoSegmentPlan.make(url: url, sampleRate: fps, allowsAnchorFrames: !noSkip)
            options = plan.readOptions(options)
            let planned = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            final class Results: @unchecked Sendable {
                let lock = NSLock()
                var next = 0
                var timestamps: [[Double]]
                var sums: [UInt64]
                var decoded = 0
                var failure: Error?
                init(count: Int) { timestamps = Array(repeating: [], count: count); sums = Array(repeating: 0, count: count) }
            }
            let results = Results(count: plan.segments.count)
            DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
                do {
                    let reader = try VideoReader(url: url, options: options)
                    defer { results.lock.lock(); results.decoded += reader.decodedFrameCount; results.lock.unlock() }
                    while true {
                        results.lock.lock()
                        let k = results.next
                        results.next += 1
                        results.lock.unlock()
                        guard k < plan.segments.count else { return }
                        try reader.begin(plan.segments[k])
                        var stamps: [Double] = []
                        var sum: UInt64 = 0
                        while let frame = try reader.next() {
                            stamps.append(frame.timestamp)
                            sum &+= Self.checksum(frame)
                        }
                        results.lock.lock()
                        results.timestamps[k] = stamps
                        results.sums[k] = sum
                        results.lock.unlock()
                    }
                } catch {
                    results.lock.lock()
                    results.failure = error
                    results.lock.unlock()
                }
            }
            if let failure = results.failure { throw failure }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let all = results.timestamps.flatMap { $0 }
            print("{\"segments\": \(plan.segments.count), \"single\": \"\(plan.singleReason ?? "")\", "
                  + "\"planSeconds\": \(planned), \"decoded\": \(results.decoded), \"delivered\": \(all.count), "
                  + "\"lastTimestamp\": \(all.last ?? 0), \"seconds\": \(seconds), "
                  + "\"checksum\": \(results.sums.reduce(0, &+)), \"timestamps\": \(Self.digest(all))}")
        }
    }
}
