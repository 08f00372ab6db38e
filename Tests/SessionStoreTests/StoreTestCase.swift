import Foundation
import SessionStore
import TestSupport
import XCTest

/// Shared helpers: a fresh store in a temporary folder and a few canned values.
class StoreTestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = TestPaths.temporaryDirectory("session-store")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    var databasePath: String { directory.appendingPathComponent("store.sqlite").path }

    func makeStore(_ mode: SessionStore.AccessMode = .readWrite) throws -> SessionStore {
        try SessionStore(path: databasePath, mode: mode)
    }

    static let settings = RunSettings(modelName: "default", modelHash: "m1", sampleRate: 4,
                                      detector: "haar", detectorParameters: #"{"scale":1.1,"minNeighbors":5}"#)

    static func scores(happy: Double, neutral: Double) -> EmotionScores {
        // The rest split evenly over the other five classes (callers keep happy + neutral <= 1).
        let rest = (1 - happy - neutral) / 5
        return EmotionScores([rest, rest, rest, happy, neutral, rest, rest])!
    }

    /// A participant face (track 1) at `time`.
    static func face(_ time: Double, happy: Double = 0.5, neutral: Double = 0.3, track: Int64 = 1,
                     participant: Bool = true) -> SampleRecord {
        SampleRecord(time: time, face: DetectedFace(trackID: track, isParticipant: participant,
                                                    box: FaceBox(x: 10, y: 20, width: 100, height: 120),
                                                    confidence: 0.9, scores: scores(happy: happy, neutral: neutral)))
    }
}
