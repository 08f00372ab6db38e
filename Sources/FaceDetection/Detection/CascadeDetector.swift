import Foundation
import NeuralNet

/// Finds objects (faces) with a boosted cascade, reproducing OpenCV 4.6's
/// `CascadeClassifier::detectMultiScale` step for step: the same pyramid levels (shrunk with OpenCV's
/// bit-exact bilinear resize), integral images, window positions and steps, variance normalisation,
/// floating-point order in the stage sums and `groupRectangles` clustering, so its boxes are OpenCV's.
///
/// Pyramid levels run in parallel on up to `threadCount` threads. A detector is safe to share between
/// threads; concurrent calls each take their own scratch memory.
public final class CascadeDetector: @unchecked Sendable {
    public let cascade: Cascade
    /// The most threads one `detect` call uses.
    public let threadCount: Int
    private let prepared: PreparedCascade
    private let pool = WorkspacePool()
    /// The most recently compiled tables: consecutive frames of one size reuse them.
    private let compiledCache = CompiledCascadeCache()

    /// Below this many window positions in the whole pyramid a call stays on one thread.
    static let parallelWorkThreshold = 40_000

    public init(cascade: Cascade, threadCount: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.cascade = cascade
        self.threadCount = max(1, threadCount)
        prepared = PreparedCascade(cascade)
    }

    /// Loads the cascade XML at `url` (default: OpenCV's frontal-face Haar cascade).
    public convenience init(contentsOf url: URL = Cascade.defaultHaarURL,
                            threadCount: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        self.init(cascade: try Cascade(contentsOf: url), threadCount: threadCount)
    }

    /// Detects faces in an 8-bit gray image (`width` × `height`, rows packed, `pixels.count` at least
    /// `width * height`). With `region`, only that part of the image is searched (as if it were cropped
    /// out first); boxes are always in the coordinates of the whole image. An image or region smaller than
    /// the cascade window gives no faces.
    public func detect(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, region: FaceBox? = nil,
                       parameters: DetectionParameters = .standard) -> [DetectedFace] {
        precondition(width >= 0 && height >= 0 && pixels.count >= width * height,
                     "pixel buffer holds \(pixels.count) bytes, fewer than \(width)x\(height)")
        var area = FaceBox(x: 0, y: 0, width: width, height: height)
        if let region {
            guard let inside = region.intersection(area) else { return [] }
            area = inside
        }
        guard let base = pixels.baseAddress, !area.isEmpty else { return [] }
        let hits = candidates(source: base + area.y * width + area.x, stride: width,
                              width: area.width, height: area.height, parameters: parameters)
        return RectangleGrouping.group(hits, threshold: parameters.minNeighbors).map {
            DetectedFace(box: $0.box.offsetBy(dx: area.x, dy: area.y), neighbors: $0.count)
        }
    }

    /// `detect` on a pixel array.
    public func detect(pixels: [UInt8], width: Int, height: Int, region: FaceBox? = nil,
                       parameters: DetectionParameters = .standard) -> [DetectedFace] {
        pixels.withUnsafeBufferPointer {
            detect(pixels: $0, width: width, height: height, region: region, parameters: parameters)
        }
    }

    // MARK: - Raw hits

    /// Every window the cascade accepts (OpenCV's `detectMultiScaleNoGrouping`), level by level, in the
    /// coordinates of the searched image.
    func candidates(source: UnsafePointer<UInt8>, stride sourceStride: Int, width: Int, height: Int,
                    parameters: DetectionParameters) -> [FaceBox] {
        let levels = ScalePyramid.levels(imageWidth: width, imageHeight: height,
                                         windowWidth: cascade.windowWidth, windowHeight: cascade.windowHeight,
                                         parameters: parameters)
        guard let first = levels.first else { return [] }
        // One integral stride for every level, so feature offsets are computed once.
        let stride = first.width + 1
        let planeSize = stride * (first.height + 1)
        let tilted = prepared.hasTiltedFeatures
        let compiled = compiledCache.tables(for: prepared, stride: stride, tiltedPlane: planeSize)
        let image = SourceImage(pixels: source, stride: sourceStride, width: width, height: height)

        let work = levels.reduce(0) { $0 + ($1.scanWidth / $1.step) * ($1.scanHeight / $1.step) }
        let workers = work < Self.parallelWorkThreshold ? 1 : min(threadCount, levels.count)
        let workspaces = pool.take(workers)
        defer { pool.giveBack(workspaces) }
        for workspace in workspaces {
            workspace.reserve(shrunk: first.width * first.height, integral: planeSize * (tilted ? 2 : 1),
                              squares: prepared.featureType == .haar ? planeSize : 0)
        }

        let results = UnsafeMutableBufferPointer<[FaceBox]>.allocate(capacity: levels.count)
        _ = results.initialize(from: repeatElement([], count: levels.count))
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        if workers == 1 {
            for (index, level) in levels.enumerated() {
                results[index] = scan(level, of: image, compiled: compiled, stride: stride,
                                      planeSize: planeSize, workspace: workspaces[0])
            }
        } else {
            let queue = LevelQueue(count: levels.count)
            Compute.parallel(workers) { worker in
                while let index = queue.next() {
                    results[index] = scan(levels[index], of: image, compiled: compiled, stride: stride,
                                          planeSize: planeSize, workspace: workspaces[worker])
                }
            }
        }
        // OpenCV 4 clips hits to the image: a level's shrunk size is rounded, so its last windows can
        // reach a pixel or two past the right or bottom edge.
        return results.flatMap { level in
            level.map { box in
                FaceBox(x: box.x, y: box.y, width: min(box.width, width - box.x), height: min(box.height, height - box.y))
            }
        }
    }

