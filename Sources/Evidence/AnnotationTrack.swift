import SessionStore

/// What to draw on one frame of the annotated video.
public struct FrameAnnotation: Sendable, Equatable {
    /// The participant's face at the nearest sample, if seen then.
    public var participant: DetectedFace?
    /// The other faces at that sample.
    public var others: [DetectedFace]
    /// The task the frame's time falls in, if any.
    public var task: String?
    /// The time of the sample the faces come from (nil when no sample is near enough).
    public var sampleTime: Double?
}

/// A run's records indexed by time, for annotating frames between the sampled times.
///
/// A frame shows the records of the sample nearest to it in time (ties go to the earlier sample), held
/// unchanged between samples — boxes are not interpolated — as long as that sample is at most one
/// sampling interval away; farther from any sample (a stretch the analysis did not reach) nothing is drawn.
public struct AnnotationTrack: Sendable {
    private let times: [Double]
    private let records: [[SampleRecord]]
    private let tasks: [TaskSegment]
    /// How far a frame may be from its sample (seconds).
    public let reach: Double

    /// `records` of one run (any order), the session's `tasks`, and the run's sampling rate.
    public init(records: [SampleRecord], tasks: [TaskSegment], sampleRate: Double) {
        var grouped: [(Double, [SampleRecord])] = []
        for record in records.sorted(by: { $0.time < $1.time }) {
            if let last = grouped.last, last.0 == record.time {
                grouped[grouped.count - 1].1.append(record)
            } else {
                grouped.append((record.time, [record]))
            }
        }
        times = grouped.map(\.0)
        self.records = grouped.map(\.1)
        self.tasks = tasks
        reach = sampleRate > 0 ? 1 / sampleRate : 0.25
    }

    /// What to draw on the frame at `time` (seconds from the recording's start).
    public func annotation(at time: Double) -> FrameAnnotation {
        let task = tasks.first(where: { $0.contains(time) })?.name
        guard let index = nearest(time), abs(times[index] - time) <= reach + 1e-9 else {
            return FrameAnnotation(participant: nil, others: [], task: task, sampleTime: nil)
        }
        let faces = records[index].compactMap(\.face)
        return FrameAnnotation(participant: faces.first(where: \.isParticipant), others: faces.filter { !$0.isParticipant },
                               task: task, sampleTime: times[index])
    }

    /// The index of the sample time nearest to `time` (the earlier one on a tie).
    private func nearest(_ time: Double) -> Int? {
        guard !times.isEmpty else { return nil }
        var low = 0, high = times.count       // first index with times[i] > time
        while low < high {
            let mid = (low + high) / 2
            if times[mid] <= time { low = mid + 1 } else { high = mid }
        }
        if low == 0 { return 0 }
        if low == times.count { return times.count - 1 }
        return time - times[low - 1] <= times[low] - time ? low - 1 : low
    }
}
