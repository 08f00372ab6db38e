import SessionStore

/// What kind of highlight a clip shows.
public enum MomentKind: String, Sendable, CaseIterable, Comparable {
    /// The lowest smoothed valence of a task.
    case negative
    /// The highest smoothed valence of a task.
    case positive
    /// The longest run of samples in which one emotion's smoothed probability stays at or above a threshold.
    case stretch

    public static func < (a: MomentKind, b: MomentKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One highlight of a session: where it is, what it shows and how strong it is.
public struct Moment: Sendable, Equatable {
    public var kind: MomentKind
    /// The task's position in the session's task list, and its name (`MomentFinder.wholeSession` for a
    /// session without tasks).
    public var taskIndex: Int
    public var taskName: String
    /// 1 for the strongest moment of its kind in its task, 2 for the next, …
    public var rank: Int
    /// The sample time of a negative or positive moment; the first sample of a stretch (seconds).
    public var time: Double
    /// The end of a stretch (its last sample plus one sampling interval); `time` for the other kinds.
    public var end: Double
    /// Negative: the strongest negative emotion (angry, disgust, fear or sad) at that time; positive:
    /// happy; stretch: the emotion that stayed above the threshold.
    public var emotion: Emotion
    /// Negative and positive: the smoothed valence (−1…1); stretch: the emotion's mean smoothed
    /// probability over the stretch.
    public var score: Double

    public init(kind: MomentKind, taskIndex: Int, taskName: String, rank: Int, time: Double, end: Double,
                emotion: Emotion, score: Double) {
        self.kind = kind
        self.taskIndex = taskIndex
        self.taskName = taskName
        self.rank = rank
        self.time = time
        self.end = end
        self.emotion = emotion
        self.score = score
    }

    /// How long a stretch lasts (0 for the other kinds).
    public var duration: Double { end - time }
}
