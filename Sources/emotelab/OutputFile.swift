import Foundation
import Training
#if canImport(Glibc)
import Glibc
#endif

/// A file the user named for a command's output, written so that a slip cannot destroy data: `-` and
/// the standard streams (`/dev/stdout`, `/dev/fd/N`, pipes, FIFOs, devices) are written into as they are,
/// never replaced; a regular file is replaced atomically (keeping its owner and permissions) only when it
/// is not one of the `protected` files (the session database with its `-wal`/`-shm`/`-journal`
/// companions, the session's recording), is writable, and is an earlier output of the same kind
/// (`isReplaceable`) or `overwrite` is set. Paths are compared after resolving symbolic links, also for
/// files that do not exist yet. `check` runs every test without writing, so a command with two outputs
/// can refuse before writing either.
struct OutputFile {
    /// A file that must never be written, and what to call it in the error; for a SQLite database its
    /// `-wal`, `-shm` and `-journal` files are protected too.
    struct Protected {
        let path: String
        let role: String
        var isDatabase = false
    }

    /// How `write` will deliver the text, as decided by `check`.
    enum Plan {
        case standardOutput
        /// Open and write into an existing non-regular file (pipe, FIFO, terminal, device); `append` for
        /// a standard stream redirected to a file, so `>>` keeps what is there.
        case stream(path: String, append: Bool)
        /// Atomically replace or create the regular file at `path`; `original`: the replaced file's
        /// owner and permissions.
        case replace(path: String, original: (uid: uid_t, gid: gid_t, mode: mode_t)?)

        /// "replaced" when an existing file gives way to the new one, else "wrote".
        var verb: String {
            if case .replace(_, .some) = self { return "replaced" }
            return "wrote"
        }
    }

    let path: String

    /// The largest existing file `isReplaceable` is shown; a larger one is never an earlier report.
    static let inspectionLimit = 8 << 20

    /// True when the text goes to this process's standard output (`-`, `/dev/stdout`, or a path that is
    /// the same open file): callers then print nothing else there.
    var isStandardOutput: Bool {
        if path == "-" { return true }
        var own = stat(), named = stat()
        return fstat(1, &own) == 0 && stat(path, &named) == 0 && own.st_dev == named.st_dev && own.st_ino == named.st_ino
    }

    /// Every test `write` makes, without writing; throws the one-line reason to refuse.
    /// - Parameter earlier: what an existing file must be to be replaced without `overwrite`, for the
    ///   refusal ("an earlier report of this session of that kind").
    func check(protected: [Protected] = [], overwrite: Bool = true,
               earlier: String = "an earlier report of this session of that kind",
               isReplaceable: (Data) -> Bool = { _ in true }) throws -> Plan {
        if path == "-" { return .standardOutput }
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
        // A standard stream or another descriptor by name: write into whatever it is open on.
        let isDescriptor = ["/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/"].contains { path.hasPrefix($0) }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let folder = (target as NSString).deletingLastPathComponent
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
                throw CommandFailure(description: "cannot write \(path): no such folder")
            }
            guard isFolder.boolValue else { throw CommandFailure(description: "cannot write \(path): \(folder) is not a folder") }
            guard OutputLocation.acceptsNewFiles(folder) else {
                throw CommandFailure(description: "cannot write \(path): the folder is not writable")
            }
            return .replace(path: target, original: nil)
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            throw CommandFailure(description: "cannot write \(path): it is a folder")
        case S_IFREG where isDescriptor:
            return .stream(path: path, append: true)
        case S_IFREG:
            guard access(target, W_OK) == 0, info.st_mode & 0o222 != 0 else {
                throw CommandFailure(description: "cannot write \(path): the file is read-only")
            }
            // Replacing is a rename in the file's folder, which must take new files.
            guard OutputLocation.acceptsNewFiles((target as NSString).deletingLastPathComponent) else {
                throw CommandFailure(description: "cannot write \(path): the folder is not writable")
            }
            if !overwrite {
                let contents = Int(info.st_size) <= Self.inspectionLimit ? FileManager.default.contents(atPath: target) : nil
                guard let contents, isReplaceable(contents) else {
                    throw CommandFailure(description: "\(path) exists and is not \(earlier); "
                                         + "choose another name (--overwrite replaces it)")
                }
            }
            return .replace(path: target, original: (info.st_uid, info.st_gid, mode_t(info.st_mode & 0o7777)))
        default:
            return .stream(path: path, append: false)
        }
    }

    /// Delivers `text` as `plan` says (from `check`).
    func write(_ text: String, plan: Plan) throws {
        let data = Data(text.utf8)
        switch plan {
        case .standardOutput:
            FileHandle.standardOutput.write(data)
        case let .stream(target, append):
            let descriptor = open(target, O_WRONLY | (append ? O_APPEND : 0))
            guard descriptor >= 0 else { throw CommandFailure(description: "cannot write \(path): not writable") }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            do { try handle.write(contentsOf: data) } catch {
                throw CommandFailure(description: "cannot write \(path): \(error.localizedDescription)")
            }
        case let .replace(target, original):
            do {
                try data.write(to: URL(fileURLWithPath: target), options: .atomic)
            } catch {
                throw CommandFailure(description: "cannot write \(path): not writable")
            }
            if let original {
                _ = chown(target, original.uid, original.gid)   // best effort: only root or the owner may
                chmod(target, original.mode)
            }
        }
    }

    /// `check` then `write`.
    func write(_ text: String, protected: [Protected] = [], overwrite: Bool = true,
               isReplaceable: (Data) -> Bool = { _ in true }) throws {
        try write(text, plan: try check(protected: protected, overwrite: overwrite, isReplaceable: isReplaceable))
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
