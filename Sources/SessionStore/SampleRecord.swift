/// A face box in source-video pixels (top-left corner, width and height).
public struct FaceBox: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// One face found at a sampled timestamp.
public struct DetectedFace: Sendable, Equatable {
    /// The tracker's id for this face, stable across timestamps.
    public var trackID: Int64?
    /// Whether this is the participant's face. The pipeline may also decide at the end of the run with
    /// `SessionStore.markParticipant(track:run:)`.
    public var isParticipant: Bool
    public var box: FaceBox
    /// The detector's confidence (its own scale), when it has one.
    public var confidence: Double?
    /// The classifier's output; nil when the face was not classified.
    public var scores: EmotionScores?

    public init(trackID: Int64?, isParticipant: Bool, box: FaceBox, confidence: Double?, scores: EmotionScores?) {
        self.trackID = trackID
        self.isParticipant = isParticipant
        self.box = box
        self.confidence = confidence
        self.scores = scores
    }
}

/// One row of `samples`: a face at a sampled timestamp, or the fact that the timestamp had no face.
///
/// A timestamp with several faces is written as several records with the same `time`; a timestamp
/// without faces as one record with `face == nil`. Dominant emotion and valence are derived from the
/// probabilities when written, so they always agree with them.
public struct SampleRecord: Sendable, Equatable {
    /// Seconds from the start of the video.
    public var time: Double
    /// The face, or nil when none was found at this timestamp.
    public var face: DetectedFace?

    public init(time: Double, face: DetectedFace?) {
        self.time = time
        self.face = face
    }

    /// A timestamp where no face was found.
    public static func noFace(at time: Double) -> SampleRecord { SampleRecord(time: time, face: nil) }
}

/// One timestamp of a run's timeline: the participant's face scores, or nil when no participant face
/// was seen at that time, and how many faces were found then.
public struct TimelineSample: Sendable, Equatable {
    public var time: Double
    public var scores: EmotionScores?
    /// Every face found at this time, the participant's included (the timestamp's `samples` rows with a
    /// face).
    public var faces: Int
    /// The faces found at this time that are not the participant's (rows with a face and
    /// `is_participant = 0`): a moderator, an observer, a bystander, or a face the tracker did not take for
    /// the participant's.
    public var others: Int

    /// - Parameters:
    ///   - faces: every face found at `time`; nil: the participant's (1 with scores, else 0) plus `others`.
    ///   - others: the faces other than the participant's.
    public init(time: Double, scores: EmotionScores?, faces: Int? = nil, others: Int = 0) {
        self.time = time
        self.scores = scores
        self.others = others
        self.faces = faces ?? (scores == nil ? 0 : 1) + others
    }

    /// Whether the participant's face was seen (and classified).
    public var hasFace: Bool { scores != nil }

    /// Whether at least one face other than the participant's was found at this time.
    public var hasOthers: Bool { others > 0 }
}
