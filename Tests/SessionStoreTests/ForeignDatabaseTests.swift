import Foundation
import GRDB
@testable import SessionStore
import XCTest

/// Issue 22, item 3 and the `/dev/null` question: files that are not EmoteLab stores are refused before
/// anything changes them, with one clear line.
final class ForeignDatabaseTests: StoreTestCase {
    /// Another application's SQLite file (rollback journal, as most applications leave it).
    func makeForeignDatabase() throws -> Data {
        let queue = try DatabaseQueue(path: databasePath)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada')")
        }
        try queue.close()
        return try Data(contentsOf: URL(fileURLWithPath: databasePath))
    }

    func assertUnchanged(_ bytes: Data, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: databasePath)), bytes,
                       "the file's bytes changed", file: file, line: line)
        // Byte 18 is 1 for a rollback journal, 2 for WAL.
        XCTAssertEqual(bytes[18], 1, file: file, line: line)
        for suffix in ["-wal", "-shm", "-journal"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath + suffix), suffix, file: file, line: line)
        }
    }

    func testForeignDatabaseIsRefusedUnchanged() throws {
        let bytes = try makeForeignDatabase()
        for mode in [SessionStore.AccessMode.readWrite, .readOnly] {
            XCTAssertThrowsError(try makeStore(mode)) { error in
                XCTAssertEqual("\(error)", "\(databasePath) is an SQLite database but not an EmoteLab session store")
            }
            try assertUnchanged(bytes)
        }
    }

    /// A `grdb_migrations` table of another shape, or one that lists our migrations over a database
    /// without our tables, is the same refusal (before: a raw "no such column: identifier").
    func testFakeMigrationsTableIsRefused() throws {
        let queue = try DatabaseQueue(path: databasePath)
        try queue.write { db in try db.execute(sql: "CREATE TABLE grdb_migrations (name TEXT); INSERT INTO grdb_migrations VALUES ('v1')") }
        let otherShape = try Data(contentsOf: URL(fileURLWithPath: databasePath))
        for mode in [SessionStore.AccessMode.readWrite, .readOnly] {
            XCTAssertThrowsError(try makeStore(mode)) { error in
                XCTAssertEqual(error as? StoreError, .notAnEmoteLabDatabase(path: databasePath))
            }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: databasePath)), otherShape)

        try queue.write { db in
            try db.execute(sql: """
                DROP TABLE grdb_migrations; CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1-initial'); CREATE TABLE sessions (id INTEGER)
                """)
        }
        try queue.close()
        let listsOurs = try Data(contentsOf: URL(fileURLWithPath: databasePath))
        for mode in [SessionStore.AccessMode.readWrite, .readOnly] {
            XCTAssertThrowsError(try makeStore(mode)) { error in
                XCTAssertEqual(error as? StoreError, .notAnEmoteLabDatabase(path: databasePath))
            }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: databasePath)), listsOurs)
    }

    func testTheStoreTablesComeFromTheFirstMigration() {
        XCTAssertEqual(SchemaScript.bundled.tablesOfFirstMigration, ["sessions", "runs", "tasks", "samples"])
    }

    /// A device or a named pipe is never opened: `/dev/null` gave "disk I/O error", a FIFO would block.
    func testDevicesAndPipesAreNotDatabaseFiles() throws {
        for mode in [SessionStore.AccessMode.readWrite, .readOnly] {
            XCTAssertThrowsError(try SessionStore(path: "/dev/null", mode: mode)) { error in
                XCTAssertEqual("\(error)", "/dev/null is not a database file (it is a character device)")
            }
        }
        XCTAssertEqual(mkfifo(databasePath, 0o600), 0)
        for mode in [SessionStore.AccessMode.readWrite, .readOnly] {
            XCTAssertThrowsError(try makeStore(mode)) { error in
                XCTAssertEqual("\(error)", "\(databasePath) is not a database file (it is a named pipe)")
            }
        }
    }

    /// A store of ours still opens read-write after the read-only look, and an empty file becomes a store.
    func testOwnStoreAndEmptyFileStillOpen() throws {
        let id = try makeStore().findOrCreateSession(SessionInfo(filePath: "/r/a.mp4", contentHash: "h1")).id
        XCTAssertEqual(try makeStore().session(id: id).info.filePath, "/r/a.mp4")
        try FileManager.default.removeItem(atPath: databasePath)
        XCTAssertTrue(FileManager.default.createFile(atPath: databasePath, contents: Data()))
        XCTAssertEqual(try makeStore().sessionSummaries().count, 0)
    }
}
