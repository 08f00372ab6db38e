import Foundation
import VideoIO

/// Decodes a video on decode threads and hands the sampled frames, in time order, to the analysis thread.
///
/// With one decoder the whole video is read by one thread through a bounded queue. With more, the video is
/// split at keyframes (`VideoSegmentPlan`) and each decode thread reads one segment at a time with its own
/// `VideoReader`, claiming segments in order; every segment has its own bounded queue and the consumer
/// drains them in order, so frames come out exactly as one reader would deliver them. A thread may only
/// claim a segment fewer than `decoders` ahead of the one being consumed, so at most `decoders` segments'
/// frames wait in memory.
final class FrameSource: @unchecked Sendable {
    /// What the decode threads deliver.
    enum Item {
        case frame(VideoFrame)
        /// The video ended; the readers' warnings (e.g. a truncated file).
        case end(warnings: [String])
        /// Decoding failed.
        case failure(Error)
    }

    private let url: URL
    private let options: VideoReadOptions
    private let segments: [VideoSegment]
    private let queues: [BoundedQueue<Item>]
    private let decoders: Int
    private let cancellation: CancellationToken
    /// Guards the claim counters, the statistics and `spareReader`.
    private let state = NSCondition()
    private var nextClaim = 0
    private var consumed = 0
    private var stopped = false
    private var spareReader: VideoReader?
    private var busySeconds = 0.0
    private var decoded = 0
    private var dropped = 0
    private var concealed = 0
    private var threads: [DispatchSemaphore] = []
    private var warnings: [String] = []
    /// Seconds the consumer spent waiting for frames.
    private(set) var waitSeconds = 0.0
    /// Most frames one segment's queue holds (48 frames of 640×360 gray: 11 MB), whatever its length.
    static let maximumSegmentCapacity = 48

    /// Reads `segments` of `url` with up to `decoders` threads; `reader` (already opened with `options`)
    /// serves the first thread. `capacity` bounds each segment's queue (at least the frames of a segment
    /// at the sampling rate, when known, so a thread ahead can finish its segment).
    init(url: URL, reader: VideoReader, options: VideoReadOptions, segments: [VideoSegment], decoders: Int,
         capacity: Int, cancellation: CancellationToken) {
        self.url = url
        self.options = options
        self.segments = segments.isEmpty ? [.whole] : segments
        self.decoders = max(1, min(decoders, self.segments.count))
        self.cancellation = cancellation
        spareReader = reader
        let videoStart = self.segments.lazy.compactMap(\.origin).first
        queues = self.segments.map { segment in
            var frames = capacity
            if let rate = options.sampleRate, let start = segment.startSeconds ?? videoStart,
               let end = segment.endSeconds {
                frames = max(capacity, min(Self.maximumSegmentCapacity, Int(((end - start) * rate).rounded(.up)) + 2))
            }
            return BoundedQueue(capacity: frames)
        }
    }

    /// CPU seconds the decode threads spent decoding and converting frames (summed over threads).
    var decodeSeconds: Double {
        state.lock()
        defer { state.unlock() }
        return busySeconds
    }

    /// Frames the decoders returned (delivered or not).
    var decodedFrames: Int {
        state.lock()
        defer { state.unlock() }
        return decoded
    }

    /// Decode threads and parts of the video.
    var decoderCount: Int { decoders }
    var segmentCount: Int { segments.count }

