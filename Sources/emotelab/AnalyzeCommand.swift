import Analysis
import ArgumentParser
import Foundation
import SessionStore

/// `emotelab analyze VIDEO...`: analyses recordings into the session store, one session per file.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse recordings into the session database: a facial-emotion timeline per session.",
        discussion: """
            Each file (or each video in a given folder and its subfolders) becomes a session, identified by its content: \
            frames are sampled by timestamp at --fps, faces found (BlazeFace by default) and tracked (the \
            participant is the face seen most), classified into 7 emotions and stored per sample. A run \
            counts as complete only when it finished; analysing the same file with the same settings \
            again replaces the old run. With --tasks, the tasks file (CSV task,start,end or JSON) is \
            checked against every video before anything is analysed and stored for each session.
            Ctrl-C or SIGTERM stops cleanly: the runs are marked interrupted (never reported) and the \
            exit status is 130 or 143. Files that cannot be analysed are reported and the others still \
            analysed; the exit status is then 1.

            Examples:
              emotelab analyze session1.mp4 --tasks session1-tasks.csv
              emotelab analyze recordings/ --jobs 2 --db study.sqlite
            """,
        aliases: ["analyse"])

    @Argument(help: ArgumentHelp("Video files, or folders of them, subfolders included (any container and codec FFmpeg reads).",
                                 valueName: "video"))
    var videos: [String]

    @Option(help: ArgumentHelp("Tasks of the session(s): CSV (task,start,end) or JSON; stored for each file. Without it, a video takes NAME.tasks.csv|json beside it, or tasks.csv|json when it is alone in its folder.",
                               valueName: "file"))
    var tasks: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Samples per second of video.", valueName: "rate"))
    var fps: Double = 4

    @Option(help: ArgumentHelp("The emotion model: a shipped model (A, B, C, default) or a model file.",
                               valueName: "name|file"))
    var model: String = "default"

    @Option(parsing: .unconditional, help: ArgumentHelp("Files analysed in parallel (each uses one analysis thread plus its decoders).", valueName: "n"))
    var jobs: Int = 1

    @OptionGroup var store: StoreOptions

    @OptionGroup(title: "Face detection") var detection: DetectionOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Decode threads per file, each decoding its own stretch between keyframes (0: one per core, shared by --jobs, at most 4).", valueName: "n"))
    var decoders: Int = 0

    @Flag(help: "Decode with H.264's deblocking filter (exact pixels, about a third slower).")
    var exactDecode = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Analyse this stream of each file, by its index in the container (when a file holds several video streams, e.g. screen and camera; `emotelab probe` lists them). Default: the one FFmpeg ranks best.", valueName: "n"))
    var videoStream: Int?

    @Flag(help: "Print where each analysis spent its time.")
    var timings = false

    func validate() throws {
        guard !videos.isEmpty else { throw ValidationError("give at least one video file or folder") }
        guard AnalysisConfiguration.sampleRates.contains(fps) else {
            throw ValidationError("--fps must be a number of samples per second from 0.000278 (one an hour) to 1000, got \(fps)")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        guard decoders >= 0 else { throw ValidationError("--decoders must be 0 (automatic) or more, got \(decoders)") }
        if let videoStream, videoStream < 0 {
            throw ValidationError("--video-stream must be a stream index, 0 or more, got \(videoStream)")
        }
        try detection.validate()
    }

    func run() throws {
        #if os(Linux)
        // Every sampled frame is a 230 kB buffer made on a decode thread and freed on the analysis thread.
        // glibc's adaptive threshold moves such blocks from mmap into its heaps after the first free, where
        // they fragment; a fixed threshold keeps them mapped and returned at once (≈ 20 MB less peak RSS).
        _ = glibcMallopt(-3 /* M_MMAP_THRESHOLD */, 128 * 1024)
        #endif
        var configuration = try detection.configuration()
        configuration.sampleRate = fps
        configuration.decoders = decoders
        configuration.decoders = configuration.resolvedDecoders(jobs: jobs)   // 0 → cores per job
        configuration.exactDecode = exactDecode
        configuration.videoStream = videoStream
        if let delay = ProcessInfo.processInfo.environment["EMOTELAB_TEST_FRAME_DELAY"].flatMap(Double.init) {
            configuration.frameDelay = delay     // test hook: lets a test interrupt a run mid-way
        }
        // Everything that can make the whole command fail is checked before the first file is analysed.
        var prepared: (plan: AnalysisPlan, runner: BatchRunner)?
        try reportingFailures {
            let analyzer = try SessionAnalyzer(configuration: configuration, model: try AnalysisModel(model))
            if let note = analyzer.model.note { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            let plan = try AnalysisPlan(inputs: videos, tasksFile: tasks, videoStream: videoStream)
            guard !plan.items.isEmpty else {
                // Nothing to analyse: report why, and leave no empty database behind.
                for problem in plan.problems { printError(problem) }
                throw ExitCode.failure
            }
            let database = try SessionStore(path: store.path, mode: .readWrite)
            prepared = (plan, BatchRunner(analyzer: analyzer, store: database, jobs: jobs))
        }
        guard let (plan, runner) = prepared else { throw ExitCode.failure }
        for problem in plan.problems { printError(problem) }
        for duplicate in plan.duplicates { printError(duplicate, prefix: "note") }
        for warning in plan.warnings { printError(warning, prefix: "warning") }

        let board = ProgressBoard()
        let signals = StopSignals()
        signals.start { reason in
            board.print(reason == .interrupt
                ? "interrupt: stopping; unfinished runs are marked interrupted (Ctrl-C again quits at once)"
                : "terminate: stopping; unfinished runs are marked interrupted")
        }
        defer { signals.stop() }
        let started = Date()
        let printTimings = timings
        let outcome = runner.run(plan, cancellation: signals.token) { event in
            switch event {
            case let .started(file): board.begin(file)
            case let .progress(progress): board.update(progress)
            case let .finished(summary):
                board.end(summary.file)
                board.print(AnalysisText.summary(summary))
                if printTimings { board.print(AnalysisText.timings(summary)) }
                for warning in summary.warnings { printError(warning, prefix: "warning") }
                for note in summary.notes { printError(note, prefix: "note") }
                if summary.samples > 0, summary.faceSamples == 0 {
                    printError("\(summary.file): no face found in any sample (is the face smaller than --min-face, "
                               + "turned away, or the video rotated?)", prefix: "warning")
                }
            case let .failed(file, message):
                board.end(file)
                printError(message)
            case let .interrupted(file):
                board.end(file)
                printError("\(file): analysis stopped; its run is marked interrupted")
            }
        }
        let failures = outcome.failures + plan.problems.count
        if plan.items.count + plan.problems.count > 1 {
            board.print(AnalysisText.total(analysed: outcome.summaries, failed: failures, interrupted: outcome.interrupted,
                                           notStarted: outcome.notStarted, elapsed: Date().timeIntervalSince(started)))
        }
        if let reason = outcome.stopReason { throw ExitCode(StopSignals.exitStatus(for: reason)) }
        if failures > 0 { throw ExitCode.failure }
    }
}

/// Writes `prefix: message` to standard error.
private func printError(_ message: String, prefix: String = "error") {
    FileHandle.standardError.write(Data(TerminalText.line("\(prefix): \(message)").utf8))
}

/// The detector options of `analyze`.
struct DetectionOptions: ParsableArguments {
    @Option(name: [.customLong("detector"), .customLong("cascade")],
            help: ArgumentHelp("Face detector: blazeface (MediaPipe BlazeFace, default: finds turned and partly hidden "
                               + "faces, and its eye positions turn each face upright before classification), haar "
                               + "(OpenCV frontal-face cascade), lbp (faster, a little less sensitive) or an OpenCV "
                               + "cascade XML file. (--cascade is the older name.)", valueName: "blazeface|haar|lbp|file"))
    var detector: String = "blazeface"

    @Option(parsing: .unconditional, help: ArgumentHelp("Smallest face side to find, in video pixels (default: a tenth of the frame height).",
                               valueName: "px"))
    var minFace: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Frames are scaled down to this width for detection.", valueName: "px"))
    var detectWidth: Int = 640

    @Option(parsing: .unconditional, help: "Cascade pyramid scale step (OpenCV scaleFactor; cascades only).")
    var scaleFactor: Double = 1.1

    @Option(parsing: .unconditional, help: "Overlapping detections a face needs (OpenCV minNeighbors; cascades only).")
    var minNeighbors: Int = 5

    func validate() throws {
        // The configuration's own checks, with the settings called by their option names.
        var names = AnalysisConfiguration.SettingNames()
        names.detectionWidth = "--detect-width"
        names.minimumFace = "--min-face"
        names.scaleFactor = "--scale-factor"
        names.minimumNeighbors = "--min-neighbors"
        do {
            try configuration().validate(names: names)
        } catch let error as AnalysisError {
            throw ValidationError(error.description)
        }
    }

    /// The analysis configuration these options describe (sampling rate left at its default).
    func configuration() throws -> AnalysisConfiguration {
        var configuration = AnalysisConfiguration()
        configuration.detector = DetectorChoice(argument: detector)
        configuration.minimumFace = minFace
        configuration.detectionWidth = detectWidth
        configuration.scaleFactor = scaleFactor
        configuration.minimumNeighbors = minNeighbors
        return configuration
    }
}

#if os(Linux)
/// glibc's `mallopt` (malloc.h is not part of Swift's Glibc module).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
