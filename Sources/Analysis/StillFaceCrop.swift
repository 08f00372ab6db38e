import FaceDetection
import Foundation
import NeuralNet

/// The analysis crop path for a labelled face image: how `analyze` would frame that face if it appeared
/// in a video. The image is enlarged `scale` times (bilinear) onto the middle of a mid-gray canvas twice
/// its enlarged size, searched with the detector at analysis settings, and the largest face found is cut
/// with `FaceCrop` (the one crop geometry: the detector's framing, turned upright by the eye keypoints when the
/// detector gives them) at the classifier's input size.
///
/// `evaluate --through-detector` measures a model on these crops instead of the dataset's own
/// registration, so what it reports is what analysis sees.
public struct StillFaceCrop: Sendable {
    /// Makes the detector one worker thread uses (detectors keep scratch buffers).
    private let makeDetector: @Sendable () -> FaceDetector
    /// Enlargement of the face image before it is put on the canvas.
    public let scale: Int
    public let framing: FaceFraming

    /// Crops through a loaded detector (`DetectorChoice.load`), with its framing.
    public init(detector: LoadedDetector, scale: Int = 4) {
        precondition(scale >= 1)
        makeDetector = { detector.makeDetector() }
        self.scale = scale
        framing = detector.choice.framing
    }

    /// Crops through a cascade with `parameters` and the Haar framing with `margin`.
    public init(detector: CascadeDetector, parameters: DetectionParameters = .standard, scale: Int = 4,
                margin: Double = FaceCrop.defaultMargin) {
        precondition(scale >= 1)
        makeDetector = { CascadeFaceDetector(detector: detector, parameters: parameters) }
        self.scale = scale
        framing = FaceFraming(margin: margin)
    }

    /// The canvas (side × side gray bytes, side = 2 · scale · image side) with the enlarged image in the
    /// middle.
    public func canvas(_ image: [UInt8], side: Int) -> (pixels: [UInt8], side: Int) {
        let big = side * scale, canvasSide = 2 * big, offset = big / 2
        let enlarged = Self.resize(image, side: side, to: big)
        var canvas = [UInt8](repeating: 128, count: canvasSide * canvasSide)
        for y in 0..<big {
            let row = (y + offset) * canvasSide + offset
            for x in 0..<big { canvas[row + x] = enlarged[y * big + x] }
        }
        return (canvas, canvasSide)
    }

    /// The `outputSize × outputSize` crop of the largest face the detector finds, or nil when it finds none.
    /// `detector`: the worker's own detector (one is made when not given).
    public func crop(_ image: [UInt8], side: Int, outputSize: Int, detector: FaceDetector? = nil) -> [UInt8]? {
        let (pixels, canvasSide) = canvas(image, side: side)
        let faces = (detector ?? makeDetector()).faces(in: pixels, width: canvasSide, height: canvasSide)
        guard let largest = faces.max(by: { $0.box.area < $1.box.area }) else { return nil }
        return FaceCrop.crop(pixels: pixels, width: canvasSide, height: canvasSide, face: largest, framing: framing,
                             outputSize: outputSize)
    }

    /// `crop` of every image (each `side × side`), spread over `threads` threads; nil where no face is found.
    public func crops(of images: [[UInt8]], side: Int, outputSize: Int, threads: Int) -> [[UInt8]?] {
        let workers = max(1, min(threads, images.count))
        let results = ResultSlots<[UInt8]?>(count: images.count)
        Compute.parallel(workers) { w in
            let detector = makeDetector()
            for i in stride(from: w, to: images.count, by: workers) {
                results.set(i, crop(images[i], side: side, outputSize: outputSize, detector: detector))
            }
        }
        return results.values
    }

    /// Bilinear enlargement with pixel centres aligned (`FaceCrop.extract` of the whole image).
    static func resize(_ image: [UInt8], side: Int, to size: Int) -> [UInt8] {
        FaceCrop.extract(pixels: image, width: side, height: side, box: FaceBox(x: 0, y: 0, width: side, height: side),
                         outputSize: size)
    }
}

/// Slots that concurrent workers fill at distinct indices.
private final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock(); defer { lock.unlock() }
        storage[index] = value
    }

    var values: [T] { storage.map { $0! } }
}
