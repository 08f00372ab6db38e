import Foundation
import XCTest
@testable import Analysis
import NeuralNet
import SessionStore

/// The classification stage writes on its own thread exactly what the batcher and writer write on one,
/// and hands its errors back to the analysis thread.
final class ClassificationStageTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func observations() -> [FrameObservation] {
        (0..<40).map { i in
            FrameObservation(time: Double(i) / 4, faces: i % 5 == 3 ? [] : [
                FaceObservation(trackID: 1 + i % 2, x: 10, y: 20, width: 30, height: 40, confidence: 7,
                                crop: [UInt8](repeating: UInt8(i * 6), count: 48 * 48))])
        }
    }

    private func store(file: String = "s.sqlite") throws -> (SessionStore, Int64) {
        let store = try SessionStore(path: directory.appendingPathComponent(file).path, mode: .readWrite)
        let session = try store.findOrCreateSession(SessionInfo(filePath: "/v.mp4", contentHash: "h"))
        let run = try store.beginRun(session: session.id, settings: RunSettings(modelName: "golden", modelHash: "g",
                                                                                sampleRate: 4, detector: "haar"))
        return (store, run)
    }

    func testRecordsMatchTheOneThreadPath() throws {
        let model = try AnalysisModel(AnalysisFixtures.goldenModelPath)
        let (store, run) = try store()
        let stage = ClassificationStage(batcher: ClassificationBatcher(classifier: model.makeClassifier(batchSize: 8), batchSize: 8),
                                        writer: RecordWriter(store: store, runID: run, recordsPerTransaction: 7), capacity: 3)
        stage.start()
        for observation in observations() { try stage.submit(observation) }
        try stage.finish()
        stage.stop()                                    // after finish: returns at once

        let batcher = ClassificationBatcher(classifier: model.makeClassifier(batchSize: 8), batchSize: 8)
        var expected: [SampleRecord] = []
        for observation in observations() { expected += try batcher.add(observation) }
        expected += try batcher.flush()
        XCTAssertEqual(expected.count, 40)
        XCTAssertEqual(try store.samples(run: run), expected)
    }

    /// One stage after another in one process, each on its own short-lived thread that classifies with two
    /// compute threads and writes through GRDB to a store of its own (as each analysed video does): 100 stages,
    /// every run stored in full. With `DispatchQueue.concurrentPerform` splitting the work this crashed the test
    /// process in each of 5 tries (a double free inside libdispatch; see `WorkerPool`).
    func testManyStagesInTurn() throws {
        let saved = Compute.threadCount
        Compute.threadCount = 2
        defer { Compute.threadCount = saved }
        let model = try AnalysisModel(AnalysisFixtures.goldenModelPath)
        for index in 0..<100 {
            let (store, run) = try store(file: "s\(index).sqlite")
            let stage = ClassificationStage(batcher: ClassificationBatcher(classifier: model.makeClassifier(batchSize: 8), batchSize: 8),
                                            writer: RecordWriter(store: store, runID: run, recordsPerTransaction: 7), capacity: 3)
            stage.start()
            for observation in observations() { try stage.submit(observation) }
            try stage.finish()
            XCTAssertEqual(try store.samples(run: run).count, 40)
        }
    }

    /// A write that fails on the stage's thread (here: a run that does not exist) comes back from the next
    /// `submit` or from `finish`, and the stage never blocks the analysis thread.
    func testWriteErrorReachesTheAnalysisThread() throws {
        let model = try AnalysisModel(AnalysisFixtures.goldenModelPath)
        let (store, _) = try store()
        let stage = ClassificationStage(batcher: ClassificationBatcher(classifier: model.makeClassifier(batchSize: 2), batchSize: 2),
                                        writer: RecordWriter(store: store, runID: 999, recordsPerTransaction: 1), capacity: 2)
        stage.start()
        var thrown: Error?
        do {
            for observation in observations() { try stage.submit(observation) }
            try stage.finish()
        } catch {
            thrown = error
        }
        stage.stop()
        let error = try XCTUnwrap(thrown)
        guard case StoreError.unknownRun(_, 999) = error else { return XCTFail("unexpected error \(error)") }
    }
}
