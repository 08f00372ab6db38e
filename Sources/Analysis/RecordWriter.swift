import SessionStore

/// Writes a run's sample records in batched transactions: records wait until at least
/// `recordsPerTransaction` are buffered, then go to the store in one transaction.
final class RecordWriter {
    private let store: SessionStore
    private let runID: Int64
    private let recordsPerTransaction: Int
    private var buffer: [SampleRecord] = []
    /// Records written so far.
    private(set) var written = 0
    /// Seconds spent writing so far.
    private(set) var writeSeconds = 0.0

    init(store: SessionStore, runID: Int64, recordsPerTransaction: Int) {
        self.store = store
        self.runID = runID
        self.recordsPerTransaction = max(1, recordsPerTransaction)
        buffer.reserveCapacity(self.recordsPerTransaction)
    }

    /// Buffers `records`, writing the buffer when it is full enough.
    func append(_ records: [SampleRecord]) throws {
        buffer += records
        if buffer.count >= recordsPerTransaction { try flush() }
    }

    /// Writes whatever is buffered.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        let watch = Stopwatch()
        try store.appendSamples(buffer, toRun: runID)
        writeSeconds += watch.seconds
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
