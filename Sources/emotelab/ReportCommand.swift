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
            One row per task and a whole-session row. face_presence = share of samples with the \
            participant's face; emotion columns are mean probabilities over the face samples (with a \
            baseline, their change from it); valence = happy − max(angry, disgust, fear, sad) per sample; \
            engagement = 100 × mean over the face samples of (1 − neutral); satisfaction = 50 × (1 + mean \
            valence); _low/_high = 95 % interval from 5-second block means; others_in_view = share of \
            samples with a face besides the participant's (others_samples of them). Empty cells mean the \
            task has no face samples. With --session all or a list (P01,P02): the study report, one row per \
            participant × task, --summary per task across participants, --html a study page with a page \
            per participant beside it (see docs/study-reports.md). These are \
            facial-expression proxies, not validated measures of satisfaction. Without --csv or --html \
            the CSV goes to standard output (also with --csv -). An existing file is replaced only when \
            it is an earlier EmoteLab report of the same kind for the same session (or with --overwrite); the \
            database, its journal and the session's recording never.
            """)

    @Option(parsing: .unconditional,
            help: ArgumentHelp("A session id or participant label (see `emotelab sessions`), `latest` (the most recently "
                               + "analysed one), or a study: `all` or a list such as P01,P02,P05 (one row per "
                               + "participant × task; --summary, and --html for the study page).",
                               valueName: "id|label|latest|all|list"),
            transform: ReportSessions.parse)
    var session: ReportSessions

    @Option(name: .customLong("run"), parsing: .unconditional, help: ArgumentHelp("Read this run of the session instead of its latest complete one (`emotelab sessions --runs` lists them), e.g. to compare models.", valueName: "id"))
    var runID: Int64?

    @Option(help: ArgumentHelp("Write the CSV report here.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Write the HTML report here (one self-contained file).", valueName: "file"))
    var html: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("The participant's resting face, whose mean valence is subtracted from every valence "
                               + "(which then ranges over [-2, 2]) and whose mean emotion probabilities from the tasks' "
                               + "(the emotion columns then hold changes): SECONDS from the start ([hh:]mm:ss[.fff] too), "
                               + "a range FROM-TO (0:10-0:40), or a task: task:NAME (e.g. task:Warm-up).",
                               valueName: "seconds|from-to|task:name"),
            transform: ReportCommand.parseBaseline)
    var baseline: Baseline?

    /// `--baseline`'s value, with a message that says what is expected.
    @Sendable static func parseBaseline(_ argument: String) throws -> Baseline {
        guard let baseline = Baseline(argument: argument) else {
            throw ValidationError(argument.trimmingCharacters(in: .whitespaces).hasPrefix("-") ? "times are not negative"
                                  : "a baseline is seconds, a range FROM-TO or task:NAME")
        }
        return baseline
    }

    @Option(help: ArgumentHelp("Study reports: write the per-task summary across participants (n, mean, SD, 95 % "
                               + "interval of engagement, satisfaction, valence, face presence and others in view) here.",
                               valueName: "file"))
    var summary: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Draw the chart as a rolling mean over SECONDS (default: a 24th of the session, at most "
                               + "\(String(format: "%g", HTMLReport.maximumDefaultSmoothing)) s; 0 draws every sample). "
                               + "The CSV and the tables always use the raw samples.",
                               valueName: "seconds"))
    var smooth: Double?

    @Flag(help: ArgumentHelp("Study reports: compare sessions scored by different models or with different baselines "
                             + "(refused otherwise)."))
    var mix = false

    @Flag(help: ArgumentHelp("Replace existing --csv/--html files that are not earlier reports of this session "
                             + "(never the database or the session's recording)."))
    var overwrite = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if csv == "-", html == "-" { throw ValidationError("only one of --csv and --html can go to standard output") }
        if let csv, let html, csv != "-", html != "-", sameFile(csv, html) {
            throw ValidationError("--csv and --html name the same file (\(csv))")
        }
        switch baseline {
        case let .firstSeconds(seconds)? where !(seconds.isFinite && seconds > 0):
            throw ValidationError("--baseline must be a positive number of seconds, got \(seconds)")
        case let .range(from, to)? where !(to > from):
            throw ValidationError("--baseline \(TimeValue.clock(from))-\(TimeValue.clock(to)) ends before it starts")
        default: break
        }
        if session.isStudy {
            if runID != nil { throw ValidationError("--run names a run of one session: give one --session, not all") }
        } else {
            if summary != nil { throw ValidationError("--summary is the per-task summary of a study: use --session all or a list") }
            if mix { throw ValidationError("--mix is for studies: use --session all or a list") }
        }
        if let smooth, !(smooth.isFinite && smooth >= 0) {
            throw ValidationError("--smooth must be 0 or a positive number of seconds, got \(smooth)")
        }
    }

    func run() throws {
        try reportingFailures {
            let database = try store.openExisting(.readOnly)
            guard case let .one(selector) = session else { return try reportStudy(database) }
            let target = try selector.resolve(in: database)
            let run = try completeRun(of: target, in: database, id: runID)
            let sessionName = try database.displayName(of: target)
            if case let .firstSeconds(seconds)? = baseline, let duration = target.info.duration, seconds > duration {
                throw CommandFailure(description: "--baseline \(TimeValue.clock(seconds)) is longer than session "
                                     + "\(target.id) (\(sessionName), \(TimeValue.clock(duration)))")
            }
            let report = try SessionReport(session: target, run: run, timeline: try database.timeline(run: run.id),
                                           tasks: try database.tasks(session: target.id), baseline: baseline,
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
                    let count = report.segments.count
                    print("\(csvPlan.verb) \(csvFile.path) (\(count) task\(count == 1 ? "" : "s") + whole session)")
                }
            }
            if let htmlFile, let htmlPlan {
                let version = EmoteLab.version
                try htmlFile.write(HTMLReport.page(report, generator: "EmoteLab \(version)",
                                                   smoothing: smooth,
                                                   participant: try database.label(of: target),
                                                   replay: htmlFile.isStandardOutput ? nil
                                                       : Self.replay(of: target, page: htmlFile.path)), plan: htmlPlan)
                if !quiet { print("\(htmlPlan.verb) \(htmlFile.path)") }
            }
        }
    }

    /// `--session all` or a list: the study report (participant × task CSV, per-task summary, study page).
    private func reportStudy(_ database: SessionStore) throws {
        let sessions: [Session]
        switch session {
        case .all: sessions = try database.sessionSummaries().map(\.session)
        case let .some(selectors): sessions = try selectors.map { try $0.resolve(in: database) }
        case .one: return
        }
        let labels = try database.labels()
        let names = Session.displayNames(try database.sessionSummaries().map(\.session.info.filePath))
        let ids = try database.sessionSummaries().map(\.session.id)
        var participants: [StudyParticipant] = []
        for target in sessions {
            let label = labels[target.id] ?? target.fileName
            let name = ids.firstIndex(of: target.id).map { names[$0] } ?? target.fileName
            guard let run = try database.latestCompleteRun(session: target.id) else {
                FileHandle.standardError.write(Data(TerminalText.line(
                    "warning: session \(target.id) (\(label)) has no complete analysis; left out").utf8))
                continue
            }
            repeatStoredWarnings(of: run, session: target)
            let timeline = try database.timeline(run: run.id), tasks = try database.tasks(session: target.id)
            var baselineText = baseline?.description ?? "none"
            let report: SessionReport
            do {
                if case let .firstSeconds(seconds)? = baseline, let duration = target.info.duration, seconds > duration {
                    throw CommandFailure(description: "--baseline \(TimeValue.clock(seconds)) is longer than the session "
                                         + "(\(TimeValue.clock(duration)))")
                }
                report = try SessionReport(session: target, run: run, timeline: timeline, tasks: tasks,
                                           baseline: baseline, sessionName: name)
            } catch {
                // A participant whose baseline cannot be taken has a different baseline (none): refused below
                // unless --mix, then reported without one.
                FileHandle.standardError.write(Data(TerminalText.line(
                    "warning: session \(target.id) (\(label)) has no baseline: \(error)").utf8))
                baselineText = "none"
                report = try SessionReport(session: target, run: run, timeline: timeline, tasks: tasks, sessionName: name)
            }
            participants.append(StudyParticipant(label: label, report: report, baseline: baselineText))
        }
        guard !participants.isEmpty else {
            throw CommandFailure(description: "no session in \(store.path) has a complete analysis")
        }
        if let baseline, participants.allSatisfy({ $0.baseline == "none" }) {
            let shown = if case let .firstSeconds(seconds) = baseline { TimeValue.clock(seconds) } else { baseline.description }
            throw CommandFailure(description: "no session in \(store.path) could be reported with --baseline "
                                 + "\(shown) (see the warnings above)")
        }
        let study: StudyReport
        do {
            study = try StudyReport(participants: participants, allowMixed: mix)
        } catch let mixed as StudyReport.Mix {
            throw CommandFailure(description: mixed.description)
        }
        let rowsText = StudyCSV.rows(study)
        guard csv != nil || html != nil || summary != nil else { return print(rowsText, terminator: "") }
        let protected = [OutputFile.Protected(path: store.path, role: "the session database", isDatabase: true)]
            + sessions.map { OutputFile.Protected(path: $0.info.filePath, role: "a session's recording") }
        let earlier = "an earlier study report of this kind"
        let csvFile = csv.map(OutputFile.init(path:)), summaryFile = summary.map(OutputFile.init(path:))
        let htmlFile = html.map(OutputFile.init(path:))
        // Participant pages beside the study page: STUDY-P07.html.
        let pages: [(label: String, file: OutputFile, participant: StudyParticipant)] = html.map { html in
            participants.map { ($0.label, OutputFile(path: Self.participantPagePath(study: html, label: $0.label)), $0) }
        } ?? []
        // Every output is checked before any is written: a refusal leaves nothing half done.
        let csvPlan = try csvFile?.check(protected: protected, overwrite: overwrite, earlier: earlier, isReplaceable: {
            StudyCSV.isStudyTable($0)
        })
        let summaryPlan = try summaryFile?.check(protected: protected, overwrite: overwrite, earlier: earlier,
                                                 isReplaceable: StudyCSV.isStudyTable)
        let htmlPlan = try htmlFile?.check(protected: protected, overwrite: overwrite, earlier: earlier,
                                           isReplaceable: StudyHTML.isStudyPage)
        let pagePlans = try pages.map { page in
            try page.file.check(protected: protected, overwrite: overwrite, isReplaceable: {
                HTMLReport.isReport($0, contentHash: page.participant.report.session.info.contentHash)
            })
        }
        let quiet = [csvFile, summaryFile, htmlFile].contains { $0?.isStandardOutput == true }
        func done(_ plan: OutputFile.Plan, _ path: String, _ what: String) {
            if !quiet { print(TerminalText.escaped("\(plan.verb) \(path) (\(what))")) }
        }
        if let csvFile, let csvPlan {
            try csvFile.write(rowsText, plan: csvPlan)
            done(csvPlan, csvFile.path, "\(participants.count) participant\(participants.count == 1 ? "" : "s") × task")
        }
        if let summaryFile, let summaryPlan {
            try summaryFile.write(StudyCSV.summary(study), plan: summaryPlan)
            done(summaryPlan, summaryFile.path, "\(study.tasks.count - 1) task\(study.tasks.count == 2 ? "" : "s") + whole session")
        }
        if let htmlFile, let htmlPlan {
            let generator = "EmoteLab \(EmoteLab.version)"
            for (page, plan) in zip(pages, pagePlans) {
                try page.file.write(HTMLReport.page(page.participant.report, generator: generator,
                                                    smoothing: smooth,
                                                    participant: page.label,
                                                    replay: Self.replay(of: page.participant.report.session,
                                                                        page: page.file.path)), plan: plan)
            }
            let links = Dictionary(uniqueKeysWithValues: pages.map {
                ($0.label, URL(fileURLWithPath: $0.file.path).lastPathComponent)
            })
            try htmlFile.write(StudyHTML.page(study, pages: links, generator: generator), plan: htmlPlan)
            done(htmlPlan, htmlFile.path, "and \(pages.count) participant page\(pages.count == 1 ? "" : "s") beside it")
        }
    }

    /// The recording a page written to `page` plays: the session's file, referenced relative to the page's
    /// folder so the two can be moved together.
    static func replay(of session: Session, page: String) -> Replay {
        Replay(source: ReplaySource.relativeURL(fromFolder: ReplaySource.folder(ofPage: page), to: session.info.filePath),
               name: RawFileName.displayed(session.info.filePath))
    }

    /// Where a participant's page goes: beside the study page, named after it and the label
    /// (`study.html`, `P07` → `study-P07.html`); characters other than letters, digits, `.`, `_` and `-`
    /// become `_`.
    static func participantPagePath(study: String, label: String) -> String {
        let url = URL(fileURLWithPath: study)
        let safe = String(label.unicodeScalars.map { scalar -> Character in
            CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII || "._-".unicodeScalars.contains(scalar)
                ? Character(scalar) : "_"
        })
        let name = url.deletingPathExtension().lastPathComponent + "-" + safe + "." + (url.pathExtension.isEmpty ? "html" : url.pathExtension)
        let folder = (study as NSString).deletingLastPathComponent
        return folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name)
    }
}

/// `report --session`: one session, all of them, or a list (`P01,P02,P05`).
enum ReportSessions: Equatable {
    case all
    case one(SessionSelector)
    case some([SessionSelector])

    /// A study (several participants) rather than one session.
    var isStudy: Bool {
        if case .one = self { return false }
        return true
    }

    @Sendable static func parse(_ argument: String) throws -> ReportSessions {
        if argument == "all" { return .all }
        if argument.contains(",") {
            let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let selectors = parts.compactMap { SessionSelector(argument: $0) }
            guard selectors.count == parts.count, !selectors.contains(.latest) else {
                throw ValidationError("a list of sessions is ids or participant labels separated by commas (P01,P02,P05)")
            }
            return .some(selectors)
        }
        guard let selector = SessionSelector(argument: argument) else {
            throw ValidationError("a session is a positive whole number, a participant label (see `emotelab sessions`), latest or all")
        }
        return .one(selector)
    }
}
