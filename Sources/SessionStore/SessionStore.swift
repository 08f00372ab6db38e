import Foundation
import GRDB

/// The SQLite session store: sessions, analysis runs, tasks and per-sample emotion records.
///
/// Open it `.readWrite` to analyse or edit (the file is created and migrated as needed; WAL journal so
/// reports can read while an analysis writes) or `.readOnly` to report (the file must exist; a store of an
/// older schema is read as it is; nothing is written). Every connection waits up to `busyTimeout` seconds for a lock
/// held by another process. The store is safe to use from several threads at once.
public final class SessionStore: Sendable {
    /// How a store is opened.
    public enum AccessMode: Sendable {
        /// Create the file if needed, apply pending migrations, allow writes.
        case readWrite
        /// The file must exist; any write fails. A store made by an older EmoteLab is read as it is (no
        /// migration runs): readers fall back where a later migration's columns are missing.
        case readOnly
    }

    /// The database file's path, as given.
    public let path: String
    /// How the store was opened.
    public let mode: AccessMode
    /// How long a connection waits for another process's lock before failing.
    public static let busyTimeout: TimeInterval = 10

    let database: any DatabaseWriter

    /// Opens (and for `.readWrite` creates and migrates) the store at `path`.
    /// - Parameter schema: the migrations to apply; tests pass their own, everyone else the bundled one.
    /// - Throws: `StoreError` with a one-line description naming the file.
    public init(path: String, mode: AccessMode, schema: SchemaScript = .bundled) throws {
        self.path = path
        self.mode = mode
        guard !path.isEmpty else { throw StoreError.invalidInput("the database path is empty (--db or $EMOTELAB_DB)") }
        let found = DatabaseFileCheck.inspect(path)
        let exists = found != .missing
        switch found {
        case .folder:
            let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
            throw StoreError.invalidInput("\(path) is a folder, not a database file (name a file in it, e.g. \(folder)/emotelab.sqlite)")
        case let .special(kind):
            throw StoreError.notADatabaseFile(path: path, kind: kind)
        case .otherFile:
            throw StoreError.notADatabase(path: path)
        case .missing, .emptyFile, .sqliteFile:
            break
        }

        var config = Configuration()
        config.busyMode = .timeout(SessionStore.busyTimeout)
        config.label = "EmoteLab.SessionStore"
        let migrator = SessionStore.migrator(for: schema)
        let tables = schema.tablesOfFirstMigration
        do {
            switch mode {
            case .readOnly:
                guard exists else { throw StoreError.databaseNotFound(path: path) }
                config.readonly = true
                let queue = try DatabaseQueue(path: SessionStore.readOnlyOpenPath(path), configuration: config)
                try queue.read { db in try SessionStore.checkSchema(db, migrator: migrator, tables: tables, path: path, canMigrate: false) }
                database = queue
            case .readWrite:
                if exists, !SessionStore.isWritableFile(path) { throw StoreError.readOnly(path: path) }
                if found == .sqliteFile {
                    // Opening a pool switches the file to WAL mode: look at it read-only first, so that
                    // another application's database is refused unchanged.
                    var look = config
                    look.readonly = true
                    let queue = try DatabaseQueue(path: path, configuration: look)
                    try queue.read { db in try SessionStore.checkSchema(db, migrator: migrator, tables: tables, path: path, canMigrate: true) }
                    try queue.close()
                }
                let pool = try DatabasePool(path: path, configuration: config)
                try pool.read { db in try SessionStore.checkSchema(db, migrator: migrator, tables: tables, path: path, canMigrate: true) }
                try migrator.migrate(pool)
                database = pool
            }
        } catch {
            throw SessionStore.storeError(error, path: path)
        }
    }

    /// A migrator with one migration per schema section, in file order.
    static func migrator(for schema: SchemaScript) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in schema.migrations {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }

