import Foundation
import GRDB
@testable import SessionStore
import XCTest

final class OpeningTests: StoreTestCase {
    func testReadOnlyOpenOfAMissingFileCreatesNothing() {
        XCTAssertThrowsError(try makeStore(.readOnly)) { error in
            XCTAssertEqual(error as? StoreError, .databaseNotFound(path: databasePath))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath))
    }

    /// In a folder it may not write (where SQLite cannot make the WAL's -shm file), a database without a
    /// -wal file is opened as an immutable `file:` URI, and reads work. (The folder check is injected:
    /// as root every folder is writable.)
    func testReadOnlyOpenInAFolderThatCannotBeWritten() throws {
        let id = try makeStore().findOrCreateSession(SessionInfo(filePath: "/r/a b?#%.mp4", contentHash: "h1")).id
        // The store is closed: its last connection removed the -wal file.
        XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath + "-wal"))
        let path = SessionStore.readOnlyOpenPath(databasePath, canWrite: { _ in false })
        XCTAssertTrue(path.hasPrefix("file:/") && path.hasSuffix("/store.sqlite?immutable=1"), path)
        XCTAssertEqual(SessionStore.readOnlyOpenPath(databasePath, canWrite: { _ in true }), databasePath)
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        XCTAssertEqual(try queue.read { try String.fetchOne($0, sql: "SELECT file_path FROM sessions WHERE id = ?",
                                                          arguments: [id]) }, "/r/a b?#%.mp4")
    }

    func testFileThatIsNotSQLiteIsRefused() throws {
        try Data("name,start,end\nnot a database at all, really, it is a CSV file padded out\n".utf8)
            .write(to: URL(fileURLWithPath: databasePath))
        for mode in [SessionStore.AccessMode.readOnly, .readWrite] {
            XCTAssertThrowsError(try makeStore(mode)) { error in
                XCTAssertEqual(error as? StoreError, .notADatabase(path: databasePath))
                XCTAssertEqual("\(error)", "\(databasePath) is not an SQLite database")
            }
        }
    }

    func testSQLiteFileOfAnotherApplicationIsLeftAlone() throws {
        let queue = try DatabaseQueue(path: databasePath)
        try queue.write { db in try db.execute(sql: "CREATE TABLE contacts (name TEXT)") }
        for mode in [SessionStore.AccessMode.readOnly, .readWrite] {
            XCTAssertThrowsError(try makeStore(mode)) { error in
                XCTAssertEqual(error as? StoreError, .notAnEmoteLabDatabase(path: databasePath))
            }
        }
        try queue.read { db in XCTAssertFalse(try db.tableExists("sessions")) }
    }

    func testReadOnlyFileCanBeReadButNotWritten() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: databasePath)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: databasePath) }
        XCTAssertThrowsError(try makeStore(.readWrite)) { error in
            XCTAssertEqual("\(error)", "database \(databasePath) is read-only")
        }
        let reader = try makeStore(.readOnly)
        XCTAssertEqual(try reader.session(id: session.id).info.contentHash, "h")
        XCTAssertThrowsError(try reader.replaceTasks([], session: session.id)) { error in
            XCTAssertEqual(error as? StoreError, .readOnly(path: databasePath))
        }
    }

    func testMissingFolderIsAClearError() {
        let path = directory.appendingPathComponent("no/such/folder/store.sqlite").path
        XCTAssertThrowsError(try SessionStore(path: path, mode: .readWrite)) { error in
            XCTAssertTrue("\(error)".hasPrefix("database \(path): cannot open"), "\(error)")
        }
    }

    /// WAL: a reader sees the last committed state while another connection is inside a write.
    func testReaderIsNotBlockedByAWriter() throws {
        let writer = try makeStore()
        let session = try writer.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h"))
        let reader = try makeStore(.readOnly)
        try writer.database.write { db in
            try db.execute(sql: "INSERT INTO sessions (file_path, content_hash, created_at) VALUES ('w.mp4', 'w', '2026-01-01')")
            XCTAssertEqual(try reader.sessionSummaries().map(\.session.id), [session.id])
        }
        XCTAssertEqual(try reader.sessionSummaries().count, 2)
    }
}

final class StoreCopyTests: StoreTestCase {
    /// `copy(to:)` writes a complete database that opens read-only with the same contents.
    func testCopyOpensWithTheSameContents() throws {
        let store = try makeStore()
        let session = try store.findOrCreateSession(SessionInfo(filePath: "v.mp4", contentHash: "h", duration: 3))
        try store.replaceTasks([TaskSegment(name: "t", start: 0, end: 1)], session: session.id)
        let copyPath = directory.appendingPathComponent("copy.sqlite").path
        try store.copy(to: copyPath)
        let copy = try SessionStore(path: copyPath, mode: .readOnly)
        XCTAssertEqual(try copy.session(id: session.id), session)
        XCTAssertEqual(try copy.tasks(session: session.id), [TaskSegment(name: "t", start: 0, end: 1)])
    }
}
