/// The faces of one processed frame.
public struct FrameFaces: Sendable, Hashable {
    public let timestamp: Double
    /// Every face found, with its track id.
    public let faces: [TrackedFace]
}

/// Face detection plus tracking for a stream of sampled frames.
///
/// Every frame is searched whole with the configured parameters, and every face that search finds is
/// kept and tracked: no face a whole-frame search finds is ever lost to a shortcut. (Searching only near
/// tracked faces between periodic whole-frame searches was many times cheaper, but missed faces that came
/// into view between two whole-frame searches, and faces a coarser search step did not find.) Track ids
/// come back with every frame; `finish()` joins tracks into seats and names the participant. One search
/// follows one stream; it is not meant to be shared between threads.
public final class TrackedFaceSearch {
    public let detector: CascadeDetector
    public let configuration: TrackedSearchConfiguration
    private let tracker: FaceTracker

    public init(detector: CascadeDetector, configuration: TrackedSearchConfiguration = .init()) {
        self.detector = detector
        self.configuration = configuration
        tracker = FaceTracker(configuration: configuration.tracker)
    }

    /// Finds and tracks the faces of one frame (8-bit gray, `width` × `height`, rows packed) taken at
    /// `timestamp` seconds. Frames must come in time order.
    public func process(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, timestamp: Double) -> FrameFaces {
        let faces = detector.detect(pixels: pixels, width: width, height: height, parameters: configuration.parameters)
        return FrameFaces(timestamp: timestamp, faces: tracker.update(timestamp: timestamp, faces: faces))
    }

    /// `process` on a pixel array.
    public func process(pixels: [UInt8], width: Int, height: Int, timestamp: Double) -> FrameFaces {
        pixels.withUnsafeBufferPointer { process(pixels: $0, width: width, height: height, timestamp: timestamp) }
    }

    /// Ends the session: all tracks, their seats and the participant.
    public func finish() -> TrackingSummary { tracker.finish() }
}
