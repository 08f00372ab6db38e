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
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    throw ExitCode.failure
}

/// Writes `text` to `path` atomically.
func writeOutput(_ text: String, to path: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        let folder = (path as NSString).deletingLastPathComponent
        let reason = !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) ? "no such folder" : "not writable"
        throw CommandFailure(description: "cannot write \(path): \(reason)")
    }
}

/// The complete run a timeline or report reads, or a clear failure naming the session.
func completeRun(of session: Session, in store: SessionStore) throws -> Run {
    if let run = try store.latestCompleteRun(session: session.id) { return run }
    let latest = try store.runs(session: session.id).last
    throw CommandFailure(description: "session \(session.id) (\(session.fileName)) has no complete analysis"
                         + (latest.map { " (latest run \($0.id) is \($0.status.rawValue))" } ?? ""))
}
