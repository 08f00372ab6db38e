/// A face detector for single 8-bit gray frames: what `analyze`, `evaluate --through-detector` and a
/// detection benchmark call, whichever detector is chosen.
///
/// Conformers: `CascadeFaceDetector` (an OpenCV cascade with fixed search parameters: boxes and neighbour
/// counts) and `BlazeFaceDetector` (MediaPipe's BlazeFace short range: boxes, a 0–1 score and six keypoints).
/// A detector object keeps scratch buffers: use one per thread.
public protocol FaceDetector: AnyObject {
    /// The faces in a gray image (`width` × `height`, rows packed, `pixels.count` ≥ `width * height`), in
    /// the image's pixel coordinates, in no particular order.
    func faces(in pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> [DetectedFace]

    /// How the classifier's crop frames this detector's boxes so that a face looks as in FER2013 (boxes of
    /// different detectors frame a face differently; see `FaceFraming`).
    var framing: FaceFraming { get }
}

extension FaceDetector {
    /// `faces(in:width:height:)` on a pixel array.
    public func faces(in pixels: [UInt8], width: Int, height: Int) -> [DetectedFace] {
        pixels.withUnsafeBufferPointer { faces(in: $0, width: width, height: height) }
    }
}

/// `CascadeDetector` as a `FaceDetector`: a whole-frame search with fixed parameters.
public final class CascadeFaceDetector: FaceDetector {
    public let detector: CascadeDetector
    public let parameters: DetectionParameters
    public let framing: FaceFraming

    public init(detector: CascadeDetector, parameters: DetectionParameters = .standard, framing: FaceFraming = .haar) {
        self.detector = detector
        self.parameters = parameters
        self.framing = framing
    }

    public func faces(in pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> [DetectedFace] {
        detector.detect(pixels: pixels, width: width, height: height, parameters: parameters)
    }
}
