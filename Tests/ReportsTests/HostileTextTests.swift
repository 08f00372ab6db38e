import Foundation
import Reports
import SessionStore
import XCTest

/// Task and file names with quotes, commas, line breaks, markup and non-ASCII text survive the CSV and
/// stay inert in the HTML.
final class HostileTextTests: XCTestCase {
    static let names = [
        #"Sign in, then "verify""#,
        "<script>alert('x')</script>",
        "Überweisung & Bestätigung — 注文 🛒",
        " leading space, trailing ",
        "two\r\nlines",
        "tab\tand bell\u{07}",
    ]
    /// No slash after the folder: the session column shows the file's last path component.
    static let fileName = #"/rec/p"01, <b>bold<b> ü.mp4"#

    func report() throws -> SessionReport {
        let tasks = Self.names.enumerated().map { i, name in
            TaskSegment(name: name, start: Double(i) * 0.75, end: Double(i + 1) * 0.75)
        }
        return try HandMadeSession.report(tasks: tasks, fileName: Self.fileName)
    }

    func testCSVRoundTrip() throws {
        let records = TestCSVParser.parse(ReportCSV.text(try report()))
        XCTAssertEqual(records.count, 1 + Self.names.count + 1)
        XCTAssertEqual(records[0], ReportCSV.columns)
        XCTAssertTrue(records.allSatisfy { $0.count == ReportCSV.columns.count })
        XCTAssertEqual(records.dropFirst().dropLast().map { $0[1] }, Self.names)
        XCTAssertTrue(records.dropFirst().allSatisfy { $0[0] == #"p"01, <b>bold<b> ü.mp4"# })
    }

    func testCSVWriterQuotesOnlyWhereNeeded() {
        XCTAssertEqual(CSVWriter.field("plain"), "plain")
        XCTAssertEqual(CSVWriter.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVWriter.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVWriter.field("x\ny"), "\"x\ny\"")
        XCTAssertEqual(CSVWriter.field(" pad"), "\" pad\"")
        XCTAssertEqual(CSVWriter.field("<script>"), "<script>")
        XCTAssertEqual(CSVWriter.record(["a", "", "b,c"]), "a,,\"b,c\"\r\n")
    }

    func testHTMLKeepsTheTextAndRunsNothing() throws {
        let html = HTMLReport.page(try report())
        let document = try XHTMLDocument(html)
        XCTAssertFalse(document.elements.contains { $0.name == "script" }, "no script element may appear")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        let cells = document.elements.filter { $0.name == "td" && $0.attributes["class"] == "name" }.map(\.text)
        // Control characters XML forbids (the bell) become U+FFFD; everything else is kept.
        let expected = Self.names.map { $0.replacingOccurrences(of: "\u{07}", with: "\u{FFFD}")
            .replacingOccurrences(of: "\r\n", with: "\n") } + [ReportRow.wholeSessionName]
        XCTAssertEqual(cells, expected + expected)    // the summary table and the emotion table
        XCTAssertEqual(document.elements.first { $0.name == "title" }?.text, "Emotion report: p\"01, <b>bold<b> ü.mp4")
        XCTAssertFalse(document.elements.contains { $0.name == "b" })
    }
}
