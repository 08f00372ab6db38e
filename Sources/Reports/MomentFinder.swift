import Foundation
import SessionStore

/// How `MomentFinder` picks highlights.
public struct MomentOptions: Sendable, Equatable {
    /// The kinds wanted, in this order in the results of each task.
    public var kinds: [MomentKind] = MomentKind.allCases
    /// Moments of each kind per task.
    public var perTask = 1
    /// Centred moving-average window in seconds (`TimelineSmoother`); moments are read off the smoothed values.
    public var smoothing = 2.0
    /// A smoothed sample counts only when at least this many face samples were averaged into it, so a
    /// lone face sample between looks away never becomes a moment.
    public var minimumSamples = 3
    /// Two moments of one kind in one task are at least this far apart (seconds): the clip length, so
    /// their clips do not overlap.
    public var separation = 6.0
    /// The emotions whose stretches are looked for (by default every emotion except neutral).
    public var stretchEmotions: [Emotion] = Emotion.allCases.filter { $0 != .neutral }
    /// A stretch is a run of smoothed samples whose probability of the emotion is at least this.
    public var threshold = 0.5
    /// Stretches shorter than this (seconds) are not reported.
    public var minimumStretch = 1.0

    public init() {}
}

/// Finds a session's highlights in its participant timeline: per task, the strongest negative and
/// positive moments and the longest stretches of an emotion above a threshold.
///
/// Everything is read off smoothed samples (`TimelineSmoother` with `MomentOptions.smoothing`), and a
/// smoothed sample backed by fewer than `minimumSamples` face samples is ignored, so one noisy sample is
/// never a moment. A negative moment needs a valence below 0, a positive one above 0. Within a kind and a
/// task, moments are taken strongest first and each at least `separation` seconds from those already
/// taken. Samples without a face end a stretch, and so does a gap of more than two sampling intervals
/// (`SamplingGrid.contiguity`: time that was not sampled; sampled frames jitter by up to a frame).
public enum MomentFinder {
    /// The task name used for a session that has no tasks.
    public static let wholeSession = "(whole session)"

    /// One smoothed face sample.
    public struct SmoothedSample: Sendable, Equatable {
        public var time: Double
        public var probabilities: [Double]
        public var valence: Double
        /// Face samples averaged into it.
        public var support: Int
    }

    /// The smoothed face samples of `timeline` (no-face samples give nil at their place, so runs can be cut).
    public static func smoothed(_ timeline: [TimelineSample], window: Double) -> [SmoothedSample?] {
        let rows = TimelineSmoother.rows(timeline, window: window)
        let faceTimes = timeline.filter(\.hasFace).map(\.time)
        var low = 0, high = 0
        return rows.map { row -> SmoothedSample? in
            guard row.face, let probabilities = row.probabilities, let valence = row.valence else { return nil }
            let half = window / 2
            while low < faceTimes.count, faceTimes[low] < row.time - half { low += 1 }
            while high < faceTimes.count, faceTimes[high] <= row.time + half { high += 1 }
            return SmoothedSample(time: row.time, probabilities: probabilities, valence: valence, support: high - low)
        }
    }

    /// The highlights of one session, task by task (tasks in their order, kinds in `options.kinds` order,
    /// strongest first). A session without tasks is one task named `wholeSession`.
    public static func moments(timeline: [TimelineSample], tasks: [TaskSegment],
                               options: MomentOptions = .init()) -> [Moment] {
        let samples = smoothed(timeline, window: options.smoothing)
        let interval = samplingInterval(timeline)
        let segments = tasks.isEmpty
            ? [TaskSegment(name: wholeSession, start: 0, end: (timeline.last?.time ?? 0) + interval)]
            : tasks
        var result: [Moment] = []
        for (index, task) in segments.enumerated() {
            let inTask = samples.enumerated().filter { task.contains(timeline[$0.offset].time) }.map(\.element)
            for kind in options.kinds {
                switch kind {
                case .negative, .positive:
                    result += extremes(kind, in: inTask, task: task, index: index, options: options)
                case .stretch:
                    result += stretches(in: inTask, task: task, index: index, interval: interval, options: options)
                }
            }
        }
        return result
    }

    /// The median step between timestamps (0.25 s at 4 samples per second); 1 s with fewer than 2 samples.
    static func samplingInterval(_ timeline: [TimelineSample]) -> Double {
        let steps = zip(timeline.dropFirst(), timeline).map { $0.time - $1.time }.filter { $0 > 0 }.sorted()
        return steps.isEmpty ? 1 : steps[steps.count / 2]
    }

    private static func extremes(_ kind: MomentKind, in samples: [SmoothedSample?], task: TaskSegment, index: Int,
                                 options: MomentOptions) -> [Moment] {
        let negative = kind == .negative
        let candidates = samples.compactMap { $0 }
            .filter { $0.support >= options.minimumSamples && (negative ? $0.valence < 0 : $0.valence > 0) }
            .sorted { a, b in
                a.valence == b.valence ? a.time < b.time : (negative ? a.valence < b.valence : a.valence > b.valence)
            }
        var chosen: [SmoothedSample] = []
        for candidate in candidates where chosen.count < options.perTask {
            if chosen.allSatisfy({ abs($0.time - candidate.time) >= options.separation }) { chosen.append(candidate) }
        }
        let negatives: [Emotion] = [.angry, .disgust, .fear, .sad]
        return chosen.enumerated().map { rank, sample in
            let emotion = negative
                ? negatives.reduce(Emotion.angry) { sample.probabilities[$1.rawValue] > sample.probabilities[$0.rawValue] ? $1 : $0 }
                : .happy
            return Moment(kind: kind, taskIndex: index, taskName: task.name, rank: rank + 1, time: sample.time,
                          end: sample.time, emotion: emotion, score: sample.valence)
        }
    }

    private static func stretches(in samples: [SmoothedSample?], task: TaskSegment, index: Int, interval: Double,
                                  options: MomentOptions) -> [Moment] {
        struct Run { var emotion: Emotion; var first: Double; var last: Double; var total: Double; var count: Int }
        var runs: [Run] = []
        for emotion in options.stretchEmotions {
            var current: Run?
            var previousTime: Double?
            func close() {
                if let run = current, run.last - run.first + interval >= options.minimumStretch - 1e-9 { runs.append(run) }
                current = nil
            }
            for sample in samples {
                guard let sample, sample.support >= options.minimumSamples,
                      sample.probabilities[emotion.rawValue] >= options.threshold else {
                    close()
                    continue
                }
                let p = sample.probabilities[emotion.rawValue]
                if var run = current, let previousTime, sample.time - previousTime <= SamplingGrid.contiguity * interval + 1e-9 {
                    run.last = sample.time
                    run.total += p
                    run.count += 1
                    current = run
                } else {
                    close()
                    current = Run(emotion: emotion, first: sample.time, last: sample.time, total: p, count: 1)
                }
                previousTime = sample.time
            }
            close()
        }
        let longest = runs.sorted { a, b in
            let (da, db) = (a.last - a.first, b.last - b.first)
            return da == db ? a.first < b.first : da > db
        }
        return longest.prefix(options.perTask).enumerated().map { rank, run in
            Moment(kind: .stretch, taskIndex: index, taskName: task.name, rank: rank + 1, time: run.first,
                   end: run.last + interval, emotion: run.emotion, score: run.total / Double(run.count))
        }
    }
}
