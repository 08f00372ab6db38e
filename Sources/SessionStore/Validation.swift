/// Checks on values handed to the writer, so that bad input fails with a readable message instead of a
/// constraint error from SQLite.
extension SessionInfo {
    func validate() throws {
        guard !filePath.isEmpty else { throw StoreError.invalidInput("a session needs a file path") }
        guard !contentHash.isEmpty else { throw StoreError.invalidInput("session \(filePath) needs a content hash") }
        if let duration, !(duration.isFinite && duration >= 0) {
            throw StoreError.invalidInput("session \(filePath): duration must be a non-negative number, got \(duration)")
        }
        if let frameWidth, frameWidth <= 0 { throw StoreError.invalidInput("session \(filePath): frame width must be positive") }
        if let frameHeight, frameHeight <= 0 { throw StoreError.invalidInput("session \(filePath): frame height must be positive") }
        if let recordedFPS, !(recordedFPS.isFinite && recordedFPS > 0) {
            throw StoreError.invalidInput("session \(filePath): frame rate must be positive, got \(recordedFPS)")
        }
    }
}

extension SampleRecord {
    func validate() throws {
        guard time.isFinite, time >= 0 else { throw StoreError.invalidInput("sample time must be a non-negative number, got \(time)") }
        guard let face else { return }
        let box = face.box
        guard [box.x, box.y, box.width, box.height].allSatisfy(\.isFinite), box.width > 0, box.height > 0 else {
            throw StoreError.invalidInput("sample at \(time) s: face box must have finite coordinates and a positive size")
        }
        if let confidence = face.confidence, !confidence.isFinite {
            throw StoreError.invalidInput("sample at \(time) s: detector confidence must be finite")
        }
    }
}

extension TaskSegment {
    /// Checks names (non-empty; a name may repeat) and times (finite, start ≥ 0, end after start, or equal
    /// to it for an event).
    static func validate(_ tasks: [TaskSegment]) throws {
        for task in tasks {
            guard !task.name.isEmpty else { throw StoreError.invalidInput("a task needs a name") }
            guard task.start.isFinite, task.end.isFinite, task.start >= 0 else {
                throw StoreError.invalidInput("task '\(task.name)': times must be non-negative numbers")
            }
            if task.isEvent {
                guard task.end == task.start else {
                    throw StoreError.invalidInput("event '\(task.name)': an event has one time")
                }
                continue
            }
            guard task.end > task.start else {
                throw StoreError.invalidInput("task '\(task.name)': end (\(task.end) s) must be after start (\(task.start) s)")
            }
        }
    }
}
