/// BlazeFace detection plus tracking for a stream of sampled frames: every frame is looked at whole
/// (letterboxed), so every face large enough for that view is found in every frame, and the detections feed a
/// `FaceTracker` directly. Faces too small for the whole-frame view get a second pass at little cost:
///
/// - each face tracked in the last `FaceTrackerConfiguration.maximumGap` seconds whose box would be smaller
///   than `smallFaceSide` input pixels in the whole-frame view is looked for in a window around its predicted
///   box, sized so the face fills `windowFaceSide` input pixels;
/// - to discover small faces, the detector's tiles (`BlazeFaceDetector.tiles`, sized by the minimum face)
///   are visited in turn, spread over frames so that every tile is looked at once every `tileCycle` seconds
///   (640 × 360 with `analyze`'s default minimum face: 34 tiles in 10 s, 0.85 of a tile a frame at 4 frames/s;
///   the first frame gets one).
///
/// All views of a frame run as one network batch. One search follows one stream; it is not meant to be shared
/// between threads.
public final class BlazeFaceSearch {
    public let detector: BlazeFaceDetector
    /// Seconds in which every tile is looked at once (0: no tile pass).
    public let tileCycle: Double
    /// A tracked face smaller than this many input pixels in the whole-frame view gets a window of its own
    /// (1.25 × `BlazeFaceDetector.smallestReliableFace`: 150 pixels in a 640-pixel frame; a participant at a
    /// webcam is usually larger and costs one view a frame).
    public static let smallFaceSide = 1.25 * BlazeFaceDetector.smallestReliableFace
    /// How many input pixels a tracked face fills in its window.
    public static let windowFaceSide = 40.0
    private let tracker: FaceTracker
    private var nextTile = 0
    /// Tiles owed to the turn (fractions carry over between frames), and the previous frame's time.
    private var tileCredit = 1.0
    private var lastTimestamp: Double?
    /// The detector's tiles for the latest frame size (a stream keeps one size: worked out once, not per frame).
    private var tileCache: (width: Int, height: Int, tiles: [BlazeFaceView])?

    /// The default `tileCycle`.
    public static let defaultTileCycle = 10.0

    public init(detector: BlazeFaceDetector, tracker configuration: FaceTrackerConfiguration = .init(),
                tileCycle: Double = BlazeFaceSearch.defaultTileCycle) {
        self.detector = detector
        self.tileCycle = tileCycle.isFinite ? max(0, tileCycle) : 0
        tracker = FaceTracker(configuration: configuration)
    }

    /// The views of the frame at `timestamp`: the whole frame, windows around small tracked faces, and the next
    /// tiles in turn. Advances the tile turn.
    func views(width: Int, height: Int, timestamp: Double) -> [BlazeFaceView] {
        let whole = BlazeFaceView.letterbox(width: width, height: height)
        var views = [whole]
        let input = Double(BlazeFaceNetwork.inputSize)
        for track in tracker.openTracks(at: timestamp) {
            let box = track.predictedBox(at: timestamp, horizon: tracker.configuration.predictionHorizon)
            let side = Double(max(box.width, box.height))
            guard side > 0, side * input / whole.side < Self.smallFaceSide else { continue }
            let window = min(side * input / Self.windowFaceSide, whole.side)
            views.append(BlazeFaceView(x: box.centerX - window / 2, y: box.centerY - window / 2, side: window))
        }
        let tiles: [BlazeFaceView]
        if let cache = tileCache, cache.width == width, cache.height == height {
            tiles = cache.tiles
        } else {
            tiles = detector.tiles(width: width, height: height)
            tileCache = (width, height, tiles)
        }
        if let last = lastTimestamp, tileCycle > 0, timestamp > last {
            tileCredit += (timestamp - last) * Double(tiles.count) / tileCycle
        }
        lastTimestamp = max(lastTimestamp ?? timestamp, timestamp)
        if !tiles.isEmpty, tileCycle > 0 {
            let due = min(Int(tileCredit.rounded(.down)), tiles.count)
            for _ in 0..<due {
                views.append(tiles[nextTile % tiles.count])
                nextTile = (nextTile + 1) % tiles.count
            }
            tileCredit -= Double(due)
            tileCredit = min(tileCredit, Double(tiles.count))
        }
        return views
    }

    /// Finds and tracks the faces of one frame (8-bit gray, `width` × `height`, rows packed) taken at
    /// `timestamp` seconds. Frames must come in time order.
    public func process(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, timestamp: Double) -> FrameFaces {
        let faces = detector.faces(in: pixels, width: width, height: height,
                                   views: views(width: width, height: height, timestamp: timestamp))
        return FrameFaces(timestamp: timestamp, faces: tracker.update(timestamp: timestamp, faces: faces))
    }

    /// `process` on a pixel array.
    public func process(pixels: [UInt8], width: Int, height: Int, timestamp: Double) -> FrameFaces {
        pixels.withUnsafeBufferPointer { process(pixels: $0, width: width, height: height, timestamp: timestamp) }
    }

    /// Ends the session: all tracks and the participant.
    public func finish() -> TrackingSummary { tracker.finish() }
}
