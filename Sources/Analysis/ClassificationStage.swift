import Foundation

/// Classifies the analysis thread's observations and writes their records on a thread of its own, so that
/// detecting the next frames overlaps with classifying and storing earlier ones (the detection thread is
/// the pipeline's critical path once decoding is spread over cores). Records are written in frame order,
/// exactly as `ClassificationBatcher` and `RecordWriter` would on one thread.
///
/// `submit` hands over one frame at a time (waiting while `capacity` frames are queued); `finish` waits for
/// everything submitted to be written; `stop` ends the thread without finishing (another step failed or the
/// run was cancelled). An error on the stage's thread (a full disk, say) is thrown by the next `submit` or
/// by `finish`.
final class ClassificationStage: @unchecked Sendable {
    private let batcher: ClassificationBatcher
    private let writer: RecordWriter
    private let queue: BoundedQueue<FrameObservation>
    private let ended = DispatchSemaphore(value: 0)
    private let state = NSLock()
    private var failure: Error?
    private var cancelled = false
    private var running = false

    init(batcher: ClassificationBatcher, writer: RecordWriter, capacity: Int = 64) {
        self.batcher = batcher
        self.writer = writer
        queue = BoundedQueue(capacity: capacity)
    }

    /// Seconds spent classifying and writing; read them after `finish` or `stop`.
    var classifySeconds: Double { batcher.classifySeconds }
    var writeSeconds: Double { writer.writeSeconds }

    /// Starts the stage's thread.
    func start() {
        state.lock()
        running = true
        state.unlock()
        let thread = Thread { [self] in work() }
        thread.stackSize = 8 << 20
        thread.name = "emotelab-classify"
        thread.start()
    }

    /// Queues one frame's observation; throws the stage's error once it has failed.
    func submit(_ observation: FrameObservation) throws {
        let queued = queue.push(observation)
        try rethrowFailure()
        precondition(queued, "ClassificationStage.submit after finish or stop")
    }

    /// Waits until every submitted frame is classified and written (the last batch and transaction
    /// included); throws the stage's error.
    func finish() throws {
        queue.close()
        join()
        try rethrowFailure()
    }

    /// Ends the stage without classifying what is still queued, and waits for its thread.
    func stop() {
        state.lock()
        cancelled = true
        state.unlock()
        queue.close()
        join()
    }

    private func work() {
        defer { ended.signal() }
        do {
            while let observation = queue.pop() {
                if isCancelled { return }
                try writer.append(try batcher.add(observation))
            }
            if isCancelled { return }
            try writer.append(try batcher.flush())
            try writer.flush()
        } catch {
            state.lock()
            failure = error
            state.unlock()
            queue.close()          // the producer's next push returns at once
        }
    }

    private var isCancelled: Bool {
        state.lock()
        defer { state.unlock() }
        return cancelled
    }

    /// Waits for the thread once (later calls return at once).
    private func join() {
        state.lock()
        let wasRunning = running
        running = false
        state.unlock()
        if wasRunning { ended.wait() }
    }

    private func rethrowFailure() throws {
        state.lock()
        defer { state.unlock() }
        if let failure { throw failure }
    }
}
