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

    @Flag(help: "Decode every frame even when sampling (no non-reference skipping).")
    var noSkip = false

    @Flag(help: "Skip the H.264 in-loop deblocking filter (what analyze does unless --exact-decode).")
    var skipLoopFilter = false

    func run() throws {
        let options = VideoReadOptions(sampleRate: fps, maxWidth: maxWidth, threads: threads,
                                       skipsUndeliverableFrames: !noSkip, skipsLoopFilter: skipLoopFilter)
        try reportingFailures {
            let start = DispatchTime.now().uptimeNanoseconds
            let reader = try VideoReader(url: URL(fileURLWithPath: file), options: options)
            var checksum: UInt64 = 0       // middle pixel of every delivered frame: same frames, same sum
            var lastTimestamp = 0.0
            while let frame = try reader.next() {
                checksum &+= UInt64(frame.image.pixels[frame.image.pixels.count / 2])
                lastTimestamp = frame.timestamp
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print("{\"decoded\": \(reader.decodedFrameCount), \"delivered\": \(reader.deliveredFrameCount), "
                  + "\"lastTimestamp\": \(lastTimestamp), \"seconds\": \(seconds), \"checksum\": \(checksum)}")
        }
    }
}
