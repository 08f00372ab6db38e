import Foundation
import SessionStore
import TestSupport
import XCTest

/// Issue 22's questionable terminal cases: escape sequences in task names are shown escaped by `tasks
/// list` (they were printed raw), and overlapping tasks get a warning naming both.
extension StoreCommandsTests {
    func testTerminalOutputEscapesControlCharacters() throws {
        try makeSmallDatabase()
        let file = directory.appendingPathComponent("tasks.csv")
        // ESC [ 2 J clears the screen; ESC ] 0 ; … BEL retitles the window; U+009B is the C1 CSI.
        try Data("\"\u{1B}[2Jwiped\",0,0.5\n\"\u{1B}]0;owned\u{07}title\",0.5,1\n\"c1\u{9B}31m\",1,2\n".utf8).write(to: file)
        let imported = try run(["tasks", "import", file.path, "--session", "1", "--db", dbPath])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let table = try run(["tasks", "list", "--session", "1", "--db", dbPath])
        XCTAssertFalse(table.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B },
                       table.stdout)
        XCTAssertTrue(table.stdout.contains(#"\u{1B}[2Jwiped"#), table.stdout)
        XCTAssertTrue(table.stdout.contains(#"\u{1B}]0;owned\u{7}title"#), table.stdout)
        XCTAssertTrue(table.stdout.contains(#"c1\u{9B}31m"#), table.stdout)
        // The CSV listing keeps the names exactly (it is data, read back by `tasks import`).
        let csv = try run(["tasks", "list", "--session", "1", "--format", "csv", "--db", dbPath])
        XCTAssertTrue(csv.stdout.contains("\u{1B}[2Jwiped"))
        // Error lines are escaped too: a task that ends before it starts (a repeated name is legal now).
        try Data("ok,0,1\n\"\u{1B}[31mred\",1,0.5\n".utf8).write(to: file)
        assertFailure(try run(["tasks", "import", file.path, "--session", "1", "--db", dbPath]),
                      #"\#(file.path):2: task '\u{1B}[31mred' ends before it starts (start 0:01.000, end 0:00.500)"#)
    }

    func testOverlappingTasksAreImportedWithAWarning() throws {
        try makeSmallDatabase()
        let file = directory.appendingPathComponent("tasks.csv")
        try Data("A,0,1.5\nB,1,2\n".utf8).write(to: file)
        let imported = try run(["tasks", "import", file.path, "--session", "1", "--db", dbPath])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.stderr, "warning: \(file.path): tasks 'A' (0:00.000–0:01.500) and 'B' (0:01.000–0:02.000) overlap\n")
        XCTAssertEqual(try SessionStore(path: dbPath, mode: .readOnly).tasks(session: 1).map(\.name), ["A", "B"])
    }
}
