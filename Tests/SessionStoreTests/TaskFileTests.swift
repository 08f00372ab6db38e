import Foundation
import SessionStore
import TestSupport
import XCTest

final class TaskFileTests: XCTestCase {
    private func csv(_ text: String, duration: Double? = nil) throws -> [TaskSegment] {
        try TaskFile.parse(text, format: .csv, fileName: "tasks.csv", videoDuration: duration)
    }

    private func json(_ text: String, duration: Double? = nil) throws -> [TaskSegment] {
        try TaskFile.parse(text, format: .json, fileName: "tasks.json", videoDuration: duration)
    }

    private func assertError(_ body: @autoclosure () throws -> [TaskSegment], _ expected: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testCSVWithHeaderQuotesAndUnicode() throws {
        let tasks = try csv("\u{FEFF}Task,Start,End\r\n" +
                            "\"Sign up, then \"\"verify\"\"\", 0:05, 1:10.5\r\n" +
                            "\r\n" +
                            "Überweisung <script>, 70.5,02:00\r\n" +
                            "\"two\nlines\",2:00,125\n")
        XCTAssertEqual(tasks, [
            TaskSegment(name: "Sign up, then \"verify\"", start: 5, end: 70.5),
            TaskSegment(name: "Überweisung <script>", start: 70.5, end: 120),
            TaskSegment(name: "two\nlines", start: 120, end: 125),
        ])
    }

    func testCSVWithoutHeader() throws {
        XCTAssertEqual(try csv("Login,0,10\nSearch,10,20"),
                       [TaskSegment(name: "Login", start: 0, end: 10), TaskSegment(name: "Search", start: 10, end: 20)])
    }

    func testCSVRoundTripsThroughItsWriter() throws {
        let tasks = [TaskSegment(name: " padded ", start: 0, end: 1.25),
                     TaskSegment(name: "a,\"b\"\r\nc", start: 1.25, end: 3),
                     TaskSegment(name: "lone\nfeed", start: 3, end: 4), TaskSegment(name: "lone\rreturn", start: 4, end: 5),
                     TaskSegment(name: "tiny", start: 0.00001, end: 0.000125)]
        XCTAssertEqual(try csv(TaskFile.csv(tasks)), tasks)
    }

    /// Issue 22, item 1: names a spreadsheet would run are written with a leading `'` and quoted, and
    /// read back without it; a `'` the user typed before such a name survives the round trip.
    func testCSVWriterGuardsFormulasAndReadsThemBack() throws {
        let tasks = [TaskSegment(name: "=1+1", start: 0, end: 1), TaskSegment(name: "-2+3", start: 1, end: 2),
                     TaskSegment(name: "'@x", start: 2, end: 3), TaskSegment(name: "-5", start: 3, end: 4)]
        let text = TaskFile.csv(tasks)
        XCTAssertEqual(text, "task,start,end\r\n\"'=1+1\",0,1\r\n\"'-2+3\",1,2\r\n\"''@x\",2,3\r\n-5,3,4\r\n")
        XCTAssertEqual(try csv(text), tasks)
        // What a user writes by hand with a spreadsheet's text mark reads as the name without it.
        XCTAssertEqual(try csv("'+cmd,0,1\n'plain,1,2\n").map(\.name), ["+cmd", "'plain"])
    }

    func testCSVErrorsNameTheLine() {
        assertError(try csv("task,start,end\nLogin,0,10\nSearch,ten,20\n"),
                    "tasks.csv:3: bad start time 'ten' (use seconds or [hh:]mm:ss[.fff])")
        assertError(try csv("Login,0,10\nSearch,20,\n"),
                    "tasks.csv:2: task 'Search' has no end and no task starts after it; its end would be the end of the video, which is not known here: give its end")
        assertError(try csv("Login,0,10\n\"multi\nline\",1:00,0:30\n"),
                    "tasks.csv:2: task 'multi\nline' ends before it starts (start 1:00.000, end 0:30.000)")
        assertError(try csv("Login,5,5\n"), "tasks.csv:1: task 'Login' ends when it starts (start 0:05.000, end 0:05.000)")
        assertError(try csv("Login\n"), "tasks.csv:1: expected a task name and a start time (task,start[,end]), found 1 field")
        assertError(try csv("task,start,end,type\nLogin,0,10,phase\n"), "tasks.csv:2: unknown type 'phase' (task or event)")
        assertError(try csv("task,start,end,type\nHelp,5,6,event\n"),
                    "tasks.csv:2: event 'Help' has an end (0:06.000); an event is one moment: leave its end empty")
        assertError(try csv(" ,0,1\n"), "tasks.csv:1: empty task name")
        assertError(try csv("Login,0,10\n\"open,0,1\n"), "tasks.csv:2: a quoted field is not closed")
        assertError(try csv("Lo\"gin,0,10\n"),
                    "tasks.csv:1: a quote inside an unquoted field (quote the whole field and write \"\")")
        assertError(try csv("task,start,end\n\n"), "tasks.csv: no tasks in the file")
        assertError(try csv("Start,End,Task\n0,1,\n"), "tasks.csv:2: empty task name")
    }

    func testTasksBeyondTheVideoEnd() throws {
        XCTAssertEqual(try csv("a,0,60.5", duration: 60).count, 1, "up to a second past the end is accepted")
        assertError(try csv("a,0,30\nb,30,1:02", duration: 60),
                    "tasks.csv:2: task 'b' ends at 1:02.000, after the end of the video (1:00.000)")
        assertError(try csv("a,0,30\nb,60,61", duration: 60),
                    "tasks.csv:2: task 'b' starts at 1:00.000, at or after the end of the video (1:00.000)")
        // Absurdly large times are errors, not a crash while formatting them.
        assertError(try csv("a,0,99999999999999999999999", duration: 60),
                    "tasks.csv:1: task 'a' ends at 1e+23 s, after the end of the video (1:00.000)")
        assertError(try csv("a,0,999999999999999999:00:00", duration: 60),
                    "tasks.csv:1: task 'a' ends at 3.6e+21 s, after the end of the video (1:00.000)")
        assertError(try json(#"[{"task": "a", "start": 1e16, "end": 1e308}]"#, duration: 60),
                    "tasks.json:1: task 'a' starts at 1e+16 s, at or after the end of the video (1:00.000)")
    }

    func testJSONArrayAndObjectForms() throws {
        let expected = [TaskSegment(name: "Checkout «Ω»", start: 62.5, end: 130), TaskSegment(name: "b", start: 130, end: 140)]
        XCTAssertEqual(try json(#"[{"task": "Checkout «Ω»", "start": "1:02.5", "end": 130}, {"task":"b","start":130,"end":"140"}]"#),
                       expected)
        XCTAssertEqual(try json(#"{"tasks": [{"task": "Checkout «Ω»", "start": 62.5, "end": "2:10"}, {"task":"b","start":130,"end":140}]}"#),
                       expected)
    }

    func testJSONErrorsNameTheLine() {
        assertError(try json("[{\"task\": \"a\", \"start\": 0,\n  \"end\": 1, \"start\": 2}]"),
                    "tasks.json:2: key \"start\" appears twice in one object")
        XCTAssertEqual(try json(#"[{"task": "a:\"start\"", "start": 0, "end": 1}, {"task": "b", "start": 1, "end": 2}]"#).count, 2)
        let text = """
            {"tasks": [
              {"task": "a", "start": 0, "end": 10},
              {"task": "b",
               "start": "soon", "end": 20}
            ]}
            """
        assertError(try json(text), "tasks.json:3: bad start time 'soon' (use seconds or [hh:]mm:ss[.fff])")
        assertError(try json("[\n{\"task\": \"a\", \"end\": 10}\n]"), "tasks.json:2: missing \"start\"")
        assertError(try json("[\n{\"task\": \"a\", \"start\": 0, \"end\": 10, \"type\": 3}\n]"),
                    "tasks.json:2: \"type\" must be \"task\" or \"event\"")
        assertError(try json("[\n{\"task\": 3, \"start\": 0, \"end\": 1}\n]"), "tasks.json:2: \"task\" must be a string")
        assertError(try json("[\n{\"task\": \"a\", \"start\": -4, \"end\": 1}\n]"),
                    "tasks.json:2: bad start time -4.0 (must not be negative)")
        assertError(try json("[\n{\"task\": \"a\", \"start\": 0, \"end\": 1},\n{\"task\": \"b\" \"start\": 1}\n]"),
                    "tasks.json:3: not valid JSON")
        assertError(try json(#"{"steps": []}"#),
                    #"tasks.json: expected [{"task": ..., "start": ..., "end": ...}, ...] or {"tasks": [...]}"#)
    }

    func testLoadPicksTheFormatAndReportsMissingFiles() throws {
        let directory = TestPaths.temporaryDirectory("task-file")
        defer { try? FileManager.default.removeItem(at: directory) }
        let jsonFile = directory.appendingPathComponent("tasks.txt")
        try Data(#"  [{"task": "a", "start": 0, "end": 1}]"#.utf8).write(to: jsonFile)
        XCTAssertEqual(try TaskFile.load(contentsOf: jsonFile), [TaskSegment(name: "a", start: 0, end: 1)])
        let latin1 = directory.appendingPathComponent("latin1.csv")
        try Data([0x66, 0xE9, 0x2C, 0x30, 0x2C, 0x31]).write(to: latin1)
        XCTAssertThrowsError(try TaskFile.load(contentsOf: latin1)) { error in
            XCTAssertEqual("\(error)", "\(latin1.path):1: not UTF-8 text (byte 0xE9); save the file as UTF-8")
        }
        let missing = directory.appendingPathComponent("missing.csv")
        XCTAssertThrowsError(try TaskFile.load(contentsOf: missing)) { error in
            XCTAssertEqual("\(error)", "\(missing.path): no such file")
        }
    }
}
