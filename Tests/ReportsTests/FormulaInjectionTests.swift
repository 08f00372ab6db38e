import Foundation
import Reports
import SessionStore
import XCTest

/// Issue 22, item 1: names a spreadsheet would run as formulas are written as text (a leading `'`, quoted);
/// numbers stay numbers.
final class FormulaInjectionTests: XCTestCase {
    static let hostileNames = [#"+cmd|' /C calc'!A0"#, "-2+3", "@SUM(A1:A2)", "=1+1", "\tindent", "\rreturn"]

    func testFormulaStartsAreGuardedAndQuoted() {
        XCTAssertEqual(CSVWriter.field(#"+cmd|' /C calc'!A0"#), #""'+cmd|' /C calc'!A0""#)
        XCTAssertEqual(CSVWriter.field("-2+3"), #""'-2+3""#)
        XCTAssertEqual(CSVWriter.field("@SUM(A1:A2)"), #""'@SUM(A1:A2)""#)
        XCTAssertEqual(CSVWriter.field("=2+5.mp4"), #""'=2+5.mp4""#)
        XCTAssertEqual(CSVWriter.field("=HYPERLINK(\"x\")"), #""'=HYPERLINK(""x"")""#)
        XCTAssertEqual(CSVWriter.field("\tx"), "\"'\tx\"")
        XCTAssertEqual(CSVWriter.field("\rx"), "\"'\rx\"")
        // A `'` in front of a formula start is doubled, so reading back is unambiguous.
        XCTAssertEqual(CSVWriter.field("'=x"), #""''=x""#)
        // Harmless text and numbers are written as before.
        XCTAssertEqual(CSVWriter.field("a=b"), "a=b")
        XCTAssertEqual(CSVWriter.field("'quoted'"), "'quoted'")
        XCTAssertEqual(CSVWriter.field("-0.1234"), "-0.1234")
        XCTAssertEqual(CSVWriter.field("-12"), "-12")
        XCTAssertEqual(CSVWriter.field("0.5000"), "0.5000")
        XCTAssertEqual(CSVWriter.field("-"), "\"'-\"")
        XCTAssertEqual(CSVWriter.field("-1.2.3"), "\"'-1.2.3\"")
    }

    func testUnguardedUndoesGuarded() {
        for name in Self.hostileNames + ["'=x", "''@y", "'plain", "plain", "-3", "'-3", "'"] {
            XCTAssertEqual(SpreadsheetText.unguarded(SpreadsheetText.guarded(name)), name, name)
        }
        XCTAssertEqual(SpreadsheetText.unguarded("'-3"), "'-3", "a number was never guarded")
    }

    /// The report's name cells carry the `'`; its numeric cells (negative valences included) do not.
    func testReportCSVGuardsNamesOnly() throws {
        let tasks = Self.hostileNames.enumerated().map { i, name in
            TaskSegment(name: name, start: Double(i) * 0.75, end: Double(i + 1) * 0.75)
        }
        let report = try HandMadeSession.report(tasks: tasks, fileName: "/rec/=2+5.mp4")
        let text = ReportCSV.text(report)
        let records = TestCSVParser.parse(text)
        XCTAssertEqual(records.dropFirst().dropLast().map { $0[1] }, Self.hostileNames.map { "'" + $0 })
        XCTAssertTrue(records.dropFirst().allSatisfy { $0[0] == "'=2+5.mp4" })
        // No cell of the file starts a formula once its quotes are taken off.
        for cell in records.joined() {
            XCTAssertFalse(cell.first.map { "=+@\t\r".contains($0) } ?? false, cell)
            if cell.hasPrefix("-") { XCTAssertNotNil(Double(cell), cell) }
        }
        // The first task (0–0:00.75) holds t = 0 and 0.5: valence mean .25, min .00, max .50.
        XCTAssertEqual(records[1][16...18], ["0.2500", "0.0000", "0.5000"])
        // The whole session's valence minimum is −0.40 (t = 1.5): a number, unguarded.
        XCTAssertEqual(records.last?[17], "-0.4000")
        XCTAssertTrue(ReportCSV.isReport(Data(text.utf8), sessionPath: "/rec/=2+5.mp4", end: 6))
    }
}
