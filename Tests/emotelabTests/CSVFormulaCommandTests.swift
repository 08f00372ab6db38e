import Foundation
import SessionStore
import TestSupport
import XCTest

/// Issue 22, item 1, end to end: task and recording names that a spreadsheet would run as formulas reach
/// `report.csv` and `tasks list --format csv` as text (`'` first, quoted), and `tasks import` reads the
/// listing back to the same names.
extension StoreCommandsTests {
    func testCSVOutputsNeutraliseFormulas() throws {
        // Valence −.3 at t = 0 (happy .1, angry .4) and +.6 at t = 0.5: the report holds negative numbers.
        let store = try makeSmallDatabase(filePath: "/rec/=2+5.mp4", first: [0.4, 0, 0, 0.1, 0.5, 0, 0],
                                          second: [0, 0, 0, 0.6, 0.4, 0, 0], withTasks: false)

        let file = directory.appendingPathComponent("tasks.csv")
        try Data("task,start,end\n\"+cmd|' /C calc'!A0\",0,0.5\n-2+3,0.5,1\n@SUM(A1:A2),1,2\n".utf8).write(to: file)
        let imported = try self.run(["tasks", "import", file.path, "--session", "1", "--db", dbPath])
        XCTAssertEqual(imported.status, 0, imported.stderr)

        let listed = try self.run(["tasks", "list", "--session", "1", "--format", "csv", "--db", dbPath])
        XCTAssertEqual(listed.stdout, "task,start,end\r\n\"'+cmd|' /C calc'!A0\",0,0.5\r\n\"'-2+3\",0.5,1\r\n"
                       + "\"'@SUM(A1:A2)\",1,2\r\n")
        // The listing reads back to the same names.
        try Data(listed.stdout.utf8).write(to: file)
        XCTAssertEqual(try self.run(["tasks", "import", file.path, "--session", "1", "--db", dbPath]).status, 0)
        XCTAssertEqual(try store.tasks(session: 1).map(\.name), [#"+cmd|' /C calc'!A0"#, "-2+3", "@SUM(A1:A2)"])

        let csvPath = directory.appendingPathComponent("report.csv").path
        let report = try self.run(["report", "--session", "1", "--csv", csvPath, "--db", dbPath])
        XCTAssertEqual(report.status, 0, report.stderr)
        let text = try String(contentsOfFile: csvPath, encoding: .utf8)
        let lines = text.components(separatedBy: "\r\n")
        XCTAssertTrue(lines[1].hasPrefix(#""'=2+5.mp4","'+cmd|' /C calc'!A0",0.000,0.500,"#), lines[1])
        XCTAssertTrue(lines[2].hasPrefix(#""'=2+5.mp4","'-2+3",0.500,1.000,"#), lines[2])
        XCTAssertTrue(lines[3].hasPrefix(#""'=2+5.mp4","'@SUM(A1:A2)",1.000,2.000,"#), lines[3])
        // The first task's valence (t = 0 only): mean, min and max −0.3000, written as numbers.
        XCTAssertTrue(lines[1].hasSuffix(",neutral,-0.3000,-0.3000,-0.3000,50.00,35.00,,,,,,,,,none,0,0.0000"), lines[1])
        // Writing again replaces the earlier report: it is still recognised as this session's.
        let again = try self.run(["report", "--session", "1", "--csv", csvPath, "--db", dbPath])
        XCTAssertEqual(again.stdout, "replaced \(csvPath) (3 tasks + whole session)\n", again.stderr)
    }
}