    /// Refuses files that are not EmoteLab stores (no migrations table, one of another shape, or one that
    /// lists migrations over a database without the `tables` of the first) or come from a newer EmoteLab.
    /// A store that lacks later migrations is migrated by a read-write open; a read-only open reads it as
    /// it is.
    static func checkSchema(_ db: Database, migrator: DatabaseMigrator, tables: [String], path: String,
                            canMigrate: Bool) throws {
        // Reading the schema is also what makes SQLite notice a file that is not a database.
        let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
        let applied: [String]
        do {
            applied = Array(try migrator.appliedIdentifiers(db))
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
            // A `grdb_migrations` table that is not GRDB's ("no such column: identifier").
            throw StoreError.notAnEmoteLabDatabase(path: path)
        }
        if applied.isEmpty {
            if tableCount > 0 || !canMigrate { throw StoreError.notAnEmoteLabDatabase(path: path) }
            return
        }
        // Migrations listed but EmoteLab's tables missing: a table that only looks like GRDB's.
        for table in tables where try !db.tableExists(table) {
            throw StoreError.notAnEmoteLabDatabase(path: path)
        }
        let known = migrator.migrations
        let unknown = applied.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknownMigrations: unknown) }
        // Known migrations not applied yet: a read-write open applies them; a read-only open reads the
        // store as it is (nothing may be written there, e.g. a read-only share), and the readers tolerate
        // the columns later migrations add.
    }

    /// Whether the file may be written: the process has write access and the file is not marked
    /// read-only (no write permission bits; root ignores permissions, users who chmod a store expect it
    /// to be left alone).
    /// What to open read-only. A WAL database needs its `-shm` file, which SQLite cannot create in a folder
    /// it may not write (a read-only share, another user's folder); when no `-wal` file exists there, no
    /// writer can be at work (it would have made one), so the file is opened as immutable (a `file:` URI;
    /// Debian's SQLite takes URIs in file names).
    static func readOnlyOpenPath(_ path: String,
                                 canWrite: (String) -> Bool = { access($0, W_OK) == 0 }) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard !canWrite(folder), !FileManager.default.fileExists(atPath: path + "-wal"),
              let encoded = URL(fileURLWithPath: path).standardizedFileURL.path
                .addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) else { return path }
        return "file:\(encoded)?immutable=1"
    }

    static func isWritableFile(_ path: String) -> Bool {
        guard access(path, W_OK) == 0 else { return false }
        var info = stat()
        guard stat(path, &info) == 0 else { return true }
        return info.st_mode & 0o222 != 0
    }

    /// Runs `body` in a write transaction, mapping database errors to `StoreError`.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard mode == .readWrite else { throw StoreError.readOnly(path: path) }
        do {
            return try database.write(body)
        } catch {
            throw SessionStore.storeError(error, path: path)
        }
    }

    /// Runs `body` with read access, mapping database errors to `StoreError`.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch {
            throw SessionStore.storeError(error, path: path)
        }
    }

    /// Turns SQLite errors into one-line `StoreError`s; other errors pass through.
    static func storeError(_ error: Error, path: String) -> Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_NOTADB: return StoreError.notADatabase(path: path)
        case .SQLITE_READONLY: return StoreError.readOnly(path: path)
        case .SQLITE_FULL: return StoreError.diskFull(path: path)
        case .SQLITE_CANTOPEN:
            return StoreError.sqlite(path: path, message: "cannot open the file (does its folder exist and is it writable?)")
        default:
            return StoreError.sqlite(path: path, message: error.message ?? "\(error.resultCode)")
        }
    }
}

extension SessionStore {
    /// Writes a consistent copy of the whole database to `destination` (SQLite's online backup), e.g. to
    /// hand a store to someone while an analysis is writing to it.
    public func copy(to destination: String) throws {
        do {
            let target = try DatabaseQueue(path: destination)
            try database.backup(to: target)
        } catch {
            throw SessionStore.storeError(error, path: destination)
        }
    }
}
