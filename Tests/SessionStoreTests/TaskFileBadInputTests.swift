import Foundation
import SessionStore
import TestSupport
import XCTest

/// Issue 22's questionable tasks-file cases: NUL bytes, non-UTF-8 bytes and a cut JSON file are refused
/// with their line; a named pipe is refused without blocking; overlapping tasks are accepted with a warning.
final class TaskFileBadInputTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = TestPaths.temporaryDirectory("task-file-bad") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func load(_ bytes: [UInt8], name: String) throws -> [TaskSegment] {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return try TaskFile.load(contentsOf: url)
    }

    private func assertError(_ body: @autoclosure () throws -> [TaskSegment], _ expected: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    /// SQLite kept only the part of a name before a NUL; the name is refused instead, with its line.
    func testNULInATaskNameIsRefused() {
        assertError(try TaskFile.parse("a,0,1\nlog\u{0}in,1,2\n", format: .csv, fileName: "t.csv"),
                    "t.csv:2: task name 'log\\0in' holds a NUL character")
        assertError(try TaskFile.parse("[\n{\"task\": \"a\\u0000b\", \"start\": 0, \"end\": 1}\n]", format: .json,
                                       fileName: "t.json"),
                    "t.json:2: task name 'a\\0b' holds a NUL character")
    }

    /// Latin-1 `é` (0xE9) on line 3: the error names the line and the byte.
    func testNonUTF8BytesAreRefusedWithTheirLine() {
        let path = directory.appendingPathComponent("latin1.csv").path
        assertError(try load(Array("task,start,end\na,0,1\ncaf".utf8) + [0xE9] + Array(",1,2\n".utf8), name: "latin1.csv"),
                    "\(path):3: not UTF-8 text (byte 0xE9); save the file as UTF-8")
    }

    /// A JSON file cut short names its last line (before: no line at all).
    func testTruncatedJSONNamesItsLastLine() {
        let path = directory.appendingPathComponent("cut.json").path
        assertError(try load(Array("[\n{\"task\": \"a\", \"start\": 0, \"end\": 1},\n{\"task\": \"b\", \"sta\n".utf8),
                             name: "cut.json"),
                    "\(path):3: not valid JSON: the file ends inside a string, list or object (cut short?)")
        assertError(try load(Array("{\"tasks\": [\n{\"task\": \"a\", \"start\": 0, \"end\": 1}".utf8), name: "cut.json"),
                    "\(path):2: not valid JSON: the file ends inside a string, list or object (cut short?)")
    }

    func testNamedPipeIsRefusedWithoutBlocking() {
        let fifo = directory.appendingPathComponent("tasks.csv")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        assertError(try TaskFile.load(contentsOf: fifo), "\(fifo.path): is a named pipe, not a tasks file")
    }

    func testOverlappingTasksAreNamedInAWarning() throws {
        let tasks = try TaskFile.parse("Sign up,0,10\nCheckout,8,20\nRate,20,25\nWhole,0,30\n", format: .csv, fileName: "t.csv")
        XCTAssertEqual(TaskFile.overlapWarnings(tasks, fileName: "t.csv"), [
            "t.csv: tasks 'Sign up' (0:00.000–0:10.000) and 'Checkout' (0:08.000–0:20.000) overlap",
            "t.csv: tasks 'Sign up' (0:00.000–0:10.000) and 'Whole' (0:00.000–0:30.000) overlap",
            "t.csv: tasks 'Checkout' (0:08.000–0:20.000) and 'Whole' (0:00.000–0:30.000) overlap",
            "t.csv: tasks 'Rate' (0:20.000–0:25.000) and 'Whole' (0:00.000–0:30.000) overlap",
        ])
        // Tasks that only touch do not overlap.
        XCTAssertEqual(TaskFile.overlapWarnings(Array(tasks.prefix(1)) + [TaskSegment(name: "b", start: 10, end: 12)],
                                                fileName: "t.csv"), [])
    }
}
