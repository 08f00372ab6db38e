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
