import Foundation
import GRDB
@testable import SessionStore
import XCTest

final class RunLifecycleTests: StoreTestCase {
    func testFindOrCreateSessionIsKeyedByContentHash() throws {
        let store = try makeStore()
        let first = try store.findOrCreateSession(SessionInfo(filePath: "/a/one.mp4", contentHash: "h1", duration: 60,
                                                              frameWidth: 640, frameHeight: 360, recordedFPS: 30))
        // Same content at a new path: the same session, now at the new path, metadata kept where not given.
        let moved = try store.findOrCreateSession(SessionInfo(filePath: "/b/one-copy.mp4", contentHash: "h1"))
        XCTAssertEqual(moved.id, first.id)
        XCTAssertEqual(moved.info, SessionInfo(filePath: "/b/one-copy.mp4", contentHash: "h1", duration: 60,
                                               frameWidth: 640, frameHeight: 360, recordedFPS: 30))
        XCTAssertEqual(try store.session(id: first.id), moved)
        let other = try store.findOrCreateSession(SessionInfo(filePath: "/a/one.mp4", contentHash: "h2"))
        XCTAssertNotEqual(other.id, first.id)
        XCTAssertEqual(try store.sessionSummaries().map(\.session.id), [first.id, other.id])
    }

    func testTimelineHasOneEntryPerTimestampWithTheParticipantsScores() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        let run = try store.beginRun(session: session.id, settings: Self.settings)
        try store.appendSamples([
            Self.face(0.0, happy: 0.1),
            Self.face(0.0, happy: 0.7, track: 2, participant: false),   // a bystander at the same time
            .noFace(at: 0.25),
            Self.face(0.5, happy: 0.7, track: 2, participant: false),   // only the bystander is visible
        ], toRun: run)
        try store.appendSamples([Self.face(0.75, happy: 0.6)], toRun: run)
        try store.finishRun(run)

        let timeline = try store.timeline(run: run)
        XCTAssertEqual(timeline.map(\.time), [0, 0.25, 0.5, 0.75])
        XCTAssertEqual(timeline.map(\.hasFace), [true, false, false, true])
        XCTAssertEqual(timeline[0].scores, Self.scores(happy: 0.1, neutral: 0.3))
        XCTAssertEqual(try store.timeline(run: run, from: 0.25, to: 0.5).map(\.time), [0.25, 0.5])
        XCTAssertEqual(try store.samples(run: run).count, 5)
        // Faces found at each timestamp: participant + bystander, none, the bystander, the participant.
        XCTAssertEqual(timeline.map(\.faces), [2, 0, 1, 1])
        XCTAssertEqual(timeline.map(\.others), [1, 0, 1, 0])
        XCTAssertEqual(try store.timeline(run: run, from: 0.25, to: 0.5).map(\.others), [0, 1])

