import ArgumentParser
import Foundation
import Reports
import SessionStore

/// A one-line failure of a store command (bad output file, nothing to report).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs a command body; any failure (store, task file, report, output file) becomes one line
/// `error: <message>` on standard error and exit status 1.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as CustomStringConvertible {
        try fail(error.description)
    } catch {
        try fail(error.localizedDescription)
    }
}

private func fail(_ message: String) throws -> Never {
    FileHandle.standardError.write(Data(TerminalText.line("error: \(message)").utf8))
    throw ExitCode.failure
}

/// Writes `text` to `path` (see `OutputFile`): `-` is standard output.
func writeOutput(_ text: String, to path: String) throws {
    try OutputFile(path: path).write(text)
}

/// True when two paths name the same file once symbolic links are resolved (also for files that do not
/// exist yet).
func sameFile(_ a: String, _ b: String) -> Bool {
    OutputFile.canonicalPath(a) == OutputFile.canonicalPath(b)
}

/// Repeats on standard error the warnings the analysis stored with a complete run (a truncated file, say).
func repeatStoredWarnings(of run: Run, session: Session) {
    if let warnings = run.message {
        FileHandle.standardError.write(Data(TerminalText.line("warning: session \(session.id): \(warnings)").utf8))
    }
}

/// The complete run a timeline or report reads — the latest one, or run `id` of the session when given —
/// or a clear failure naming the session. Warnings the analysis stored with the run (a truncated file,
/// say) are repeated on standard error.
func completeRun(of session: Session, in store: SessionStore, id: Int64? = nil) throws -> Run {
    func announce(_ run: Run) -> Run {
        repeatStoredWarnings(of: run, session: session)
        return run
    }
    if let id {
        let runs = try store.runs(session: session.id)
        guard let run = runs.first(where: { $0.id == id }) else {
            if let other = try? store.run(id: id) {
                throw CommandFailure(description: "run \(id) belongs to session \(other.sessionID), not to session "
                                     + "\(session.id) (\(session.fileName)): give --session \(other.sessionID), or one of "
                                     + "session \(session.id)'s runs: "
                                     + (runs.isEmpty ? "none" : runs.map { "\($0.id) (\($0.status.rawValue))" }.joined(separator: ", ")))
            }
            throw CommandFailure(description: "session \(session.id) (\(session.fileName)) has no run \(id); its runs: "
                                 + (runs.isEmpty ? "none" : runs.map { "\($0.id) (\($0.status.rawValue))" }.joined(separator: ", "))
                                 + " (see `emotelab sessions --runs`)")
        }
        guard run.status == .complete else {
            throw CommandFailure(description: "run \(id) of session \(session.id) is \(run.status.rawValue), not complete")
        }
        return announce(run)
    }
    if let run = try store.latestCompleteRun(session: session.id) { return announce(run) }
    let latest = try store.runs(session: session.id).last
    throw CommandFailure(description: "session \(session.id) (\(session.fileName)) has no complete analysis"
                         + (latest.map { " (latest run \($0.id) is \($0.status.rawValue))" } ?? ""))
}