    /// Starts the decode threads.
    func start() {
        for index in 0..<decoders {
            let done = DispatchSemaphore(value: 0)
            threads.append(done)
            let thread = Thread { [self] in
                decodeLoop()
                done.signal()
            }
            thread.name = "EmoteLab decode \(index + 1)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The next item, waiting for the decoders. After `.end` or `.failure` there are no more items.
    func next() -> Item {
        let watch = Stopwatch()
        defer { waitSeconds += watch.seconds }
        while true {
            state.lock()
            let index = consumed
            state.unlock()
            guard index < queues.count else { return .failure(AnalysisError("the decoder stopped unexpectedly")) }
            guard let item = queues[index].pop() else {
                return .failure(AnalysisError("the decoder stopped unexpectedly"))
            }
            guard case let .end(segmentWarnings) = item else { return item }
            state.lock()
            for warning in segmentWarnings where !warnings.contains(warning) { warnings.append(warning) }
            consumed += 1
            state.broadcast()
            let last = consumed == queues.count
            let totals = (decoded: decoded, dropped: dropped, concealed: concealed, warnings: warnings)
            state.unlock()
            if last {
                return finalItem(decoded: totals.decoded, dropped: totals.dropped, concealed: totals.concealed,
                                 warnings: totals.warnings)
            }
        }
    }

    /// Stops the decode threads (if they still run) and waits for them to end; call before releasing the
    /// source. Idempotent.
    func stop() {
        state.lock()
        stopped = true
        state.broadcast()
        state.unlock()
        for queue in queues { queue.close() }
        for done in threads { done.wait() }
        threads = []
    }

    /// What ends a segmented reading: frame-decode failures and damaged frames summed over the readers (a
    /// whole-video reader reports them itself), or `noFrames` when nothing could be decoded.
    private func finalItem(decoded: Int, dropped: Int, concealed: Int, warnings: [String]) -> Item {
        guard segments.count > 1 else { return .end(warnings: warnings) }
        if decoded == 0 {
            return .failure(VideoIOError.noFrames(path: url.relativePath, reason: "no frame could be decoded"))
        }
        var all = warnings
        var problems: [String] = []
        if concealed > 0 {
            problems.append(concealed == 1 ? "1 frame was damaged (patched up by the decoder)"
                                           : "\(concealed) frames were damaged (patched up by the decoder)")
        }
        if dropped > 0 {
            problems.append(dropped == 1 ? "1 frame could not be decoded" : "\(dropped) frames could not be decoded")
        }
        if !problems.isEmpty {
            all.append("\(url.relativePath): file is damaged: " + problems.joined(separator: "; "))
        }
        return .end(warnings: all)
    }

    /// One decode thread: claims segments in order and reads each into its queue.
    private func decodeLoop() {
        var reader: VideoReader?
        var counted = (decoded: 0, dropped: 0, concealed: 0)
        defer {
            state.lock()
            if let reader {
                decoded += reader.decodedFrameCount - counted.decoded
                dropped += reader.droppedFrameCount - counted.dropped
                concealed += reader.concealedFrameCount - counted.concealed
            }
            state.unlock()
        }
        while true {
            state.lock()
            while !stopped && nextClaim < segments.count && nextClaim >= consumed + decoders { state.wait() }
            guard !stopped, nextClaim < segments.count, !cancellation.isCancelled else {
                state.unlock()
                return
            }
            let index = nextClaim
            nextClaim += 1
            if reader == nil {
                reader = spareReader
                spareReader = nil
            }
            state.unlock()
            let queue = queues[index]
            do {
                if reader == nil { reader = try VideoReader(url: url, options: options) }
                guard let reader else { return }
                if segments.count > 1 { try reader.begin(segments[index]) }
                while !cancellation.isCancelled {
                    let cpu = threadCPUSeconds()
                    let frame = try reader.next()
                    state.lock()
                    busySeconds += threadCPUSeconds() - cpu
                    decoded += reader.decodedFrameCount - counted.decoded
                    dropped += reader.droppedFrameCount - counted.dropped
                    concealed += reader.concealedFrameCount - counted.concealed
                    counted = (reader.decodedFrameCount, reader.droppedFrameCount, reader.concealedFrameCount)
                    state.unlock()
                    if let frame {
                        guard queue.push(.frame(frame)) else { return }
                    } else {
                        guard queue.push(.end(warnings: reader.warnings)) else { return }
                        break
                    }
                }
            } catch {
                queue.push(.failure(error))
                return
            }
            if cancellation.isCancelled {
                // The consumer sees the cancellation itself; wake it if it waits.
                queue.close()
                return
            }
        }
    }
}
