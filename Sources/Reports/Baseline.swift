import SessionStore

/// Which stretch of a session is the participant's resting face, whose mean valence and mean emotion
/// probabilities are subtracted from every sample's (`report --baseline`).
public enum Baseline: Sendable, Equatable, CustomStringConvertible {
    /// The first `seconds` of the session: [0, seconds).
    case firstSeconds(Double)
    /// A time range [from, to).
    case range(from: Double, to: Double)
    /// A task of the session, by its report name (`Warm-up`, `Checkout #1`) or, failing that, the first
    /// task with that name.
    case task(String)

    /// In words, as the study CSV's `baseline` column and the page show it (`first 30 s`,
    /// `0:10.000–0:40.000`, `task 'Warm-up'`).
    public var description: String {
        switch self {
        case let .firstSeconds(seconds): "first \(Formatting.compact(seconds)) s"
        case let .range(from, to): "\(TimeValue.clock(from))–\(TimeValue.clock(to))"
        case let .task(name): "task '\(name)'"
        }
    }

    /// The `--baseline` argument: seconds or `[hh:]mm:ss[.fff]` (the first so many seconds), `FROM-TO`
    /// with two such times (a range), or `task:NAME` / any other text (a task's name).
    public init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if text.lowercased().hasPrefix("task:") {
            let name = String(text.dropFirst(5)).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return nil }
            self = .task(name)
        } else if let seconds = TimeValue.seconds(text) {
            self = .firstSeconds(seconds)
        } else if let dash = text.firstIndex(of: "-"), let from = TimeValue.seconds(String(text[..<dash])),
                  let to = TimeValue.seconds(String(text[text.index(after: dash)...])) {
            self = .range(from: from, to: to)
        } else if !text.isEmpty, !text.hasPrefix("-") {
            self = .task(text)
        } else {
            return nil
        }
    }

    /// The samples of `timeline` in the baseline.
    /// - Throws: `ReportError` for an empty or reversed window or a task the session does not have.
    func samples(of timeline: [TimelineSample], segments: [TaskSegment], tasks: [TaskSegment]) throws -> [TimelineSample] {
        switch self {
        case let .firstSeconds(seconds):
            guard seconds.isFinite, seconds > 0 else { throw ReportError.invalidBaseline(seconds) }
            return timeline.filter { $0.time < seconds }
        case let .range(from, to):
            guard from.isFinite, to.isFinite, to > from else { throw ReportError.invalidBaselineRange(from: from, to: to) }
            return timeline.filter { $0.time >= from && $0.time < to }
        case let .task(name):
            guard let task = segments.first(where: { $0.name == name })
                    ?? tasks.first(where: { $0.name == name && !$0.isEvent }) else {
                throw ReportError.unknownBaselineTask(name)
            }
            return timeline.filter { task.contains($0.time) }
        }
    }
}
