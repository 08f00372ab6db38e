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
                CSV: `task,start,end` per line (the header line is optional), RFC 4180 quoting for names \
                with commas, quotes or line breaks; UTF-8. JSON: [{"task": NAME, "start": T, "end": T}, ...] \
                or {"tasks": [...]}. Times are seconds (75.5) or [hh:]mm:ss[.fff] (1:15.5). Names must be \
                unique, every end after its start, and every task inside the video (ends up to 1 s past \
                the end are accepted). The file replaces all of the session's tasks; nothing changes when \
                it has an error.
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
                    let rows = tasks.enumerated().map { i, task in
                        [String(i + 1), task.name, TimeValue.clock(task.start), TimeValue.clock(task.end),
                         TimeValue.clock(task.duration)]
                    }
                    print(TextTable.render(headers: ["#", "task", "start", "end", "duration"], rows: rows,
                                           leftAligned: [1]), terminator: "")
                }
            }
        }
    }
}
