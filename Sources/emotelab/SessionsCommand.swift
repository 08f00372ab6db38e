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
            used by `timeline` or `report`.
            """)

    @OptionGroup var store: StoreOptions

    func run() throws {
        try reportingFailures {
            let sessions = try store.openExisting(.readOnly).sessionSummaries()
            guard !sessions.isEmpty else {
                print("no sessions in \(store.path)")
                return
            }
            print(Self.table(sessions), terminator: "")
        }
    }

    static let headers = ["id", "file", "duration", "latest run", "analysed (UTC)", "samples", "face", "model", "rate", "tasks"]

    static func table(_ sessions: [SessionSummary]) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
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
                    complete?.finishedAt.map(formatter.string(from:)) ?? "-",
                    complete == nil ? "-" : String(summary.sampleCount), complete == nil ? "-" : presence,
                    complete?.settings.modelName ?? "-",
                    complete.map { String(format: "%g/s", $0.settings.sampleRate) } ?? "-", String(summary.taskCount)]
        }
        return TextTable.render(headers: headers, rows: rows, leftAligned: [1, 3])
    }
}
