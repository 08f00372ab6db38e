/// Errors of the session store. Each `description` is one line that names the file and the problem.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// A read command was pointed at a path where no database exists.
    case databaseNotFound(path: String)
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// The path names a device, a named pipe or a socket, not a file (`/dev/null`).
    case notADatabaseFile(path: String, kind: String)
    /// The file is an SQLite database without EmoteLab's tables.
    case notAnEmoteLabDatabase(path: String)
    /// The database was migrated by a newer EmoteLab (it lists migrations this build does not know).
    case newerSchema(path: String, unknownMigrations: [String])
    /// The database (or its folder) cannot be written.
    case readOnly(path: String)
    /// The disk is full.
    case diskFull(path: String)
    /// Any other SQLite failure, with SQLite's message.
    case sqlite(path: String, message: String)
    /// `schema.sql` does not split into migrations.
    case malformedSchema(String)
    /// A session id that is not in the database.
    case unknownSession(path: String, id: Int64)
    /// No session has this participant label.
    case unknownLabel(path: String, label: String)
    /// `latest` was asked for but no session has a complete run.
    case noAnalysedSession(path: String)
    /// A run id that is not in the database.
    case unknownRun(path: String, id: Int64)
    /// A run was finished, failed or written to after it had left the `running` state.
    case runNotRunning(path: String, id: Int64, status: RunStatus)
    /// A run was read as a timeline before it completed.
    case runNotComplete(path: String, id: Int64, status: RunStatus)
    /// A value handed to the writer breaks a rule of the store (bad settings, tasks, samples).
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .databaseNotFound(path):
            "no database found at \(path) (analyse a video first, or pass --db FILE)"
        case let .notADatabase(path):
            "\(path) is not an SQLite database"
        case let .notADatabaseFile(path, kind):
            "\(path) is not a database file (it is \(kind))"
        case let .notAnEmoteLabDatabase(path):
            "\(path) is an SQLite database but not an EmoteLab session store"
        case let .newerSchema(path, unknown):
            "\(path) was written by a newer EmoteLab (unknown migrations: \(unknown.joined(separator: ", ")))"
        case let .readOnly(path):
            "database \(path) is read-only"
        case let .diskFull(path):
            "disk full while writing \(path)"
        case let .sqlite(path, message):
            "database \(path): \(message)"
        case let .malformedSchema(message):
            "schema.sql: \(message)"
        case let .unknownSession(path, id):
            "no session \(id) in \(path) (see `emotelab sessions`)"
        case let .unknownLabel(path, label):
            "no session labelled '\(label)' in \(path) (see `emotelab sessions`; `sessions label ID NAME` sets one)"
        case let .noAnalysedSession(path):
            "no session with a complete analysis in \(path)"
        case let .unknownRun(path, id):
            "no analysis run \(id) in \(path)"
        case let .runNotRunning(path, id, status):
            "analysis run \(id) in \(path) is \(status.rawValue), not running"
        case let .runNotComplete(path, id, status):
            "analysis run \(id) in \(path) is \(status.rawValue), not complete"
        case let .invalidInput(message):
            message
        }
    }
}
