import XCTest
@testable import Analysis
import SessionStore

final class ClassificationBatcherTests: XCTestCase {
    private func face(track: Int, fill: UInt8) -> FaceObservation {
        FaceObservation(trackID: track, x: 10, y: 20, width: 30, height: 40, confidence: 7,
                        crop: [UInt8](repeating: fill, count: 48 * 48))
    }

    /// Frames wait until `batchSize` faces are pending; then every waiting frame comes back as records in
    /// time order (a `face = nil` record for a frame without faces), each face with the classifier's
    /// probabilities for its own crop.
    func testBatchesAcrossFramesInTimeOrder() throws {
        let model = try AnalysisModel(AnalysisFixtures.goldenModelPath)
        let batcher = ClassificationBatcher(classifier: model.makeClassifier(batchSize: 3), batchSize: 3)
        XCTAssertEqual(try batcher.add(FrameObservation(time: 0, faces: [])), [])
        XCTAssertEqual(try batcher.add(FrameObservation(time: 0.25, faces: [face(track: 1, fill: 40)])), [])
        let records = try batcher.add(FrameObservation(time: 0.5, faces: [face(track: 1, fill: 200), face(track: 2, fill: 90)]))
        XCTAssertEqual(records.map(\.time), [0, 0.25, 0.5, 0.5])
        XCTAssertNil(records[0].face)
        XCTAssertEqual(records[1...].map { $0.face?.trackID }, [1, 1, 2])

        let reference = try model.makeClassifier(batchSize: 1).classify([40, 200, 90].map { [UInt8](repeating: $0, count: 48 * 48) })
        for (record, probabilities) in zip(records[1...], reference) {
            let scores = try XCTUnwrap(record.face?.scores)
            for (stored, expected) in zip(scores.probabilities, probabilities) {
                XCTAssertEqual(stored, Double(expected), accuracy: 1e-5)
            }
            XCTAssertEqual(record.face?.box, FaceBox(x: 10, y: 20, width: 30, height: 40))
            XCTAssertEqual(record.face?.confidence, 7)
            XCTAssertEqual(record.face?.isParticipant, false)
        }
        // Nothing is left waiting; a frame without faces alone waits until flushed.
        XCTAssertEqual(try batcher.add(FrameObservation(time: 0.75, faces: [])), [])
        XCTAssertEqual(try batcher.flush(), [.noFace(at: 0.75)])
        XCTAssertEqual(try batcher.flush(), [])
    }

    /// Long stretches without faces are released after `maximumPendingFrames` frames (bounded memory).
    func testFacelessFramesAreReleasedInBoundedGroups() throws {
        let model = try AnalysisModel(AnalysisFixtures.goldenModelPath)
        let batcher = ClassificationBatcher(classifier: model.makeClassifier(batchSize: 8), batchSize: 8,
                                            maximumPendingFrames: 4)
        var released: [[Double]] = []
        for i in 0..<10 {
            let records = try batcher.add(FrameObservation(time: Double(i), faces: []))
            if !records.isEmpty { released.append(records.map(\.time)) }
        }
        XCTAssertEqual(released, [[0, 1, 2, 3], [4, 5, 6, 7]])
        XCTAssertEqual(try batcher.flush().map(\.time), [8, 9])
    }
}
