import Foundation
import VideoIO

/// Decodes a video on its own thread and hands the sampled frames to the analysis thread through a
/// bounded queue, so decoding and detection/classification run on two cores at once and at most
/// `capacity` frames wait in memory.
final class FrameSource: @unchecked Sendable {
    /// What the decode thread delivers.
    enum Item {
        case frame(VideoFrame)
        /// The video ended; the reader's warnings (e.g. a truncated file).
        case end(warnings: [String])
        /// Decoding failed.
        case failure(Error)
    }

    private let reader: VideoReader
    private let queue: BoundedQueue<Item>
    private let cancellation: CancellationToken
    private let finished = DispatchSemaphore(value: 0)
    private var started = false
    private let lock = NSLock()
    private var busySeconds = 0.0
    private var decoded = 0
    /// Seconds the consumer spent waiting for frames.
    private(set) var waitSeconds = 0.0

    /// Takes ownership of `reader`: after `start()` only the decode thread touches it.
    init(reader: VideoReader, capacity: Int, cancellation: CancellationToken) {
        self.reader = reader
        queue = BoundedQueue(capacity: capacity)
        self.cancellation = cancellation
    }

    /// Seconds the decode thread spent decoding and converting frames.
    var decodeSeconds: Double {
        lock.lock()
        defer { lock.unlock() }
        return busySeconds
    }

    /// Frames the decoder returned (delivered or not).
    var decodedFrames: Int {
        lock.lock()
        defer { lock.unlock() }
        return decoded
    }

    /// Starts the decode thread.
    func start() {
        started = true
        let thread = Thread { [self] in
            decodeLoop()
            finished.signal()
        }
        thread.name = "EmoteLab decode"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next item, waiting for the decoder. After `.end` or `.failure` there are no more items.
    func next() -> Item {
        let watch = Stopwatch()
        let item = queue.pop()
        waitSeconds += watch.seconds
        return item ?? .failure(AnalysisError("the decoder stopped unexpectedly"))
    }

    /// Stops the decode thread (if it still runs) and waits for it to end; call before releasing the
    /// source. Idempotent.
    func stop() {
        queue.close()
        if started {
            finished.wait()
            started = false
        }
    }

    private func decodeLoop() {
        while !cancellation.isCancelled {
            let watch = Stopwatch()
            let item: Item
            do {
                if let frame = try reader.next() {
                    item = .frame(frame)
                } else {
                    item = .end(warnings: reader.warnings)
                }
            } catch {
                item = .failure(error)
            }
            lock.lock()
            busySeconds += watch.seconds
            decoded = reader.decodedFrameCount
            lock.unlock()
            guard queue.push(item) else { return }
            if case .frame = item { continue }
            return
        }
        // Cancelled: the consumer sees the cancellation itself; wake it if it waits.
        queue.close()
    }
}
