/// Where an analysis spent its wall-clock time, for tuning (`emotelab analyze --timings`).
///
/// Decoding runs on its own threads, overlapped with the rest: `decode` is their CPU time (summed over
/// `decoders` threads) and `waitForFrames` the time the analysis thread sat idle waiting for frames (the
/// decoders were the bottleneck).
public struct StageTimings: Sendable, Equatable {
    /// Hashing the file (session identity).
    public var hash = 0.0
    /// Opening the video, the session and the run.
    public var setup = 0.0
    /// Decode threads: CPU seconds decoding, scaling and converting frames (summed over the threads).
    public var decode = 0.0
    /// Decode threads used, and the parts the video was split into at keyframes (1: read whole).
    public var decoders = 1
    public var segments = 1
    /// Analysis thread: waiting for decoded frames.
    public var waitForFrames = 0.0
    /// Analysis thread: face detection, tracking and cropping.
    public var detect = 0.0
    /// Analysis thread: emotion classification.
    public var classify = 0.0
    /// Analysis thread: writing records and finishing the run.
    public var store = 0.0
    /// Frames the decoder returned (sampled or not).
    public var decodedFrames = 0

    public init() {}
}
