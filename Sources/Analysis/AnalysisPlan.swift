import FileNames
import Foundation
import SessionStore
import VideoIO

/// What a batch will analyse, checked before anything is analysed: the video files with the tasks each
/// gets and their content hashes, the inputs that cannot be analysed (reported, the rest still analysed),
/// and the files skipped because an earlier file of the batch has the same content (one session each).
public struct AnalysisPlan: Sendable, Equatable {
    /// One file to analyse.
    public struct Item: Sendable, Equatable {
        /// The path as given (or found in a given folder).
        public let path: String
        /// The tasks to store for its session; nil keeps the session's tasks.
        public let tasks: [TaskSegment]?
        /// Where `tasks` come from when they were found beside the video rather than given with --tasks:
        /// they then only fill a session that has no tasks yet (see `SessionAnalyzer.analyze`).
        public var companionTasksFile: String? = nil
        /// The file's content hash (its session's identity) and the seconds hashing it took.
        public let contentHash: String
        public let hashSeconds: Double

        public static func == (a: Item, b: Item) -> Bool {
            a.path == b.path && a.tasks == b.tasks && a.contentHash == b.contentHash
                && a.companionTasksFile == b.companionTasksFile
        }
    }

    public let items: [Item]
    /// One line per input that cannot be analysed (missing file, not a video, folder without videos).
    public let problems: [String]
    /// One line per file left out because an earlier file of the batch has the same content.
    public let duplicates: [String]
    /// Warnings about the tasks files (tasks that overlap), one line each, naming the file.
    public let warnings: [String]

    /// Expands `inputs` (folders become their videos), opens every video to read its duration and hashes
    /// it; with a tasks file, checks it against each video (tasks must lie within the video). A file with
    /// the same content as an earlier one is listed in `duplicates` instead of `items`: analysing it again
    /// would only replace that session's run (and, with `--jobs`, race it).
    /// - Throws: `TaskFileError` (one line with the file and line) when the tasks file is bad or does not
    ///   fit one of the videos: nothing may be analysed then.
    public init(inputs: [String], tasksFile: String?, videoStream: Int? = nil) throws {
        let tasksURL = tasksFile.map { URL(fileURLWithPath: $0) }
        var warnings: [String] = []
        if let tasksURL {
            // The file is checked before any video is opened (a last task without an end takes each
            // video's length below); its overlap warnings come once, with the first video's tasks.
            _ = try TaskFile.load(contentsOf: tasksURL, videoDuration: .greatestFiniteMagnitude)
        }
        var overlapsWarned = false
        var items: [Item] = []
        var problems: [String] = []
        var duplicates: [String] = []
        var firstWithHash: [String: String] = [:]
        for entry in VideoInputs.expand(inputs) {
            switch entry {
            case let .problem(_, message):
                problems.append(message)
            case let .file(path):
                let duration: Double?
                do {
                    duration = try SessionAnalyzer.videoDuration(of: URL(fileURLWithPath: path), videoStream: videoStream)
                } catch {
                    problems.append("\(error)")
                    continue
                }
                var tasks = try tasksURL.map { try TaskFile.load(contentsOf: $0, videoDuration: duration, videoName: path) }
                if let tasks, let tasksFile, !overlapsWarned {
                    warnings += TaskFile.overlapWarnings(tasks, fileName: tasksFile)
                    overlapsWarned = true
                }
                let companions = tasksURL == nil ? Self.companionTasksFiles(of: path) : []
                let companion = companions.first
                if let companion {
                    let found = try TaskFile.load(contentsOf: URL(fileURLWithPath: companion), videoDuration: duration,
                                                  videoName: path)
                    tasks = found
                    warnings += TaskFile.overlapWarnings(found, fileName: companion)
                }
                var source = companion
                if tasks == nil, tasksURL == nil, let chapters = Self.chapterTasks(of: path) {
                    // No tasks file at all: chapters embedded in the recording become its tasks (they fill a
                    // session without tasks, like a tasks file found beside the video).
                    tasks = chapters
                    source = Self.chaptersSource
                }
                for other in companions.dropFirst() {
                    // NAME.tasks.csv and NAME.tasks.json both there: fine when they say the same, else ambiguous.
                    let alternative = try TaskFile.load(contentsOf: URL(fileURLWithPath: other), videoDuration: duration,
                                                        videoName: path)
                    guard alternative == tasks else {
                        throw AnalysisError("\(path): two tasks files beside it disagree, \(companion ?? "") and \(other); "
                                            + "remove one, or choose with --tasks FILE")
                    }
                }
                let watch = Stopwatch()
                let hash: String
                do {
                    hash = try ContentHash.sha256(fileAt: URL(fileURLWithPath: path))
                } catch {
                    problems.append("\(path): cannot be read to hash it")
                    continue
                }
                if let first = firstWithHash[hash] {
                    duplicates.append("\(path): same content as \(first); analysed once")
                    continue
                }
                firstWithHash[hash] = path
                items.append(Item(path: path, tasks: tasks, companionTasksFile: source, contentHash: hash,
                                  hashSeconds: watch.seconds))
            }
        }
        self.items = items
        self.problems = problems
        self.duplicates = duplicates
        self.warnings = warnings
    }

    /// The tasks file that goes with a video when no `--tasks` is given: `NAME.tasks.csv` or
    /// `NAME.tasks.json` beside `NAME.mp4`, else `tasks.csv` or `tasks.json` when the video is the only one
    /// in its folder (one folder per participant). Nil when there is none.
    public static func companionTasksFile(of path: String) -> String? { companionTasksFiles(of: path).first }

    /// `Item.companionTasksFile` of tasks taken from the recording's own chapters.
    public static let chaptersSource = "the recording's chapters"

    /// The chapters of the recording at `path` as tasks (named by their titles, `Chapter N` without one),
    /// or nil when it has none or they cannot be read.
    static func chapterTasks(of path: String) -> [TaskSegment]? {
        guard let chapters = try? MediaChapters.read(url: URL(fileURLWithPath: path)), !chapters.isEmpty else { return nil }
        return chapters.enumerated().map { index, chapter in
            TaskSegment(name: chapter.title ?? "Chapter \(index + 1)", start: chapter.start, end: chapter.end)
        }
    }

    /// Every candidate of `companionTasksFile(of:)` at the level it is found: the CSV and the JSON file when
    /// both are there (CSV first), so the plan can check they agree.
    static func companionTasksFiles(of path: String) -> [String] {
        let folder = (path as NSString).deletingLastPathComponent
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        func existing(_ names: [String]) -> [String] {
            names.map { (folder as NSString).appendingPathComponent($0) }.filter { candidate in
                RawFileSystem.exists(candidate) && !RawFileSystem.isFolder(candidate)
            }
        }
        let own = existing(["\(stem).tasks.csv", "\(stem).tasks.json"])
        if !own.isEmpty { return own }
        let videos = RawFileSystem.names(inFolder: folder.isEmpty ? "." : folder)?.filter {
            !$0.hasPrefix(".") && VideoInputs.videoExtensions.contains(($0 as NSString).pathExtension.lowercased())
        } ?? []
        return videos.count == 1 ? existing(["tasks.csv", "tasks.json"]) : []
    }
}
