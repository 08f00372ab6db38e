import Foundation

/// What is at a database path, found before SQLite opens it, so that a file that is not an EmoteLab
/// store is refused without being changed (SQLite would switch it to WAL mode and grow it) and a device or
/// a named pipe is never opened (`/dev/null` gives a "disk I/O error", a FIFO blocks).
enum DatabaseFileCheck {
    /// The 16 bytes every SQLite 3 database file starts with.
    static let header = Array("SQLite format 3\0".utf8)

    /// The kind of file at a path.
    enum Found: Equatable {
        /// Nothing there.
        case missing
        /// A regular file of zero bytes (SQLite takes it for a new, empty database).
        case emptyFile
        /// A regular file that starts with the SQLite header.
        case sqliteFile
        /// A regular file that does not.
        case otherFile
        /// A folder.
        case folder
        /// Something that is not a regular file: a device, a FIFO, a socket.
        case special(kind: String)
    }

    /// Looks at `path` (links followed) and reads at most the first 16 bytes of a regular file.
    static func inspect(_ path: String) -> Found {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .folder
        case S_IFCHR: return .special(kind: "a character device")
        case S_IFBLK: return .special(kind: "a block device")
        case S_IFIFO: return .special(kind: "a named pipe")
        case S_IFSOCK: return .special(kind: "a socket")
        default: return .special(kind: "not a regular file")
        }
        if info.st_size == 0 { return .emptyFile }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .otherFile }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: header.count)) ?? Data()
        return [UInt8](start) == header ? .sqliteFile : .otherFile
    }
}
