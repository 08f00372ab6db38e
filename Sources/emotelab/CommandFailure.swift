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

/// Writes `text` to `path` atomically; `-` means standard output.
///
/// A file the user names is only replaced when that is surely meant: never the session database
/// (`database`), never a folder, and an existing file only when `isReplaceable` recognises its first
/// 64 kB as an earlier output of the same kind (or `overwrite` is set). So a slip such as
/// `--csv study.sqlite` or `--html session.mp4` is an error instead of a lost study or recording.
func writeOutput(_ text: String, to path: String, database: String? = nil, overwrite: Bool = true,
                 isReplaceable: (Data) -> Bool = { _ in true }) throws {
    if path == "-" {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    guard !path.isEmpty else { throw CommandFailure(description: "an output file name is empty") }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
        if isFolder.boolValue { throw CommandFailure(description: "cannot write \(path): it is a folder") }
        if let database, sameFile(path, database) {
            throw CommandFailure(description: "\(path) is the session database; choose another file name for the report")
        }
        if !overwrite {
            let head = FileHandle(forReadingAtPath: path).flatMap { handle in
                defer { try? handle.close() }
                return try? handle.read(upToCount: 1 << 16)
            } ?? Data()
            guard isReplaceable(head) else {
                throw CommandFailure(description: "\(path) exists and is not an EmoteLab report of that kind; "
                                     + "choose another name or pass --overwrite to replace it")
            }
        }
    }
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        let folder = (path as NSString).deletingLastPathComponent
        let reason = !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) ? "no such folder" : "not writable"
        throw CommandFailure(description: "cannot write \(path): \(reason)")
    }
}

/// True when two paths name the same file (same device and inode; links and `..` resolved).
func sameFile(_ a: String, _ b: String) -> Bool {
    let manager = FileManager.default
    guard let first = try? manager.attributesOfItem(atPath: a), let second = try? manager.attributesOfItem(atPath: b),
          let inodeA = first[.systemFileNumber] as? NSNumber, let inodeB = second[.systemFileNumber] as? NSNumber,
          let deviceA = first[.systemNumber] as? NSNumber, let deviceB = second[.systemNumber] as? NSNumber else {
        return URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath()
            == URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath()
    }
    return inodeA == inodeB && deviceA == deviceB
}

/// The complete run a timeline or report reads, or a clear failure naming the session. Warnings the
/// analysis stored with the run (a truncated file, say) are repeated on standard error.
func completeRun(of session: Session, in store: SessionStore) throws -> Run {
    if let run = try store.latestCompleteRun(session: session.id) {
        if let warnings = run.message {
            FileHandle.standardError.write(Data("warning: session \(session.id): \(warnings)\n".utf8))
        }
        return run
    }
    let latest = try store.runs(session: session.id).last
    throw CommandFailure(description: "session \(session.id) (\(session.fileName)) has no complete analysis"
                         + (latest.map { " (latest run \($0.id) is \($0.status.rawValue))" } ?? ""))
}
