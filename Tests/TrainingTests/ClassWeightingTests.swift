import XCTest
import Training

final class ClassWeightingTests: XCTestCase {
    /// Counts 10, 30, 0, 60 (N = 100, K = 3 classes present).
    /// inverse: w = N / (K·n) = 100/30, 100/90, 0, 100/180.
    /// sqrt-inverse: raw 1/√n; Σ n·raw = √10 + √30 + √60 = 16.3263…; w = raw · 100 / 16.3263…
    func testWeights() {
        let counts = [10, 30, 0, 60]
        let inverse = ClassWeighting.inverse.weights(counts: counts)
        for (w, expected) in zip(inverse, [100.0 / 30, 100.0 / 90, 0, 100.0 / 180]) {
            XCTAssertEqual(Double(w), expected, accuracy: 1e-5)
        }
        let sum = 10.0.squareRoot() + 30.0.squareRoot() + 60.0.squareRoot()
        let sqrt = ClassWeighting.sqrtInverse.weights(counts: counts)
        for (w, n) in zip(sqrt, counts) where n > 0 {
            XCTAssertEqual(Double(w), 100 / Double(n).squareRoot() / sum, accuracy: 1e-5)
        }
        XCTAssertEqual(ClassWeighting.none.weights(counts: counts), [1, 1, 0, 1])
    }
}
