import Foundation
import GRDB
@testable import SessionStore
import TestSupport
import XCTest

final class SchemaTests: StoreTestCase {
    /// The schema compiled into the binary is schema.sql byte for byte (run scripts/embed-schema.sh).
    func testEmbeddedSchemaMatchesSchemaFile() throws {
        let file = try Data(contentsOf: TestPaths.repoRoot.appendingPathComponent("schema.sql"))
        XCTAssertEqual(Data(embeddedSchemaSQL.utf8), file, "schema.sql changed: run scripts/embed-schema.sh")
    }

    func testBundledSchemaHasTheInitialMigration() {
        XCTAssertEqual(SchemaScript.bundled.migrations.map(\.name), ["v1-initial", "v2-markers", "v3-session-labels"])
        XCTAssertTrue(SchemaScript.bundled.migrations[0].sql.contains("CREATE TABLE samples"))
    }

    func testParsingSplitsSectionsInOrder() throws {
        let script = try SchemaScript(parsing: """
            -- header comment

            -- migration: a
            CREATE TABLE a (x);
            -- migration:   b two
            -- a comment inside b
            CREATE TABLE b (y);
            """)
        XCTAssertEqual(script.migrations.map(\.name), ["a", "b two"])
        XCTAssertEqual(script.migrations[0].sql, "CREATE TABLE a (x);")
        XCTAssertEqual(script.migrations[1].sql, "-- a comment inside b\nCREATE TABLE b (y);")
    }

    func testParsingRejectsMalformedFiles() {
        let cases: [(String, String)] = [
            ("CREATE TABLE x (y);\n-- migration: a\nSELECT 1;", "line 1: SQL before the first '-- migration:' marker"),
            ("-- migration: a\nSELECT 1;\n-- migration: a\nSELECT 2;", "line 3: migration 'a' appears twice"),
            ("-- migration:\nSELECT 1;", "line 1: migration marker without a name"),
            ("-- migration: a\n-- only a comment\n", "migration 'a' holds no SQL"),
            ("-- nothing here\n", "no '-- migration:' sections"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try SchemaScript(parsing: text)) { error in
                XCTAssertEqual(error as? StoreError, .malformedSchema(message))
            }
        }
    }

    /// A fresh store records the migration, runs in WAL mode and has the tables the README documents.
    func testFreshStoreIsMigratedAndInWALMode() throws {
        _ = try makeStore()
        let queue = try DatabaseQueue(path: databasePath)
        try queue.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
                           ["v1-initial", "v2-markers", "v3-session-labels"])
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
            for table in ["sessions", "runs", "tasks", "samples"] {
                XCTAssertTrue(try db.tableExists(table), table)
            }
        }
    }

    /// A store made by an older build (first migration only) gets the later migration on open, keeping
    /// its data; a read-only open reads it unmigrated.
    func testOlderStoreIsMigratedForward() throws {
        let v1 = try SchemaScript(parsing: "-- migration: v1\nCREATE TABLE sessions (id INTEGER PRIMARY KEY, note TEXT);")
        let v2 = try SchemaScript(parsing: """
            -- migration: v1
            CREATE TABLE sessions (id INTEGER PRIMARY KEY, note TEXT);
            -- migration: v2
            ALTER TABLE sessions ADD COLUMN extra TEXT DEFAULT 'x';
            """)
        let old = try SessionStore(path: databasePath, mode: .readWrite, schema: v1)
        try old.database.write { db in try db.execute(sql: "INSERT INTO sessions (note) VALUES ('kept')") }
        // Read-only, the older store is read as it is: nothing is migrated (or could be, on a read-only share).
        let reader = try SessionStore(path: databasePath, mode: .readOnly, schema: v2)
        try reader.database.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT note FROM sessions"), "kept")
            XCTAssertFalse(try db.columns(in: "sessions").contains { $0.name == "extra" })
        }
        let new = try SessionStore(path: databasePath, mode: .readWrite, schema: v2)
        try new.database.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT note || extra FROM sessions"), "keptx")
        }
    }

    func testStoreFromNewerBuildIsRefused() throws {
        let newer = try SchemaScript(parsing: embeddedSchemaSQL + "\n-- migration: v99-future\nCREATE TABLE future (x);\n")
        _ = try SessionStore(path: databasePath, mode: .readWrite, schema: newer)
        for mode in [SessionStore.AccessMode.readWrite, .readOnly] {
            XCTAssertThrowsError(try SessionStore(path: databasePath, mode: mode)) { error in
                XCTAssertEqual(error as? StoreError, .newerSchema(path: databasePath, unknownMigrations: ["v99-future"]))
            }
        }
    }

    /// The timeline query reads through the indexes, never by scanning the samples table.
    func testTimelineQueryUsesIndexes() throws {
        let store = try makeStore()
        let plan = try store.database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SessionStore.timelineSQL, arguments: [1, 0, 10])
                .map { $0["detail"] as String }
        }
        let text = plan.joined(separator: "\n")
        XCTAssertTrue(text.contains("samples_timeline"), text)
        XCTAssertTrue(text.contains("samples_participant"), text)
        XCTAssertFalse(plan.contains { $0.hasPrefix("SCAN") && $0.contains("samples") && !$0.contains("INDEX") }, text)
    }
}
