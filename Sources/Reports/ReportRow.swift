import SessionStore

/// One row of the per-task report: a task, or the whole session.
///
/// Optional values are nil where the quantity is undefined: emotion, valence, engagement and satisfaction
/// values when the segment has no face samples; face presence when it has no samples at all; an interval
/// when the segment spans fewer than two blocks of `BlockMeans.seconds` with values.
public struct ReportRow: Sendable, Equatable {
    /// The session's file name.
    public var session: String
    /// The task's name, or `ReportRow.wholeSessionName` for the whole-session row.
    public var task: String
    /// Whether this is the whole-session row.
    public var isWholeSession: Bool
    public var start: Double
    public var end: Double
    /// Number of sampled timestamps in [start, end).
    public var samples: Int
    /// Number of those with the participant's face.
    public var faceSamples: Int
    /// faceSamples / samples.
    public var facePresence: Double?
    /// Mean probability of each emotion over the face samples, in `Emotion` order.
    public var emotionMeans: [Double]?
    /// With a baseline: each emotion's mean probability less its mean over the baseline (−1 … 1); nil
    /// without a baseline or without face samples.
    public var emotionChanges: [Double]?
    /// The emotion with the highest mean probability (ties: earlier in `Emotion` order).
    public var dominant: Emotion?
    /// Mean, minimum and maximum of per-sample valence over the face samples (baseline subtracted).
    public var valenceMean: Double?
    public var valenceMin: Double?
    public var valenceMax: Double?
    /// Expressiveness: 100 × mean over the face samples of 1 − p(neutral), 0–100. Samples without a face do
    /// not count (that is `facePresence`).
    public var engagement: Double?
    /// 50 × (1 + valenceMean), clamped to 0–100.
    public var satisfaction: Double?
    /// Number of sampled timestamps in [start, end) with at least one face that is not the participant's.
    public var othersSamples = 0
    /// Others in view: othersSamples / samples, the share of the segment's samples in which someone besides
    /// the participant (a moderator, a bystander) was on camera; nil when the segment has no samples.
    public var othersInView: Double?
    /// 95 % intervals that respect the correlation of neighbouring samples (`BlockMeans`).
    public var engagementInterval: ClosedRange<Double>?
    public var satisfactionInterval: ClosedRange<Double>?
    public var valenceInterval: ClosedRange<Double>?
    public var presenceInterval: ClosedRange<Double>?

    /// The `task` value of the whole-session row.
    public static let wholeSessionName = "(whole session)"

    public var duration: Double { end - start }
}
