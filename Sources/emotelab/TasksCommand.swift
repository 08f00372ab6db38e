import ArgumentParser
import Foundation
import SessionStore

/// `emotelab tasks import|list`: the task segments of a session.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Import or list the task segments of a session.",
        subcommands: [Import.self, List.self])

    /// `emotelab tasks import FILE --session ID|latest`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Replace a session's tasks with those in a CSV or JSON file.",
            discussion: """
                CSV: `task,start,end` per line, separated by `,` or `;`, with an optional header line that \
                may also name `type` (task or event) and extra columns (kept as notes); RFC 4180 quoting for \
                names with separators, quotes or line breaks; UTF-8. JSON: [{"task": NAME, "start": T, \
                "end": T}, ...] or {"tasks": [...]}. Times are seconds (75.5, or 75,5) or [hh:]mm:ss[.fff] \
                (1:15.5). A name may repeat (each occurrence is its own segment). An empty end lasts until \
                the next task starts (the last task: until the video ends); a row without an end field, or \
                of type event, is a point event. Every task must lie inside the video (ends up to 1 s past \
                the end are accepted). See docs/tasks-files.md. The file replaces all of the session's \
                tasks; nothing changes when it has an error.
                """)

        @Argument(help: ArgumentHelp("The tasks file (.csv or .json).", valueName: "file"))
        var file: String

        @Option(parsing: .unconditional, help: sessionHelp, transform: SessionSelector.parse)
        var session: SessionSelector

        @OptionGroup var store: StoreOptions

        func run() throws {
            try reportingFailures {
                let database = try store.openExisting(.readWrite)
                let target = try session.resolve(in: database)
                let tasks = try TaskFile.load(contentsOf: URL(fileURLWithPath: file), videoDuration: target.info.duration)
                for warning in TaskFile.overlapWarnings(tasks, fileName: file) {
                    FileHandle.standardError.write(Data(TerminalText.line("warning: \(warning)").utf8))
                }
                try database.replaceTasks(tasks, session: target.id)
                print(TerminalText.escaped("imported \(tasks.count) task\(tasks.count == 1 ? "" : "s") into session \(target.id) (\(try database.displayName(of: target)))"))
            }
        }
    }

    /// `emotelab tasks list --session ID|latest`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Show a session's tasks.",
            discussion: "--format csv prints them in the form `tasks import` reads (times in seconds).")

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv }

        @Option(parsing: .unconditional, help: sessionHelp, transform: SessionSelector.parse)
        var session: SessionSelector

        @Option(help: "Output format: table or csv.")
        var format: Format = .table

        @OptionGroup var store: StoreOptions

        func run() throws {
            try reportingFailures {
                let database = try store.openExisting(.readOnly)
                let target = try session.resolve(in: database)
                let tasks = try database.tasks(session: target.id)
                switch format {
                case .csv:
                    print(TaskFile.csv(tasks), terminator: "")
                case .table:
                    guard !tasks.isEmpty else {
                        print(TerminalText.escaped("session \(target.id) (\(try database.displayName(of: target))) has no tasks; add them with "
                              + "`emotelab tasks import FILE --session \(target.id)`"))
                        return
                    }
                    let detailed = tasks.contains { $0.isEvent || $0.notes != nil }
                    let rows = tasks.enumerated().map { i, task in
                        [String(i + 1), task.name, TimeValue.clock(task.start), task.isEvent ? "-" : TimeValue.clock(task.end),
                         task.isEvent ? "-" : TimeValue.clock(task.duration)]
                            + (detailed ? [task.kind.rawValue, task.notes ?? ""] : [])
                    }
                    print(TextTable.render(headers: ["#", "task", "start", "end", "duration"] + (detailed ? ["type", "notes"] : []),
                                           rows: rows, leftAligned: detailed ? [1, 5, 6] : [1]), terminator: "")
                }
            }
        }
    }
}
