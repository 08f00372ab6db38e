import Foundation
import GRDB
import TestSupport
import XCTest

/// Issue 22, item 3 end to end: `analyze`, `tasks import` and `sessions` refuse another application's
/// SQLite file without changing a byte of it, and `--db /dev/null` says it is not a database file.
extension StoreCommandsTests {
    func testForeignDatabaseIsRefusedUnchanged() throws {
        let queue = try DatabaseQueue(path: dbPath)
        try queue.write { db in try db.execute(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')") }
        try queue.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dbPath))
        let tasks = directory.appendingPathComponent("t.csv")
        try Data("a,0,1\n".utf8).write(to: tasks)
        for arguments in [["analyze", TestPaths.media("single_face.mp4").path, "--model", "C"],
                          ["tasks", "import", tasks.path, "--session", "1"], ["sessions"]] {
            assertFailure(try run(arguments + ["--db", dbPath]),
                          "\(dbPath) is an SQLite database but not an EmoteLab session store")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dbPath)), bytes, "\(arguments)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dbPath + "-wal"))
        }
        for arguments in [["sessions"], ["analyze", TestPaths.media("single_face.mp4").path, "--model", "C"]] {
            assertFailure(try run(arguments + ["--db", "/dev/null"]),
                          "/dev/null is not a database file (it is a character device)")
        }
    }
}
