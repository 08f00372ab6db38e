#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system calls on paths that may carry bytes that are not UTF-8 (`RawFileName`): Foundation's
/// `FileManager` and `Data(contentsOf:)` would look for the U+FFFD-mangled name instead.
public enum RawFileSystem {
    /// What is at `path`, links followed; nil when nothing is there (or it cannot be looked at).
    public static func status(_ path: String) -> stat? {
        var info = stat()
        let result = RawFileName.withCString(path) { stat($0, &info) }
        return result == 0 ? info : nil
    }

    /// True when `path` is a folder (links followed).
    public static func isFolder(_ path: String) -> Bool {
        status(path).map { $0.st_mode & S_IFMT == S_IFDIR } ?? false
    }

    /// True when something is at `path` (links followed).
    public static func exists(_ path: String) -> Bool { status(path) != nil }

    /// The names in folder `path` (without `.` and `..`), in the order the system lists them; nil when it
    /// cannot be listed.
    public static func names(inFolder path: String) -> [String]? {
        guard let folder = RawFileName.withCString(path, { opendir($0) }) else { return nil }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                let bytes = raw.prefix { $0 != 0 }
                return RawFileName.decode(bytes)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Opens `path` for reading (`O_RDONLY | O_CLOEXEC`, plus `extraFlags`); -1 with `errno` set on failure.
    public static func openForReading(_ path: String, extraFlags: Int32 = 0) -> Int32 {
        RawFileName.withCString(path) { open($0, O_RDONLY | O_CLOEXEC | extraFlags) }
    }

    /// The whole content of the file at `path`.
    /// - Throws: `RawFileError` with the `errno` of the failing call.
    public static func contents(of path: String) throws -> [UInt8] {
        let fd = openForReading(path)
        guard fd >= 0 else { throw RawFileError(code: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw RawFileError(code: errno)
            }
            bytes.append(contentsOf: buffer[..<count])
        }
    }
}

/// A failed file-system call: its `errno` and the system's text for it.
public struct RawFileError: Error, Equatable, CustomStringConvertible {
    public let code: Int32

    public init(code: Int32) { self.code = code }

    public var description: String { String(cString: strerror(code)) }
}
