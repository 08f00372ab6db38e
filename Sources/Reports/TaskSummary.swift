/// One task across the participants of a study: for each figure, the number of participants with a
/// value, their mean, SD and the 95 % t interval of the mean (`MeanInterval`), each participant's value
/// counting once.
public struct TaskSummary: Sendable, Equatable {
    /// The task's report name (a repeated task numbered: `Checkout #2`), or `(whole session)`.
    public let task: String
    public let engagement: MeanInterval?
    public let satisfaction: MeanInterval?
    public let valence: MeanInterval?
    public let presence: MeanInterval?

    /// The summary of `rows` (one per participant, all of the task `task`).
    public init(task: String, rows: [ReportRow]) {
        self.task = task
        engagement = MeanInterval(rows.compactMap(\.engagement))
        satisfaction = MeanInterval(rows.compactMap(\.satisfaction))
        valence = MeanInterval(rows.compactMap(\.valenceMean))
        presence = MeanInterval(rows.compactMap(\.facePresence))
    }
}
