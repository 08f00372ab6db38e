import Foundation
import SessionStore
import TestSupport
import XCTest

/// `clips` and `annotate` end to end: the real binary on a database whose sessions point at copies of
/// the evidence fixtures (Fixtures/video/make-evidence-fixtures.sh), checked with ffprobe.
final class EvidenceCommandTests: XCTestCase {
    var directory: URL!
    var dbPath: String { directory.appendingPathComponent("lab.sqlite").path }
    var outPath: String { directory.appendingPathComponent("clips").path }

    override func setUpWithError() throws { directory = TestPaths.temporaryDirectory("evidence-commands") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// angry, disgust, fear, happy, neutral, sad, surprise
    static let calm = [0.01, 0.01, 0.01, 0.01, 0.94, 0.01, 0.01]
    static let sad = [0.01, 0.01, 0.01, 0.01, 0.35, 0.6, 0.01]
    static let pleased = [0.01, 0.01, 0.01, 0.8, 0.14, 0.01, 0.01]

    /// Copies `fixture` into the test folder as `name` and stores it as an analysed session: 4 samples/s,
    /// sad over [1.5, 4] s, pleased over [6.5, 9] s (within its length), calm otherwise; tasks "Checkout"
    /// [0, 5.25) and "Rate the app" [5.25, end) (so no ±1 s window of the second task reaches the sad
    /// samples; no tasks when `length` is shorter). Returns the recording's path.
    @discardableResult
    func addSession(_ fixture: String = "evidence-keyframes.mp4", as name: String = "p1.mp4", length: Double = 10,
                    width: Int = 160, height: Int = 90) throws -> String {
        let recording = directory.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: TestPaths.fixture("video/\(fixture)").path, toPath: recording)
        let store = try SessionStore(path: dbPath, mode: .readWrite)
        let session = try store.findOrCreateSession(SessionInfo(
            filePath: recording, contentHash: try ContentHash.sha256(fileAt: URL(fileURLWithPath: recording)),
            duration: length, frameWidth: width, frameHeight: height, recordedFPS: 25))
        let run = try store.beginRun(session: session.id, settings: RunSettings(modelName: "default", modelHash: "m",
                                                                               sampleRate: 4, detector: "haar"))
        var records: [SampleRecord] = []
        for i in 0..<Int(length * 4) {
            let t = Double(i) / 4
            let p = (1.5...4).contains(t) ? Self.sad : (6.5...9).contains(t) ? Self.pleased : Self.calm
            records.append(SampleRecord(time: t, face: DetectedFace(trackID: 1, isParticipant: true,
                                                                   box: FaceBox(x: 40, y: 30, width: 40, height: 40),
                                                                   confidence: 1, scores: EmotionScores(p)!)))
        }
        try store.appendSamples(records, toRun: run)
        try store.finishRun(run)
        if length > 5.25 {
            try store.replaceTasks([TaskSegment(name: "Checkout", start: 0, end: 5.25),
                                    TaskSegment(name: "Rate the app", start: 5.25, end: length)], session: session.id)
        }
        return recording
    }

    private func clips(_ extra: [String] = [], session: String = "1") throws -> CommandResult {
        try CommandRunner.run(["clips", "--session", session, "--out", outPath, "--kinds", "negative", "positive",
                               "--length", "2", "--db", dbPath] + extra, in: directory)
    }

    private func csvRows() throws -> [[String]] {
        try String(contentsOfFile: outPath + "/clips.csv", encoding: .utf8)
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
    }

