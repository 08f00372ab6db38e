import XCTest
import NeuralNet
import Training

final class RandomSamplingTests: XCTestCase {
    /// Lemire's method by hand. With state {1, 2, 3, 4} xoshiro256** gives 11520, 0, 1509978240, …
    /// (the authors' C code, compiled and run once). For `nextInt(in: 0...9)` (span 10):
    /// - call 1: 11520 · 10 = 115200 → high word 0, low word 115200 ≥ 10, accepted → 0 (one output used);
    /// - call 2: 0 · 10 → low word 0 is below the threshold 2⁶⁴ mod 10 = 6, rejected; next output
    ///   1509978240 · 10 → high word 0, accepted → 0 (two outputs used).
    func testBoundedIntByHand() throws {
        var g = try XCTUnwrap(RandomGenerator(stateWords: [1, 2, 3, 4]))
        XCTAssertEqual(g.nextInt(in: 0...9), 0)
        XCTAssertEqual(g.nextInt(in: 0...9), 0)   // consumed outputs 2 (rejected) and 3
        var h = try XCTUnwrap(RandomGenerator(stateWords: [1, 2, 3, 4]))
        _ = (h.next(), h.next(), h.next())
        XCTAssertEqual(g, h, "exactly three outputs consumed")
        // A value large in the high word: 2⁶³ · 10 / 2⁶⁴ = 5.
        XCTAssertEqual((UInt64(1) << 63).multipliedFullWidth(by: 10).high, 5)
    }

    func testPermutationAndRanges() {
        var g = RandomGenerator(seed: 1)
        let p = g.permutation(50)
        XCTAssertEqual(p.sorted(), Array(0..<50))
        XCTAssertNotEqual(p, Array(0..<50))
        var counts = [0, 0, 0]
        for _ in 0..<3000 { counts[g.nextInt(in: -1...1) + 1] += 1 }
        XCTAssertTrue(counts.allSatisfy { (900...1100).contains($0) }, "\(counts)")
        // Same seed, same permutation (restored state continues the same stream).
        var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
        XCTAssertEqual(a.permutation(20), b.permutation(20))
        var c = RandomGenerator(stateWords: a.stateWords)!
        XCTAssertEqual(a.permutation(20), c.permutation(20))
    }

    /// Sample moments of Gamma and Beta draws against the distributions' own: Gamma(k, 1) has mean k and
    /// variance k; Beta(a, a) has mean ½ and variance 1 / (4·(2a + 1)) (0.1389 for a = 0.4, 0.0833 for a = 1,
    /// the uniform). 100,000 draws: the standard error of a mean is √(var/n), under 0.007 for every case here;
    /// the bounds are five of them, and the variance is checked within 3 %.
    func testGammaAndBetaMoments() {
        var g = RandomGenerator(seed: 2024)
        let n = 100_000
        func moments(_ draw: () -> Double) -> (mean: Double, variance: Double) {
            var sum = 0.0, sumSquares = 0.0
            for _ in 0..<n { let x = draw(); sum += x; sumSquares += x * x }
            let mean = sum / Double(n)
            return (mean, sumSquares / Double(n) - mean * mean)
        }
        for k in [0.4, 1.0, 3.0] {
            let m = moments { g.nextGamma(shape: k) }
            XCTAssertEqual(m.mean, k, accuracy: 5 * (k / Double(n)).squareRoot(), "Gamma(\(k)) mean")
            XCTAssertEqual(m.variance, k, accuracy: 0.03 * k, "Gamma(\(k)) variance")
        }
        for a in [0.4, 1.0] {
            let variance = 1 / (4 * (2 * a + 1))
            var inRange = true
            let m = moments { let x = g.nextBeta(a, a); inRange = inRange && x >= 0 && x <= 1; return x }
            XCTAssertTrue(inRange)
            XCTAssertEqual(m.mean, 0.5, accuracy: 5 * (variance / Double(n)).squareRoot(), "Beta(\(a)) mean")
            XCTAssertEqual(m.variance, variance, accuracy: 0.03 * variance, "Beta(\(a)) variance")
        }
    }
}
