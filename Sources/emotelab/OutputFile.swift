import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file the user named for a command's output, written so that a slip cannot destroy data: `-` is
/// standard output; pipes, FIFOs and devices (`/dev/stdout`) are written to as they are; a regular file
/// is replaced atomically (keeping its permissions) only when it is not one of the `protected` files
/// (the session database with its `-wal`/`-shm`/`-journal` companions, the session's recording), is
/// writable, and is an earlier output of the same kind (`isReplaceable`) or `overwrite` is set. Paths
/// are compared after resolving symbolic links, also for files that do not exist yet.
struct OutputFile {
    /// A file that must never be written, and what to call it in the error; for a SQLite database its
    /// `-wal`, `-shm` and `-journal` files are protected too.
    struct Protected {
        let path: String
        let role: String
        var isDatabase = false
    }

    let path: String

    /// The largest existing file `isReplaceable` is shown; a larger one is never an earlier report.
    static let inspectionLimit = 8 << 20

    func write(_ text: String, protected: [Protected] = [], overwrite: Bool = true,
               isReplaceable: (Data) -> Bool = { _ in true }) throws {
        if path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        guard !path.isEmpty else { throw CommandFailure(description: "an output file name is empty") }
        let target = Self.canonicalPath(path)
        for item in protected where !item.path.isEmpty {
            let guarded = Self.canonicalPath(item.path)
            let companions = item.isDatabase ? ["-wal", "-shm", "-journal"] : []
            if target == guarded || companions.contains(where: { target == guarded + $0 }) {
                throw CommandFailure(description: "\(path) is \(item.role)\(target == guarded ? "" : "'s journal"); "
                                     + "choose another file name for the report")
            }
        }
        var info = stat()
        guard stat(target, &info) == 0 else {
            return try replace(target, with: text, mode: nil)
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            throw CommandFailure(description: "cannot write \(path): it is a folder")
        case S_IFREG:
            guard access(target, W_OK) == 0 else {
                throw CommandFailure(description: "cannot write \(path): the file is read-only")
            }
            if !overwrite {
                let size = Int(info.st_size)
                let contents = size <= Self.inspectionLimit ? FileManager.default.contents(atPath: target) : nil
                guard let contents, isReplaceable(contents) else {
                    throw CommandFailure(description: "\(path) exists and is not an earlier report of this session "
                                         + "of that kind; choose another name (--overwrite replaces it)")
                }
            }
            try replace(target, with: text, mode: mode_t(info.st_mode & 0o7777))
        default:
            // A pipe, FIFO, socket or device: write into it, never replace it.
            guard let handle = FileHandle(forWritingAtPath: target) else {
                throw CommandFailure(description: "cannot write \(path): not writable")
            }
            defer { try? handle.close() }
            handle.write(Data(text.utf8))
        }
    }

    /// Writes `text` to a temporary file beside `target` and renames it over `target`; `mode`: the
    /// permissions to keep.
    private func replace(_ target: String, with text: String, mode: mode_t?) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            let folder = (target as NSString).deletingLastPathComponent
            var isFolder: ObjCBool = false
            let reason = folder.isEmpty || FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder)
                ? (isFolder.boolValue || folder.isEmpty ? "not writable" : "\(folder) is not a folder")
                : "no such folder"
            throw CommandFailure(description: "cannot write \(path): \(reason)")
        }
        if let mode { chmod(target, mode) }
    }

    /// `path` with every symbolic link resolved (also a dangling one, and the folders of a file that does
    /// not exist yet), made absolute and standardised.
    static func canonicalPath(_ path: String) -> String {
        var current = URL(fileURLWithPath: path).standardizedFileURL.path
        for _ in 0..<40 {
            if let resolved = realpath(current, nil) {
                defer { free(resolved) }
                return String(cString: resolved)
            }
            // Not there (yet): follow a dangling link by hand, else resolve the folder and keep the name.
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, Int(PATH_MAX))
            if count > 0 {
                let link = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let folder = (current as NSString).deletingLastPathComponent
                current = URL(fileURLWithPath: link.hasPrefix("/") ? link : folder + "/" + link).standardizedFileURL.path
                continue
            }
            let folder = (current as NSString).deletingLastPathComponent
            let name = (current as NSString).lastPathComponent
            guard folder != current, !folder.isEmpty else { return current }
            return (canonicalPath(folder) as NSString).appendingPathComponent(name)
        }
        return current
    }
}
