import XCTest
@testable import Analysis
import SessionStore
import TestSupport

final class AnalysisPlanTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = TestPaths.temporaryDirectory("plan") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Readable videos become items with the tasks; unreadable inputs become one-line problems.
    func testItemsAndProblems() throws {
        let tasks = try write("task,start,end\nIntro,0,1.5\n\"Smile, then relax\",1.5,2.4\n", to: "tasks.csv")
        let notVideo = try write("hello\n", to: "notes.mp4")
        let video = TestPaths.media("single_face.mp4").path
        let plan = try AnalysisPlan(inputs: [video, notVideo, "/no/such/video.mov"], tasksFile: tasks)
        XCTAssertEqual(plan.items, [AnalysisPlan.Item(path: video, tasks: [
            TaskSegment(name: "Intro", start: 0, end: 1.5), TaskSegment(name: "Smile, then relax", start: 1.5, end: 2.4),
        ], contentHash: "95ee1a41bfd0f50a2f9d3384eeb11dfe7601db3a173f24825d5146369216f571", hashSeconds: 0)])
        XCTAssertEqual(plan.duplicates, [])
        XCTAssertEqual(plan.problems.count, 2)
        XCTAssertTrue(plan.problems[0].hasPrefix(notVideo), plan.problems[0])
        XCTAssertTrue(plan.problems[1].hasPrefix("/no/such/video.mov"), plan.problems[1])
    }

    /// Without --tasks a video takes `NAME.tasks.csv|json` beside it, or `tasks.csv|json` when it is the
    /// only video in its folder (one folder per participant), with a note; --tasks wins over both.
    func testTasksFilesBesideTheVideos() throws {
        let manager = FileManager.default
        for folder in ["P01", "P02", "shared"] {
            try manager.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let source = TestPaths.media("single_face.mp4").path
        let p01 = directory.appendingPathComponent("P01/session.mp4").path
        let p02 = directory.appendingPathComponent("P02/session.mp4").path
        let a = directory.appendingPathComponent("shared/a.mp4").path
        let b = directory.appendingPathComponent("shared/b.mp4").path
        for copy in [p01, p02, a, b] { try manager.copyItem(atPath: source, toPath: copy) }
        // Copies are left out of a batch (same content), so each check plans one video.
        _ = try write("task,start,end\nIntro,0,1\n", to: "P01/tasks.csv")
        _ = try write("[{\"task\": \"Smile\", \"start\": 1, \"end\": 2}]", to: "shared/a.tasks.json")
        _ = try write("task,start,end\nIgnored,0,1\n", to: "shared/tasks.csv")     // two videos here: not theirs
        let plan1 = try AnalysisPlan(inputs: [p01], tasksFile: nil)
        XCTAssertEqual(plan1.items.first?.tasks, [TaskSegment(name: "Intro", start: 0, end: 1)])
        XCTAssertEqual(plan1.items.first?.companionTasksFile, directory.appendingPathComponent("P01/tasks.csv").path)
        XCTAssertNil(try AnalysisPlan(inputs: [p02], tasksFile: nil).items.first?.tasks)
        XCTAssertEqual(try AnalysisPlan(inputs: [a], tasksFile: nil).items.first?.tasks,
                       [TaskSegment(name: "Smile", start: 1, end: 2)])
        XCTAssertNil(try AnalysisPlan(inputs: [b], tasksFile: nil).items.first?.tasks)
        let given = try write("task,start,end\nGiven,0,2\n", to: "given.csv")
        let explicit = try AnalysisPlan(inputs: [p01], tasksFile: given)
        XCTAssertEqual(explicit.items.first?.tasks, [TaskSegment(name: "Given", start: 0, end: 2)])
        XCTAssertNil(explicit.items.first?.companionTasksFile)
        // A CSV and a JSON file beside one video: used when they say the same, refused when they differ.
        _ = try write("[{\"task\": \"Intro\", \"start\": 0, \"end\": 1}]", to: "P01/tasks.json")
        XCTAssertEqual(try AnalysisPlan(inputs: [p01], tasksFile: nil).items.first?.tasks, [TaskSegment(name: "Intro", start: 0, end: 1)])
        _ = try write("[{\"task\": \"Intro\", \"start\": 0, \"end\": 2}]", to: "P01/tasks.json")
        XCTAssertThrowsError(try AnalysisPlan(inputs: [p01], tasksFile: nil)) { error in
            XCTAssertEqual("\(error)", "\(p01): two tasks files beside it disagree, \(directory.appendingPathComponent("P01/tasks.csv").path) "
                           + "and \(directory.appendingPathComponent("P01/tasks.json").path); remove one, or choose with --tasks FILE")
        }
        try FileManager.default.removeItem(atPath: directory.appendingPathComponent("P01/tasks.json").path)
        // A bad companion file stops the batch like a bad --tasks file, naming the file and line.
        _ = try write("task,start,end\nIntro,5,1\n", to: "P01/tasks.csv")
        XCTAssertThrowsError(try AnalysisPlan(inputs: [p01], tasksFile: nil)) { error in
            XCTAssertTrue("\(error)".contains("P01/tasks.csv:2"), "\(error)")
        }
    }

    /// A second file with the same content (a copy) is left out with a note naming the first.
    func testCopiesAreAnalysedOnce() throws {
        let video = TestPaths.media("single_face.mp4").path
        let copy = directory.appendingPathComponent("copy of single_face.mp4").path
        try FileManager.default.copyItem(atPath: video, toPath: copy)
        let other = TestPaths.media("no_face.mp4").path
        let plan = try AnalysisPlan(inputs: [video, other, copy], tasksFile: nil)
        XCTAssertEqual(plan.items.map(\.path), [video, other])
        XCTAssertEqual(plan.duplicates, ["\(copy): same content as \(video); analysed once"])
        XCTAssertEqual(plan.problems, [])
    }

    /// A bad tasks file stops the whole plan with its file and line, before any video is looked at.
    func testBadTasksFile() throws {
        let tasks = try write("task,start,end\nIntro,0,1\nBrowse,5,3\n", to: "tasks.csv")
        XCTAssertThrowsError(try AnalysisPlan(inputs: ["/no/such/video.mov"], tasksFile: tasks)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(tasks):3: task 'Browse' ends before it starts"), "\(error)")
        }
    }

    /// Tasks must lie within each video: single_face.mp4 lasts 2.4 s, so a task starting at 10 s is refused.
    func testTasksBeyondTheVideo() throws {
        let tasks = try write("Intro,0,1\nLater,10,12\n", to: "tasks.csv")
        XCTAssertThrowsError(try AnalysisPlan(inputs: [TestPaths.media("single_face.mp4").path], tasksFile: tasks)) { error in
            XCTAssertEqual("\(error)", "\(tasks):2: task 'Later' starts at 0:10.000, at or after the end of the video "
                           + "\(TestPaths.media("single_face.mp4").path) (0:02.400)")
        }
    }
}