    /// Shrinks the image to one level, builds its integral images and slides the window over it.
    private func scan(_ level: ScaleLevel, of image: SourceImage, compiled: CompiledCascade, stride: Int,
                      planeSize: Int, workspace: DetectionWorkspace) -> [FaceBox] {
        guard level.scanWidth > 0, level.scanHeight > 0 else { return [] }
        let shrunk: UnsafePointer<UInt8>, shrunkStride: Int
        if level.width == image.width, level.height == image.height {
            (shrunk, shrunkStride) = (image.pixels, image.stride)
        } else {
            LinearExactResize.resize(source: image.pixels, sourceStride: image.stride, sourceWidth: image.width,
                                     sourceHeight: image.height, target: workspace.shrunk,
                                     targetWidth: level.width, targetHeight: level.height)
            (shrunk, shrunkStride) = (UnsafePointer(workspace.shrunk), level.width)
        }
        let haar = prepared.featureType == .haar
        IntegralImage.compute(source: shrunk, sourceStride: shrunkStride, width: level.width, height: level.height,
                              sum: workspace.integral, squares: haar ? workspace.squares : nil, stride: stride)
        if prepared.hasTiltedFeatures {
            IntegralImage.computeTilted(source: shrunk, sourceStride: shrunkStride, width: level.width,
                                        height: level.height, tilted: workspace.integral + planeSize, stride: stride)
        }
        let planes = LevelPlanes(sum: workspace.integral, squares: haar ? workspace.squares : workspace.integral,
                                 cascade: compiled.tables)
        var hits: [FaceBox] = []
        switch compiled.layout {
        case .haarStumps: Self.slide(HaarStumpClassifier(planes: planes), over: level, stride: stride, into: &hits)
        case .haarTrees: Self.slide(HaarTreeClassifier(planes: planes), over: level, stride: stride, into: &hits)
        case .lbpStumps: Self.slide(LBPStumpClassifier(planes: planes), over: level, stride: stride, into: &hits)
        case .lbpTrees: Self.slide(LBPTreeClassifier(planes: planes), over: level, stride: stride, into: &hits)
        }
        return hits
    }

    /// OpenCV's `CascadeClassifierInvoker` loop for one level: rows and columns `step` apart, and one
    /// extra column skipped after a window the first stage rejects.
    @inline(__always)
    private static func slide<C: WindowClassifier>(_ classifier: C, over level: ScaleLevel, stride: Int,
                                                   into hits: inout [FaceBox]) {
        let step = level.step
        var y = 0
        while y < level.scanHeight {
            let row = y * stride
            var x = 0
            while x < level.scanWidth {
                let result = classifier.classify(row + x)
                if result > 0 {
                    hits.append(FaceBox(x: roundEven(Float(x) * level.factor), y: roundEven(Float(y) * level.factor),
                                        width: level.windowWidth, height: level.windowHeight))
                } else if result == 0 {
                    x += step
                }
                x += step
            }
            y += step
        }
    }
}

/// The image (or region) being searched: pixels with a row stride.
private struct SourceImage: @unchecked Sendable {
    let pixels: UnsafePointer<UInt8>
    let stride: Int
    let width: Int
    let height: Int
}

/// Keeps the last compiled cascade; compiling for a new stride replaces it.
private final class CompiledCascadeCache: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: CompiledCascade?

    func tables(for cascade: PreparedCascade, stride: Int, tiltedPlane: Int) -> CompiledCascade {
        lock.lock()
        defer { lock.unlock() }
        if let latest, latest.stride == stride, latest.tiltedPlane == tiltedPlane { return latest }
        let compiled = CompiledCascade(cascade, stride: stride, tiltedPlane: tiltedPlane)
        latest = compiled
        return compiled
    }
}

/// Hands out level indices to worker threads, largest level first.
private final class LevelQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }
}
