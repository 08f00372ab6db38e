import Foundation
import SessionStore
import TestSupport
import XCTest

/// Issue 20, item 5: tasks files as researchers write them — `;` separators and decimal commas (Excel in
/// most of Europe), extra columns kept as notes, repeated names, open ends and point events.
final class TaskFileLeniencyTests: XCTestCase {
    private func csv(_ text: String, duration: Double? = nil) throws -> [TaskSegment] {
        try TaskFile.parse(text, format: .csv, fileName: "tasks.csv", videoDuration: duration)
    }

    func testSemicolonsDecimalCommasAndNotes() throws {
        XCTAssertEqual(try csv("task;start;end;notes\nAnmelden;0;12,5;zögerte\nSuche;12,5;1:02,25;\n"), [
            TaskSegment(name: "Anmelden", start: 0, end: 12.5, notes: "zögerte"),
            TaskSegment(name: "Suche", start: 12.5, end: 62.25),
        ])
        // Excel's `sep=;` hint line is honoured and still counted for line numbers.
        XCTAssertEqual(try csv("sep=;\r\nLogin;0;10\r\n"), [TaskSegment(name: "Login", start: 0, end: 10)])
        XCTAssertThrowsError(try csv("sep=;\nLogin;0;10\nSearch;x;20\n")) { error in
            XCTAssertEqual("\(error)", "tasks.csv:3: bad start time 'x' (use seconds or [hh:]mm:ss[.fff])")
        }
        // A comma file with a quoted decimal comma, and names holding semicolons.
        XCTAssertEqual(try csv("a; b,\"1,5\",3\n"), [TaskSegment(name: "a; b", start: 1.5, end: 3)])
    }

    func testHeaderInAnyOrderWithTypeAndExtraColumns() throws {
        let tasks = try csv("Start,Task,Type,Observer,End\n0:05,Sign up,task,Ana,0:30\n0:12,asked for help,event,Ana,\n")
        XCTAssertEqual(tasks, [TaskSegment(name: "Sign up", start: 5, end: 30, notes: "Observer: Ana"),
                               .event("asked for help", at: 12, notes: "Observer: Ana")])
    }

    /// Open ends take the next task's start (events do not end tasks); the last open task ends with the
    /// video; a row with no end field is an event; repeated names are numbered in reports.
    func testOpenEndsRepeatedNamesAndPointEvents() throws {
        let tasks = try csv("Checkout,10,\nclicked Buy,20\nCheckout,30,\nSurvey,45,50\nWrap-up,55,\n", duration: 70)
        XCTAssertEqual(tasks, [TaskSegment(name: "Checkout", start: 10, end: 30), .event("clicked Buy", at: 20),
                               TaskSegment(name: "Checkout", start: 30, end: 45), TaskSegment(name: "Survey", start: 45, end: 50),
                               TaskSegment(name: "Wrap-up", start: 55, end: 70)])
        XCTAssertEqual(TaskSegment.reportNames(tasks), ["Checkout #1", "clicked Buy", "Checkout #2", "Survey", "Wrap-up"])
        XCTAssertEqual(TaskFile.overlapWarnings(tasks, fileName: "tasks.csv"), [], "an event inside a task is no overlap")
        XCTAssertThrowsError(try csv("a,0,5\nlate,80\n", duration: 70)) { error in
            XCTAssertEqual("\(error)", "tasks.csv:2: event 'late' at 1:20.000 is after the end of the video (1:10.000)")
        }
    }

    func testJSONOpenEndsEventsAndNotes() throws {
        let text = #"[{"task": "a", "start": 0, "end": null}, {"task": "click", "start": 3}, {"task": "b", "start": 5, "end": 8, "note": "x"}]"#
        XCTAssertEqual(try TaskFile.parse(text, format: .json, fileName: "t.json", videoDuration: 10),
                       [TaskSegment(name: "a", start: 0, end: 5), .event("click", at: 3),
                        TaskSegment(name: "b", start: 5, end: 8, notes: "note: x")])
    }

    /// `tasks list --format csv` writes type and notes columns when there are events or notes, and
    /// reads back to the same markers.
    func testWriterRoundTripsEventsAndNotes() throws {
        let markers = [TaskSegment(name: "Checkout", start: 0, end: 10, notes: "slow; hesitant"),
                       .event("=help", at: 4.5), TaskSegment(name: "Checkout", start: 10, end: 20.25)]
        let text = TaskFile.csv(markers)
        XCTAssertEqual(text, "task,start,end,type,notes\r\nCheckout,0,10,task,\"slow; hesitant\"\r\n\"'=help\",4.5,,event,\r\n"
                       + "Checkout,10,20.25,task,\r\n")
        XCTAssertEqual(try csv(text), markers)
    }
}
