import XCTest
@testable import Analysis
import SessionStore
import TestSupport

final class SessionAnalyzerTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = TestPaths.temporaryDirectory("analysis") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// single_face.mp4 (640×360, constant 30 fps, 72 frames) sampled at 4/s: the first frame at or after
    /// each k/4 s is frame 0, 8, 15, 23, 30, 38, 45, 53, 60, 68 (frame n at n/30 s). One man faces the
    /// camera throughout: every sample has one face, all in one track, which is the participant.
    func testSingleFaceSessionRecords() throws {
        let store = try AnalysisFixtures.store(in: directory)
        let path = TestPaths.media("single_face.mp4").path
        let summary = try AnalysisFixtures.analyzer().analyze(path, store: store)

        let expectedTimes = [0, 8, 15, 23, 30, 38, 45, 53, 60, 68].map { Double($0) / 30 }
        let records = try store.samples(run: summary.runID)
        XCTAssertEqual(records.count, expectedTimes.count)
        for (record, time) in zip(records, expectedTimes) { XCTAssertEqual(record.time, time, accuracy: 1e-6) }
        XCTAssertTrue(records.allSatisfy { $0.face?.trackID == 1 && $0.face?.isParticipant == true })
        XCTAssertTrue(records.allSatisfy { $0.face?.scores != nil })
        XCTAssertEqual(summary.samples, 10)
        XCTAssertEqual(summary.faceSamples, 10)
        XCTAssertEqual(summary.trackCount, 1)
        XCTAssertEqual(summary.participantTrack, 1)
        XCTAssertEqual(summary.duration, 2.4, accuracy: 0.05)

        let run = try store.run(id: summary.runID)
        XCTAssertEqual(run.status, .complete)
        XCTAssertEqual(run.participantTrack, 1)
        XCTAssertEqual(run.settings.modelHash, try ContentHash.sha256(fileAt: URL(fileURLWithPath: AnalysisFixtures.goldenModelPath)))
        // BlazeFace, the default detector: named with its weights' digest; confidence is its 0–1 score.
        XCTAssertEqual(run.settings.detector, "blazeface-short-range")
        XCTAssertTrue(run.settings.detectorParameters.contains(#""weights_sha256":""#), run.settings.detectorParameters)
        XCTAssertTrue(records.allSatisfy { ($0.face?.confidence).map { $0 > 0.5 && $0 <= 1 } ?? false })
        let session = try store.session(id: summary.sessionID)
        XCTAssertEqual(session.info.contentHash, try ContentHash.sha256(fileAt: URL(fileURLWithPath: path)))
        XCTAssertEqual(session.info.frameWidth, 640)
        XCTAssertEqual(session.info.frameHeight, 360)
    }

    /// The Haar cascade is still there: the same session through it, named as such, one face a sample in one
    /// track, confidence its neighbour count (more than `minNeighbors`, 5).
    func testHaarCascadeStillAnalyses() throws {
        let store = try AnalysisFixtures.store(in: directory)
        let summary = try AnalysisFixtures.analyzer { $0.detector = .haar }
            .analyze(TestPaths.media("single_face.mp4").path, store: store)
        let records = try store.samples(run: summary.runID)
        XCTAssertEqual(records.count, 10)
        XCTAssertTrue(records.allSatisfy { $0.face?.trackID == 1 && ($0.face?.confidence ?? 0) > 5 })
        XCTAssertEqual(try store.run(id: summary.runID).settings.detector, "haar-frontalface-default")
    }

    /// Boxes are stored in source pixels whatever the detection width: the face of single_face.mp4
    /// (about 150×200 px per the media README; the Haar box is square) found at 320 and at 640 pixels
    /// wide lands in the same place within a tenth of its size.
    func testBoxesAreInSourcePixels() throws {
        let store = try AnalysisFixtures.store(in: directory)
        let path = TestPaths.media("single_face.mp4").path
        let full = try AnalysisFixtures.analyzer().analyze(path, store: store)
        let half = try AnalysisFixtures.analyzer { $0.detectionWidth = 320 }.analyze(path, store: store)
        let fullBoxes = try store.samples(run: full.runID).compactMap { $0.face?.box }
        let halfBoxes = try store.samples(run: half.runID).compactMap { $0.face?.box }
        XCTAssertEqual(fullBoxes.count, 10)
        XCTAssertEqual(halfBoxes.count, 10)
        for (a, b) in zip(fullBoxes, halfBoxes) {
            XCTAssertTrue((120...260).contains(a.width), "face width \(a.width)")
            XCTAssertTrue(a.x >= 0 && a.y >= 0 && a.x + a.width <= 640 && a.y + a.height <= 360, "\(a)")
            let tolerance = a.width / 10
            XCTAssertEqual(a.x + a.width / 2, b.x + b.width / 2, accuracy: tolerance)
            XCTAssertEqual(a.y + a.height / 2, b.y + b.height / 2, accuracy: tolerance)
            XCTAssertEqual(a.width, b.width, accuracy: tolerance)
        }
    }

    /// no_face.mp4 has no face: every sample is a `face = 0` record and there is no participant.
    func testNoFaceSession() throws {
        let store = try AnalysisFixtures.store(in: directory)
        let summary = try AnalysisFixtures.analyzer().analyze(TestPaths.media("no_face.mp4").path, store: store)
        let records = try store.samples(run: summary.runID)
        // 95 displayed frames at 24 fps = 3.96 s: grid points 0, 0.25, …, 3.75 → 16 samples.
        XCTAssertEqual(records.count, 16)
        XCTAssertTrue(records.allSatisfy { $0.face == nil })
        XCTAssertNil(summary.participantTrack)
        XCTAssertEqual(summary.faceSamples, 0)
        XCTAssertEqual(try store.run(id: summary.runID).status, .complete)
    }

    /// Analysing the same file with the same settings again replaces the run; tasks given with the
    /// analysis are stored for the session.
    func testReanalysisReplacesTheRunAndStoresTasks() throws {
        let store = try AnalysisFixtures.store(in: directory)
        let analyzer = try AnalysisFixtures.analyzer()
        let path = TestPaths.media("single_face.mp4").path
        let first = try analyzer.analyze(path, store: store)
        let tasks = [TaskSegment(name: "Smile", start: 0.5, end: 2)]
        let second = try analyzer.analyze(path, tasks: tasks, store: store)
        XCTAssertEqual(first.sessionID, second.sessionID)
        XCTAssertEqual(try store.runs(session: second.sessionID).map(\.id), [second.runID])
        XCTAssertEqual(try store.samples(run: second.runID).count, 10)
        XCTAssertEqual(try store.tasks(session: second.sessionID), tasks)
        XCTAssertEqual(try store.sessionSummaries().count, 1)
    }

    /// A stop request ends the analysis with `AnalysisInterrupted` and leaves the run `interrupted`, so
    /// nothing reports it; the session's earlier complete run stays.
    func testCancelledRunIsMarkedInterrupted() throws {
        let store = try AnalysisFixtures.store(in: directory)
        let analyzer = try AnalysisFixtures.analyzer()
        let path = TestPaths.media("single_face.mp4").path
        let complete = try analyzer.analyze(path, store: store)
        let token = CancellationToken()
        var frames = 0
        XCTAssertThrowsError(try analyzer.analyze(path, store: store, cancellation: token) { progress in
            frames = progress.frames
            if progress.frames == 3 { token.cancel(.interrupt) }
        }) { error in
            XCTAssertEqual(error as? AnalysisInterrupted, AnalysisInterrupted(reason: .interrupt, file: path))
        }
        XCTAssertEqual(frames, 3)
        let runs = try store.runs(session: complete.sessionID)
        XCTAssertEqual(runs.map(\.status), [.complete, .interrupted])
        XCTAssertEqual(runs[1].message, "analysis interrupted (Ctrl-C)")
        XCTAssertEqual(try store.latestCompleteRun(session: complete.sessionID)?.id, complete.runID)
    }

    /// A file that is not a video fails before any session or run is made.
    func testNotAVideoFailsCleanly() throws {
        let store = try AnalysisFixtures.store(in: directory)
        let text = directory.appendingPathComponent("notes.mp4")
        try Data("not a video\n".utf8).write(to: text)
        XCTAssertThrowsError(try AnalysisFixtures.analyzer().analyze(text.path, store: store)) { error in
            XCTAssertTrue("\(error)".hasPrefix(text.path), "\(error)")
        }
        XCTAssertEqual(try store.sessionSummaries().count, 0)
    }
}
