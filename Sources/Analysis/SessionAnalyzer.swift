import FaceDetection
import Foundation
import NeuralNet
import SessionStore
import VideoIO

/// Analyses recordings into the session store: sampled frames → tracked faces → batched emotion
/// classification → sample records, one run per file.
///
/// For each file: the content hash identifies the session; a run is begun with the analysis settings;
/// decode threads feed sampled, scaled gray frames through bounded queues to the calling thread, which
/// detects and tracks faces, crops and classifies them in batches across frames, and writes records in
/// batched transactions (every face, with a `face = 0` record for samples without one). At the end the
/// tracks of one seat are given one id and the participant's seat (the one with the most face area) is
/// marked, the tasks (if given) are stored and the run is finished, which replaces any older run with the
/// same settings. A failure marks the run `failed`, a cancellation `interrupted`; a killed process leaves
/// it `running`. None of those is ever reported.
///
/// One analyzer may run several files at once from different threads (each call has its own decoders,
/// tracker and classifier); every call uses the calling thread plus `AnalysisConfiguration.decoders`
/// decode threads. With several decoders a long video is split at keyframes and decoded in parallel; the
/// frames (and so the records) are exactly those of one decoder.
public final class SessionAnalyzer: @unchecked Sendable {
    public let configuration: AnalysisConfiguration
    public let model: AnalysisModel
    private let detector: LoadedDetector

    /// Loads the detector (BlazeFace weights or cascade) and checks the configuration.
    /// - Throws: `AnalysisError` (one line) for a bad option, cascade or weights file.
    public init(configuration: AnalysisConfiguration, model: AnalysisModel) throws {
        try configuration.validate()
        self.configuration = configuration
        self.model = model
        detector = try configuration.detector.load()
    }

    /// The settings stored with every run of this analyzer.
    public var runSettings: RunSettings {
        RunSettings(modelName: model.name, modelHash: model.hash, sampleRate: configuration.sampleRate,
                    detector: configuration.detector.name,
                    detectorParameters: configuration.detectorParametersJSON(digest: detector.digest))
    }

    /// Opens `url` as a video and returns its duration as the container states it (nil when unknown),
    /// without decoding; for checking a tasks file against the video before analysing.
    /// - Throws: `VideoIOError` naming the file when it is not a readable video.
    /// - Throws: `AnalysisError` for a still image (a photo is not a session recording).
    public static func videoDuration(of url: URL, videoStream: Int? = nil) throws -> Double? {
        let info = try VideoReader(url: url, options: VideoReadOptions(threads: 1, videoStream: videoStream)).info
        try requireVideo(info, path: url.relativePath)
        return info.duration
    }

