import FaceDetection
import VideoIO

/// Finds and tracks the faces of each sampled frame and cuts the classifier's crops.
///
/// Works on the scaled frames `VideoReader` delivers (detection size): detection with
/// `TrackedFaceSearch` (a whole-frame search of every frame, faces followed into tracks and joined into
/// seats), crops with `FaceCrop` at the model's input size from the same image, boxes mapped back to
/// source-video pixels.
final class FaceFinder {
    private let search: TrackedFaceSearch
    private let cropSize: Int
    private let cropMargin: Double

    /// - Parameters:
    ///   - detector: the cascade detector (shared; safe across threads).
    ///   - parameters: detection parameters for whole-frame searches, in detection pixels.
    init(detector: CascadeDetector, parameters: DetectionParameters, cropSize: Int, cropMargin: Double) {
        search = TrackedFaceSearch(detector: detector, configuration: TrackedSearchConfiguration(parameters: parameters))
        self.cropSize = cropSize
        self.cropMargin = cropMargin
    }

    /// The faces of one frame (frames must come in time order).
    func observe(_ frame: VideoFrame) -> FrameObservation {
        let image = frame.image
        let scaleX = Double(frame.sourceWidth) / Double(max(image.width, 1))
        let scaleY = Double(frame.sourceHeight) / Double(max(image.height, 1))
        return image.pixels.withUnsafeBufferPointer { pixels in
            let found = search.process(pixels: pixels, width: image.width, height: image.height,
                                       timestamp: frame.timestamp)
            let faces = found.faces.map { tracked in
                let box = tracked.face.box
                let square = FaceCrop.square(box: box, margin: cropMargin, imageWidth: image.width,
                                             imageHeight: image.height)
                return FaceObservation(
                    trackID: tracked.trackID,
                    x: Double(box.x) * scaleX, y: Double(box.y) * scaleY,
                    width: Double(box.width) * scaleX, height: Double(box.height) * scaleY,
                    neighbors: tracked.face.neighbors,
                    crop: FaceCrop.extract(pixels: pixels, width: image.width, height: image.height, box: square,
                                           outputSize: cropSize))
            }
            return FrameObservation(time: frame.timestamp, faces: faces)
        }
    }

    /// Ends the session: the tracks joined into seats (track id → seat id, for the records already
    /// written), the participant's seat id (the seat with the most face area; nil when no face was seen),
    /// how many frames it was seen in, and how many seats there were.
    func finish() -> (joined: [Int: Int], participant: Int?, participantFrames: Int, trackCount: Int) {
        let summary = search.finish()
        return (summary.joined, summary.participantID, summary.participantDetections, summary.seats.count)
    }
}
