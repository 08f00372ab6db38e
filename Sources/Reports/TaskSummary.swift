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
    /// The share of the task's samples with a face besides the participant's (`ReportRow.othersInView`).
    public let othersInView: MeanInterval?

    /// The summary of `rows` (one per participant, all of the task `task`); intervals are clipped to what
    /// each figure can take (scores 0…100, presence and others in view 0…1, valence −1…1, or −2…2 when
    /// `baselined`).
    public init(task: String, rows: [ReportRow], baselined: Bool = false) {
        self.task = task
        engagement = MeanInterval(rows.compactMap(\.engagement), bounds: 0...100)
        satisfaction = MeanInterval(rows.compactMap(\.satisfaction), bounds: 0...100)
        valence = MeanInterval(rows.compactMap(\.valenceMean), bounds: baselined ? -2...2 : -1...1)
        presence = MeanInterval(rows.compactMap(\.facePresence), bounds: 0...1)
        othersInView = MeanInterval(rows.compactMap(\.othersInView), bounds: 0...1)
    }
}
