import EmotionModel
import SessionStore

/// Collects sampled frames until enough faces wait for the classifier, classifies them in one batch and
/// turns the frames into sample records, in time order.
///
/// Frames without faces wait with the others so records stay in time order; at most `batchSize` faces
/// or `maximumPendingFrames` frames wait at a time, so memory stays bounded.
final class ClassificationBatcher {
    private let classifier: EmotionClassifier
    private let batchSize: Int
    private let maximumPendingFrames: Int
    private var pending: [FrameObservation] = []
    private var pendingFaces = 0
    /// Seconds spent in the classifier so far.
    private(set) var classifySeconds = 0.0

    init(classifier: EmotionClassifier, batchSize: Int, maximumPendingFrames: Int = 256) {
        self.classifier = classifier
        self.batchSize = max(1, batchSize)
        self.maximumPendingFrames = max(1, maximumPendingFrames)
    }

    /// Adds a frame; returns the records of every waiting frame when a batch was classified, else none.
    func add(_ frame: FrameObservation) throws -> [SampleRecord] {
        pending.append(frame)
        pendingFaces += frame.faces.count
        guard pendingFaces >= batchSize || pending.count >= maximumPendingFrames else { return [] }
        return try flush()
    }

    /// Classifies whatever waits and returns its records.
    func flush() throws -> [SampleRecord] {
        defer {
            pending.removeAll(keepingCapacity: true)
            pendingFaces = 0
        }
        let crops = pending.flatMap { $0.faces.map(\.crop) }
        var scores: [[Float]] = []
        if !crops.isEmpty {
            let watch = Stopwatch()
            scores = try classifier.classify(crops)
            classifySeconds += watch.seconds
        }
        var records: [SampleRecord] = []
        records.reserveCapacity(pending.count + crops.count)
        var next = 0
        for frame in pending {
            if frame.faces.isEmpty {
                records.append(.noFace(at: frame.time))
                continue
            }
            for face in frame.faces {
                records.append(try Self.record(face, at: frame.time, probabilities: scores[next]))
                next += 1
            }
        }
        return records
    }

    /// The record of one classified face; the participant is marked when the run ends.
    static func record(_ face: FaceObservation, at time: Double, probabilities: [Float]) throws -> SampleRecord {
        guard let emotion = EmotionScores(probabilities) else {
            throw AnalysisError("the classifier returned invalid probabilities \(probabilities) at \(time) s")
        }
        let detected = DetectedFace(trackID: Int64(face.trackID), isParticipant: false,
                                    box: FaceBox(x: face.x, y: face.y, width: face.width, height: face.height),
                                    confidence: face.confidence, scores: emotion)
        return SampleRecord(time: time, face: detected)
    }
}
