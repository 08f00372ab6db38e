import FaceDetection
import VideoIO

/// Finds and tracks the faces of each sampled frame and cuts the classifier's crops.
///
/// Works on the scaled frames `VideoReader` delivers (detection size). With BlazeFace, `BlazeFaceSearch` looks at
/// every frame whole (plus tiles in turn and windows around small tracked faces) and feeds the tracker; with a
/// cascade, `TrackedFaceSearch` searches every frame whole. Faces are followed into tracks and joined into
/// seats. Crops come from `FaceCrop` (the detector's framing, turned upright by the eye keypoints when the
/// detector gives them) at the model's input size from the same image; boxes are mapped back to source-video
/// pixels.
final class FaceFinder {
    private enum Search {
        case cascade(TrackedFaceSearch)
        case blazeFace(BlazeFaceSearch)
    }

    private let search: Search
    private let cropSize: Int
    private let framing: FaceFraming

    /// - Parameters:
    ///   - detector: the loaded detector (shared; each finder makes its own working detector).
    ///   - parameters: cascade parameters for whole-frame searches, in detection pixels.
    ///   - minimumFaceSide: the smallest face, in detection pixels (BlazeFace drops smaller faces and sizes
    ///     its tiles by it).
    init(detector: LoadedDetector, parameters: DetectionParameters, minimumFaceSide: Double, cropSize: Int,
         framing: FaceFraming) {
        switch detector.kind {
        case let .cascade(cascade):
            search = .cascade(TrackedFaceSearch(detector: cascade,
                                                configuration: TrackedSearchConfiguration(parameters: parameters)))
        case let .blazeFace(network):
            search = .blazeFace(BlazeFaceSearch(detector: BlazeFaceDetector(
                network: network.replica(), configuration: LoadedDetector.blazeFaceConfiguration(minimumFaceSide: minimumFaceSide))))
        }
        self.cropSize = cropSize
        self.framing = framing
    }

    /// The faces of one frame (frames must come in time order).
    func observe(_ frame: VideoFrame) -> FrameObservation {
        let image = frame.image
        let scaleX = Double(frame.sourceWidth) / Double(max(image.width, 1))
        let scaleY = Double(frame.sourceHeight) / Double(max(image.height, 1))
        return image.pixels.withUnsafeBufferPointer { pixels in
            let found: FrameFaces
            switch search {
            case let .cascade(search):
                found = search.process(pixels: pixels, width: image.width, height: image.height, timestamp: frame.timestamp)
            case let .blazeFace(search):
                found = search.process(pixels: pixels, width: image.width, height: image.height, timestamp: frame.timestamp)
            }
            let faces = found.faces.compactMap { tracked -> FaceObservation? in
                // Boxes are stored inside the frame (BlazeFace's may reach past its edge); the crop uses the whole box.
                guard let box = tracked.face.box.clamped(toWidth: image.width, height: image.height) else { return nil }
                return FaceObservation(
                    trackID: tracked.trackID,
                    x: Double(box.x) * scaleX, y: Double(box.y) * scaleY,
                    width: Double(box.width) * scaleX, height: Double(box.height) * scaleY,
                    confidence: tracked.face.confidence,
                    crop: FaceCrop.crop(pixels: pixels, width: image.width, height: image.height, face: tracked.face,
                                        framing: framing, outputSize: cropSize))
            }
            return FrameObservation(time: frame.timestamp, faces: faces)
        }
    }

    /// Ends the session: the tracks joined into seats (track id → seat id, for the records already
    /// written), the participant's seat id (the seat with the most face area; nil when no face was seen),
    /// how many frames it was seen in, and how many seats there were.
    func finish() -> (joined: [Int: Int], participant: Int?, participantFrames: Int, trackCount: Int) {
        let summary: TrackingSummary
        switch search {
        case let .cascade(search): summary = search.finish()
        case let .blazeFace(search): summary = search.finish()
        }
        return (summary.joined, summary.participantID, summary.participantDetections, summary.seats.count)
    }
}
