/// A face found by a `FaceDetector` (`CascadeDetector`, `BlazeFaceDetector`).
public struct DetectedFace: Sendable, Hashable, Codable {
    /// The face box in the pixel coordinates of the image given to the detector.
    public var box: FaceBox
    /// How many raw candidate windows were merged into this box (OpenCV's `numDetections`); more means a
    /// surer detection. It is 1 for every hit when grouping is off (`minNeighbors` 0), and 1 for
    /// BlazeFace (which scores a face instead).
    public var neighbors: Int
    /// The detector's face probability (0–1) when it gives one (BlazeFace); nil for cascades.
    public var score: Double?
    /// Keypoints in the same coordinates as `box`, when the detector gives them: BlazeFace's six, in
    /// MediaPipe's order (`BlazeFaceDetection.keypoints`: right eye, left eye, nose tip, mouth centre, right
    /// ear tragion, left ear tragion, the subject's right and left). Empty for cascades.
    public var keypoints: [FacePoint]

    public init(box: FaceBox, neighbors: Int, score: Double? = nil, keypoints: [FacePoint] = []) {
        self.box = box
        self.neighbors = neighbors
        self.score = score
        self.keypoints = keypoints
    }

    /// How sure the detector is: the score (0–1) when there is one, else the neighbour count.
    public var confidence: Double { score ?? Double(neighbors) }

    /// The subject's right and left eye centres, when the detector found them.
    public var eyes: (right: FacePoint, left: FacePoint)? {
        keypoints.count >= 2 ? (keypoints[0], keypoints[1]) : nil
    }
}
