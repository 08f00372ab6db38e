/// The 95 % interval of a per-task figure that respects the correlation between neighbouring samples
/// (batch means): the task is cut into consecutive blocks of `seconds` from its start, each block with
/// samples gives one mean, and the interval is the t interval of those block means, centred on the
/// figure itself. Neighbouring samples of one face are far from independent at 4 samples a second;
/// blocks of 5 s are nearly so, so the interval is not the falsely narrow one of treating every sample
/// as a separate observation. A task shorter than two blocks has no interval. The interval is clipped to
/// the values the figure can take (`bounds`: a share lies in 0…1 however few blocks there are).
public enum BlockMeans {
    /// Block length in seconds.
    public static let seconds = 5.0

    /// The interval for `estimate` from `(time, value)` pairs of a segment that starts at `start`, or nil
    /// when fewer than two blocks hold values. Block k covers [start + k·seconds, start + (k+1)·seconds).
    public static func interval(of estimate: Double, values: [(time: Double, value: Double)], start: Double,
                                bounds: ClosedRange<Double>, blockSeconds: Double = seconds) -> ClosedRange<Double>? {
        var sums: [Int: (sum: Double, count: Int)] = [:]
        for (time, value) in values {
            let block = Int(((time - start) / blockSeconds).rounded(.down))
            sums[block, default: (0, 0)].sum += value
            sums[block, default: (0, 0)].count += 1
        }
        let means = sums.keys.sorted().map { sums[$0]!.sum / Double(sums[$0]!.count) }
        guard let spread = MeanInterval(means), let low = spread.low, let high = spread.high else { return nil }
        let half = (high - low) / 2
        return bounds.clamped(estimate - half)...bounds.clamped(estimate + half)
    }
}

extension ClosedRange where Bound == Double {
    /// `value` moved into the range.
    func clamped(_ value: Double) -> Double { Swift.min(Swift.max(value, lowerBound), upperBound) }
}
