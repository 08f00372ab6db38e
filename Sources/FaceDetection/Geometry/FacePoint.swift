/// A point in continuous pixel coordinates of a frame (x to the right, y down; the top-left pixel covers
/// 0 ..< 1 on both axes), e.g. a face keypoint.
public struct FacePoint: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public var description: String { "(\(x), \(y))" }
}
