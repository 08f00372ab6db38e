import ArgumentParser
import Foundation
import Reports
import SessionStore

/// `emotelab sessions`: every session in the database with its latest run.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List the analysed sessions with their latest run.",
        discussion: """
            One line per session: its id (for --session), file (with its folders when names repeat), \
            duration, the status of its latest run, \
            and the sample count, face presence, model and sampling rate of the complete run that reports \
            use. A run that is not complete (still running, failed, interrupted) is shown as such and never \
            used by `timeline` or `report`. With --runs, one line per run instead (a session analysed with \
            several models or rates keeps a run for each): `timeline` and `report` read any complete one \
            with --run ID. The label column is the participant's name in reports and for --session: the \
            folder name when every participant's recording sits in its own folder under the same file name, \
            else the file name without extension; `emotelab sessions label ID NAME` changes it.
            """,
        subcommands: [Label.self])

    /// `emotelab sessions label ID|LABEL NAME`: sets a session's participant label.
    struct Label: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "label",
            abstract: "Set the participant label of a session (what reports show and --session accepts).",
            discussion: "`--reset` goes back to the default label taken from the file's name or folder.")

        @Argument(help: sessionHelp, transform: SessionSelector.parse)
        var session: SessionSelector

        @Argument(help: ArgumentHelp("The new label, e.g. P07.", valueName: "label"))
        var label: String?

        @Flag(help: "Go back to the default label.")
        var reset = false

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if reset == (label != nil) { throw ValidationError("give a new label, or --reset") }
        }

        func run() throws {
            try reportingFailures {
                let database = try store.openExisting(.readWrite)
                let target = try session.resolve(in: database)
                let before = try database.label(of: target)
                try database.setLabel(reset ? nil : label, session: target.id)
                let after = try database.label(of: try database.session(id: target.id))
                print(TerminalText.escaped("session \(target.id) (\(try database.displayName(of: target))): \(before) → \(after)"))
            }
        }
    }

    @OptionGroup var store: StoreOptions

    @Flag(help: "List every run of every session (id, status, model, rate, detector settings), for --run.")
    var runs = false

    func run() throws {
        try reportingFailures {
            let database = try store.openExisting(.readOnly)
            let sessions = try database.sessionSummaries()
            guard !sessions.isEmpty else {
                print("no sessions in \(store.path)")
                return
            }
            if runs {
                let all = try sessions.map { ($0.session, try database.runs(session: $0.session.id)) }
                print(Self.runTable(all), terminator: "")
            } else {
                print(Self.table(sessions, labels: try database.labels()), terminator: "")
            }
        }
    }

    static let runHeaders = ["run", "session", "file", "status", "finished (UTC)", "model", "rate", "settings"]

    /// One row per run, sessions in id order, runs in id order.
    static func runTable(_ sessions: [(Session, [Run])]) -> String {
        let names = Session.displayNames(sessions.map(\.0.info.filePath))
        let rows = zip(sessions, names).flatMap { entry, name in
            entry.1.map { run -> [String] in
                [String(run.id), String(entry.0.id), name, run.status.rawValue,
                 run.finishedAt.map(utcMinutes) ?? "-", run.settings.modelName,
                 String(format: "%g/s", run.settings.sampleRate), run.settings.detectorParameters]
            }
        }
        return TextTable.render(headers: runHeaders, rows: rows, leftAligned: [2, 3, 7])
    }

    /// `2026-11-22 13:05`, in UTC.
    static func utcMinutes(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    static let headers = ["id", "label", "file", "duration", "latest run", "analysed (UTC)", "samples", "face", "model", "rate", "tasks"]

    static func table(_ sessions: [SessionSummary], labels: [Int64: String]) -> String {
        let names = Session.displayNames(sessions.map(\.session.info.filePath))
        let rows = zip(sessions, names).map { summary, name -> [String] in
            let complete = summary.latestCompleteRun
            var status = summary.latestRun.map { "run \($0.id) \($0.status.rawValue)" } ?? "none"
            if let complete, let latest = summary.latestRun, latest.id != complete.id {
                status += " (uses \(complete.id))"
            }
            let presence = summary.sampleCount > 0
                ? String(format: "%.1f%%", 100 * Double(summary.faceSampleCount) / Double(summary.sampleCount)) : "-"
            return [String(summary.session.id), labels[summary.session.id] ?? "-", name,
                    summary.session.info.duration.map(TimeValue.clock) ?? "-", status,
                    complete?.finishedAt.map(utcMinutes) ?? "-",
                    complete == nil ? "-" : String(summary.sampleCount), complete == nil ? "-" : presence,
                    complete?.settings.modelName ?? "-",
                    complete.map { String(format: "%g/s", $0.settings.sampleRate) } ?? "-", String(summary.taskCount)]
        }
        return TextTable.render(headers: headers, rows: rows, leftAligned: [1, 2, 4])
    }
}
