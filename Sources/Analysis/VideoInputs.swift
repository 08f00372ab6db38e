import Foundation

/// Turns the command line's inputs into the list of video files to analyse.
public enum VideoInputs {
    /// File extensions taken from a folder (case-insensitive). Files given by name are always tried,
    /// whatever their extension.
    public static let videoExtensions: Set<String> = [
        "mp4", "m4v", "mov", "qt", "mkv", "webm", "avi", "wmv", "asf", "flv", "mpg", "mpeg", "ts", "mts",
        "m2ts", "3gp", "3g2", "ogv", "mxf",
    ]

    /// One input after expansion: a file to analyse, or an input that names nothing analysable.
    public enum Entry: Sendable, Equatable {
        case file(String)
        case problem(input: String, message: String)
    }

    /// Expands `inputs` in order: a folder becomes its video files (by extension, sorted by name, hidden
    /// files skipped, not recursive); any other path is kept as given (a missing or unreadable file is
    /// reported when it is opened). A folder without videos is a problem. Repeated paths are kept once.
    public static func expand(_ inputs: [String]) -> [Entry] {
        var entries: [Entry] = []
        var seen = Set<String>()
        func add(_ path: String) {
            let key = URL(fileURLWithPath: path).standardizedFileURL.path
            if seen.insert(key).inserted { entries.append(.file(path)) }
        }
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue else {
                add(input)
                continue
            }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: input)
            } catch {
                entries.append(.problem(input: input, message: "\(input): cannot list the folder"))
                continue
            }
            let videos = names.filter {
                !$0.hasPrefix(".") && videoExtensions.contains(($0 as NSString).pathExtension.lowercased())
            }.sorted()
            if videos.isEmpty {
                entries.append(.problem(input: input, message: "\(input): folder holds no video files (\(videoExtensions.sorted().joined(separator: ", ")))"))
            }
            for name in videos { add((input as NSString).appendingPathComponent(name)) }
        }
        return entries
    }
}
