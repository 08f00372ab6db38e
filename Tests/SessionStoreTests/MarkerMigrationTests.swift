import Foundation
import GRDB
@testable import SessionStore
import TestSupport
import XCTest

/// Issue 20: a store made by the first schema (unique task names, no kinds, notes or labels) is upgraded
/// on a read-write open without losing a row, and read as it is on a read-only open.
final class MarkerMigrationTests: StoreTestCase {
    /// A store with only the `v1-initial` migration, one session and two tasks.
    private func makeOldStore() throws {
        let first = SchemaScript.bundled.migrations[0]
        let v1 = try SchemaScript(parsing: "-- migration: \(first.name)\n\(first.sql)")
        let old = try SessionStore(path: databasePath, mode: .readWrite, schema: v1)
        try old.database.write { db in
            try db.execute(sql: """
                INSERT INTO sessions (id, file_path, content_hash, duration_s, created_at)
                    VALUES (1, '/study/P03/session.mp4', 'h1', 60, '2026-01-01 00:00:00.000');
                INSERT INTO tasks (id, session_id, position, name, start_s, end_s) VALUES
                    (7, 1, 0, 'Sign up', 0, 12.5), (8, 1, 1, 'Search', 12.5, 40);
                """)
        }
    }

    func testReadOnlyOpenReadsAnOldStoreUnchanged() throws {
        try makeOldStore()
        let reader = try makeStore(.readOnly)
        XCTAssertEqual(try reader.tasks(session: 1), [TaskSegment(name: "Sign up", start: 0, end: 12.5),
                                                      TaskSegment(name: "Search", start: 12.5, end: 40)])
        // Without the label column every session has its default label (a lone session.mp4: its stem).
        XCTAssertEqual(try reader.labels(), [1: "session"])
        XCTAssertEqual(try reader.session(label: "session").id, 1)
        XCTAssertNil(try reader.sessionSummaries().first?.session.label)
        XCTAssertThrowsError(try reader.setLabel("P03", session: 1), "a read-only store is never written")
        try reader.database.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"), ["v1-initial"])
        }
    }

    func testReadWriteOpenUpgradesKeepingEveryRow() throws {
        try makeOldStore()
        let store = try makeStore()
        try store.database.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
                           SchemaScript.bundled.migrations.map(\.name).sorted())
            XCTAssertEqual(try Int64.fetchAll(db, sql: "SELECT id FROM tasks ORDER BY id"), [7, 8])
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT kind FROM tasks"), ["task", "task"])
        }
        XCTAssertEqual(try store.tasks(session: 1).map(\.name), ["Sign up", "Search"])
        // The upgraded table takes a repeated name and an event.
        try store.replaceTasks([TaskSegment(name: "Search", start: 0, end: 5), .event("help", at: 6),
                                TaskSegment(name: "Search", start: 10, end: 20)], session: 1)
        XCTAssertEqual(try store.tasks(session: 1).count, 3)
        try store.setLabel("P03", session: 1)
        XCTAssertEqual(try store.labels(), [1: "P03"])
    }
}