    /// `2.5`, `30`, `29.97`: up to two decimals, no trailing zeros.
    static func rateText(_ rate: Double) -> String {
        var text = String(format: "%.2f", rate)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private static func requireVideo(_ info: VideoInfo, path: String) throws {
        if info.isStillImage {
            throw AnalysisError("\(path): a still image (\(info.codec)), not a video recording")
        }
    }

    /// Analyses one file into `store`.
    /// - Parameters:
    ///   - path: the video file as the user gave it (stored as the session's path).
    ///   - tasks: when given, they replace the session's tasks once the run completes.
    ///   - tasksFoundBeside: the tasks file `tasks` were read from when it was found beside the video
    ///     (`AnalysisPlan.companionTasksFile`) rather than given: they are then stored only when the
    ///     session has no tasks yet, so re-analysing never undoes tasks imported or fixed by hand.
    ///   - contentHash: the file's content hash when already known (`AnalysisPlan` hashes every file of a
    ///     batch to find copies), with the seconds it took; otherwise the file is hashed here.
    ///   - cancellation: polled once per frame; a stop request ends the run as `interrupted`.
    ///   - progress: called on the calling thread after each analysed frame.
    /// - Throws: `AnalysisInterrupted` after a stop request; the `VideoIOError`, `StoreError` or
    ///   `AnalysisError` that stopped the run otherwise (each one line naming the file).
    public func analyze(_ path: String, tasks: [TaskSegment]? = nil, tasksFoundBeside: String? = nil,
                        contentHash: String? = nil,
                        hashSeconds: Double = 0, store: SessionStore,
                        cancellation: CancellationToken = CancellationToken(),
                        progress: (AnalysisProgress) -> Void = { _ in }) throws -> AnalysisSummary {
        let total = Stopwatch()
        var timings = StageTimings()
        let url = URL(fileURLWithPath: path)
        Compute.threadCount = 1    // one core for classification; the decode threads take the others

        var watch = Stopwatch()
        // The plan decides whether the anchor frames alone are sampled (the same with any number of
        // decoders) and where parallel decoders may split the video. A video that cannot be planned is read
        // whole; the reader then reports what is wrong with it.
        let plan = try? VideoSegmentPlan.make(url: url, sampleRate: configuration.sampleRate,
                                              videoStream: configuration.videoStream)
        var readOptions = VideoReadOptions(sampleRate: configuration.sampleRate, maxWidth: configuration.detectionWidth,
                                           threads: 1, skipsLoopFilter: !configuration.exactDecode,
                                           videoStream: configuration.videoStream)
        if let plan { readOptions = plan.readOptions(readOptions) }
        let reader = try VideoReader(url: url, options: readOptions)
        let info = reader.info
        try Self.requireVideo(info, path: path)
        let decoders = configuration.resolvedDecoders()
        let segments = decoders > 1 ? plan?.segments ?? [.whole] : [.whole]
        timings.setup += watch.seconds
        watch = Stopwatch()
        let hash: String
        if let contentHash {
            hash = contentHash
            timings.hash = hashSeconds
        } else {
            do {
                hash = try ContentHash.sha256(fileAt: url)
            } catch {
                throw AnalysisError("\(path): cannot be read to hash it")
            }
            timings.hash = watch.seconds
        }

        watch = Stopwatch()
        var notes: [String] = []
        if let rate = info.averageFrameRate, rate.isFinite, rate > 0, rate < configuration.sampleRate * 0.99 {
            notes.append("\(path): the video has \(Self.rateText(rate)) frames/s, fewer than the \(Self.rateText(configuration.sampleRate)) "
                         + "samples/s asked for: every frame is one sample")
        }
        if configuration.videoStream == nil, !info.otherVideoStreams.isEmpty {
            notes.append("\(path): \(info.otherVideoStreams.count + 1) video streams; analysed stream \(info.streamIndex) "
                         + "(\(info.codec) \(info.width)x\(info.height)), FFmpeg's pick; also "
                         + info.otherVideoStreams.map(\.description).joined(separator: ", ")
                         + " (--video-stream N analyses another)")
        }
        let storedPath = url.standardizedFileURL.path
        if let known = try store.session(contentHash: hash), known.info.filePath != storedPath {
            notes.append("\(path): same content as session \(known.id), analysed before as \(known.info.filePath); "
                         + "the session now names this file")
        }
        // A joined recording's container duration comes from its jumping clock: keep the duration an earlier
        // run measured (the played one) until this run measures it again.
        let containerDuration = plan?.singleReason == VideoSegmentPlan.clockJumpReason ? nil : info.duration
        func sessionInfo(duration: Double?) -> SessionInfo {
            SessionInfo(filePath: storedPath, contentHash: hash, duration: duration, frameWidth: info.width,
                        frameHeight: info.height, recordedFPS: info.averageFrameRate)
        }
        let session = try store.findOrCreateSession(sessionInfo(duration: containerDuration))
        let runID = try store.beginRun(session: session.id, settings: runSettings)
        timings.setup += watch.seconds

        do {
            let source = FrameSource(url: url, reader: reader, options: readOptions, segments: segments,
                                     decoders: decoders, capacity: configuration.queueCapacity, cancellation: cancellation)
            let outcome = try run(source: source, info: info, path: path, runID: runID, store: store,
                                  cancellation: cancellation, timings: &timings, progress: progress, since: total)
            watch = Stopwatch()
            // A recording joined from parts: its length is what played, not the container's figure.
            let played = segments == [.whole] ? reader.playedDuration : nil
            if let played {
                _ = try store.findOrCreateSession(sessionInfo(duration: played))
            }
            if let tasks {
                let earlier = try store.tasks(session: session.id)
                let counted = "\(earlier.count) earlier " + (earlier.count == 1 ? "task" : "tasks")
                if let companion = tasksFoundBeside {
                    // Found, not given: it fills a session without tasks but never undoes an import.
                    if earlier.isEmpty {
                        try store.replaceTasks(tasks, session: session.id)
                        notes.append("\(path): tasks from \(companion)")
                    } else if earlier != tasks {
                        notes.append(companion == AnalysisPlan.chaptersSource
                                     ? "\(path): kept the session's \(counted) rather than \(companion)"
                                     : "\(path): kept the session's \(counted); \(companion) differs "
                                        + "(--tasks \(companion) applies it)")
                    }
                } else {
                    if !earlier.isEmpty, earlier != tasks {
                        notes.append("\(path): the tasks file replaced the session's \(counted) (session \(session.id))")
                    }
                    try store.replaceTasks(tasks, session: session.id)
                }
            }
            if let reason = cancellation.reason { throw AnalysisInterrupted(reason: reason, file: path) }
            try store.finishRun(runID, warnings: outcome.warnings.isEmpty ? nil
                                    : outcome.warnings.prefix(5).joined(separator: "; "))
            timings.store += watch.seconds
            return AnalysisSummary(
                file: path, sessionID: session.id, runID: runID,
                duration: played ?? info.duration ?? outcome.lastTime, samples: outcome.samples,
                faceSamples: outcome.participantFrames, trackCount: outcome.trackCount,
                participantTrack: outcome.participant, elapsed: total.seconds, warnings: outcome.warnings,
                notes: notes, timings: timings)
        } catch {
            let interrupted = error as? AnalysisInterrupted
            try? store.failRun(runID, message: interrupted.map { "analysis \($0.reason.description)" } ?? "\(error)",
                               status: interrupted == nil ? .failed : .interrupted)
            if case StoreError.unknownRun(_, runID) = error {
                // Another process analysed the same video with the same settings and finished first.
                throw AnalysisError("\(path): a newer analysis of the same video with the same settings finished "
                                    + "first and replaced this run")
            }
            throw error
        }
    }

    /// What the frame loop found.
    private struct Outcome {
        var samples = 0
        var lastTime = 0.0
        var participant: Int?
        var participantFrames = 0
        var trackCount = 0
        var warnings: [String] = []
    }

    /// The frame loop: decode threads → detection and tracking (this thread) → batched classification and
    /// records (`ClassificationStage`'s thread).
    private func run(source: FrameSource, info: VideoInfo, path: String, runID: Int64, store: SessionStore,
                     cancellation: CancellationToken, timings: inout StageTimings,
                     progress: (AnalysisProgress) -> Void, since start: Stopwatch) throws -> Outcome {
        let parameters = try configuration.detectionParameters(sourceWidth: info.width, sourceHeight: info.height)
        let finder = FaceFinder(detector: detector, parameters: parameters,
                                minimumFaceSide: Double(parameters.minSize.width),
                                cropSize: model.inputSize, framing: configuration.framing)
        let batcher = ClassificationBatcher(classifier: model.makeClassifier(batchSize: configuration.batchSize),
                                            batchSize: configuration.batchSize)
        let writer = RecordWriter(store: store, runID: runID, recordsPerTransaction: configuration.recordsPerTransaction)
        let stage = ClassificationStage(batcher: batcher, writer: writer)
        source.start()
        stage.start()
        defer {
            stage.stop()
            source.stop()
            timings.decode = source.decodeSeconds
            timings.decodedFrames = source.decodedFrames
            timings.decoders = source.decoderCount
            timings.segments = source.segmentCount
            timings.waitForFrames = source.waitSeconds
            timings.classify = stage.classifySeconds
            timings.store += stage.writeSeconds
        }

        var outcome = Outcome()
        frames: while true {
            if let reason = cancellation.reason { throw AnalysisInterrupted(reason: reason, file: path) }
            switch source.next() {
            case let .frame(frame):
                let watch = Stopwatch()
                let observation = finder.observe(frame)
                timings.detect += watch.seconds
                try stage.submit(observation)
                outcome.samples += 1
                outcome.lastTime = frame.timestamp
                progress(AnalysisProgress(file: path, frames: outcome.samples, analysedSeconds: frame.timestamp,
                                          duration: info.duration, elapsed: start.seconds))
                if configuration.frameDelay > 0 { Thread.sleep(forTimeInterval: configuration.frameDelay) }
            case let .end(warnings):
                outcome.warnings = warnings
                break frames
            case let .failure(error):
                if let reason = cancellation.reason { throw AnalysisInterrupted(reason: reason, file: path) }
                throw error
            }
        }
        try stage.finish()
        let tracking = finder.finish()
        let watch = Stopwatch()
        let joined = Dictionary(uniqueKeysWithValues: tracking.joined.map { (Int64($0.key), Int64($0.value)) })
        try store.markParticipant(track: tracking.participant.map(Int64.init), joining: joined, inRun: runID)
        timings.store += watch.seconds
        outcome.participant = tracking.participant
        outcome.participantFrames = tracking.participantFrames
        outcome.trackCount = tracking.trackCount
        return outcome
    }
}
