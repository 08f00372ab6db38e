/// The outcome of one completed analysis.
public struct AnalysisSummary: Sendable, Equatable {
    /// The file as given.
    public let file: String
    public let sessionID: Int64
    public let runID: Int64
    /// Seconds of video: the container's duration, else the last sampled timestamp.
    public let duration: Double
    /// Sampled timestamps analysed.
    public let samples: Int
    /// Samples in which the participant's face was found.
    public let faceSamples: Int
    /// Face tracks found (the participant's and any others).
    public let trackCount: Int
    /// The participant's track id, nil when no face was seen.
    public let participantTrack: Int?
    /// Wall-clock seconds the analysis took, hashing included.
    public let elapsed: Double
    /// Problems the decoder reported (e.g. a truncated file); the run still completed.
    public let warnings: [String]
    /// Things worth knowing that are not problems (e.g. the session was known under another path).
    public let notes: [String]
    public let timings: StageTimings

    public init(file: String, sessionID: Int64, runID: Int64, duration: Double, samples: Int, faceSamples: Int,
                trackCount: Int, participantTrack: Int?, elapsed: Double, warnings: [String], notes: [String] = [],
                timings: StageTimings) {
        self.notes = notes
        self.file = file
        self.sessionID = sessionID
        self.runID = runID
        self.duration = duration
        self.samples = samples
        self.faceSamples = faceSamples
        self.trackCount = trackCount
        self.participantTrack = participantTrack
        self.elapsed = elapsed
        self.warnings = warnings
        self.timings = timings
    }

    /// Fraction of samples with the participant's face, in [0, 1].
    public var facePresence: Double { samples > 0 ? Double(faceSamples) / Double(samples) : 0 }

    /// Seconds of video analysed per wall-clock second ("× real time").
    public var speed: Double { elapsed > 0 ? duration / elapsed : 0 }
}
