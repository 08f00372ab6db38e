import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a command writes a file: the checks made before any work is done (the folder exists, is a folder
/// and takes new files) and the atomic write itself, each failing with a one-line reason.
public enum OutputLocation {
    /// Why a file cannot be created (or replaced) at `path`, as a phrase to follow `<path>: `, or nil when
    /// it can: `the folder /x does not exist`, `/x is a file, not a folder`, `the folder /x is not writable`,
    /// `it is a folder`.
    public static func problem(creating path: String) -> String? {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { return "it is a folder" }
        let folder = (URL(fileURLWithPath: path).standardizedFileURL.path as NSString).deletingLastPathComponent
        // The nearest ancestor that exists decides between "missing" and "not a folder".
        var ancestor = folder
        while !fm.fileExists(atPath: ancestor, isDirectory: &isFolder) {
            let up = (ancestor as NSString).deletingLastPathComponent
            if up == ancestor || up.isEmpty { break }
            ancestor = up
        }
        if fm.fileExists(atPath: ancestor, isDirectory: &isFolder), !isFolder.boolValue {
            return "\(ancestor) is a file, not a folder"
        }
        guard ancestor == folder else { return "the folder \(folder) does not exist" }
        guard acceptsNewFiles(folder) else { return "the folder \(folder) is not writable" }
        return nil
    }

    /// True when a new file can be created in `folder`. Tried for real (a hidden file is created and
    /// removed at once): `access(2)` says yes to root for folders it still cannot write (`/sys`, `/proc`).
    public static func acceptsNewFiles(_ folder: String) -> Bool {
        guard access(folder, W_OK) == 0 else { return false }
        let probe = (folder as NSString).appendingPathComponent(".emotelab-write-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        unlink(probe)
        return true
    }

    /// Writes `data` to `url` atomically (a temporary file beside it, flushed and renamed over it), so a
    /// failure or a crash leaves any earlier file as it was. Throws `<path>: cannot write <what> (<reason>)`.
    public static func save(_ data: Data, to url: URL, what: String) throws {
        func failure(_ code: Int32) -> TrainingError {
            TrainingError(url, "cannot write \(what) (\(String(cString: strerror(code))))")
        }
        let path = url.standardizedFileURL.path
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(
            ".\((path as NSString).lastPathComponent).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o666)
        guard descriptor >= 0 else { throw failure(errno) }
        var code: Int32 = 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    code = errno
                    return
                }
                offset += written
            }
        }
        if code == 0 && fsync(descriptor) != 0 { code = errno }
        if close(descriptor) != 0 && code == 0 { code = errno }
        if code == 0 && rename(temporary, path) != 0 { code = errno }
        if code != 0 {
            unlink(temporary)
            throw failure(code)
        }
    }
}
