import SessionStore

/// Several participants' reports side by side: one row per participant × task and a per-task summary
/// across participants. Tasks are matched by their report name (`Checkout #2` is the second `Checkout` of
/// each participant) and listed in the order they first appear.
public struct StudyReport: Sendable {
    public let participants: [StudyParticipant]
    /// The task names in order, then `(whole session)`.
    public let tasks: [String]
    /// One summary per entry of `tasks`.
    public let summaries: [TaskSummary]

    /// Why participants cannot be compared without `allowMixed`.
    public enum Mix: Error, Equatable, CustomStringConvertible {
        /// Sessions scored by different models: each model with the participants it scored.
        case models([String: [String]])
        /// Participants with different baselines: each baseline with its participants.
        case baselines([String: [String]])

        public var description: String {
            switch self {
            case let .models(groups):
                "sessions were scored by different models (\(Self.list(groups))): re-analyse them with one --model, "
                    + "choose runs with the same model, or pass --mix to compare them anyway"
            case let .baselines(groups):
                "sessions have different baselines (\(Self.list(groups))): pass --mix to compare them anyway"
            }
        }

        static func list(_ groups: [String: [String]]) -> String {
            groups.keys.sorted().map { "\($0): \(groups[$0]!.joined(separator: ", "))" }.joined(separator: "; ")
        }
    }

    /// - Throws: `Mix` when the participants' models or baselines differ, unless `allowMixed`.
    public init(participants: [StudyParticipant], allowMixed: Bool = false) throws {
        if !allowMixed {
            let models = Dictionary(grouping: participants, by: \.model).mapValues { $0.map(\.label) }
            if models.count > 1 { throw Mix.models(models) }
            let baselines = Dictionary(grouping: participants, by: \.baseline).mapValues { $0.map(\.label) }
            if baselines.count > 1 { throw Mix.baselines(baselines) }
        }
        self.participants = participants
        var names: [String] = []
        for participant in participants {
            for row in participant.report.rows where !row.isWholeSession && !names.contains(row.task) {
                names.append(row.task)
            }
        }
        names.append(ReportRow.wholeSessionName)
        tasks = names
        let baselined = participants.contains { $0.report.baseline != nil }
        summaries = names.map { name in
            TaskSummary(task: name, rows: participants.compactMap { participant in
                participant.report.rows.first { $0.task == name && $0.isWholeSession == (name == ReportRow.wholeSessionName) }
            }, baselined: baselined)
        }
    }

    /// The row of `participant` for task `task`, or nil when that participant has no such task.
    public func row(_ participant: StudyParticipant, task: String) -> ReportRow? {
        participant.report.rows.first { $0.task == task && $0.isWholeSession == (task == ReportRow.wholeSessionName) }
    }
}
