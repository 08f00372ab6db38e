import Foundation
import Reports
import SessionStore
import TestSupport
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `sessions`, `tasks`, `timeline` and `report` end to end: the real binary on databases written through
/// the SessionStore writer API.
final class StoreCommandsTests: XCTestCase {
    var directory: URL!
    var dbPath: String { directory.appendingPathComponent("lab.sqlite").path }

    override func setUpWithError() throws {
        directory = TestPaths.temporaryDirectory("store-commands")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A database with one small analysed session (id 1): 2 s at 2 samples/s, a face in the first second
    /// (scores `first` at 0 s and `second` at 0.5 s), and two tasks unless `withTasks` is false.
    @discardableResult
    func makeSmallDatabase(filePath: String = "/rec/small, \"one\".mp4",
                           first: [Double] = [0, 0, 0, 0.8, 0.2, 0, 0], second: [Double] = [0.2, 0, 0, 0.4, 0.4, 0, 0],
                           withTasks: Bool = true) throws -> SessionStore {
        let store = try SessionStore(path: dbPath, mode: .readWrite)
        let session = try store.findOrCreateSession(SessionInfo(filePath: filePath, contentHash: "s1",
                                                                duration: 2, frameWidth: 640, frameHeight: 360,
                                                                recordedFPS: 30))
        let run = try store.beginRun(session: session.id, settings: RunSettings(
            modelName: "default", modelHash: "m", sampleRate: 2, detector: "haar"))
        func face(_ t: Double, _ p: [Double]) -> SampleRecord {
            SampleRecord(time: t, face: DetectedFace(trackID: 1, isParticipant: true,
                                                     box: FaceBox(x: 1, y: 2, width: 30, height: 40),
                                                     confidence: 1, scores: EmotionScores(p)!))
        }
        try store.appendSamples([face(0, first), face(0.5, second), .noFace(at: 1), .noFace(at: 1.5)], toRun: run)
        try store.finishRun(run)
        guard withTasks else { return store }
        try store.replaceTasks([TaskSegment(name: "with face", start: 0, end: 1),
                                TaskSegment(name: "without, \"face\"", start: 1, end: 2)], session: session.id)
        return store
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.run(arguments, in: directory, environment: environment)
    }

    func assertFailure(_ result: CommandResult, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(result.status, 0, file: file, line: line)
        XCTAssertEqual(result.stderr, "error: \(message)\n", file: file, line: line)
    }

    // MARK: Bad databases

    func testReadCommandsDoNotCreateAMissingDatabase() throws {
        for arguments in [["sessions"], ["timeline", "--session", "1"], ["report", "--session", "latest"],
                          ["tasks", "list", "--session", "1"], ["tasks", "import", "t.csv", "--session", "1"]] {
            let result = try run(arguments + ["--db", dbPath])
            assertFailure(result, "no database found at \(dbPath) (analyse a video first, or pass --db FILE)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dbPath))
    }

    func testDefaultDatabaseComesFromTheEnvironmentOrTheCurrentFolder() throws {
        try makeSmallDatabase()
        let viaEnvironment = try run(["sessions"], environment: ["EMOTELAB_DB": dbPath])
        XCTAssertEqual(viaEnvironment.status, 0, viaEnvironment.stderr)
        XCTAssertTrue(viaEnvironment.stdout.contains("small, \"one\".mp4"))
        let inFolder = try run(["sessions"], environment: ["EMOTELAB_DB": ""])
        assertFailure(inFolder, "no database found at emotelab.sqlite (analyse a video first, or pass --db FILE)")
    }

    func testFileThatIsNotSQLite() throws {
        try Data("session,task\n1,2\n".utf8).write(to: URL(fileURLWithPath: dbPath))
        assertFailure(try run(["sessions", "--db", dbPath]), "\(dbPath) is not an SQLite database")
        assertFailure(try run(["tasks", "import", "x.csv", "--session", "1", "--db", dbPath]),
                      "\(dbPath) is not an SQLite database")
    }

    func testReadOnlyDatabaseIsReadButNotWritten() throws {
        try makeSmallDatabase()
        let tasksFile = directory.appendingPathComponent("t.csv")
        try Data("a,0,1\n".utf8).write(to: tasksFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: dbPath)
        assertFailure(try run(["tasks", "import", tasksFile.path, "--session", "1", "--db", dbPath]),
                      "database \(dbPath) is read-only")
        let report = try run(["report", "--session", "1", "--db", dbPath])
        XCTAssertEqual(report.status, 0, report.stderr)
    }

    func testUnknownSessionAndIncompleteRuns() throws {
        let store = try makeSmallDatabase()
        assertFailure(try run(["report", "--session", "42", "--db", dbPath]),
                      "no session 42 in \(dbPath) (see `emotelab sessions`)")
        let other = try store.findOrCreateSession(SessionInfo(filePath: "b.mp4", contentHash: "b"))
        let running = try store.beginRun(session: other.id, settings: RunSettings(modelName: "d", modelHash: "m",
                                                                                  sampleRate: 4, detector: "haar"))
        assertFailure(try run(["timeline", "--session", "2", "--db", dbPath]),
                      "session 2 (b.mp4) has no complete analysis (latest run \(running) is running)")
        // `latest` is the last complete analysis, not the run in progress.
        let latest = try run(["timeline", "--session", "latest", "--format", "csv", "--db", dbPath])
        XCTAssertEqual(latest.status, 0, latest.stderr)
        XCTAssertEqual(latest.stdout.components(separatedBy: "\r\n").count, 1 + 4 + 1)
        let sessions = try run(["sessions", "--db", dbPath])
        XCTAssertTrue(sessions.stdout.contains("\(running) running"), sessions.stdout)
        let bad = try run(["report", "--session", "first", "--db", dbPath])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("first"), bad.stderr)
    }

    // MARK: Commands

    func testSessionsListsTheLatestRun() throws {
        try makeSmallDatabase()
        let result = try run(["sessions", "--db", dbPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("id  label         file"), String(lines[0]))
        // 4 samples, 2 with a face: 50 %.
        for part in ["small, \"one\"  small, \"one\".mp4", "0:02.000", "1 complete", "4", "50.0%", "default", "2/s"] {
            XCTAssertTrue(lines[1].contains(part), "\(part) missing from: \(lines[1])")
        }
    }

    /// A second run with another model (session 1, run 2: one face sample, happy 0.1): reports use it by
    /// default, `--run 1` reads the first one, `sessions --runs` lists both, and a run of another session,
    /// an unknown run or an unfinished one is refused.
    func testRunSelection() throws {
        let store = try makeSmallDatabase()
        let second = try store.beginRun(session: 1, settings: RunSettings(modelName: "C", modelHash: "c", sampleRate: 1,
                                                                          detector: "haar"))
        try store.appendSamples([SampleRecord(time: 0, face: DetectedFace(
            trackID: 1, isParticipant: true, box: FaceBox(x: 1, y: 2, width: 30, height: 40), confidence: 1,
            scores: EmotionScores([0, 0, 0, 0.1, 0.9, 0, 0])!)), .noFace(at: 1)], toRun: second)
        try store.finishRun(second)
        let other = try store.findOrCreateSession(SessionInfo(filePath: "/rec/b.mp4", contentHash: "b"))
        let unfinished = try store.beginRun(session: other.id, settings: RunSettings(modelName: "B", modelHash: "m",
                                                                                     sampleRate: 4, detector: "haar"))
        func happy(_ arguments: [String]) throws -> String? {
            let result = try run(["report", "--session", "1", "--csv", "-", "--db", dbPath] + arguments)
            XCTAssertEqual(result.status, 0, result.stderr)
            return CSVReader.parse(result.stdout).last.map { $0[11] }
        }
        XCTAssertEqual(try happy([]), "0.1000")
        XCTAssertEqual(try happy(["--run", "1"]), "0.6000")     // (0.8 + 0.4) / 2
        let timeline = try run(["timeline", "--session", "1", "--run", "1", "--format", "csv", "--db", dbPath])
        XCTAssertEqual(timeline.stdout.components(separatedBy: "\r\n").count, 1 + 4 + 1)
        let runs = try run(["sessions", "--runs", "--db", dbPath])
        XCTAssertEqual(runs.status, 0, runs.stderr)
        let lines = runs.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[0].hasPrefix("run  session  file"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("  1        1  small, \"one\".mp4  complete"), lines[1])
        XCTAssertTrue(lines[2].hasSuffix(" C   1/s  {}"), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("  \(unfinished)        2  b.mp4"), lines[3])
        assertFailure(try run(["report", "--session", "1", "--run", "\(unfinished)", "--db", dbPath]),
                      "run \(unfinished) belongs to session 2, not to session 1 (small, \"one\".mp4): give --session 2, "
                      + "or one of session 1's runs: 1 (complete), 2 (complete)")
        assertFailure(try run(["report", "--session", "1", "--run", "99", "--db", dbPath]),
                      "session 1 (small, \"one\".mp4) has no run 99; its runs: 1 (complete), 2 (complete) "
                      + "(see `emotelab sessions --runs`)")
        assertFailure(try run(["timeline", "--session", "2", "--run", "\(unfinished)", "--db", dbPath]),
                      "run \(unfinished) of session 2 is running, not complete")
    }

    /// `--session all` (issue 20): the study CSV, one row per participant × task with participant, model, run
    /// and baseline columns, a warning for the session left out, an earlier study file replaced; a
    /// participant whose baseline cannot be taken makes the baselines differ: refused unless --mix.
    func testReportOfAllSessions() throws {
        let store = try makeSmallDatabase()
        let second = try store.findOrCreateSession(SessionInfo(filePath: "/rec/P02/s.mp4", contentHash: "p2", duration: 1))
        let secondRun = try store.beginRun(session: second.id, settings: RunSettings(
            modelName: "default", modelHash: "m", sampleRate: 1, detector: "haar"))
        try store.appendSamples([.noFace(at: 0)], toRun: secondRun)
        try store.finishRun(secondRun)
        let third = try store.findOrCreateSession(SessionInfo(filePath: "/rec/P03/s.mp4", contentHash: "p3"))
        _ = try store.beginRun(session: third.id, settings: RunSettings(modelName: "default", modelHash: "m",
                                                                       sampleRate: 1, detector: "haar"))
        let result = try run(["report", "--session", "all", "--db", dbPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "warning: session 3 (P03) has no complete analysis; left out\n")
        let rows = CSVReader.parse(result.stdout)
        XCTAssertEqual(rows.first, StudyCSV.rowColumns)
        // Labels: the file stem, or the folder where stems repeat (P02/s.mp4, P03/s.mp4).
        XCTAssertEqual(rows.dropFirst().map { [$0[0], $0[1], $0[2], $0[3], $0[4], $0[5], $0[9]] }, [
            ["small, \"one\"", "small, \"one\".mp4", "default (m)", "1", "none", "with face", "2"],
            ["small, \"one\"", "small, \"one\".mp4", "default (m)", "1", "none", "without, \"face\"", "2"],
            ["small, \"one\"", "small, \"one\".mp4", "default (m)", "1", "none", "(whole session)", "4"],
            ["P02", "P02/s.mp4", "default (m)", "2", "none", "(whole session)", "1"],
        ])
        let csvPath = directory.appendingPathComponent("study.csv").path
        let first = try run(["report", "--session", "all", "--csv", csvPath, "--db", dbPath])
        XCTAssertEqual(first.stdout, "wrote \(csvPath) (2 participants × task)\n")
        XCTAssertEqual(try String(contentsOfFile: csvPath, encoding: .utf8), result.stdout)
        let again = try run(["report", "--session", "all", "--csv", csvPath, "--db", dbPath])
        XCTAssertEqual(again.stdout, "replaced \(csvPath) (2 participants × task)\n")
        // Another table, or a one-session report (maybe of another run), is never replaced without --overwrite.
        let other = directory.appendingPathComponent("other.csv").path
        try "session,task\nx,y\n".write(toFile: other, atomically: true, encoding: .utf8)
        let single = directory.appendingPathComponent("single.csv").path
        XCTAssertEqual(try run(["report", "--session", "1", "--csv", single, "--db", dbPath]).status, 0)
        for path in [other, single] {
            let refused = try run(["report", "--session", "all", "--csv", path, "--db", dbPath])
            XCTAssertEqual(refused.status, 1)
            XCTAssertTrue(refused.stderr.hasSuffix("error: \(path) exists and is not an earlier study report of this kind; "
                                                   + "choose another name (--overwrite replaces it)\n"), refused.stderr)
        }
        // Session 2 has no face in the first 0.6 s: its baseline differs (none), which is refused with the names...
        let baselined = try run(["report", "--session", "all", "--baseline", "0.6", "--db", dbPath])
        XCTAssertEqual(baselined.status, 1)
        XCTAssertTrue(baselined.stderr.contains("warning: session 2 (P02) has no baseline: no face samples in the first 0.600 s"),
                      baselined.stderr)
        XCTAssertTrue(baselined.stderr.hasSuffix("error: sessions have different baselines (first 0.6 s: small, \"one\"; "
                                                 + "none: P02): pass --mix to compare them anyway\n"), baselined.stderr)
        // ... and reported with --mix, the baseline column saying which is which.
        let mixed = try run(["report", "--session", "all", "--baseline", "0.6", "--mix", "--db", dbPath])
        XCTAssertEqual(mixed.status, 0, mixed.stderr)
        XCTAssertEqual(Set(CSVReader.parse(mixed.stdout).dropFirst().map { "\($0[0]): \($0[4])" }),
                       ["small, \"one\": first 0.6 s", "P02: none"])
        // Every participant without the baseline: one error line that says why, not "no complete analysis".
        let none = try run(["report", "--session", "all", "--baseline", "1:00", "--db", dbPath])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.hasSuffix("error: no session in \(dbPath) could be reported with --baseline 1:00.000 "
                                            + "(see the warnings above)\n"), none.stderr)
        let refused = try run(["report", "--session", "all", "--run", "1", "--db", dbPath])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("give one --session, not all"), refused.stderr)
    }

    /// Issue 20, items 1 and 2: participants by label (`sessions label`, `--session P07`, a list), the
    /// study's summary CSV and the study page with a page per participant beside it; different models are
    /// refused with the participants named.
    func testStudyByLabelsWithSummaryAndPages() throws {
        let store = try makeSmallDatabase()
        let second = try store.findOrCreateSession(SessionInfo(filePath: "/rec/b.mp4", contentHash: "p2", duration: 2))
        let secondRun = try store.beginRun(session: second.id, settings: RunSettings(
            modelName: "default", modelHash: "m", sampleRate: 1, detector: "haar"))
        try store.appendSamples([.noFace(at: 0), .noFace(at: 1)], toRun: secondRun)
        try store.finishRun(secondRun)
        try store.replaceTasks([TaskSegment(name: "with face", start: 0, end: 1)], session: second.id)
        let labelled = try run(["sessions", "label", "1", "P07", "--db", dbPath])
        XCTAssertEqual(labelled.status, 0, labelled.stderr)
        XCTAssertEqual(labelled.stdout, "session 1 (small, \"one\".mp4): small, \"one\" → P07\n")
        assertFailure(try run(["sessions", "label", "2", "P07", "--db", dbPath]), "session 1 is labelled 'P07' already")
        assertFailure(try run(["sessions", "label", "2", "12", "--db", dbPath]),
                      "'12' names sessions already (a number, latest or all): choose a label such as P07")
        let listing = try run(["sessions", "--db", dbPath])
        XCTAssertTrue(listing.stdout.contains(" 1  P07    small"), listing.stdout)
        // --session P07 works where a number does; an unknown label is one line.
        let byLabel = try run(["tasks", "list", "--session", "P07", "--format", "csv", "--db", dbPath])
        XCTAssertEqual(byLabel.status, 0, byLabel.stderr)
        XCTAssertEqual(byLabel.stdout, try run(["tasks", "list", "--session", "1", "--format", "csv", "--db", dbPath]).stdout)
        assertFailure(try run(["report", "--session", "P99", "--db", dbPath]),
                      "no session labelled 'P99' in \(dbPath) (see `emotelab sessions`; `sessions label ID NAME` sets one)")

        let summaryPath = directory.appendingPathComponent("summary.csv").path
        let htmlPath = directory.appendingPathComponent("study.html").path
        let study = try run(["report", "--session", "P07,b", "--summary", summaryPath, "--html", htmlPath, "--db", dbPath])
        XCTAssertEqual(study.status, 0, study.stderr)
        let summary = CSVReader.parse(try String(contentsOfFile: summaryPath, encoding: .utf8))
        XCTAssertEqual(summary.first, StudyCSV.summaryColumns)
        // "with face": P07's engagement (1 − .2 + 1 − .4) / 2 × 100 = 70 (see makeSmallDatabase); b has no face
        // there, so n = 1 for engagement and 2 for presence (1 and 0: mean .5).
        let withFace = try XCTUnwrap(summary.first { $0.first == "with face" })
        XCTAssertEqual(Array(withFace[1...2]), ["1", "70.00"])
        XCTAssertEqual(Array(withFace[16...17]), ["2", "0.5000"])
        let page = try String(contentsOfFile: htmlPath, encoding: .utf8)
        XCTAssertTrue(page.contains("<a href=\"study-P07.html\">P07</a>"), page)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("study-P07.html").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("study-b.html").path))
        // Participant pages replay their recording, referenced from the page's folder.
        let p07 = try String(contentsOfFile: directory.appendingPathComponent("study-P07.html").path, encoding: .utf8)
        XCTAssertTrue(p07.contains("<video id=\"replay-video\""), p07)

        // Session 2 re-scored by another model: refused with the participants named, unless --mix.
        let cRun = try store.beginRun(session: second.id, settings: RunSettings(
            modelName: "C", modelHash: "c0ffee", sampleRate: 1, detector: "haar"))
        try store.appendSamples([.noFace(at: 0), .noFace(at: 1)], toRun: cRun)
        try store.finishRun(cRun)
        assertFailure(try run(["report", "--session", "all", "--db", dbPath]),
                      "sessions were scored by different models (C (c0ffee): b; default (m): P07): re-analyse them with one "
                      + "--model, choose runs with the same model, or pass --mix to compare them anyway")
        XCTAssertEqual(try run(["report", "--session", "all", "--mix", "--db", dbPath]).status, 0)
    }

