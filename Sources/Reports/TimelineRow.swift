import Foundation
import SessionStore

/// One row of `emotelab timeline`: `t, face, angry … surprise, dominant, valence, faces, others`.
public struct TimelineRow: Sendable, Equatable {
    /// Seconds from the start of the video.
    public var time: Double
    /// Whether the participant's face was seen at this time.
    public var face: Bool
    /// Probabilities in `Emotion` order (smoothed when asked); nil without a face.
    public var probabilities: [Double]?
    /// The emotion with the highest (smoothed) probability; nil without a face.
    public var dominant: Emotion?
    /// The (smoothed) valence; nil without a face.
    public var valence: Double?
    /// Every face found at this time, the participant's included. Never smoothed: a count of what the
    /// detector found at this very sample.
    public var faces: Int
    /// The faces found at this time that are not the participant's (never smoothed).
    public var others: Int

    public init(time: Double, face: Bool, probabilities: [Double]?, dominant: Emotion?, valence: Double?,
                faces: Int = 0, others: Int = 0) {
        self.time = time
        self.face = face
        self.probabilities = probabilities
        self.dominant = dominant
        self.valence = valence
        self.faces = faces
        self.others = others
    }
}

/// Turns a run's timeline into output rows, optionally smoothed.
public enum TimelineSmoother {
    /// The rows of `timeline`, restricted to [from, to].
    ///
    /// With `window` seconds, each face sample's probabilities and valence are replaced by their means over
    /// the face samples within ±window/2 of it (a centred moving average over face samples only; samples
    /// without a face stay empty and take no part). Valence is averaged as it is, not recomputed from the
    /// averaged probabilities; the dominant emotion is that of the averaged probabilities. The average
    /// uses samples outside [from, to], so a cut does not change the values inside it. A sample is inside
    /// [from, to] when its time *as printed* (rounded to the millisecond) is, so a time copied from the
    /// output selects its row (`isShown`).
    ///
    /// The face counts (`faces`, `others`) are never smoothed: they say what was found at that very
    /// sample. A mean count (1.4 faces) describes no frame, and the question a researcher asks of them,
    /// "who else was on camera, and when", is answered by `OthersInView.stretches`, which bridges the
    /// detector's single-sample drop-outs instead.
    public static func rows(_ timeline: [TimelineSample], window: Double? = nil,
                            from: Double? = nil, to: Double? = nil) -> [TimelineRow] {
        let faces = timeline.compactMap { sample in sample.scores.map { (time: sample.time, scores: $0) } }
        var low = 0, high = 0           // the window is faces[low..<high]
        var faceIndex = 0
        var rows: [TimelineRow] = []
        for sample in timeline {
            guard let scores = sample.scores else {
                rows.append(TimelineRow(time: sample.time, face: false, probabilities: nil, dominant: nil, valence: nil,
                                        faces: sample.faces, others: sample.others))
                continue
            }
            defer { faceIndex += 1 }
            guard let window, window > 0 else {
                rows.append(TimelineRow(time: sample.time, face: true, probabilities: scores.probabilities,
                                        dominant: scores.dominant, valence: scores.valence,
                                        faces: sample.faces, others: sample.others))
                continue
            }
            let half = window / 2
            while low < faces.count, faces[low].time < sample.time - half { low += 1 }
            high = max(high, faceIndex)
            while high < faces.count, faces[high].time <= sample.time + half { high += 1 }
            let members = faces[low..<high]
            let count = Double(members.count)
            let means = Emotion.allCases.map { emotion in members.reduce(0) { $0 + $1.scores[emotion] } / count }
            let valence = members.reduce(0) { $0 + $1.scores.valence } / count
            let dominant = Emotion.allCases.reduce(Emotion.angry) { means[$1.rawValue] > means[$0.rawValue] ? $1 : $0 }
            rows.append(TimelineRow(time: sample.time, face: true, probabilities: means, dominant: dominant, valence: valence,
                                    faces: sample.faces, others: sample.others))
        }
        return rows.filter { isShown($0.time, from: from, to: to) }
    }

    /// Whether a sample at `time` lies in [from, to] (either bound optional) as printed: rounded to the
    /// millisecond, so a time copied from the output selects its row.
    public static func isShown(_ time: Double, from: Double?, to: Double?) -> Bool {
        let scale = pow(10, Double(Formatting.timeDecimals))
        let shown = (time * scale).rounded() / scale
        return (from.map { shown >= $0 } ?? true) && (to.map { shown <= $0 } ?? true)
    }
}
