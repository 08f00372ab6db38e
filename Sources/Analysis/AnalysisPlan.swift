import Foundation
import SessionStore

/// What a batch will analyse, checked before anything is analysed: the video files with the tasks each
/// gets, and the inputs that cannot be analysed (reported, the rest still analysed).
public struct AnalysisPlan: Sendable, Equatable {
    /// One file to analyse.
    public struct Item: Sendable, Equatable {
        /// The path as given (or found in a given folder).
        public let path: String
        /// The tasks to store for its session; nil keeps the session's tasks.
        public let tasks: [TaskSegment]?
    }

    public let items: [Item]
    /// One line per input that cannot be analysed (missing file, not a video, folder without videos).
    public let problems: [String]

    /// Expands `inputs` (folders become their videos) and opens every video to read its duration; with a
    /// tasks file, checks it against each video (tasks must lie within the video).
    /// - Throws: `TaskFileError` (one line with the file and line) when the tasks file is bad or does not
    ///   fit one of the videos: nothing may be analysed then.
    public init(inputs: [String], tasksFile: String?) throws {
        let tasksURL = tasksFile.map { URL(fileURLWithPath: $0) }
        if let tasksURL { _ = try TaskFile.load(contentsOf: tasksURL) }
        var items: [Item] = []
        var problems: [String] = []
        for entry in VideoInputs.expand(inputs) {
            switch entry {
            case let .problem(_, message):
                problems.append(message)
            case let .file(path):
                let duration: Double?
                do {
                    duration = try SessionAnalyzer.videoDuration(of: URL(fileURLWithPath: path))
                } catch {
                    problems.append("\(error)")
                    continue
                }
                let tasks = try tasksURL.map { try TaskFile.load(contentsOf: $0, videoDuration: duration) }
                items.append(Item(path: path, tasks: tasks))
            }
        }
        self.items = items
        self.problems = problems
    }
}
