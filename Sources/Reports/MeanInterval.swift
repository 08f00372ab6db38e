/// A mean with its spread and 95 % interval, over independent values (one per participant, or one per
/// block of a task; see `BlockMeans`).
public struct MeanInterval: Sendable, Equatable {
    /// How many values the mean is over.
    public let n: Int
    public let mean: Double
    /// Sample standard deviation (n − 1 in the denominator); nil for one value.
    public let sd: Double?
    /// mean ± t(0.975, n − 1) × sd / √n; nil for one value.
    public let low: Double?
    public let high: Double?

    /// The mean, SD and t interval of `values`, or nil when there are none.
    public init?(_ values: [Double]) {
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
        low = mean - half
        high = mean + half
    }
}