        let summary = try XCTUnwrap(store.sessionSummaries().first)
        XCTAssertEqual(summary.sampleCount, 4)
        XCTAssertEqual(summary.faceSampleCount, 2)
        XCTAssertEqual(summary.latestCompleteRun?.id, run)
    }

    /// The counts come from the rows as stored: a participant face that was not classified is a face but
    /// not another person's; three bystanders at once are three.
    func testTimelineCountsEveryFaceAndTheOnesThatAreNotTheParticipants() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        let run = try store.beginRun(session: session.id, settings: Self.settings)
        let unclassified = SampleRecord(time: 0, face: DetectedFace(trackID: 1, isParticipant: true,
                                                                    box: FaceBox(x: 0, y: 0, width: 10, height: 10),
                                                                    confidence: nil, scores: nil))
        try store.appendSamples([unclassified, Self.face(0.25), Self.face(0.25, track: 2, participant: false),
                                 Self.face(0.25, track: 3, participant: false), Self.face(0.25, track: 4, participant: false),
                                 .noFace(at: 0.5)], toRun: run)
        try store.finishRun(run)
        let timeline = try store.timeline(run: run)
        XCTAssertEqual(timeline.map(\.time), [0, 0.25, 0.5])
        XCTAssertEqual(timeline.map(\.hasFace), [false, true, false])
        XCTAssertEqual(timeline.map(\.faces), [1, 4, 0])
        XCTAssertEqual(timeline.map(\.others), [0, 3, 0])
        XCTAssertEqual(timeline.map(\.hasOthers), [false, true, false])
    }

    func testDominantAndValenceAreStoredFromTheProbabilities() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        let run = try store.beginRun(session: session.id, settings: Self.settings)
        // angry .1, disgust .05, fear .05, happy .5, neutral .2, sad .08, surprise .02:
        // dominant happy; valence = .5 - max(.1, .05, .05, .08) = .4
        let scores = try XCTUnwrap(EmotionScores([0.1, 0.05, 0.05, 0.5, 0.2, 0.08, 0.02]))
        try store.appendSamples([SampleRecord(time: 1, face: DetectedFace(
            trackID: 1, isParticipant: true, box: FaceBox(x: 0, y: 0, width: 10, height: 10),
            confidence: nil, scores: scores))], toRun: run)
        let row = try store.database.read { db in
            try XCTUnwrap(Row.fetchOne(db, sql: "SELECT dominant, valence FROM samples"))
        }
        XCTAssertEqual(row["dominant"] as String, "happy")
        XCTAssertEqual(row["valence"] as Double, 0.4, accuracy: 1e-12)
    }

    func testParticipantIsMarkedAtTheEnd() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        let run = try store.beginRun(session: session.id, settings: Self.settings)
        try store.appendSamples([Self.face(0, track: 7, participant: false), Self.face(0, track: 8, participant: false),
                                 Self.face(1, track: 8, participant: false)], toRun: run)
        try store.markParticipant(track: 8, inRun: run)
        try store.finishRun(run)
        XCTAssertEqual(try store.timeline(run: run).map(\.hasFace), [true, true])
        // Track 7 stays another face once track 8 is marked as the participant's.
        XCTAssertEqual(try store.timeline(run: run).map(\.others), [1, 0])
        XCTAssertEqual(try store.run(id: run).participantTrack, 8)
        XCTAssertEqual(try store.samples(run: run).filter { $0.face?.isParticipant == true }.map { $0.face?.trackID },
                       [8, 8])
    }

    /// Tracking joined tracks 3 and 5 into seat 1 (one person in one place, pieces never seen at the same
    /// moment): their faces take id 1 and, as the participant's seat, are all marked; track 2 stays.
    func testJoinedTracksTakeTheirSeatsIdAndAreMarked() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        let run = try store.beginRun(session: session.id, settings: Self.settings)
        try store.appendSamples([Self.face(0, track: 1, participant: false), Self.face(0, track: 2, participant: false),
                                 Self.face(1, track: 3, participant: false), Self.face(1, track: 2, participant: false),
                                 Self.face(2, track: 5, participant: false)], toRun: run)
        try store.markParticipant(track: 1, joining: [3: 1, 5: 1], inRun: run)
        try store.finishRun(run)
        let faces = try store.samples(run: run).compactMap(\.face)
        XCTAssertEqual(faces.map(\.trackID), [1, 2, 1, 2, 1])
        XCTAssertEqual(faces.map(\.isParticipant), [true, false, true, false, true])
        XCTAssertEqual(try store.run(id: run).participantTrack, 1)
        XCTAssertEqual(try store.timeline(run: run).map(\.hasFace), [true, true, true])
    }

    /// Joining two tracks seen at one moment would give the participant two faces there: refused with one
    /// line, nothing changed.
    func testJoiningTracksSeenTogetherIsRefused() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        let run = try store.beginRun(session: session.id, settings: Self.settings)
        try store.appendSamples([Self.face(0, track: 1, participant: false), Self.face(0, track: 2, participant: false)],
                                toRun: run)
        XCTAssertThrowsError(try store.markParticipant(track: 1, joining: [2: 1], inRun: run)) { error in
            XCTAssertEqual("\(error)", "participant track 1 would have two faces at 0.0 s")
        }
        XCTAssertEqual(try store.samples(run: run).compactMap(\.face?.trackID), [1, 2])
        XCTAssertNil(try store.run(id: run).participantTrack)
    }

    /// Re-analysis with the same settings replaces the old run only when it completes; a crashed or
    /// failed re-analysis leaves the old complete run in place; other settings are kept beside.
    func testReanalysisReplacesOnlyOnCompletion() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        let first = try store.beginRun(session: session.id, settings: Self.settings)
        try store.appendSamples([Self.face(0)], toRun: first)
        try store.finishRun(first)

        // A re-analysis that is killed half way: still 'running', never used.
        let killed = try store.beginRun(session: session.id, settings: Self.settings)
        try store.appendSamples([Self.face(0), Self.face(1)], toRun: killed)
        XCTAssertEqual(try store.latestCompleteRun(session: session.id)?.id, first)
        XCTAssertEqual(try store.sessionSummaries()[0].latestRun?.status, .running)
        XCTAssertThrowsError(try store.timeline(run: killed)) { error in
            XCTAssertEqual(error as? StoreError, .runNotComplete(path: databasePath, id: killed, status: .running))
        }

        // One that fails.
        let failed = try store.beginRun(session: session.id, settings: Self.settings)
        try store.failRun(failed, message: "disk full")
        XCTAssertEqual(try store.run(id: failed).status, .failed)
        XCTAssertEqual(try store.latestCompleteRun(session: session.id)?.id, first)
        XCTAssertThrowsError(try store.finishRun(failed)) { error in
            XCTAssertEqual(error as? StoreError, .runNotRunning(path: databasePath, id: failed, status: .failed))
        }
        XCTAssertThrowsError(try store.appendSamples([Self.face(2)], toRun: failed))

        // Other settings (8 samples/s, parameters in another key order count as equal) run beside.
        var faster = Self.settings
        faster.sampleRate = 8
        let other = try store.beginRun(session: session.id, settings: faster)
        try store.finishRun(other)

        // Parameters in another key order are the same settings.
        var reordered = Self.settings
        reordered.detectorParameters = #"{"minNeighbors":5, "scale":1.1}"#
        let second = try store.beginRun(session: session.id, settings: reordered)
        try store.appendSamples([Self.face(0), Self.face(0.25), Self.face(0.5)], toRun: second)
        XCTAssertEqual(try store.runs(session: session.id).count, 5)
        try store.finishRun(second)

        XCTAssertEqual(try store.runs(session: session.id).map(\.id), [other, second])
        XCTAssertEqual(try store.latestCompleteRun(session: session.id)?.id, second)
        XCTAssertEqual(try store.timeline(run: second).count, 3)
        // The replaced runs' samples went with them.
        let orphans = try store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM samples WHERE run_id NOT IN (?, ?)", arguments: [other, second])
        }
        XCTAssertEqual(orphans, 0)
    }

    func testInterruptedRunIsNotComplete() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        let run = try store.beginRun(session: session.id, settings: Self.settings)
        try store.failRun(run, message: "interrupted (SIGINT)", status: .interrupted)
        let stored = try store.run(id: run)
        XCTAssertEqual(stored.status, .interrupted)
        XCTAssertEqual(stored.message, "interrupted (SIGINT)")
        XCTAssertNotNil(stored.finishedAt)
        XCTAssertNil(try store.latestCompleteRun(session: session.id))
        XCTAssertThrowsError(try store.latestSession()) { error in
            XCTAssertEqual(error as? StoreError, .noAnalysedSession(path: databasePath))
        }
        XCTAssertThrowsError(try store.failRun(run, message: "x", status: .complete))
    }

    func testLatestSessionIsTheLastAnalysed() throws {
        let store = try makeStore()
        let a = try store.findOrCreateSession(SessionInfo(filePath: "a.mp4", contentHash: "a"))
        let b = try store.findOrCreateSession(SessionInfo(filePath: "b.mp4", contentHash: "b"))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try store.finishRun(try store.beginRun(session: b.id, settings: Self.settings, now: t0), now: t0.addingTimeInterval(10))
        try store.finishRun(try store.beginRun(session: a.id, settings: Self.settings, now: t0), now: t0.addingTimeInterval(20))
        XCTAssertEqual(try store.latestSession().id, a.id)
        // A run that starts later but has not finished does not count.
        _ = try store.beginRun(session: b.id, settings: Self.settings, now: t0.addingTimeInterval(30))
        XCTAssertEqual(try store.latestSession().id, a.id)
    }

    func testBadWriterInputIsRejectedWithAMessage() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        var bad = Self.settings
        bad.detectorParameters = "[1, 2]"
        XCTAssertThrowsError(try store.beginRun(session: session.id, settings: bad)) { error in
            XCTAssertEqual("\(error)", "detector parameters must be a JSON object: [1, 2]")
        }
        XCTAssertThrowsError(try store.beginRun(session: 99, settings: Self.settings)) { error in
            XCTAssertEqual(error as? StoreError, .unknownSession(path: databasePath, id: 99))
        }
        let run = try store.beginRun(session: session.id, settings: Self.settings)
        XCTAssertThrowsError(try store.appendSamples([.noFace(at: -1)], toRun: run))
        XCTAssertThrowsError(try store.appendSamples([.noFace(at: 1)], toRun: 12345)) { error in
            XCTAssertEqual(error as? StoreError, .unknownRun(path: databasePath, id: 12345))
        }
        XCTAssertNil(EmotionScores([0.5, 0.5]))
        XCTAssertNil(EmotionScores([Double.nan, 0, 0, 0, 1, 0, 0]))
        XCTAssertNil(EmotionScores([1.1, 0, 0, 0, 0, 0, 0]))
    }

    func testTasksAreReplacedInOrder() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        try store.replaceTasks([TaskSegment(name: "b", start: 5, end: 9), TaskSegment(name: "a", start: 0, end: 5)],
                               session: session.id)
        try store.replaceTasks([TaskSegment(name: "Ünïcode, \"quoted\"", start: 1, end: 2),
                                TaskSegment(name: "b", start: 0, end: 1)], session: session.id)
        XCTAssertEqual(try store.tasks(session: session.id).map(\.name), ["Ünïcode, \"quoted\"", "b"])
        XCTAssertThrowsError(try store.replaceTasks([TaskSegment(name: "x", start: 2, end: 1)], session: session.id))
        XCTAssertThrowsError(try store.replaceTasks([TaskSegment(name: "x", start: 0, end: 1),
                                                     TaskSegment(name: "y", start: 1, end: 2, kind: .event)], session: session.id))
        XCTAssertEqual(try store.tasks(session: session.id).count, 2, "a rejected import leaves the tasks as they were")
    }

    /// Issue 20: a repeated name (a second attempt) is its own task; point events and notes are stored.
    func testRepeatedNamesEventsAndNotesAreStored() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        let markers = [TaskSegment(name: "Checkout", start: 0, end: 10, notes: "first try"),
                       .event("asked for help", at: 4.5, notes: "observer: Ana"),
                       TaskSegment(name: "Checkout", start: 10, end: 20)]
        try store.replaceTasks(markers, session: session.id)
        XCTAssertEqual(try store.tasks(session: session.id), markers)
        XCTAssertEqual(TaskSegment.reportNames(markers), ["Checkout #1", "asked for help", "Checkout #2"])
    }
}
