/// A square window of a frame that BlazeFace looks at, in frame pixels: its top-left corner (negative, or
/// beyond the frame, where the window pads the frame) and its side. The network input (128 × 128) shows
/// exactly this window; what lies outside the frame is black, as in MediaPipe's letterboxing.
public struct BlazeFaceView: Sendable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var side: Double

    public init(x: Double, y: Double, side: Double) {
        self.x = x
        self.y = y
        self.side = side
    }

    /// The whole `width` × `height` frame as MediaPipe's `ImageToTensorCalculator` letterboxes it
    /// (`keep_aspect_ratio`): scaled to fit, centred, padded equally on both sides of the shorter axis. A
    /// 640 × 360 frame is the window (0, −140) of side 640: 28 black input rows above it and 28 below.
    public static func letterbox(width: Int, height: Int) -> BlazeFaceView {
        let side = Double(max(width, height))
        return BlazeFaceView(x: (Double(width) - side) / 2, y: (Double(height) - side) / 2, side: side)
    }

    /// Frame pixel coordinates of a point given relative to the network input (0…1 across the window).
    public func framePoint(x u: Float, y v: Float) -> FacePoint {
        FacePoint(x: x + Double(u) * side, y: y + Double(v) * side)
    }

    /// A detection relative to the input, in frame pixel coordinates (box and keypoints), same score.
    public func toFrame(_ d: BlazeFaceDetection) -> BlazeFaceDetection {
        func map(_ value: Float, _ origin: Double) -> Float { Float(origin + Double(value) * side) }
        return BlazeFaceDetection(score: d.score, xMin: map(d.xMin, x), yMin: map(d.yMin, y), xMax: map(d.xMax, x),
                                  yMax: map(d.yMax, y),
                                  keypoints: d.keypoints.map { .init(x: map($0.x, x), y: map($0.y, y)) })
    }

    public var description: String { "(\(x), \(y), side \(side))" }
}

/// Fills BlazeFace input images from gray frames: the `BlazeFaceView` window resampled to 128 × 128 by area
/// averaging (each input pixel is the mean of the frame area it covers, black where that area lies outside the
/// frame), the gray value replicated into R, G and B and scaled to [-1, 1] (`value / 127.5 − 1`), as the
/// network takes it (`BlazeFaceNetwork.forward`).
///
/// Area averaging rather than MediaPipe's bilinear `warpAffine`: a 640-pixel frame shrinks fivefold, and
/// bilinear sampling at that ratio reads one pixel in 25 (aliasing); the letterbox geometry is MediaPipe's.
public enum BlazeFaceInput {
    /// Source index range and weights of one input pixel along one axis.
    struct Taps {
        var first: Int
        var weights: [Float]
    }

    /// The taps of the `size` input pixels along an axis of `length` frame pixels, for a window starting at
    /// `origin` with side `side`. Weights of one input pixel sum to the fraction of its span inside the frame.
    static func taps(origin: Double, side: Double, length: Int, size: Int) -> [Taps] {
        let step = side / Double(size)
        return (0..<size).map { i in
            let a = origin + Double(i) * step, b = a + step
            let first = max(Int(a.rounded(.down)), 0), end = min(Int(b.rounded(.up)), length)
            guard end > first else { return Taps(first: 0, weights: []) }
            let weights = (first..<end).map { p in Float((min(b, Double(p + 1)) - max(a, Double(p))) / step) }
            return Taps(first: first, weights: weights)
        }
    }

    /// Writes one `size` × `size` × 3 input image (NHWC, [-1, 1]) of `view` into `out` (`size² · 3` floats).
    public static func fill(_ out: UnsafeMutablePointer<Float>, pixels: UnsafeBufferPointer<UInt8>, width: Int,
                            height: Int, view: BlazeFaceView, size: Int = BlazeFaceNetwork.inputSize) {
        fill(out, pixelStride: 3, pixels: pixels, width: width, height: height, view: view, size: size)
        for p in 0..<(size * size) {
            out[p * 3 + 1] = out[p * 3]
            out[p * 3 + 2] = out[p * 3]
        }
    }

    /// Writes the one gray plane of `view` (`size` × `size`, [-1, 1]) into `out`, `pixelStride` floats apart.
    static func fill(_ out: UnsafeMutablePointer<Float>, pixelStride: Int, pixels: UnsafeBufferPointer<UInt8>, width: Int,
                     height: Int, view: BlazeFaceView, size: Int = BlazeFaceNetwork.inputSize) {
        precondition(pixels.count >= width * height, "BlazeFace input: pixel buffer smaller than the frame")
        let columns = taps(origin: view.x, side: view.side, length: width, size: size)
        let rows = taps(origin: view.y, side: view.side, length: height, size: size)
        // Horizontal pass over the frame rows the window needs, then the vertical pass.
        let firstRow = rows.filter { !$0.weights.isEmpty }.map(\.first).min() ?? 0
        let lastRow = rows.filter { !$0.weights.isEmpty }.map { $0.first + $0.weights.count }.max() ?? 0
        var band = [Float](repeating: 0, count: max(lastRow - firstRow, 0) * size)
        band.withUnsafeMutableBufferPointer { band in
            for r in firstRow..<max(lastRow, firstRow) {
                let row = pixels.baseAddress! + r * width, target = band.baseAddress! + (r - firstRow) * size
                for (u, tap) in columns.enumerated() {
                    var sum: Float = 0
                    for (k, w) in tap.weights.enumerated() { sum += w * Float(row[tap.first + k]) }
                    target[u] = sum
                }
            }
            for (v, tap) in rows.enumerated() {
                let target = out + v * size * pixelStride
                for u in 0..<size {
                    var sum: Float = 0
                    for (k, w) in tap.weights.enumerated() { sum += w * band[(tap.first + k - firstRow) * size + u] }
                    target[u * pixelStride] = sum / 127.5 - 1
                }
            }
        }
    }
}