    private func probe(_ path: String, _ stream: String, _ entry: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffprobe", "-v", "error", "-select_streams", stream, "-show_entries", entry,
                             "-of", "default=nw=1:nk=1", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testClipsOfTheStrongestMomentsPerTaskWithTheirIndex() throws {
        try addSession()
        let result = try clips()
        XCTAssertEqual(result.status, 0, result.stderr)
        // Negative: smoothed valence is lowest (0.01 − 0.6) where the ±1 s window is all sad, first at 2.5 s;
        // positive: highest (0.8 − 0.01) first at 7.5 s. Clips of 2 s centred there, re-encoded: at 25 fps the
        // first frame at or after 1.5 s is at 1.52 s, the last before 3.5 s at 3.48 s (so the clip ends 3.52 s).
        let rows = try csvRows()
        XCTAssertEqual(rows.first, ["clip", "task", "session", "participant", "kind", "rank", "time_s", "clip_start_s",
                                    "clip_end_s", "emotion", "score"])
        XCTAssertEqual(Array(rows.dropFirst()), [
            ["task01-checkout-negative-1.mp4", "Checkout", "1", "p1", "negative", "1", "2.500", "1.520", "3.520", "sad", "-0.590"],
            ["task02-rate-the-app-positive-1.mp4", "Rate the app", "1", "p1", "positive", "1", "7.500", "6.520", "8.520",
             "happy", "0.790"],
        ])
        let clip = outPath + "/task01-checkout-negative-1.mp4"
        XCTAssertEqual(try probe(clip, "v:0", "stream=codec_name"), "h264")
        XCTAssertEqual(Double(try probe(clip, "v:0", "stream=nb_frames")), 50)
        XCTAssertEqual(try probe(clip, "a:0", "stream=codec_name"), "aac")
        let html = try String(contentsOfFile: outPath + "/clips.html", encoding: .utf8)
        XCTAssertTrue(html.contains("<h2>Checkout</h2>"))
        XCTAssertTrue(html.contains("src=\"task02-rate-the-app-positive-1.mp4\""))
        // A second run replaces its own clips and index.
        let again = try clips(["--fast"])
        XCTAssertEqual(again.status, 0, again.stderr)
        // Stream copy starts on the keyframe at or before 1.5 s and 6.5 s: 0 s and 6 s.
        XCTAssertEqual(try csvRows()[1][7], "0.000")
        XCTAssertEqual(try csvRows()[2][7], "6.000")
    }

    func testStretchesOfAnEmotionAboveTheThreshold() throws {
        try addSession()
        let result = try CommandRunner.run(["clips", "--session", "1", "--out", outPath, "--kinds", "stretch",
                                           "--stretch-emotions", "sad", "--threshold", "0.5", "--fast", "--db", dbPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try csvRows()
        XCTAssertEqual(rows.count, 2)
        // Smoothed sad reaches 0.5 at 2.25 s ((8 × 0.6 + 0.01) / 9) and stays up to 3.25 s.
        XCTAssertEqual(Array(rows[1][0...6]), ["task01-checkout-stretch-1.mp4", "Checkout", "1", "p1", "stretch", "1", "2.250"])
        XCTAssertEqual(rows[1][9], "sad")
    }

    func testAStudyReelGroupsTasksAcrossSessions() throws {
        try addSession()
        try addSession("keyframes-closed.mp4", as: "p2.mp4", length: 6, width: 96, height: 54)
        let result = try clips(session: "all")
        XCTAssertEqual(result.status, 0, result.stderr)
        let names = try csvRows().dropFirst().map { $0[0] }
        XCTAssertEqual(names, ["task01-checkout-s1-negative-1.mp4", "task01-checkout-s2-negative-1.mp4",
                               "task02-rate-the-app-s1-positive-1.mp4"])
        for name in names { XCTAssertTrue(FileManager.default.fileExists(atPath: outPath + "/" + name), name) }
    }

    func testAStudyReelLeavesOutASessionWhoseRecordingMoved() throws {
        try addSession()
        let second = try addSession("keyframes-closed.mp4", as: "p2.mp4", length: 6, width: 96, height: 54)
        try FileManager.default.removeItem(atPath: second)
        let result = try clips(session: "all")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "warning: session 2's recording \(second) is not there any more (moved or deleted?); "
                       + "put it back or analyse the file at its new place; left out\n")
        XCTAssertEqual(try csvRows().dropFirst().map { $0[0] }, ["task01-checkout-s1-negative-1.mp4",
                                                                 "task02-rate-the-app-s1-positive-1.mp4"])
    }

    func testFilesItDidNotMakeAreNeverReplaced() throws {
        try addSession()
        try FileManager.default.createDirectory(atPath: outPath, withIntermediateDirectories: false)
        let foreign = outPath + "/task01-checkout-negative-1.mp4"
        try Data("my own video".utf8).write(to: URL(fileURLWithPath: foreign))
        let result = try clips()
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "error: \(foreign) exists and is not a video EmoteLab made; choose another name "
                       + "(--overwrite replaces it)\n")
        XCTAssertEqual(try String(contentsOfFile: foreign, encoding: .utf8), "my own video")
        XCTAssertFalse(FileManager.default.fileExists(atPath: outPath + "/clips.csv"))
        try Data("a,b\r\n".utf8).write(to: URL(fileURLWithPath: outPath + "/clips.csv"))
        try FileManager.default.removeItem(atPath: foreign)
        let index = try clips()
        XCTAssertEqual(index.status, 1)
        XCTAssertTrue(index.stderr.contains("clips.csv exists and is not a clip index EmoteLab made"), index.stderr)
        // --overwrite replaces what EmoteLab did not make (in the output folder only).
        let forced = try clips(["--overwrite"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try csvRows().count, 3)
    }

    func testAMovedOrChangedRecordingIsOneClearLine() throws {
        let recording = try addSession()
        try FileManager.default.moveItem(atPath: recording, toPath: recording + ".moved")
        let moved = try clips()
        XCTAssertEqual(moved.status, 1)
        XCTAssertEqual(moved.stderr, "error: session 1's recording \(recording) is not there any more (moved or deleted?); "
                       + "put it back or analyse the file at its new place\n")
        try FileManager.default.moveItem(atPath: recording + ".moved", toPath: recording)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: recording))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        let changed = try CommandRunner.run(["annotate", "--session", "1", "--out", directory.appendingPathComponent("a.mp4").path,
                                             "--db", dbPath])
        XCTAssertEqual(changed.status, 1)
        XCTAssertEqual(changed.stderr, "error: session 1's recording \(recording) has changed since it was analysed "
                       + "(its content hash differs); analyse the file again\n")
    }

