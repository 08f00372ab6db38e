import Foundation

/// A geometric distortion of a square gray face crop: a shift by whole pixels, a zoom and a rotation about
/// the centre, and a mirror. Training's augmentation draws them at random; test-time augmentation
/// (`TestTimeAugmentation`) uses a fixed set, so both distort faces in exactly the same way.
public struct FaceWarp: Equatable, Sendable {
    /// Mirror left-right.
    public var flip: Bool
    /// Shift in pixels (positive: right and down).
    public var dx: Int
    public var dy: Int
    /// Degrees, counter-clockwise.
    public var rotation: Float
    /// Zoom about the centre (1: unchanged; 2: the middle half of the image fills the output).
    public var scale: Float

    /// The crop as it is.
    public static let identity = FaceWarp()

    public init(flip: Bool = false, dx: Int = 0, dy: Int = 0, rotation: Float = 0, scale: Float = 1) {
        self.flip = flip
        self.dx = dx
        self.dy = dy
        self.rotation = rotation
        self.scale = scale
    }

    /// The distorted `side × side` image `source` (row-major bytes).
    public func apply(_ source: [UInt8], side: Int) -> [UInt8] {
        precondition(source.count == side * side)
        var out = [UInt8](repeating: 0, count: source.count)
        source.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer { apply(s, side: side, to: $0) } }
        return out
    }

    /// Writes the distorted `side × side` image `source` to `destination` (same size). The output pixel
    /// (x, y) shows the source at the point that the shift, then the zoom and the rotation about the centre,
    /// then the mirror carry onto (x, y); points outside the image take the nearest edge pixel; values between
    /// pixels are interpolated bilinearly and rounded. Whole-pixel warps (no zoom, no rotation) copy pixels.
    public func apply(_ source: UnsafeBufferPointer<UInt8>, side: Int,
                      to destination: UnsafeMutableBufferPointer<UInt8>) {
        precondition(source.count == side * side && destination.count == side * side)
        if rotation == 0 && scale == 1 {
            // Whole-pixel path: a plain copy with clamped, possibly mirrored indices.
            for y in 0..<side {
                let sy = min(max(y - dy, 0), side - 1)
                let row = sy * side
                for x in 0..<side {
                    let ox = flip ? side - 1 - x : x
                    let sx = min(max(ox - dx, 0), side - 1)
                    destination[y * side + x] = source[row + sx]
                }
            }
            return
        }
        let radians = Double(rotation) * .pi / 180
        // The output offset from the centre maps to the source offset turned and shrunk by the zoom.
        let c = Float(cos(radians)) / scale, s = Float(sin(radians)) / scale
        let centre = Float(side - 1) / 2
        let last = Float(side - 1)
        for y in 0..<side {
            for x in 0..<side {
                // Undo the mirror, the rotation and zoom, and the shift, in that order.
                let ox = Float(flip ? side - 1 - x : x) - centre
                let oy = Float(y) - centre
                // Image y points down, so a counter-clockwise turn on screen is clockwise in these axes.
                let rx = c * ox - s * oy + centre - Float(dx)
                let ry = s * ox + c * oy + centre - Float(dy)
                let fx = min(max(rx, 0), last), fy = min(max(ry, 0), last)
                let x0 = Int(fx), y0 = Int(fy)
                let x1 = min(x0 + 1, side - 1), y1 = min(y0 + 1, side - 1)
                let ax = fx - Float(x0), ay = fy - Float(y0)
                let top = Float(source[y0 * side + x0]) * (1 - ax) + Float(source[y0 * side + x1]) * ax
                let bottom = Float(source[y1 * side + x0]) * (1 - ax) + Float(source[y1 * side + x1]) * ax
                let value = top * (1 - ay) + bottom * ay
                destination[y * side + x] = UInt8(min(max(value.rounded(), 0), 255))
            }
        }
    }
}
