/// A face found by `CascadeDetector`.
public struct DetectedFace: Sendable, Hashable, Codable {
    /// The face box in the pixel coordinates of the image given to the detector.
    public var box: FaceBox
    /// How many raw candidate windows were merged into this box (OpenCV's `numDetections`); more means a
    /// surer detection. It is 1 for every hit when grouping is off (`minNeighbors` 0).
    public var neighbors: Int

    public init(box: FaceBox, neighbors: Int) {
        self.box = box
        self.neighbors = neighbors
    }
}
