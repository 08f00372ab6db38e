import ArgumentParser
import Foundation
import SessionStore

/// `--db FILE`, shared by every command that touches the session store.
struct StoreOptions: ParsableArguments {
    /// The environment variable that names the default database.
    static let environmentVariable = "EMOTELAB_DB"
    static let defaultFile = "emotelab.sqlite"

    @Option(name: .long, help: ArgumentHelp(
        "The session database (default: $\(StoreOptions.environmentVariable), else ./\(StoreOptions.defaultFile)).",
        valueName: "file"))
    var db: String?

    /// The database path: `--db`, else `$EMOTELAB_DB`, else `emotelab.sqlite` in the current folder.
    var path: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment[Self.environmentVariable], !env.isEmpty { return env }
        return Self.defaultFile
    }

    /// Opens an existing store; never creates one (`no database found` when the file is missing).
    func openExisting(_ mode: SessionStore.AccessMode) throws -> SessionStore {
        guard !path.isEmpty else { throw StoreError.invalidInput("the database path is empty (--db or $EMOTELAB_DB)") }
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.databaseNotFound(path: path) }
        return try SessionStore(path: path, mode: mode)
    }
}

/// `--session ID|LABEL|latest`.
enum SessionSelector: ExpressibleByArgument, Equatable {
    /// The most recently analysed session.
    case latest
    case id(Int64)
    /// The session with this participant label (`P07`).
    case label(String)

    init?(argument: String) {
        if argument == "latest" {
            self = .latest
        } else if let id = Int64(argument) {
            guard id > 0 else { return nil }
            self = .id(id)
        } else if !argument.trimmingCharacters(in: .whitespaces).isEmpty, !argument.hasPrefix("-") {
            self = .label(argument)
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }

    /// `init(argument:)` with a message that says what is expected (for `transform:`).
    @Sendable static func parse(_ argument: String) throws -> SessionSelector {
        guard let selector = SessionSelector(argument: argument) else {
            throw ValidationError("a session is a positive whole number, a participant label (see `emotelab sessions`) or latest")
        }
        return selector
    }

    /// The selected session.
    func resolve(in store: SessionStore) throws -> Session {
        switch self {
        case .latest: try store.latestSession()
        case let .id(id): try store.session(id: id)
        case let .label(label): try store.session(label: label)
        }
    }
}

/// Help for `--session`.
let sessionHelp = ArgumentHelp("A session id or participant label (see `emotelab sessions`), or `latest`, the most "
                               + "recently analysed one.", valueName: "id|label|latest")

/// A time option (`--from`, `--to`): seconds or [hh:]mm:ss[.fff].
struct TimeArgument: ExpressibleByArgument {
    let seconds: Double

    init?(argument: String) {
        guard let seconds = TimeValue.seconds(argument) else { return nil }
        self.seconds = seconds
    }

    /// `init(argument:)` with a message that says what is expected (for `transform:`).
    @Sendable static func parse(_ argument: String) throws -> TimeArgument {
        guard let time = TimeArgument(argument: argument) else {
            let trimmed = argument.trimmingCharacters(in: .whitespaces)
            throw ValidationError(trimmed.hasPrefix("-") ? "times are not negative"
                                  : "not a time: use seconds or [hh:]mm:ss[.fff]")
        }
        return time
    }
}
