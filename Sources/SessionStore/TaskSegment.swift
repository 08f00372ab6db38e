/// A named stretch of a session (one usability-test task).
public struct TaskSegment: Sendable, Equatable {
    public var name: String
    /// Seconds from the start of the video.
    public var start: Double
    /// Seconds from the start of the video; always after `start`.
    public var end: Double

    public init(name: String, start: Double, end: Double) {
        self.name = name
        self.start = start
        self.end = end
    }

    public var duration: Double { end - start }

    /// Whether a sample at `time` belongs to this task: start ≤ time < end.
    public func contains(_ time: Double) -> Bool { time >= start && time < end }
}
