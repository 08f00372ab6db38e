import SessionStore

/// The per-task report of one session: the facts, the timeline it was computed from and its rows.
public struct SessionReport: Sendable {
    public let session: Session
    /// The session's name in the rows and the page title.
    public let sessionName: String
    /// The complete run the report reads.
    public let run: Run
    /// The session's tasks and point events as stored.
    public let tasks: [TaskSegment]
    /// The tasks (no events) with the names reports show: a repeated name numbered by occurrence
    /// (`TaskSegment.reportNames`). `rows` has one row per segment, in this order.
    public let segments: [TaskSegment]
    /// The point events, in file order.
    public let events: [TaskSegment]
    public let timeline: [TimelineSample]
    /// The baseline window in seconds from the start, when one of that kind was asked for.
    public var baselineSeconds: Double? {
        if case let .firstSeconds(seconds)? = baseline { return seconds }
        return nil
    }
    /// The baseline asked for, or nil.
    public let baseline: Baseline?
    /// The mean valence over the face samples of the baseline, subtracted from every valence.
    public let baselineValence: Double?
    /// The mean probability of each emotion (`Emotion` order) over the face samples of the baseline,
    /// subtracted from the task means (`ReportRow.emotionChanges`).
    public let baselineProbabilities: [Double]?
    /// One row per segment (task) in task order, then the whole-session row.
    public let rows: [ReportRow]
    /// The stretches of the session in which faces besides the participant's were in view
    /// (`OthersInView`), in time order.
    public let othersStretches: [OthersStretch]

    /// Computes the report.
    /// - Parameter baselineSeconds: when given, the mean valence of the face samples in
    ///   [0, baselineSeconds) is subtracted from every sample's valence.
    /// - Throws: `ReportError` for a non-positive baseline or one without face samples.
    /// - Parameter sessionName: the name in the rows and the title (default: the file name; the CLI passes
    ///   `SessionStore.displayName(of:)`, which adds folders when two sessions share a file name).
    public init(session: Session, run: Run, timeline: [TimelineSample], tasks: [TaskSegment],
                baselineSeconds: Double? = nil, sessionName: String? = nil) throws {
        try self.init(session: session, run: run, timeline: timeline, tasks: tasks,
                      baseline: baselineSeconds.map(Baseline.firstSeconds), sessionName: sessionName)
    }

    /// Computes the report with any kind of baseline: its mean valence is subtracted from every sample's
    /// valence, and its mean emotion probabilities from every task's means (`ReportRow.emotionChanges`).
    /// - Throws: `ReportError` for a bad baseline window, a missing task, or a window without face samples.
    public init(session: Session, run: Run, timeline: [TimelineSample], tasks: [TaskSegment],
                baseline: Baseline?, sessionName: String? = nil) throws {
        self.session = session
        self.sessionName = sessionName ?? session.fileName
        self.run = run
        self.tasks = tasks
        let names = TaskSegment.reportNames(tasks)
        segments = zip(tasks, names).filter { !$0.0.isEvent }.map { task, name in
            var named = task
            named.name = name
            return named
        }
        events = tasks.filter(\.isEvent)
        self.timeline = timeline
        self.baseline = baseline
        othersStretches = OthersInView.stretches(timeline, sampleRate: run.settings.sampleRate)

        var valenceBaseline = 0.0
        var probabilities: [Double]?
        if let baseline {
            let faces = try baseline.samples(of: timeline, segments: segments, tasks: tasks).compactMap(\.scores)
            guard !faces.isEmpty else {
                if case let .firstSeconds(seconds) = baseline { throw ReportError.noFacesInBaseline(seconds: seconds) }
                throw ReportError.noFacesInBaselineWindow(baseline.description)
            }
            valenceBaseline = faces.reduce(0) { $0 + $1.valence } / Double(faces.count)
            probabilities = Emotion.allCases.map { emotion in faces.reduce(0) { $0 + $1[emotion] } / Double(faces.count) }
            baselineValence = valenceBaseline
        } else {
            baselineValence = nil
        }
        baselineProbabilities = probabilities
        let baseline = valenceBaseline

        let name = self.sessionName
        var rows = segments.map { task in
            SegmentAggregator.row(session: name, task: task.name, isWholeSession: false, start: task.start,
                                  end: task.end, samples: timeline.filter { task.contains($0.time) }, baseline: baseline)
        }
        rows.append(SegmentAggregator.row(session: name, task: ReportRow.wholeSessionName, isWholeSession: true,
                                          start: SessionReport.start(of: timeline, sampleRate: run.settings.sampleRate),
                                          end: SessionReport.end(of: session, timeline: timeline),
                                          samples: timeline, baseline: baseline))
        self.rows = rows.map { row in
            var row = row
            if let probabilities, let means = row.emotionMeans {
                row.emotionChanges = zip(means, probabilities).map { $0 - $1 }
            }
            return row
        }
    }

    /// Where the whole-session row starts: 0, or the first sample's time when that comes more than one
    /// sampling interval after 0 (the start of the video could not be decoded, or its video stream
    /// starts late), so that the row never claims to cover time nothing was analysed in.
    public static func start(of timeline: [TimelineSample], sampleRate: Double) -> Double {
        guard let first = timeline.first?.time, sampleRate > 0, first > 1 / sampleRate + 1e-9 else { return 0 }
        return first
    }

    /// The end of the session: the video's duration, or the last sample's time when it is unknown.
    public static func end(of session: Session, timeline: [TimelineSample]) -> Double {
        session.info.duration ?? timeline.last?.time ?? 0
    }

    /// The whole-session row.
    public var wholeSession: ReportRow { rows[rows.count - 1] }
}
