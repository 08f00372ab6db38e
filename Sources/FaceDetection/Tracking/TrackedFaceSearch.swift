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
/// Every tracked face is searched for in the region around its predicted box, for faces of about the
/// tracked size, which is many times cheaper than searching the whole frame. A frame gets a full-frame
/// search with the configured parameters when no face is tracked or when a face tracked in the previous
/// frame is not found again near its box ("lost"). While every tracked face is found, a full-frame
/// *discovery* search still runs every `fullSearchInterval` seconds to notice new faces; it steps through
/// sizes more coarsely (`discoveryScaleFactor`), and of what it finds only faces that overlap no tracked
/// face are added, so while tracking holds a face's box comes from the same kind of search. Track ids come back
/// with every frame; `finish()` names the participant. One search follows one stream; it is not meant to
/// be shared between threads.
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
        let due = lastFullSearch.map { timestamp - $0 >= configuration.fullSearchInterval } ?? true
        var full = true
        var faces: [DetectedFace]
        if let near = regionSearch(pixels: pixels, width: width, height: height, timestamp: timestamp) {
            faces = near
            full = due
            if due {
                let found = detector.detect(pixels: pixels, width: width, height: height,
                                            parameters: configuration.discoveryParameters)
                faces += found.filter { new in !near.contains { Self.overlap(new.box, $0.box) } }
            }
        } else {
            faces = detector.detect(pixels: pixels, width: width, height: height, parameters: configuration.parameters)
        }
        if full { lastFullSearch = timestamp }
        let tracked = tracker.update(timestamp: timestamp, faces: faces)
        return FrameFaces(timestamp: timestamp, faces: tracked, searchedFullFrame: full)
    }

    /// Whether two boxes show the same face: they overlap by IoU ≥ 0.3 or one's centre lies inside the
    /// other (a coarse discovery search can frame a tracked face a little differently).
    static func overlap(_ a: FaceBox, _ b: FaceBox) -> Bool {
        func centreInside(_ p: FaceBox, _ q: FaceBox) -> Bool {
            let cx = 2 * p.x + p.width, cy = 2 * p.y + p.height
            return cx >= 2 * q.x && cx <= 2 * (q.x + q.width) && cy >= 2 * q.y && cy <= 2 * (q.y + q.height)
        }
        return a.intersectionOverUnion(b) >= 0.3 || centreInside(a, b) || centreInside(b, a)
    }

    /// `process` on a pixel array.
    public func process(pixels: [UInt8], width: Int, height: Int, timestamp: Double) -> FrameFaces {
        pixels.withUnsafeBufferPointer { process(pixels: $0, width: width, height: height, timestamp: timestamp) }
    }

    /// Ends the session: all tracks and the participant.
    public func finish() -> TrackingSummary { tracker.finish() }

    /// The faces found near the tracked ones, or nil when no face is tracked or one was lost (the frame
    /// then needs a full search).
    private func regionSearch(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                              timestamp: Double) -> [DetectedFace]? {
        let current = tracker.currentTracks
        guard !current.isEmpty else { return nil }
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
