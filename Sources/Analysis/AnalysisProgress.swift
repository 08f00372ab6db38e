/// Where a running analysis stands, reported after every analysed frame.
public struct AnalysisProgress: Sendable, Equatable {
    /// The file as given.
    public let file: String
    /// Sampled frames analysed so far.
    public let frames: Int
    /// Timestamp of the latest analysed frame (seconds of video analysed).
    public let analysedSeconds: Double
    /// The video's duration when the container knows it.
    public let duration: Double?
    /// Wall-clock seconds since the analysis started.
    public let elapsed: Double

    public init(file: String, frames: Int, analysedSeconds: Double, duration: Double?, elapsed: Double) {
        self.file = file
        self.frames = frames
        self.analysedSeconds = analysedSeconds
        self.duration = duration
        self.elapsed = elapsed
    }

    /// Seconds of video per wall-clock second so far (nil before there is a measurement).
    public var speed: Double? {
        elapsed > 0 && analysedSeconds > 0 ? analysedSeconds / elapsed : nil
    }

    /// Analysed fraction of the video in [0, 1], when the duration is known.
    public var fraction: Double? {
        guard let duration, duration > 0 else { return nil }
        return min(max(analysedSeconds / duration, 0), 1)
    }

    /// Estimated wall-clock seconds left, at the speed so far.
    public var remaining: Double? {
        guard let duration, let speed, speed > 0 else { return nil }
        return max(duration - analysedSeconds, 0) / speed
    }
}
