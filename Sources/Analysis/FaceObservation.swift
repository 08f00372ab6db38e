/// One face found in a sampled frame, ready for classification: its track, its box in source-video
/// pixels, the detector's confidence and the classifier's input crop.
struct FaceObservation: Sendable, Equatable {
    /// The tracker's id, stable across the session (from 1).
    let trackID: Int
    /// Box in source-video pixels (top-left corner, width, height).
    let x: Double
    let y: Double
    let width: Double
    let height: Double
    /// The detector's confidence: BlazeFace's score (0–1), or for a cascade how many raw windows were merged
    /// into the box (OpenCV's `numDetections`).
    let confidence: Double
    /// `inputSize × inputSize` gray pixels, framed with `FaceCrop`.
    let crop: [UInt8]
}

/// The faces of one sampled frame (none when no face was found).
struct FrameObservation: Sendable, Equatable {
    /// Seconds from the start of the video.
    let time: Double
    let faces: [FaceObservation]
}
