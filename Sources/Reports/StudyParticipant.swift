import SessionStore

/// One participant of a study report: their session's report with the facts the study rows repeat.
public struct StudyParticipant: Sendable {
    /// The participant's label (`P07`).
    public let label: String
    public let report: SessionReport
    /// How valence was baselined for this participant, in words (`none`, `first 30 s`, `task 'Warm-up'`).
    public let baseline: String

    public init(label: String, report: SessionReport, baseline: String) {
        self.label = label
        self.report = report
        self.baseline = baseline
    }

    /// The model that scored the session: name and the first 12 hex digits of its hash.
    public var model: String { "\(report.run.settings.modelName) (\(report.run.settings.modelHash.prefix(12)))" }
}
