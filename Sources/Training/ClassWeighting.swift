/// How the cross-entropy term weighs each class, to counter class imbalance (FER2013 has 16× more
/// `happy` than `disgust` faces).
public enum ClassWeighting: String, Codable, CaseIterable, Sendable {
    /// Every class weighs 1.
    case none
    /// Inverse frequency: `w_c = N / (K · n_c)` over the K classes present, so the average weight over the
    /// training images is exactly 1 (scikit-learn's "balanced").
    case inverse
    /// The square root of inverse frequency, normalised the same way: a milder correction.
    case sqrtInverse = "sqrt-inverse"

    /// The weight of each class for a training set with `counts[c]` images of class c. A class with no
    /// image gets weight 0 (no image carries it anyway).
    public func weights(counts: [Int]) -> [Float] {
        let present = counts.filter { $0 > 0 }
        guard !present.isEmpty else { return counts.map { _ in 1 } }
        let raw: [Double] = counts.map { n in
            guard n > 0 else { return 0 }
            switch self {
            case .none: return 1
            case .inverse: return 1 / Double(n)
            case .sqrtInverse: return 1 / Double(n).squareRoot()
            }
        }
        // Scale so that Σ_c n_c · w_c = N: the mean weight per training image is 1.
        let total = Double(present.reduce(0, +))
        let weighted = zip(counts, raw).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        return raw.map { Float($0 * total / weighted) }
    }
}
