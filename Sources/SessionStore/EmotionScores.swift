/// The seven class probabilities of one face, with the values derived from them.
public struct EmotionScores: Sendable, Equatable {
    /// The probabilities in `Emotion` order; always 7 values, each in [0, 1].
    public let probabilities: [Double]

    /// Scores from 7 probabilities in `Emotion` order.
    ///
    /// Each value must be finite and within [0, 1] up to a rounding slack of 1e-6 (softmax outputs in
    /// single precision); values inside the slack are clamped into [0, 1]. Returns nil otherwise.
    public init?(_ probabilities: [Double]) {
        guard probabilities.count == Emotion.allCases.count else { return nil }
        var clamped: [Double] = []
        clamped.reserveCapacity(probabilities.count)
        for p in probabilities {
            guard p.isFinite, p >= -1e-6, p <= 1 + 1e-6 else { return nil }
            clamped.append(min(max(p, 0), 1))
        }
        self.probabilities = clamped
    }

    /// Scores from single-precision classifier output (7 values in `Emotion` order), or nil.
    public init?(_ probabilities: [Float]) {
        self.init(probabilities.map(Double.init))
    }

    /// The probability of one emotion.
    public subscript(emotion: Emotion) -> Double { probabilities[emotion.rawValue] }

    /// The most probable emotion; ties go to the earlier one in `Emotion` order.
    public var dominant: Emotion {
        var best = Emotion.angry
        for emotion in Emotion.allCases where self[emotion] > self[best] { best = emotion }
        return best
    }

    /// Valence as FaceReader defines it, applied to probabilities:
    /// p(happy) − max(p(angry), p(disgust), p(fear), p(sad)), in [−1, 1].
    public var valence: Double {
        self[.happy] - max(self[.angry], self[.disgust], self[.fear], self[.sad])
    }
}
