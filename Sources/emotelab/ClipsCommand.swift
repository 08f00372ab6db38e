import ArgumentParser
import Evidence
import FileNames
import Foundation
import Reports
import SessionStore

/// `emotelab clips`: short video clips of a session's (or a study's) strongest moments, with an index.
struct ClipsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clips",
        abstract: "Cut highlight clips of the strongest moments per task, with a CSV and HTML index.",
        discussion: """
            Per task: the strongest negative moments (lowest smoothed valence), the strongest positive \
            ones (highest) and the longest stretches of an emotion at or above --threshold. Moments are \
            read off the timeline smoothed over --smooth seconds, and need at least 3 face samples in \
            that window. Clips are re-encoded so they start on the exact frame, or with --fast copied \
            from the keyframe at or before the start. With --session all, clips of every session are \
            grouped per task (by task name) across participants. Writes the clips and clips.csv and \
            clips.html into the --out folder. Existing files there are replaced only when EmoteLab made \
            them (or with --overwrite); the database and the recordings never. See docs/video-evidence.md.
            """)

    @Option(parsing: .unconditional,
            help: ArgumentHelp("A session id or participant label, `latest`, `all`, or a list (P01,P02); all or a list "
                               + "gives a reel per task across sessions.", valueName: "id|label|latest|all"),
            transform: ReportSessions.parse)
    var session: ReportSessions

    @Option(help: ArgumentHelp("The folder for the clips and their index (made if missing).", valueName: "folder"))
    var out: String

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("Which highlights.", valueName: "kind"))
    var kinds: [MomentKindArgument] = MomentKind.allCases.map(MomentKindArgument.init)

    @Option(help: ArgumentHelp("Clips of each kind per task.", valueName: "n"))
    var count = 1

    @Option(help: ArgumentHelp("Clip length in seconds around a moment.", valueName: "seconds"))
    var length = 6.0

    @Option(help: ArgumentHelp("Smoothing window in seconds (centred moving average).", valueName: "seconds"))
    var smooth = 2.0

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("Emotions whose stretches are looked for (default: all but neutral).", valueName: "emotion"))
    var stretchEmotions: [EmotionArgument] = []

    @Option(help: ArgumentHelp("A stretch keeps the emotion's smoothed probability at or above this.", valueName: "p"))
    var threshold = 0.5

    @Flag(help: "Copy the streams from the keyframe before each start (fast; clips may start a little early).")
    var fast = false

    @Flag(help: "Burn a caption (task, kind, emotion, score, time) into each clip (re-encodes).")
    var captions = false

    @Flag(help: "Replace existing files that EmoteLab did not make (never the database or a recording).")
    var overwrite = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if fast && captions { throw ValidationError("--captions draws on the frames, which needs re-encoding: drop --fast") }
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard length.isFinite, length > 0, length <= 600 else { throw ValidationError("--length must be between 0 and 600 seconds") }
        guard smooth.isFinite, smooth > 0 else { throw ValidationError("--smooth must be a positive number of seconds") }
        guard threshold.isFinite, threshold > 0, threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1]") }
        guard !kinds.isEmpty else { throw ValidationError("--kinds needs at least one of negative, positive, stretch") }
    }

    func run() throws {
        try reportingFailures {
            let database = try store.openExisting(.readOnly)
            var options = MomentOptions()
            options.kinds = MomentKind.allCases.filter { kind in kinds.contains { $0.kind == kind } }
            options.perTask = count
            options.smoothing = smooth
            options.separation = length
            options.threshold = threshold
            if !stretchEmotions.isEmpty { options.stretchEmotions = stretchEmotions.map(\.emotion) }
            let settings = ClipSettings(length: length, fast: fast, captions: captions)

            // The sessions and their moments.
            let sessions: [Session]
            let names: [String]
            switch session {
            case let .one(selector):
                sessions = [try selector.resolve(in: database)]
            case .all:
                sessions = try database.sessionSummaries().map(\.session)
            case let .some(selectors):
                sessions = try selectors.map { try $0.resolve(in: database) }
            }
            // Participants by their labels, as reports show them.
            names = try sessions.map { try database.label(of: $0) }
            var requests: [(request: ClipRequest, session: Session)] = []
            var taskNumbers: [String: Int] = [:]      // --session all: one number per task name
            var used = 0
            for (target, name) in zip(sessions, names) {
                let run: Run
                do {
                    if session.isStudy {
                        guard let latest = try database.latestCompleteRun(session: target.id) else {
                            warn("session \(target.id) (\(name)) has no complete analysis; left out")
                            continue
                        }
                        run = latest
                    } else {
                        run = try completeRun(of: target, in: database)
                    }
                    try RecordingCheck.verify(target)
                } catch let error as EvidenceError where session.isStudy {
                    warn("\(error); left out")
                    continue
                }
                used += 1
                let moments = MomentFinder.moments(timeline: try database.timeline(run: run.id),
                                                   tasks: try database.tasks(session: target.id), options: options)
                for moment in moments {
                    var numbered = moment
                    if session.isStudy {
                        let number = taskNumbers[moment.taskName] ?? taskNumbers.count
                        taskNumbers[moment.taskName] = number
                        numbered.taskIndex = number
                    }
                    let span = ClipPlanner.span(of: moment, length: length, duration: target.info.duration)
                    let base = ClipPlanner.baseName(taskNumber: numbered.taskIndex + 1, taskName: moment.taskName,
                                                    sessionID: session.isStudy ? target.id : nil, kind: moment.kind,
                                                    rank: moment.rank)
                    requests.append((ClipRequest(moment: numbered, sessionID: target.id, sessionName: name,
                                                 start: span.start, end: span.end, baseName: base), target))
                }
            }
            guard used > 0 else {
                throw CommandFailure(description: "no session in \(store.path) has a complete analysis of a recording that is still in place")
            }
            guard !requests.isEmpty else {
                throw CommandFailure(description: "no moments found: no task has enough face samples"
                                     + (kinds.contains { $0.kind == .stretch } ? " (or no stretch reaches --threshold \(threshold))" : ""))
            }

            // Plan every file and check it before writing anything.
            try prepareFolder(out)
            let protected = EvidenceOutput.protected(store: store, sessions: sessions)
            var extensions: [Int64: String] = [:]
            var planned: [(request: ClipRequest, session: Session, path: String, name: String)] = []
            for (request, target) in requests {
                if extensions[target.id] == nil {
                    extensions[target.id] = try ClipMaker.fileExtension(recording: target.info.filePath, settings: settings)
                }
                let name = request.baseName + "." + extensions[target.id]!
                let path = (out as NSString).appendingPathComponent(name)
                try EvidenceOutput.checkVideo(path, protected: protected, overwrite: overwrite)
                planned.append((request, target, path, name))
            }
            let csvFile = OutputFile(path: (out as NSString).appendingPathComponent(ClipIndex.csvName))
            let htmlFile = OutputFile(path: (out as NSString).appendingPathComponent(ClipIndex.htmlName))
            let csvPlan = try csvFile.check(protected: protected, overwrite: overwrite, earlier: "a clip index EmoteLab made",
                                            isReplaceable: ClipIndex.isCSVIndex)
            let htmlPlan = try htmlFile.check(protected: protected, overwrite: overwrite, earlier: "a clip index EmoteLab made",
                                              isReplaceable: ClipIndex.isHTMLIndex)

            // Cut.
            var entries: [ClipEntry] = []
            let clock = Date()
            for (number, item) in planned.enumerated() {
                let result = try EvidenceOutput.writeVideo(to: item.path) { temporary in
                    try ClipMaker.make(item.request, recording: item.session.info.filePath,
                                       contentHash: item.session.info.contentHash, to: temporary, settings: settings)
                }
                entries.append(ClipEntry(request: item.request, fileName: item.name, result: result))
                print("clip \(number + 1)/\(planned.count): \(item.name) (\(TimeValue.clock(result.start))–"
                      + "\(TimeValue.clock(result.end)), \(item.request.moment.emotion.name) "
                      + String(format: "%.2f", item.request.moment.score) + ")")
            }
            try csvFile.write(ClipIndex.csv(entries), plan: csvPlan)
            let title = session.isStudy ? "EmoteLab clips: \(used) session\(used == 1 ? "" : "s"), per task"
                                        : "EmoteLab clips: session \(sessions[0].id) (\(names[0]))"
            try htmlFile.write(ClipIndex.html(entries, title: title), plan: htmlPlan)
            let seconds = Date().timeIntervalSince(clock)
            print("wrote \(entries.count) clip\(entries.count == 1 ? "" : "s") (\(fast ? "stream copy" : "re-encoded")) and "
                  + "\(ClipIndex.csvName), \(ClipIndex.htmlName) to \(out) in " + String(format: "%.1f s", seconds))
        }
    }

    private func warn(_ message: String) {
        FileHandle.standardError.write(Data(TerminalText.line("warning: \(message)").utf8))
    }

    /// Makes the output folder when it is missing (its parent must exist).
    private func prepareFolder(_ path: String) throws {
        if RawFileSystem.isFolder(path) { return }
        if RawFileSystem.exists(path) { throw CommandFailure(description: "--out \(path) is a file, not a folder") }
        guard mkdir(path, 0o755) == 0 else {
            throw CommandFailure(description: "cannot make the folder \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// `--kinds` values.
struct MomentKindArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
    let kind: MomentKind
    var description: String { kind.rawValue }
    init(_ kind: MomentKind) { self.kind = kind }
    init?(argument: String) {
        guard let kind = MomentKind(rawValue: argument.lowercased()) else { return nil }
        self.kind = kind
    }
    static var allValueStrings: [String] { MomentKind.allCases.map(\.rawValue) }
}

/// `--stretch-emotions` values.
struct EmotionArgument: ExpressibleByArgument, Equatable {
    let emotion: Emotion
    init?(argument: String) {
        guard let emotion = Emotion.allCases.first(where: { $0.name == argument.lowercased() }) else { return nil }
        self.emotion = emotion
    }
    static var allValueStrings: [String] { Emotion.allCases.map(\.name) }
}
