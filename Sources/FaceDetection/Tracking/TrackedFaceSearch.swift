/// The faces of one processed frame.
public struct FrameFaces: Sendable, Hashable {
    public let timestamp: Double
    /// Every face found, with its track id.
    public let faces: [TrackedFace]
    /// True when the whole frame was searched; false when only regions around tracked faces were.
    public let searchedFullFrame: Bool
}

/// Face detection plus tracking for a stream of sampled frames, searching near known faces when it can.
///
/// A frame gets a full-frame search when no face is tracked, when `fullSearchInterval` seconds have passed
/// since the last full search, or when a face tracked in the previous frame is not found again in the
/// region around its predicted box ("lost"). Otherwise only those regions are searched, each for faces of
/// about the tracked size, which is many times cheaper. Track ids come back with every frame; `finish()`
/// names the participant. One search follows one stream; it is not meant to be shared between threads.
public final class TrackedFaceSearch {
    public let detector: CascadeDetector
    public let configuration: TrackedSearchConfiguration
    private let tracker: FaceTracker
    private var lastFullSearch: Double?

    public init(detector: CascadeDetector, configuration: TrackedSearchConfiguration = .init()) {
        self.detector = detector
        self.configuration = configuration
        tracker = FaceTracker(configuration: configuration.tracker)
    }

    /// Finds and tracks the faces of one frame (8-bit gray, `width` × `height`, rows packed) taken at
    /// `timestamp` seconds. Frames must come in time order.
    public func process(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, timestamp: Double) -> FrameFaces {
        var faces = regionSearch(pixels: pixels, width: width, height: height, timestamp: timestamp)
        let full = faces == nil
        if faces == nil {
            faces = detector.detect(pixels: pixels, width: width, height: height, parameters: configuration.parameters)
            lastFullSearch = timestamp
        }
        let tracked = tracker.update(timestamp: timestamp, faces: faces ?? [])
        return FrameFaces(timestamp: timestamp, faces: tracked, searchedFullFrame: full)
    }

    /// `process` on a pixel array.
    public func process(pixels: [UInt8], width: Int, height: Int, timestamp: Double) -> FrameFaces {
        pixels.withUnsafeBufferPointer { process(pixels: $0, width: width, height: height, timestamp: timestamp) }
    }

    /// Ends the session: all tracks and the participant.
    public func finish() -> TrackingSummary { tracker.finish() }

    /// The faces found near the tracked ones, or nil when this frame needs a full search.
    private func regionSearch(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                              timestamp: Double) -> [DetectedFace]? {
        let current = tracker.currentTracks
        guard !current.isEmpty, let last = lastFullSearch,
              timestamp - last < configuration.fullSearchInterval else { return nil }
        var found: [DetectedFace] = []
        for track in current {
            let predicted = track.predictedBox(at: timestamp, horizon: configuration.tracker.predictionHorizon)
            guard let search = configuration.regionSearch(around: predicted, width: width, height: height) else {
                return nil
            }
            let faces = detector.detect(pixels: pixels, width: width, height: height, region: search.region,
                                        parameters: search.parameters)
            guard faces.contains(where: {
                $0.box.intersectionOverUnion(predicted) >= configuration.tracker.minimumIoU
            }) else { return nil }
            found += faces
        }
        // Overlapping regions can find the same face twice: keep the surer box.
        var kept: [DetectedFace] = []
        for face in found.sorted(by: { $0.neighbors > $1.neighbors })
        where !kept.contains(where: { $0.box.intersectionOverUnion(face.box) >= 0.5 }) {
            kept.append(face)
        }
        return kept
    }
}
