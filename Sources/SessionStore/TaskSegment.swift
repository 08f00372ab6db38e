/// A named stretch of a session (one usability-test task), or a point event marked at one time
/// ("clicked Buy", "asked for help").
public struct TaskSegment: Sendable, Equatable {
    /// What a marker of a tasks file is.
    public enum Kind: String, Sendable {
        /// A stretch of time with a start and an end after it.
        case task
        /// A moment: `end == start`; listed in reports and drawn as a tick, never aggregated.
        case event
    }

    public var name: String
    /// Seconds from the start of the video.
    public var start: Double
    /// Seconds from the start of the video; after `start` for a task, equal to it for an event.
    public var end: Double
    public var kind: Kind
    /// The tasks file's extra columns for this row (`column: value; …`), or nil.
    public var notes: String?

    public init(name: String, start: Double, end: Double, kind: Kind = .task, notes: String? = nil) {
        self.name = name
        self.start = start
        self.end = end
        self.kind = kind
        self.notes = notes
    }

    /// A point event at `time`.
    public static func event(_ name: String, at time: Double, notes: String? = nil) -> TaskSegment {
        TaskSegment(name: name, start: time, end: time, kind: .event, notes: notes)
    }

    public var isEvent: Bool { kind == .event }

    public var duration: Double { end - start }

    /// Whether a sample at `time` belongs to this task: start ≤ time < end (never for an event).
    public func contains(_ time: Double) -> Bool { time >= start && time < end }

    /// The names reports show: a name that several tasks share is numbered by occurrence in file order
    /// (`Checkout #1`, `Checkout #2`); other names, and events, as they are.
    public static func reportNames(_ markers: [TaskSegment]) -> [String] {
        var total: [String: Int] = [:]
        for marker in markers where !marker.isEvent { total[marker.name, default: 0] += 1 }
        var seen: [String: Int] = [:]
        return markers.map { marker in
            guard !marker.isEvent, total[marker.name, default: 0] > 1 else { return marker.name }
            seen[marker.name, default: 0] += 1
            return "\(marker.name) #\(seen[marker.name]!)"
        }
    }
}
