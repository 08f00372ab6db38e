/// An 8-bit gray image, row-major, tightly packed (`pixels.count == width * height`).
public struct GrayImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Row-major luma samples, `width` per row, no padding.
    public var pixels: [UInt8]

    /// Wraps `pixels` as a `width` × `height` image. `pixels.count` must equal `width * height`
    /// (a programming error otherwise, never something a file can cause).
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height,
                     "GrayImage: \(pixels.count) pixels for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The pixel at column `x`, row `y`.
    @inlinable
    public subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }
}
