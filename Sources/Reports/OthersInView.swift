import SessionStore

/// A stretch of a session in which someone besides the participant was on camera (a moderator, an
/// observer, a bystander): consecutive samples with at least one face that is not the participant's.
public struct OthersStretch: Sendable, Equatable {
    /// The time of the stretch's first sample with another face (seconds).
    public var start: Double
    /// The end of its last sample with another face: that sample's time plus one sampling interval, or
    /// the next sample's time when that comes sooner (seconds).
    public var end: Double
    /// The sampled timestamps from the first to the last sample with another face, bridged drop-outs
    /// included.
    public var samples: Int
    /// The most faces other than the participant's found at one of its samples.
    public var maxOthers: Int

    public init(start: Double, end: Double, samples: Int, maxOthers: Int) {
        self.start = start
        self.end = end
        self.samples = samples
        self.maxOthers = maxOthers
    }

    public var duration: Double { end - start }
}

/// Where others were in view: the stretches of a timeline with faces besides the participant's.
///
/// A stretch is a run of samples with at least one other face (`TimelineSample.others > 0`). One sample
/// without another face between two samples with one does not split it: a detector misses a face in a
/// single frame now and then (a turned head, motion blur), and "the moderator was in view 0:12–0:31" is
/// what happened, not two stretches. Two samples in a row without another face end it, and so does time
/// that was not sampled (neighbouring samples more than `contiguity` sampling intervals apart: a part of
/// the recording that could not be decoded, a jump in its clock), which a stretch never spans. Each sample stands for the
/// sampling interval that follows it, so a stretch of one sample at 4 samples a second lasts 0.25 s.
///
/// The report's `others_in_view` share counts samples (those with another face over all samples), like
/// face presence; a bridged drop-out is inside a stretch but not in that count.
public enum OthersInView {
    /// Neighbouring samples at most this many sampling intervals apart are contiguous (`SamplingGrid`); a grid
    /// point without a frame is bridged as a drop-out is.
    public static let contiguity = SamplingGrid.contiguity

    /// The stretches of `timeline` (in time order) sampled at `sampleRate` samples a second.
    public static func stretches(_ timeline: [TimelineSample], sampleRate: Double) -> [OthersStretch] {
        let interval = sampleRate > 0 && sampleRate.isFinite ? 1 / sampleRate : 0
        var stretches: [OthersStretch] = []
        var first: Int?, last = 0                  // the open stretch: its first and last sample with others
        func close() {
            guard let start = first else { return }
            let members = timeline[start...last]
            var end = timeline[last].time + interval
            if last + 1 < timeline.count { end = min(end, timeline[last + 1].time) }
            stretches.append(OthersStretch(start: timeline[start].time, end: end, samples: members.count,
                                           maxOthers: members.map(\.others).max() ?? 0))
            first = nil
        }
        for (i, sample) in timeline.enumerated() {
            if first != nil {
                let unsampled = sample.time - timeline[i - 1].time > contiguity * interval + 1e-9
                if unsampled || (!sample.hasOthers && i - last >= 2) { close() }
            }
            guard sample.hasOthers else { continue }
            if first == nil { first = i }
            last = i
        }
        close()
        return stretches
    }

    /// The parts of `stretches` that lie in [start, end) (a task), cut at its edges.
    public static func clipped(_ stretches: [OthersStretch], start: Double, end: Double) -> [OthersStretch] {
        stretches.compactMap { stretch in
            guard stretch.end > start, stretch.start < end else { return nil }
            var part = stretch
            part.start = max(stretch.start, start)
            part.end = min(stretch.end, end)
            return part
        }
    }

    /// `0:12.0–0:31.0, 2:05.0–2:09.3` (tenths of a second, as the report's tables show times), or `none`.
    public static func list(_ stretches: [OthersStretch]) -> String {
        stretches.isEmpty ? "none" : stretches.map(span).joined(separator: ", ")
    }

    /// One stretch as `0:12.0–0:31.0`.
    public static func span(_ stretch: OthersStretch) -> String {
        "\(HTMLReport.shortClock(stretch.start))–\(HTMLReport.shortClock(stretch.end))"
    }
}