    func testTimelineFormatsRangeAndSmoothing() throws {
        try makeSmallDatabase()
        let csv = try run(["timeline", "--session", "1", "--format", "csv", "--db", dbPath])
        XCTAssertEqual(csv.stdout, """
            t,face,angry,disgust,fear,happy,neutral,sad,surprise,dominant,valence,faces,others\r
            0.000,1,0.0000,0.0000,0.0000,0.8000,0.2000,0.0000,0.0000,happy,0.8000,1,0\r
            0.500,1,0.2000,0.0000,0.0000,0.4000,0.4000,0.0000,0.0000,happy,0.2000,1,0\r
            1.000,0,,,,,,,,,,0,0\r
            1.500,0,,,,,,,,,,0,0\r

            """)
        // Smoothing over 1 s at t = 0.5: faces at 0 and 0.5 → happy .6, valence .5; cut to 0.5 … 1.
        let smoothed = try run(["timeline", "--session", "1", "--format", "json", "--smooth", "1",
                                "--from", "0:00.5", "--to", "1", "--db", dbPath])
        XCTAssertEqual(smoothed.status, 0, smoothed.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(smoothed.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.map { ($0["t"] as? NSNumber)?.doubleValue }, [0.5, 1.0])
        XCTAssertEqual((rows[0]["happy"] as? NSNumber)?.doubleValue, 0.6)
        XCTAssertEqual((rows[0]["valence"] as? NSNumber)?.doubleValue, 0.5)
        let table = try run(["timeline", "--session", "1", "--to", "0.5", "--db", dbPath])
        XCTAssertEqual(table.stdout.split(separator: "\n").count, 3)
        let backwards = try run(["timeline", "--session", "1", "--from", "2", "--to", "1", "--db", dbPath])
        XCTAssertNotEqual(backwards.status, 0)
        XCTAssertTrue(backwards.stderr.contains("--to (1.0 s) is before --from (2.0 s)"), backwards.stderr)
    }

    func testReportToStandardOutputAndFiles() throws {
        try makeSmallDatabase()
        let stdout = try run(["report", "--session", "latest", "--db", dbPath])
        XCTAssertEqual(stdout.status, 0, stdout.stderr)
        let records = CSVReader.parse(stdout.stdout)
        XCTAssertEqual(records.count, 4)
        XCTAssertEqual(records[0].first, "session")
        XCTAssertEqual(records[1][0], "small, \"one\".mp4")
        XCTAssertEqual(records[2][1], "without, \"face\"")
        // The task without faces: presence 0, empty emotion, valence, engagement, satisfaction and interval cells.
        // Nobody else was in view: 0 samples with others, a share of 0.
        XCTAssertEqual(Array(records[2][5...]), ["2", "0", "0.0000"] + Array(repeating: "", count: 21) + ["none", "0", "0.0000"])
        // The task with faces: valence (.8 + .2)/2 = .5, satisfaction 75; engagement (.8 + .6)/2 = 70.
        XCTAssertEqual(records[1][16], "0.5000")
        XCTAssertEqual(records[1][19], "70.00")
        XCTAssertEqual(records[1][20], "75.00")

        let csvPath = directory.appendingPathComponent("out/report.csv").path
        let htmlPath = directory.appendingPathComponent("report.html").path
        assertFailure(try run(["report", "--session", "1", "--csv", csvPath, "--db", dbPath]),
                      "cannot write \(csvPath): no such folder")
        try FileManager.default.createDirectory(atPath: (csvPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let files = try run(["report", "--session", "1", "--csv", csvPath, "--html", htmlPath, "--baseline", "0.6",
                             "--db", dbPath])
        XCTAssertEqual(files.status, 0, files.stderr)
        XCTAssertEqual(files.stdout, "wrote \(csvPath) (2 tasks + whole session)\nwrote \(htmlPath)\n")
        // Baseline over t < 0.6: valences .8 and .2 → .5; the first task's mean becomes 0 → satisfaction 50.
        XCTAssertEqual(CSVReader.parse(try String(contentsOfFile: csvPath, encoding: .utf8))[1][20], "50.00")
        XCTAssertNotNil(XMLParserCheck.parse(try Data(contentsOf: URL(fileURLWithPath: htmlPath))))
        // Again: the earlier reports of this session give way, and the lines say so.
        let again = try run(["report", "--session", "1", "--csv", csvPath, "--html", htmlPath, "--db", dbPath])
        XCTAssertEqual(again.stdout, "replaced \(csvPath) (2 tasks + whole session)\nreplaced \(htmlPath)\n")

        let noFaces = try run(["report", "--session", "1", "--baseline", "0", "--db", dbPath])
        XCTAssertNotEqual(noFaces.status, 0)
    }

    /// `--csv`/`--html` replace an earlier report but never the database, a folder or another file (a
    /// recording, say) unless --overwrite; `-` is standard output.
    func testReportNeverReplacesWhatItDidNotWrite() throws {
        try makeSmallDatabase()
        let before = try Data(contentsOf: URL(fileURLWithPath: dbPath))
        assertFailure(try run(["report", "--session", "1", "--csv", dbPath, "--db", dbPath]),
                      "\(dbPath) is the session database; choose another file name for the report")
        assertFailure(try run(["report", "--session", "1", "--html", "lab.sqlite", "--db", dbPath]),
                      "lab.sqlite is the session database; choose another file name for the report")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dbPath)), before)

        let video = directory.appendingPathComponent("session.mp4").path
        try FileManager.default.copyItem(atPath: TestPaths.media("single_face.mp4").path, toPath: video)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: video)   // the shared copy is read-only
        let videoBytes = try Data(contentsOf: URL(fileURLWithPath: video))
        for option in ["--csv", "--html"] {
            assertFailure(try run(["report", "--session", "1", option, video, "--db", dbPath]),
                          "\(video) exists and is not an earlier report of this session of that kind; choose another name (--overwrite replaces it)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: video)), videoBytes)
        assertFailure(try run(["report", "--session", "1", "--csv", directory.path, "--db", dbPath]),
                      "cannot write \(directory.path): it is a folder")

        // Earlier reports are replaced without asking; a CSV is not taken for an HTML page or back.
        let csv = directory.appendingPathComponent("r.csv").path, html = directory.appendingPathComponent("r.html").path
        for _ in 0..<2 {
            XCTAssertEqual(try run(["report", "--session", "1", "--csv", csv, "--html", html, "--db", dbPath]).status, 0)
        }
        assertFailure(try run(["report", "--session", "1", "--html", csv, "--db", dbPath]),
                      "\(csv) exists and is not an earlier report of this session of that kind; choose another name (--overwrite replaces it)")
        let forced = try run(["report", "--session", "1", "--html", video, "--overwrite", "--db", dbPath])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(try String(contentsOfFile: video, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))

        // Through a symbolic link, the database and its journal are still the database, --overwrite or not.
        let link = directory.appendingPathComponent("study.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "lab.sqlite")
        for target in ["lab.sqlite", "lab.sqlite-wal", directory.appendingPathComponent("sub/../lab.sqlite").path] {
            let result = try run(["report", "--session", "1", "--csv", target, "--overwrite", "--db", link])
            XCTAssertNotEqual(result.status, 0, target)
            XCTAssertTrue(result.stderr.contains("is the session database"), result.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dbPath)), before)

        // A read-only earlier report stays; a file holding several sessions' rows is not "an earlier report".
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: csv)
        assertFailure(try run(["report", "--session", "1", "--csv", csv, "--db", dbPath]),
                      "cannot write \(csv): the file is read-only")     // even as root: the mode says keep it
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: csv)
        let joined = try String(contentsOfFile: csv, encoding: .utf8) + "other.mp4,(whole session)" + String(repeating: ",", count: 19) + "\r\n"
        try Data(joined.utf8).write(to: URL(fileURLWithPath: csv))
        assertFailure(try run(["report", "--session", "1", "--csv", csv, "--db", dbPath]),
                      "\(csv) exists and is not an earlier report of this session of that kind; choose another name (--overwrite replaces it)")

