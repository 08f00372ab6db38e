import FileNames
import Foundation

/// Turns the command line's inputs into the list of video files to analyse.
public enum VideoInputs {
    /// File extensions taken from a folder (case-insensitive). Files given by name are always tried,
    /// whatever their extension.
    public static let videoExtensions: Set<String> = [
        "mp4", "m4v", "mov", "qt", "mkv", "webm", "avi", "wmv", "asf", "flv", "mpg", "mpeg", "ts", "mts",
        "m2ts", "3gp", "3g2", "ogv", "mxf", "vob",
    ]

    /// One input after expansion: a file to analyse, or an input that names nothing analysable.
    public enum Entry: Sendable, Equatable {
        case file(String)
        case problem(input: String, message: String)
    }

    /// Expands `inputs` in order: a folder becomes the video files in it and in its subfolders (by
    /// extension; names sorted at each level, so `P01/session.mp4` comes before `P02/session.mp4`; hidden
    /// files and folders skipped; a folder reached twice through links is walked once); any other path is
    /// kept as given (a missing or unreadable file is reported when it is opened). A folder without videos,
    /// or a subfolder that cannot be listed, is a problem. Repeated paths are kept once.
    public static func expand(_ inputs: [String]) -> [Entry] {
        var entries: [Entry] = []
        var seen = Set<String>()
        func add(_ path: String) {
            let key = URL(fileURLWithPath: path).standardizedFileURL.path
            if seen.insert(key).inserted { entries.append(.file(path)) }
        }
        for input in inputs {
            guard isFolder(input) else {
                add(input)
                continue
            }
            var videos: [String] = []
            var walked = Set<String>()
            var unlisted: [String] = []
            collect(folder: input, into: &videos, walked: &walked, unlisted: &unlisted)
            if let first = unlisted.first, first == input {
                entries.append(.problem(input: input, message: "\(input): cannot list the folder"))
                continue
            }
            for folder in unlisted {
                entries.append(.problem(input: folder, message: "\(folder): cannot list the folder"))
            }
            if videos.isEmpty {
                entries.append(.problem(input: input, message: "\(input): folder holds no video files, in it or in "
                                        + "its subfolders (\(videoExtensions.sorted().joined(separator: ", ")))"))
            }
            videos.forEach(add)
        }
        return entries
    }

    private static func isFolder(_ path: String) -> Bool { RawFileSystem.isFolder(path) }

    /// Appends the videos of `folder` and its subfolders, depth first, names sorted at each level.
    private static func collect(folder: String, into videos: inout [String], walked: inout Set<String>,
                                unlisted: inout [String]) {
        // The device and inode identify a folder however it was reached (links, `..`).
        guard let info = RawFileSystem.status(folder) else {
            unlisted.append(folder)
            return
        }
        guard walked.insert("\(info.st_dev):\(info.st_ino)").inserted else { return }
        // Names by their bytes: one that is not UTF-8 still opens (`RawFileName`).
        guard let names = RawFileSystem.names(inFolder: folder) else {
            unlisted.append(folder)
            return
        }
        for name in names.sorted(by: { RawFileName.encode($0).lexicographicallyPrecedes(RawFileName.encode($1)) })
            where !name.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(name)
            if isFolder(path) {
                collect(folder: path, into: &videos, walked: &walked, unlisted: &unlisted)
            } else if videoExtensions.contains((name as NSString).pathExtension.lowercased()) {
                videos.append(path)
            }
        }
    }
}
