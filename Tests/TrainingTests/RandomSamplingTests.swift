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
}