    func testARotatedRecordingIsAnnotatedUpright() throws {
        // rotate90.mp4 is stored 64x36 and shown turned 90° clockwise (36x64); boxes are stored in shown pixels.
        try addSession("rotate90.mp4", as: "phone.mp4", length: 0.5, width: 36, height: 64)
        let out = directory.appendingPathComponent("a.mp4").path
        let result = try CommandRunner.run(["annotate", "--session", "1", "--out", out, "--db", dbPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try probe(out, "v:0", "stream=width"), "36")
        XCTAssertEqual(try probe(out, "v:0", "stream=height"), "64")
        XCTAssertEqual(try probe(out, "v:0", "stream_side_data=rotation"), "")
    }

    func testAnnotateWritesAnAnnotatedCopyAndNeverTheRecordingOrDatabase() throws {
        let recording = try addSession()
        let out = directory.appendingPathComponent("annotated.mp4").path
        let result = try CommandRunner.run(["annotate", "--session", "1", "--out", out, "--db", dbPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("wrote \(out) (250 frames, 160x90, libx264, audio copied;"), result.stdout)
        XCTAssertTrue(result.stderr.contains("[####################] 100%"), result.stderr)
        XCTAssertEqual(try probe(out, "v:0", "stream=nb_frames"), "250")
        XCTAssertEqual(try probe(out, "a:0", "stream=codec_name"), "aac")
        let matroska = directory.appendingPathComponent("annotated.mkv").path
        XCTAssertEqual(try CommandRunner.run(["annotate", "--session", "1", "--out", matroska, "--db", dbPath]).status, 0)
        XCTAssertEqual(try probe(matroska, "v:0", "format=format_name"), "matroska,webm")
        let avi = try CommandRunner.run(["annotate", "--session", "1", "--out", directory.appendingPathComponent("a.avi").path,
                                         "--db", dbPath])
        XCTAssertEqual(avi.stderr, "error: name --out with .mp4, .mov or .mkv (the container is chosen by the extension)\n")
        // Its own earlier output is replaced; the recording and the database never.
        XCTAssertEqual(try CommandRunner.run(["annotate", "--session", "1", "--out", out, "--db", dbPath]).status, 0)
        for (target, role) in [(recording, "session 1's recording"), (dbPath, "the session database")] {
            let refused = try CommandRunner.run(["annotate", "--session", "1", "--out", target, "--db", dbPath, "--overwrite"])
            XCTAssertEqual(refused.status, 1)
            XCTAssertTrue(refused.stderr.hasPrefix("error: \(target) is \(role);"), refused.stderr)
        }
    }
}
