import ArgumentParser
import FileNames
import Foundation
import Reports
import SessionStore

/// `emotelab report`: the per-task report of a session as CSV and/or a self-contained HTML page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report engagement, satisfaction and emotions per task of a session.",
        discussion: """
            One row per task and a whole-session row. Emotion columns are mean probabilities over the \
            samples with the participant's face; valence = happy − max(angry, disgust, fear, sad) per \
            sample; engagement = 100 × mean over all samples of (face ? 1 − neutral : 0); satisfaction = \
            50 × (1 + mean valence). Empty cells mean the task has no face samples. These are \
            facial-expression proxies, not validated measures of satisfaction. Without --csv or --html \
            the CSV goes to standard output (also with --csv -). An existing file is replaced only when \
            it is an earlier EmoteLab report of the same kind for the same session (or with --overwrite); the \
            database, its journal and the session's recording never.
            """)

    @Option(parsing: .unconditional,
            help: ArgumentHelp("A session id (see `emotelab sessions`), `latest` (the most recently analysed one), or "
                               + "`all`: one CSV with every session's rows (CSV only).", valueName: "id|latest|all"),
            transform: ReportSessions.parse)
    var session: ReportSessions

    @Option(name: .customLong("run"), parsing: .unconditional, help: ArgumentHelp("Read this run of the session instead of its latest complete one (`emotelab sessions --runs` lists them), e.g. to compare models.", valueName: "id"))
    var runID: Int64?

    @Option(help: ArgumentHelp("Write the CSV report here.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Write the HTML report here (one self-contained file).", valueName: "file"))
    var html: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Subtract the participant's mean valence over the first SECONDS of the session "
                               + "(seconds or [hh:]mm:ss[.fff]); valence values then range over [-2, 2].",
                               valueName: "seconds"),
            transform: TimeArgument.parse)
    var baseline: TimeArgument?

    @Flag(help: ArgumentHelp("Replace existing --csv/--html files that are not earlier reports of this session "
                             + "(never the database or the session's recording)."))
    var overwrite = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if csv == "-", html == "-" { throw ValidationError("only one of --csv and --html can go to standard output") }
        if let csv, let html, csv != "-", html != "-", sameFile(csv, html) {
            throw ValidationError("--csv and --html name the same file (\(csv))")
        }
        if let baseline, !(baseline.seconds.isFinite && baseline.seconds > 0) {
            throw ValidationError("--baseline must be a positive number of seconds, got \(baseline.seconds)")
        }
        if session == .all {
            if html != nil { throw ValidationError("--html is one page per session: give one --session, not all") }
            if runID != nil { throw ValidationError("--run names a run of one session: give one --session, not all") }
        }
    }

    func run() throws {
        try reportingFailures {
            let database = try store.openExisting(.readOnly)
            guard case let .one(selector) = session else { return try reportAll(database) }
            let target = try selector.resolve(in: database)
            let run = try completeRun(of: target, in: database, id: runID)
            let sessionName = try database.displayName(of: target)
            if let baseline, let duration = target.info.duration, baseline.seconds > duration {
                throw CommandFailure(description: "--baseline \(TimeValue.clock(baseline.seconds)) is longer than session "
                                     + "\(target.id) (\(sessionName), \(TimeValue.clock(duration)))")
            }
            let report = try SessionReport(session: target, run: run, timeline: try database.timeline(run: run.id),
                                           tasks: try database.tasks(session: target.id), baselineSeconds: baseline?.seconds,
                                           sessionName: sessionName)
            let csvText = ReportCSV.text(report)
            guard csv != nil || html != nil else {
                print(csvText, terminator: "")
                return
            }
            let protected = [OutputFile.Protected(path: store.path, role: "the session database", isDatabase: true),
                             OutputFile.Protected(path: target.info.filePath, role: "the session's recording")]
            let end = SessionReport.end(of: target, timeline: report.timeline)
            let csvFile = csv.map(OutputFile.init(path:)), htmlFile = html.map(OutputFile.init(path:))
            // Both outputs are checked before either is written: a refusal leaves nothing half done.
            let csvPlan = try csvFile?.check(protected: protected, overwrite: overwrite, isReplaceable: {
                ReportCSV.isReport($0, sessionPath: RawFileName.displayed(target.info.filePath), end: end)
            })
            let htmlPlan = try htmlFile?.check(protected: protected, overwrite: overwrite, isReplaceable: {
                HTMLReport.isReport($0, contentHash: target.info.contentHash)
            })
            let quiet = [csvFile, htmlFile].contains { $0?.isStandardOutput == true }
            if let csvFile, let csvPlan {
                try csvFile.write(csvText, plan: csvPlan)
                if !quiet {
                    print("\(csvPlan.verb) \(csvFile.path) (\(report.tasks.count) task\(report.tasks.count == 1 ? "" : "s") + whole session)")
                }
            }
            if let htmlFile, let htmlPlan {
                let version = EmoteLab.version
                try htmlFile.write(HTMLReport.page(report, generator: "EmoteLab \(version)"), plan: htmlPlan)
                if !quiet { print("\(htmlPlan.verb) \(htmlFile.path)") }
            }
        }
    }

    /// `--session all`: every session's rows (tasks and whole session, from its latest complete run) in one
    /// CSV, sessions in id order; a session without a complete run is left out with a warning.
    private func reportAll(_ database: SessionStore) throws {
        let sessions = try database.sessionSummaries().map(\.session)
        let names = Session.displayNames(sessions.map(\.info.filePath))
        var rows: [ReportRow] = []
        var included = 0, withoutBaseline = 0
        for (target, name) in zip(sessions, names) {
            guard let run = try database.latestCompleteRun(session: target.id) else {
                FileHandle.standardError.write(Data(
                    "warning: session \(target.id) (\(name)) has no complete analysis; left out\n".utf8))
                continue
            }
            repeatStoredWarnings(of: run, session: target)
            // A participant whose baseline cannot be taken is left out, not the whole study.
            func leaveOut(_ why: String) {
                withoutBaseline += 1
                FileHandle.standardError.write(Data("warning: session \(target.id) (\(name)) left out: \(why)\n".utf8))
            }
            if let baseline, let duration = target.info.duration, baseline.seconds > duration {
                leaveOut("--baseline \(TimeValue.clock(baseline.seconds)) is longer than the session "
                         + "(\(TimeValue.clock(duration)))")
                continue
            }
            let report: SessionReport
            do {
                report = try SessionReport(session: target, run: run, timeline: try database.timeline(run: run.id),
                                           tasks: try database.tasks(session: target.id),
                                           baselineSeconds: baseline?.seconds, sessionName: name)
            } catch let error as ReportError {
                leaveOut("\(error)")
                continue
            }
            rows += report.rows
            included += 1
        }
        guard included > 0 else {
            throw CommandFailure(description: withoutBaseline > 0
                ? "no session in \(store.path) could be reported with --baseline \(TimeValue.clock(baseline?.seconds ?? 0)) "
                    + "(see the warnings above)"
                : "no session in \(store.path) has a complete analysis")
        }
        let text = ReportCSV.text(rows: rows)
        guard let csv else { return print(text, terminator: "") }
        let file = OutputFile(path: csv)
        let protected = [OutputFile.Protected(path: store.path, role: "the session database", isDatabase: true)]
            + sessions.map { OutputFile.Protected(path: $0.info.filePath, role: "a session's recording") }
        let plan = try file.check(protected: protected, overwrite: overwrite,
                                  earlier: "an earlier all-sessions report of this database", isReplaceable: {
            ReportCSV.isCombinedReport($0, sessionPaths: sessions.map { RawFileName.displayed($0.info.filePath) })
        })
        try file.write(text, plan: plan)
        if !file.isStandardOutput {
            print("\(plan.verb) \(csv) (\(included) session\(included == 1 ? "" : "s"), \(rows.count) rows)")
        }
    }
}

/// `report --session`: one session, or all of them.
enum ReportSessions: Equatable {
    case all
    case one(SessionSelector)

    @Sendable static func parse(_ argument: String) throws -> ReportSessions {
        if argument == "all" { return .all }
        guard let selector = SessionSelector(argument: argument) else {
            throw ValidationError("a session is a positive whole number (see `emotelab sessions`), latest or all")
        }
        return .one(selector)
    }
}
