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
            with --run ID.
            """)

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
                print(Self.table(sessions), terminator: "")
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

    static let headers = ["id", "file", "duration", "latest run", "analysed (UTC)", "samples", "face", "model", "rate", "tasks"]

    static func table(_ sessions: [SessionSummary]) -> String {
        let names = Session.displayNames(sessions.map(\.session.info.filePath))
        let rows = zip(sessions, names).map { summary, name -> [String] in
            let complete = summary.latestCompleteRun
            var status = summary.latestRun.map { "run \($0.id) \($0.status.rawValue)" } ?? "none"
            if let complete, let latest = summary.latestRun, latest.id != complete.id {
                status += " (uses \(complete.id))"
            }
            let presence = summary.sampleCount > 0
                ? String(format: "%.1f%%", 100 * Double(summary.faceSampleCount) / Double(summary.sampleCount)) : "-"
            return [String(summary.session.id), name,
                    summary.session.info.duration.map(TimeValue.clock) ?? "-", status,
                    complete?.finishedAt.map(utcMinutes) ?? "-",
                    complete == nil ? "-" : String(summary.sampleCount), complete == nil ? "-" : presence,
                    complete?.settings.modelName ?? "-",
                    complete.map { String(format: "%g/s", $0.settings.sampleRate) } ?? "-", String(summary.taskCount)]
        }
        return TextTable.render(headers: headers, rows: rows, leftAligned: [1, 3])
    }
}
