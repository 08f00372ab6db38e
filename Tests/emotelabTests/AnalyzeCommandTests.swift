import Foundation
import SessionStore
import TestSupport
import XCTest

/// `emotelab analyze` end to end: the real binary on the real media in ../shared/media, with the shipped
/// model C, then `sessions` / `timeline` / `report` on the database it wrote.
final class AnalyzeCommandTests: XCTestCase {
    var directory: URL!
    var dbPath: String { directory.appendingPathComponent("lab.sqlite").path }

    override func setUpWithError() throws {
        directory = TestPaths.temporaryDirectory("analyze")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.run(arguments, in: directory, environment: environment)
    }

    /// `analyze` with the test defaults: shipped model C, the test database.
    func analyze(_ arguments: [String]) throws -> CommandResult {
        try run(["analyze"] + arguments + ["--model", "C", "--db", dbPath])
    }

    func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The report CSV as rows of fields (the tests' task and file names hold no commas or quotes).
    func reportRows(session: String = "latest") throws -> [[String: String]] {
        let result = try run(["report", "--session", session, "--db", dbPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    // MARK: Real media

    /// single_face.mp4: the man's face is found in every sample, as one track (the participant), and the
    /// model sees him smile. The media README describes neutral at about 0.5 s and a broad smile at about
    /// 1.5 s. An early C (43.7 % on FER2013 val, from the blurred training copy) read neutral (p 0.49–0.61) for
    /// the first half second and happy (p 0.52–0.67) from 0.77 s on. What is asserted: p(happy) in the smile
    /// (1.25–1.8 s) at least
    /// 0.2 above p(happy) at the start (0–0.8 s), and happy dominant at the broadest smile (1.5 s). Finer
    /// claims (the exact onset, the return toward neutral by 2.3 s) are not asserted: a 48×48 classifier is
    /// noisy from sample to sample, and a better model may shift them.
    func testSingleFaceEveryoneSmiles() throws {
        let result = try analyze([TestPaths.media("single_face.mp4").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("single_face.mp4: 2.4 s of video, 10 samples, face in 10 (100.0%), 1 face track"), result.stdout)

        let store = try SessionStore(path: dbPath, mode: .readOnly)
        let session = try store.latestSession()
        let run = try XCTUnwrap(try store.latestCompleteRun(session: session.id))
        XCTAssertEqual(run.settings.modelName, "C")
        XCTAssertEqual(run.settings.sampleRate, 4)
        XCTAssertEqual(run.settings.detector, "blazeface-short-range")
        let records = try store.samples(run: run.id)
        XCTAssertEqual(records.count, 10)
        XCTAssertEqual(Set(records.compactMap { $0.face?.trackID }), [1])
        XCTAssertTrue(records.allSatisfy { $0.face?.isParticipant == true })

        let timeline = try store.timeline(run: run.id)
        XCTAssertTrue(timeline.allSatisfy(\.hasFace))
        func meanHappy(_ range: ClosedRange<Double>) -> Double {
            let values = timeline.filter { range.contains($0.time) }.compactMap { $0.scores?[.happy] }
            return values.reduce(0, +) / Double(values.count)
        }
        let neutralStart = meanHappy(0...0.8), smile = meanHappy(1.25...1.8)
        XCTAssertGreaterThan(smile, neutralStart + 0.2, "p(happy): start \(neutralStart), smile \(smile)")
        let broadest = try XCTUnwrap(timeline.first { abs($0.time - 1.5) < 1e-6 }?.scores)
        XCTAssertEqual(broadest.dominant, .happy, "\(broadest.probabilities)")
    }

    /// face_noface.mov (face for 0–2.37 s, then a title over sky) with a two-task file: the face is present
    /// in (nearly) every sample of task 1 and in none of task 2, whose emotion cells stay empty.
    /// A file with two video streams: the note names the one analysed and the other; `--video-stream 1`
    /// analyses the other (96×54) and stores the choice with the run's settings; a stream that is not
    /// video is one error line naming the file.
    func testVideoStreamChoice() throws {
        let url = TestPaths.fixture("video/two-videos.mkv")
        let first = try analyze([url.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("note: \(url.path): 2 video streams; analysed stream 0 (h264 64x36), "
                                            + "FFmpeg's pick; also 1 (h264 96x54) (--video-stream N analyses another)"),
                      first.stderr)
        XCTAssertFalse(first.stderr.contains("fewer than"), first.stderr)
        // Sampling faster than the video's 10 frames/s: said once, each frame sampled once.
        let fast = try analyze([url.path, "--fps", "30"])
        XCTAssertEqual(fast.status, 0, fast.stderr)
        XCTAssertTrue(fast.stderr.contains("note: \(url.path): the video has 10 frames/s, fewer than the 30 samples/s "
                                           + "asked for: every frame is one sample"), fast.stderr)
        XCTAssertTrue(fast.stdout.contains("1.0 s of video, 10 samples"), fast.stdout)
        let second = try analyze([url.path, "--video-stream", "1"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertFalse(second.stderr.contains("video streams;"), second.stderr)
        let store = try SessionStore(path: dbPath, mode: .readOnly)
        let session = try store.latestSession()
        XCTAssertEqual([session.info.frameWidth, session.info.frameHeight], [96, 54])
        let run = try XCTUnwrap(try store.latestCompleteRun(session: session.id))
        XCTAssertTrue(run.settings.detectorParameters.contains("\"video_stream\":1"), run.settings.detectorParameters)
        let bad = try analyze([url.path, "--video-stream", "2"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("error: \(url.path): stream 2 is not a video stream (its video streams: 0, 1)"),
                      bad.stderr)
    }

    /// Tasks fixed by hand (`tasks import`) and then replaced by analysing again with a tasks file: said
    /// in a note; the same tasks again say nothing.
    func testReplacingEarlierTasksIsNoted() throws {
        let video = TestPaths.media("face_noface.mov").path
        let original = try write("task,start,end\nA,0,2\nB,2,6\n", to: "tasks.csv")
        XCTAssertEqual(try analyze([video, "--tasks", original]).status, 0)
        let fixed = try write("task,start,end\nA,0,2.3\n", to: "fixed.csv")
        XCTAssertEqual(try run(["tasks", "import", fixed, "--session", "latest", "--db", dbPath]).status, 0)
        let again = try analyze([video, "--tasks", original])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("note: \(video): the tasks file replaced the session's 1 earlier task (session 1)"),
                      again.stderr)
        let same = try analyze([video, "--tasks", original])
        XCTAssertFalse(same.stderr.contains("replaced the session's"), same.stderr)
    }

    /// A tasks file beside the video fills a session without tasks (with a note) but never undoes tasks
    /// imported by hand when the video is analysed again.
    func testTasksFileBesideTheVideo() throws {
        let video = directory.appendingPathComponent("rec.mov").path
        try FileManager.default.copyItem(atPath: TestPaths.media("face_noface.mov").path, toPath: video)
        let companion = try write("task,start,end\nBeside,0,2\n", to: "rec.tasks.csv")
        let first = try analyze([video])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("note: \(video): tasks from \(companion)"), first.stderr)
        XCTAssertEqual(try reportRows().map { $0["task"] }, ["Beside", "(whole session)"])
        let fixed = try write("task,start,end\nFixed,0,2.3\n", to: "fixed.csv")
        XCTAssertEqual(try run(["tasks", "import", fixed, "--session", "latest", "--db", dbPath]).status, 0)
        let again = try analyze([video, "--fps", "2"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("note: \(video): kept the session's 1 earlier task; \(companion) differs "
                                            + "(--tasks \(companion) applies it)"), again.stderr)
        XCTAssertEqual(try reportRows().map { $0["task"] }, ["Fixed", "(whole session)"])
    }

    func testFaceThenNoFaceWithTasks() throws {
        let tasks = try write("task,start,end\nLook at the camera,0,2.3\nWatch the title,2.4,6.4\n", to: "tasks.csv")
        let result = try analyze([TestPaths.media("face_noface.mov").path, "--tasks", tasks])
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try reportRows()
        XCTAssertEqual(rows.map { $0["task"] }, ["Look at the camera", "Watch the title", "(whole session)"])
        let first = rows[0], second = rows[1]
        XCTAssertEqual(first["samples"], "10")            // 0, 0.25, …, 2.25 s
        XCTAssertGreaterThanOrEqual(Double(first["face_presence"] ?? "") ?? 0, 0.9)
        XCTAssertEqual(second["samples"], "16")           // 2.4 … 6.15 s at 4/s
        XCTAssertEqual(second["face_presence"], "0.0000")
        // Without a face, engagement (expressiveness while the face is seen) is empty too: presence says 0.
        for column in ["angry", "happy", "neutral", "dominant_emotion", "valence_mean", "satisfaction", "engagement"] {
            XCTAssertEqual(second[column], "", column)
            XCTAssertNotEqual(first[column], "", column)
        }
    }

    /// no_face.mp4: samples but no face; the report's emotion cells are empty.
    func testNoFaceVideo() throws {
        let result = try analyze([TestPaths.media("no_face.mp4").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("no_face.mp4: 3.9 s of video, 16 samples, face in 0 (0.0%), 0 face tracks"), result.stdout)
        XCTAssertEqual(result.stderr, "warning: \(TestPaths.media("no_face.mp4").path): no face found in any sample (is the "
                       + "face smaller than --min-face, turned away, or the video rotated?)\n")
        let rows = try reportRows()
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0]["samples"], "16")
        XCTAssertEqual(rows[0]["face_samples"], "0")
        for column in ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise", "dominant_emotion",
                       "valence_mean", "valence_min", "valence_max", "satisfaction"] {
            XCTAssertEqual(rows[0][column], "", column)
        }
    }

    /// The same file with the same settings again replaces the old run instead of adding one; other
    /// settings make a second run beside it.
    func testReanalysisDoesNotDuplicate() throws {
        let video = TestPaths.media("single_face.mp4").path
        XCTAssertEqual(try analyze([video]).status, 0)
        XCTAssertEqual(try analyze([video]).status, 0)
        var store = try SessionStore(path: dbPath, mode: .readOnly)
        let sessions = try store.sessionSummaries()
        XCTAssertEqual(sessions.count, 1)
        XCTAssertEqual(try store.runs(session: sessions[0].session.id).count, 1)
        XCTAssertEqual(sessions[0].sampleCount, 10)
        XCTAssertEqual(try analyze([video, "--fps", "2"]).status, 0)
        store = try SessionStore(path: dbPath, mode: .readOnly)
        XCTAssertEqual(try store.runs(session: sessions[0].session.id).map(\.settings.sampleRate), [4, 2])
    }

    /// A folder is analysed file by file (two jobs at once): one session per video.
    func testFolderWithTwoJobs() throws {
        let folder = directory.appendingPathComponent("recordings")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["single_face.mp4", "no_face.mp4"] {
            try FileManager.default.copyItem(at: TestPaths.media(name), to: folder.appendingPathComponent(name))
        }
        let result = try analyze([folder.path, "--jobs", "2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("analysed 2 of 2 files"), result.stdout)
        let summaries = try SessionStore(path: dbPath, mode: .readOnly).sessionSummaries()
        XCTAssertEqual(Set(summaries.map(\.session.fileName)), ["single_face.mp4", "no_face.mp4"])
        XCTAssertTrue(summaries.allSatisfy { $0.latestCompleteRun != nil })
    }

    /// Two copies of one recording in a batch (two jobs): analysed once, with a note naming both; no race
    /// between two runs of one session.
    func testCopiesInABatchAreAnalysedOnce() throws {
        let first = directory.appendingPathComponent("P01 session.mov").path
        let second = directory.appendingPathComponent("P02 session.mov").path
        for copy in [first, second] { try FileManager.default.copyItem(atPath: TestPaths.media("face_noface.mov").path, toPath: copy) }
        let result = try analyze([first, second, "--jobs", "2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "note: \(second): same content as \(first); analysed once\n")
        let summaries = try SessionStore(path: dbPath, mode: .readOnly).sessionSummaries()
        XCTAssertEqual(summaries.map(\.session.info.filePath), [first])
        XCTAssertEqual(summaries.first?.sampleCount, 26)
        // The session's own recording is never a report file, even with --overwrite.
        let report = try run(["report", "--session", "1", "--html", first, "--overwrite", "--db", dbPath])
        XCTAssertEqual(report.status, 1)
        XCTAssertEqual(report.stderr, "error: \(first) is the session's recording; choose another file name for the report\n")
    }

    /// A recording cut short mid-stream is analysed as far as it can be read; the warning is stored with
    /// the run, so `timeline` and `report` repeat it (stderr, and the HTML's session facts).
    func testTruncatedRecordingKeepsItsWarning() throws {
        let path = TestPaths.fixture("video/truncated.mp4").path
        let warning = "\(path): file is truncated or damaged: the container lists 60 video frames but only 17 could "
            + "be read; 1 frame could not be decoded; frames up to 0.500 s were read"
        let analysis = try analyze([path])
        XCTAssertEqual(analysis.status, 0, analysis.stderr)
        XCTAssertTrue(analysis.stderr.contains("warning: \(warning)\n"), analysis.stderr)
        let html = directory.appendingPathComponent("report.html").path
        let report = try run(["report", "--session", "latest", "--html", html, "--db", dbPath])
        XCTAssertEqual(report.status, 0)
        XCTAssertEqual(report.stderr, "warning: session 1: \(warning)\n")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.contains("<dt>Warnings</dt><dd>\(warning)</dd>"), page)
        XCTAssertEqual(try run(["timeline", "--session", "1", "--db", dbPath]).stderr, "warning: session 1: \(warning)\n")
    }

    /// The same recording analysed again from another place: one session, which now names the new path,
    /// and a note saying so.
    func testMovedRecordingKeepsItsSessionWithANote() throws {
        let first = directory.appendingPathComponent("day1.mov").path
        let moved = directory.appendingPathComponent("archive/day1.mov").path
        try FileManager.default.createDirectory(atPath: (moved as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestPaths.media("no_face.mp4").path, toPath: first)
        XCTAssertEqual(try analyze([first]).status, 0)
        try FileManager.default.moveItem(atPath: first, toPath: moved)
        let again = try analyze([moved])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("note: \(moved): same content as session 1, analysed before as \(first); "
                                            + "the session now names this file\n"), again.stderr)
        let summaries = try SessionStore(path: dbPath, mode: .readOnly).sessionSummaries()
        XCTAssertEqual(summaries.map(\.session.info.filePath), [moved])
    }

    /// A photo is not a recording: one line, exit 1 (also through the British spelling of the command).
    func testStillImageIsRefused() throws {
        let photo = TestPaths.media("single_face.jpg").path
        let result = try run(["analyse", photo, "--model", "C", "--db", dbPath])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "error: \(photo): a still image (mjpeg), not a video recording\n")
    }

    // MARK: Stopping

    /// Ctrl-C mid-run: the run is marked interrupted, the exit status is 130, and nothing reports it.
    func testInterruptedRunIsNotReported() throws {
        let child = try startAnalysis(TestPaths.media("single_face.mp4").path)
        try child.waitForOutput(containing: "single_face.mp4: ")      // a progress line: mid-run
        kill(child.process.processIdentifier, SIGINT)
        let result = child.finish()
        XCTAssertEqual(result.status, 130, result.stderr)
        XCTAssertTrue(result.stderr.contains("single_face.mp4: analysis stopped; its run is marked interrupted"), result.stderr)
        let store = try SessionStore(path: dbPath, mode: .readOnly)
        let summary = try XCTUnwrap(try store.sessionSummaries().first)
        XCTAssertEqual(summary.latestRun?.status, .interrupted)
        XCTAssertNil(summary.latestCompleteRun)
        let report = try run(["report", "--session", "latest", "--db", dbPath])
        XCTAssertEqual(report.status, 1)
        XCTAssertEqual(report.stderr, "error: no session with a complete analysis in \(dbPath)\n")
        let byID = try run(["report", "--session", "\(summary.session.id)", "--db", dbPath])
        XCTAssertEqual(byID.stderr, "error: session \(summary.session.id) (single_face.mp4) has no complete analysis (latest run 1 is interrupted)\n")
    }

    /// A kill leaves the run `running`; it is never reported as complete.
    func testKilledRunIsNotReported() throws {
        let child = try startAnalysis(TestPaths.media("single_face.mp4").path)
        try child.waitForOutput(containing: "single_face.mp4: ")
        kill(child.process.processIdentifier, SIGKILL)
        _ = child.finish()
        let store = try SessionStore(path: dbPath, mode: .readOnly)
        let summary = try XCTUnwrap(try store.sessionSummaries().first)
        XCTAssertEqual(summary.latestRun?.status, .running)
        XCTAssertNil(summary.latestCompleteRun)
        XCTAssertEqual(try run(["report", "--session", "latest", "--db", dbPath]).status, 1)
    }

    /// Starts `analyze` slowed down by the test hook (0.3 s per frame, so a 10-sample clip takes 3 s).
    func startAnalysis(_ video: String) throws -> ChildProcess {
        try ChildProcess(arguments: ["analyze", video, "--model", "C", "--db", dbPath],
                         environment: ["EMOTELAB_TEST_FRAME_DELAY": "0.3"], directory: directory)
    }

    // MARK: Bad input

    /// Bad files in a batch are reported (one line each) and the good ones still analysed; exit status 1.
    func testBadFilesInABatch() throws {
        let notVideo = try write("just text\n", to: "notes.mp4")
        let missing = directory.appendingPathComponent("missing.mov").path
        let result = try analyze([notVideo, TestPaths.media("no_face.mp4").path, missing])
        XCTAssertEqual(result.status, 1)
        let errors = result.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("error: ") }
        XCTAssertEqual(errors.count, 2, result.stderr)
        XCTAssertTrue(errors[0].hasPrefix("error: \(notVideo): "), errors[0])
        XCTAssertTrue(errors[1].hasPrefix("error: \(missing): "), errors[1])
        XCTAssertTrue(result.stdout.contains("analysed 1 of 3 files"), result.stdout)
        let summaries = try SessionStore(path: dbPath, mode: .readOnly).sessionSummaries()
        XCTAssertEqual(summaries.map(\.session.fileName), ["no_face.mp4"])
    }

    /// Nothing analysable at all (a folder of subfolders, a non-video): the problems, exit 1, and no
    /// empty database left behind.
    func testNothingToAnalyseCreatesNoDatabase() throws {
        let folder = directory.appendingPathComponent("batch/sub")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let notVideo = try write("just text\n", to: "notes.mp4")
        let result = try analyze([folder.deletingLastPathComponent().path, notVideo])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 2, result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dbPath))
    }

    /// A bad tasks file is refused before anything is analysed: one line with file and line, no database.
    func testBadTasksFileStopsEverything() throws {
        let tasks = try write("task,start,end\nIntro,0,1\nOutro,2,1\n", to: "tasks.csv")
        let result = try analyze([TestPaths.media("single_face.mp4").path, "--tasks", tasks])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "error: \(tasks):3: task 'Outro' ends before it starts (start 0:02.000, end 0:01.000)\n")
        XCTAssertEqual(result.stdout, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dbPath))

        let late = try write("Intro,0,1\nOutro,3,4\n", to: "late.csv")
        let beyond = try analyze([TestPaths.media("single_face.mp4").path, "--tasks", late])
        XCTAssertEqual(beyond.status, 1)
        XCTAssertEqual(beyond.stderr, "error: \(late):2: task 'Outro' starts at 0:03.000, at or after the end of the video "
                       + "\(TestPaths.media("single_face.mp4").path) (0:02.400)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dbPath))
    }

    /// A database that is not SQLite, or is read-only, gets one clear line and nothing is analysed.
    func testBadDatabase() throws {
        let video = TestPaths.media("single_face.mp4").path
        let junk = try write("not a database at all, just some text to fill a page\n", to: "junk.sqlite")
        let notSQLite = try run(["analyze", video, "--model", "C", "--db", junk])
        XCTAssertEqual(notSQLite.status, 1)
        XCTAssertEqual(notSQLite.stderr, "error: \(junk) is not an SQLite database\n")

        XCTAssertEqual(try analyze([TestPaths.media("no_face.mp4").path]).status, 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: dbPath)
        let readOnly = try analyze([video])
        XCTAssertEqual(readOnly.status, 1)
        XCTAssertEqual(readOnly.stderr, "error: database \(dbPath) is read-only\n")
    }

    /// Unknown models and cascades are one line each.
    func testBadModelAndCascade() throws {
        let video = TestPaths.media("single_face.mp4").path
        let model = try run(["analyze", video, "--model", "/no/model.safetensors", "--db", dbPath])
        XCTAssertEqual(model.status, 1)
        XCTAssertEqual(model.stderr, "error: model: /no/model.safetensors: no such model file (and not a shipped model name: A, B, C, default)\n")
        let cascade = try analyze([video, "--cascade", "/no/cascade.xml"])
        XCTAssertEqual(cascade.status, 1)
        XCTAssertEqual(cascade.stderr, "error: cascade /no/cascade.xml: no such file\n")
        let detector = try analyze([video, "--detector", "/no/cascade.xml"])
        XCTAssertEqual(detector.stderr, "error: cascade /no/cascade.xml: no such file\n")
        // Corrupt BlazeFace weights (found through EMOTELAB_MODELS): one line naming the file, nothing stored.
        let models = directory.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let weights = models.appendingPathComponent("blazeface-short-range.safetensors")
        try Data("garbage".utf8).write(to: weights)
        let corrupt = try run(["analyze", video, "--model", TestPaths.repoRoot.appendingPathComponent(
            "Sources/EmotionModel/Models/C.safetensors").path, "--db", dbPath], environment: ["EMOTELAB_MODELS": models.path])
        XCTAssertEqual(corrupt.status, 1)
        XCTAssertTrue(corrupt.stderr.hasPrefix("error: BlazeFace weights \(weights.path): "), corrupt.stderr)
        XCTAssertEqual(corrupt.stderr.filter { $0 == "\n" }.count, 1, corrupt.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dbPath))
    }
}

/// A running `emotelab` child whose output the test can watch before signalling it.
final class ChildProcess {
    let process = Process()
    private let output = Pipe(), errors = Pipe()
    private let lock = NSLock()
    private var stdout = Data(), stderr = Data()

    init(arguments: [String], environment: [String: String], directory: URL) throws {
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = errors
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.append(handle.availableData, error: false) }
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.append(handle.availableData, error: true) }
        try process.run()
    }

    private func append(_ data: Data, error: Bool) {
        lock.lock()
        if error { stderr += data } else { stdout += data }
        lock.unlock()
    }

    private var outputText: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: stdout, as: UTF8.self)
    }

    /// Waits (up to a minute) until standard output contains `text`.
    func waitForOutput(containing text: String) throws {
        let deadline = Date().addingTimeInterval(60)
        while !outputText.contains(text) {
            guard process.isRunning, Date() < deadline else {
                throw NSError(domain: "ChildProcess", code: 1,
                              userInfo: [NSLocalizedDescriptionKey: "no '\(text)' in output: \(outputText)"])
            }
            usleep(20_000)
        }
    }

    /// What the child printed and how it ended.
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Waits for the process to end and returns what it printed.
    func finish() -> Result {
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        errors.fileHandleForReading.readabilityHandler = nil
        append(output.fileHandleForReading.readDataToEndOfFile(), error: false)
        append(errors.fileHandleForReading.readDataToEndOfFile(), error: true)
        lock.lock()
        defer { lock.unlock() }
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                             stderr: String(decoding: stderr, as: UTF8.self))
    }
}