        // A FIFO is written into, not inspected (which would block) or replaced.
        let fifo = directory.appendingPathComponent("pipe.csv").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let reader = Thread { _ = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() }
        reader.start()
        XCTAssertEqual(try run(["report", "--session", "1", "--csv", fifo, "--db", dbPath]).status, 0)
        var info = stat()
        XCTAssertEqual(stat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO)

        XCTAssertEqual(try run(["report", "--session", "1", "--csv", csv, "--overwrite", "--db", dbPath]).status, 0)
        let reportText = try String(contentsOfFile: csv, encoding: .utf8)

        // Another recording's report under the same file name (its whole-session row ends elsewhere) is not
        // this session's report.
        let other = reportText.replacingOccurrences(of: ",(whole session),0.000,2.000,2.000,", with: ",(whole session),0.000,9.000,9.000,")
        XCTAssertNotEqual(other, reportText)
        let otherPath = directory.appendingPathComponent("other.csv").path
        try Data(other.utf8).write(to: URL(fileURLWithPath: otherPath))
        XCTAssertNotEqual(try run(["report", "--session", "1", "--csv", otherPath, "--db", dbPath]).status, 0)

        // Both outputs are checked before either is written.
        let fresh = directory.appendingPathComponent("fresh.csv").path
        let notes = directory.appendingPathComponent("notes.html").path
        try Data("<p>my notes</p>\n".utf8).write(to: URL(fileURLWithPath: notes))
        XCTAssertNotEqual(try run(["report", "--session", "1", "--csv", fresh, "--html", notes, "--db", dbPath]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh))

