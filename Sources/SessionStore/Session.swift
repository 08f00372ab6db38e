import FileNames
import Foundation

/// What the analysis pipeline knows about a video file; the input to `SessionStore.findOrCreateSession`.
public struct SessionInfo: Sendable, Equatable {
    /// The file's path as the user gave it (stored as given).
    public var filePath: String
    /// A digest of the file's bytes (e.g. hex SHA-256); the session's identity.
    public var contentHash: String
    /// Length of the video in seconds, when known.
    public var duration: Double?
    /// Displayed frame size in pixels (after rotation), when known.
    public var frameWidth: Int?
    public var frameHeight: Int?
    /// The container's frame rate, when known.
    public var recordedFPS: Double?

    public init(filePath: String, contentHash: String, duration: Double? = nil,
                frameWidth: Int? = nil, frameHeight: Int? = nil, recordedFPS: Double? = nil) {
        self.filePath = filePath
        self.contentHash = contentHash
        self.duration = duration
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.recordedFPS = recordedFPS
    }
}

/// A stored session (one row of `sessions`).
public struct Session: Sendable, Equatable, Identifiable {
    public let id: Int64
    public var info: SessionInfo
    public let createdAt: Date
    /// The participant label a researcher set (`sessions label`), or nil for the default
    /// (`Session.defaultLabels`).
    public var label: String?

    public init(id: Int64, info: SessionInfo, createdAt: Date, label: String? = nil) {
        self.id = id
        self.info = info
        self.createdAt = createdAt
        self.label = label
    }

    /// The labels of sessions whose researcher set none, for the files at `paths`: the file name without
    /// its extension (`P07.mp4` → `P07`), or, where several sessions' files share that name (one folder per
    /// participant: `P07/session.mp4`), the name of the folder holding the file; where that repeats too, the
    /// folders and file as `displayNames` gives them.
    public static func defaultLabels(_ paths: [String]) -> [String] {
        let urls = paths.map { URL(fileURLWithPath: $0).standardizedFileURL }
        let stems = urls.map { RawFileName.displayed($0.deletingPathExtension().lastPathComponent) }
        let folders = urls.map { RawFileName.displayed($0.deletingLastPathComponent().lastPathComponent) }
        let display = displayNames(paths)
        func count(_ values: [String], _ value: String) -> Int { values.filter { $0 == value }.count }
        return paths.indices.map { i in
            if count(stems, stems[i]) == 1 { return stems[i] }
            if !folders[i].isEmpty, folders[i] != "/", count(folders, folders[i]) == 1 { return folders[i] }
            return display[i]
        }
    }

    /// The last path component of the file, for people (bytes that are not UTF-8 shown as `\xNN`).
    public var fileName: String {
        let name = (info.filePath as NSString).lastPathComponent
        return RawFileName.displayed(name.isEmpty ? info.filePath : name)
    }

    /// Each path's file name, with as many parent folders as it takes to tell apart paths whose names are
    /// the same (`P01/session.mp4`, `P02/session.mp4`); bytes that are not UTF-8 are shown as `\xNN`.
    public static func displayNames(_ paths: [String]) -> [String] {
        let parts = paths.map { path in URL(fileURLWithPath: path).standardizedFileURL.pathComponents.filter { $0 != "/" } }
        return parts.indices.map { i in
            var depth = 1
            while depth < parts[i].count {
                let suffix = Array(parts[i].suffix(depth))
                let clashes = parts.indices.contains { j in j != i && parts[j] != parts[i] && Array(parts[j].suffix(depth)) == suffix }
                if !clashes { break }
                depth += 1
            }
            return RawFileName.displayed(parts[i].suffix(depth).joined(separator: "/"))
        }
    }
}

/// A session with its most recent run (any status) and its most recent complete run.
public struct SessionSummary: Sendable, Equatable {
    public let session: Session
    /// The run that started last, whatever its status.
    public let latestRun: Run?
    /// The complete run that reports and timelines use (the one that finished last).
    public let latestCompleteRun: Run?
    /// Number of sample timestamps in `latestCompleteRun` (0 without one).
    public let sampleCount: Int
    /// Number of timestamps with a participant face in `latestCompleteRun`.
    public let faceSampleCount: Int
    /// Number of tasks stored for the session.
    public let taskCount: Int
}
