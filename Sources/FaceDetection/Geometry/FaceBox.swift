/// An axis-aligned box in integer pixel coordinates with the origin at the top-left pixel, as OpenCV's
/// `cv::Rect`: it covers columns `x ..< x + width` and rows `y ..< y + height`.
public struct FaceBox: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// One past the right-most column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }
    /// Pixel area; 0 for an empty box.
    public var area: Int { width > 0 && height > 0 ? width * height : 0 }
    /// The centre in continuous pixel coordinates.
    public var centerX: Double { Double(x) + Double(width) / 2 }
    public var centerY: Double { Double(y) + Double(height) / 2 }
    /// True when the box covers no pixel.
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The overlap of two boxes, or nil when they do not overlap.
    public func intersection(_ other: FaceBox) -> FaceBox? {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        guard right > left, bottom > top else { return nil }
        return FaceBox(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// Intersection over union in [0, 1]; 0 when either box is empty or they do not overlap.
    public func intersectionOverUnion(_ other: FaceBox) -> Double {
        guard let overlap = intersection(other) else { return 0 }
        let union = area + other.area - overlap.area
        return union > 0 ? Double(overlap.area) / Double(union) : 0
    }

    /// This box moved by (dx, dy).
    public func offsetBy(dx: Int, dy: Int) -> FaceBox {
        FaceBox(x: x + dx, y: y + dy, width: width, height: height)
    }

    /// The part of the box inside a `width` × `height` frame, or nil when nothing is inside.
    public func clamped(toWidth frameWidth: Int, height frameHeight: Int) -> FaceBox? {
        intersection(FaceBox(x: 0, y: 0, width: frameWidth, height: frameHeight))
    }

    public var description: String { "(\(x), \(y), \(width)x\(height))" }
}