        // A page from before the generator meta is still recognised as this session's report.
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let oldPage = page.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("<meta name=\"generator\"") }.joined(separator: "\n")
        try Data(oldPage.utf8).write(to: URL(fileURLWithPath: html))
        XCTAssertEqual(try run(["report", "--session", "1", "--html", html, "--db", dbPath]).status, 0)

        // /dev/stdout is written into (here the test's pipe), with no "wrote" line mixed into it.
        let devStdout = try run(["report", "--session", "1", "--csv", "/dev/stdout", "--db", dbPath])
        XCTAssertEqual(devStdout.status, 0, devStdout.stderr)
        XCTAssertEqual(devStdout.stdout, reportText)

        let standardOutput = try run(["report", "--session", "1", "--csv", "-", "--db", dbPath])
        XCTAssertEqual(standardOutput.status, 0, standardOutput.stderr)
        XCTAssertEqual(standardOutput.stdout, reportText)
        let same = try run(["report", "--session", "1", "--csv", csv, "--html", csv, "--db", dbPath])
        XCTAssertEqual(same.status, 64)
        XCTAssertTrue(same.stderr.hasPrefix("Error: --csv and --html name the same file"), same.stderr)
    }

    /// Negative and malformed values say what is expected instead of "missing value"; a baseline longer
    /// than the session is refused.
    func testBadValuesSayWhatIsExpected() throws {
        try makeSmallDatabase()
        let cases: [([String], String)] = [
            (["timeline", "--session", "-1"], "a session is a positive whole number, a participant label (see `emotelab sessions`) or latest"),
            (["report", "--session", "0"], "a session is a positive whole number, a participant label (see `emotelab sessions`), latest or all"),
            (["timeline", "--session", "1", "--from", "-1"], "times are not negative"),
            (["timeline", "--session", "1", "--to", "abc"], "not a time: use seconds or [hh:]mm:ss[.fff]"),
            (["timeline", "--session", "1", "--smooth", "-1"], "--smooth must be a positive number of seconds, got -1.0"),
            (["report", "--session", "1", "--baseline", "-0.5"], "times are not negative"),
            (["report", "--session", "1", "--baseline", "0:40-0:10"], "--baseline 0:40.000-0:10.000 ends before it starts"),
            (["report", "--session", "1", "--smooth", "-1"], "--smooth must be 0 or a positive number of seconds, got -1.0"),
            (["report", "--session", "1", "--summary", "s.csv"], "--summary is the per-task summary of a study"),
            (["report", "--session", "1", "--mix"], "--mix is for studies"),
            (["analyze", "x.mp4", "--min-neighbors", "-1"], "--min-neighbors must be at least 1, got -1"),
            (["analyze", "x.mp4", "--jobs", "-1"], "--jobs must be at least 1, got -1"),
        ]
        for (arguments, message) in cases {
            let result = try run(arguments + ["--db", dbPath])
            XCTAssertEqual(result.status, 64, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
        }
        assertFailure(try run(["report", "--session", "1", "--baseline", "task:nope", "--db", dbPath]),
                      "no task 'nope' to take the baseline from")
        let byTask = try run(["report", "--session", "1", "--baseline", "task:with face", "--db", dbPath])
        XCTAssertEqual(byTask.status, 0, byTask.stderr)
        XCTAssertEqual(CSVReader.parse(byTask.stdout)[1].suffix(3), ["task 'with face'", "0", "0.0000"])
        assertFailure(try run(["report", "--session", "1", "--baseline", "0:03", "--db", dbPath]),
                      "--baseline 0:03.000 is longer than session 1 (small, \"one\".mp4, 0:02.000)")
        XCTAssertEqual(try run(["report", "--session", "1", "--baseline", "0:00.6", "--db", dbPath]).status, 0)
    }

    func testTasksImportAndList() throws {
        try makeSmallDatabase()
        let file = directory.appendingPathComponent("tasks.csv")
        try Data("task,start,end\n\"Log in, \"\"fast\"\"\",0,0:01\n<script>é,1,2\n".utf8).write(to: file)
        let imported = try run(["tasks", "import", file.path, "--session", "1", "--db", dbPath])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.stdout, "imported 2 tasks into session 1 (small, \"one\".mp4)\n")
        let listed = try run(["tasks", "list", "--session", "1", "--format", "csv", "--db", dbPath])
        XCTAssertEqual(listed.stdout, "task,start,end\r\n\"Log in, \"\"fast\"\"\",0,1\r\n<script>é,1,2\r\n")
        let table = try run(["tasks", "list", "--session", "latest", "--db", dbPath])
        XCTAssertTrue(table.stdout.contains("<script>é"))
        // A name with a lone line feed is quoted, so the listing reads back in.
        try Data("\"two\nlines\",0,1\n".utf8).write(to: file)
        XCTAssertEqual(try run(["tasks", "import", file.path, "--session", "1", "--db", dbPath]).status, 0)
        let multiline = try run(["tasks", "list", "--session", "1", "--format", "csv", "--db", dbPath])
        XCTAssertEqual(multiline.stdout, "task,start,end\r\n\"two\nlines\",0,1\r\n")
        try Data(multiline.stdout.utf8).write(to: file)
        XCTAssertEqual(try run(["tasks", "import", file.path, "--session", "1", "--db", dbPath]).status, 0)
        try Data(listed.stdout.utf8).write(to: file)
        XCTAssertEqual(try run(["tasks", "import", file.path, "--session", "1", "--db", dbPath]).status, 0)

        // Errors name the file and line; the stored tasks stay as they were.
        try Data("a,0,1\nb,1,3.5\n".utf8).write(to: file)
        assertFailure(try run(["tasks", "import", file.path, "--session", "1", "--db", dbPath]),
                      "\(file.path):2: task 'b' ends at 0:03.500, after the end of the video (0:02.000)")
        try Data("a,0,1\nb,1:xx,2\n".utf8).write(to: file)
        assertFailure(try run(["tasks", "import", file.path, "--session", "1", "--db", dbPath]),
                      "\(file.path):2: bad start time '1:xx' (use seconds or [hh:]mm:ss[.fff])")
        XCTAssertEqual(try run(["tasks", "list", "--session", "1", "--format", "csv", "--db", dbPath]).stdout,
                       listed.stdout)
    }

    /// The realistic synthetic session renders a report with a band per task. With
    /// EMOTELAB_REPORT_EXAMPLE_DIR set, the HTML and the database are also left there
    /// (scripts/docs-images.sh makes the README screenshot from them).
    func testReportOfARealisticSession() throws {
        let store = try SessionStore(path: dbPath, mode: .readWrite)
        try SyntheticSession.write(into: store)
        let outputDirectory = ProcessInfo.processInfo.environment["EMOTELAB_REPORT_EXAMPLE_DIR"].map(URL.init(fileURLWithPath:))
            ?? directory!
        let html = outputDirectory.appendingPathComponent("report-example.html").path
        let result = try run(["report", "--session", "latest", "--html", html, "--db", dbPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let labels = XMLParserCheck.texts(ofClass: "band-label", in: Data(page.utf8))
        XCTAssertEqual(labels, SyntheticSession.tasks.enumerated().map { "\($0.offset + 1). \($0.element.name)" })
        let csv = CSVReader.parse(try run(["report", "--session", "latest", "--db", dbPath]).stdout)
        // 1920 samples at 4/s; the participant looks away for 4.5 + 6 + 7.5 + 2 + 3 + 3 s (+ one sample
        // at each closed end) = 26 s ≈ 104 + 6 samples.
        XCTAssertEqual(csv.last?[5], "1920")
        XCTAssertEqual(csv.last?[6], String(1920 - 110))
        if outputDirectory != directory {
            let copy = outputDirectory.appendingPathComponent("report-example.sqlite")
            try? FileManager.default.removeItem(at: copy)
            try store.copy(to: copy.path)
        }
    }
}

/// A minimal RFC 4180 reader for checking the CLI's CSV (independent of the code under test).
enum CSVReader {
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = "", quoted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if quoted {
                if c == "\"" { if scalars.first == "\"" { field += "\""; scalars.removeFirst() } else { quoted = false } }
                else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { record.append(field); field = "" }
            else if c == "\r" || c == "\n" {
                if c == "\r", scalars.first == "\n" { scalars.removeFirst() }
                record.append(field); field = ""; records.append(record); record = []
            } else { field.unicodeScalars.append(c) }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }
}

/// XMLParser checks on the HTML the CLI writes.
enum XMLParserCheck {
    /// True when `data` is well-formed XML, nil otherwise.
    static func parse(_ data: Data) -> Bool? { XMLParser(data: data).parse() ? true : nil }

    /// The text of every element whose class attribute is exactly `name`, in document order.
    static func texts(ofClass name: String, in data: Data) -> [String]? {
        final class Delegate: NSObject, XMLParserDelegate {
            let name: String
            var texts: [String] = []
            var inside = false
            init(name: String) { self.name = name }
            func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) {
                inside = attributes["class"] == name
                if inside { texts.append("") }
            }
            func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
                inside = false
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) {
                if inside { texts[texts.count - 1] += string }
            }
        }
        let parser = XMLParser(data: data)
        let delegate = Delegate(name: name)
        parser.delegate = delegate
        return parser.parse() ? delegate.texts : nil
    }
}
