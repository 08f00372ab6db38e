/// A mean with its spread and 95 % interval, over independent values (one per participant, or one per
/// block of a task; see `BlockMeans`).
public struct MeanInterval: Sendable, Equatable {
    /// How many values the mean is over.
    public let n: Int
    public let mean: Double
    /// Sample standard deviation (n − 1 in the denominator); nil for one value.
    public let sd: Double?
    /// mean ± t(0.975, n − 1) × sd / √n, clipped to the values the figure can take; nil for one value.
    public let low: Double?
    public let high: Double?

    /// The mean, SD and t interval of `values`, or nil when there are none. `bounds`: the values the
    /// figure can take (a score 0…100), to which the interval is clipped.
    public init?(_ values: [Double], bounds: ClosedRange<Double> = -Double.infinity...Double.infinity) {
        guard !values.isEmpty else { return nil }
        let n = values.count, mean = values.reduce(0, +) / Double(values.count)
        self.n = n
        self.mean = mean
        guard n > 1 else {
            sd = nil; low = nil; high = nil
            return
        }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let sd = variance.squareRoot()
        let half = StudentT.quantile975(degreesOfFreedom: n - 1) * sd / Double(n).squareRoot()
        self.sd = sd
        low = bounds.clamped(mean - half)
        high = bounds.clamped(mean + half)
    }
}
