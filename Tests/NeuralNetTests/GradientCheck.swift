import XCTest
@testable import NeuralNet

/// Finite-difference gradient checking for layers on tiny shapes.
///
/// The scalar checked is `L = Σ y·r` for a fixed random `r` shaped like the output, so `dL/dy = r`.
/// Central differences with step `h` are compared against the analytic gradients of the input and of every
/// parameter at a sample of coordinates. A coordinate whose two one-sided differences disagree sits on a
/// kink (a ReLU or max switching inside ±h) and is skipped; at least half the sampled coordinates must be
/// checked.
struct GradientCheck {
    var h: Float = 1e-2
    var tolerance: Float = 2e-2
    var samples = 24

    /// A tensor of uniform values in [-1, 1).
    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return Tensor(shape: shape, storage: (0..<shape.reduce(1, *)).map { _ in rng.nextUnitFloat() * 2 - 1 })
    }

    /// Checks `dL/dx` (when `backward` returns one) and the gradients of `parameters`.
    func run(input: Tensor, parameters: [(String, Parameter)] = [], file: StaticString = #filePath, line: UInt = #line,
             forward: (Tensor) -> Tensor, backward: (Tensor) -> Tensor?) {
        let y0 = forward(input)
        let r = GradientCheck.random(y0.shape, seed: 99)
        for (_, p) in parameters { p.zeroGrad() }
        let dx = backward(r)
        func loss(_ x: Tensor) -> Double {
            let y = forward(x)
            var s = 0.0
            for i in 0..<y.count { s += Double(y.storage[i]) * Double(r.storage[i]) }
            return s
        }
        var rng = RandomGenerator(seed: 7)
        func indices(_ n: Int) -> [Int] { n <= samples ? Array(0..<n) : (0..<samples).map { _ in Int(rng.next() % UInt64(n)) } }
        var checked = 0, skipped = 0
        func compare(_ name: String, plus: Double, center: Double, minus: Double, analytic: Float) {
            let forwardSlope = (plus - center) / Double(h), backwardSlope = (center - minus) / Double(h)
            if abs(forwardSlope - backwardSlope) > Double(tolerance) * max(1, abs(Double(analytic))) { skipped += 1; return }
            checked += 1
            let numeric = (plus - minus) / Double(2 * h)
            let err = abs(Float(numeric) - analytic)
            XCTAssertLessThanOrEqual(err, tolerance * max(1, abs(analytic)),
                                     "\(name): numeric \(numeric) vs analytic \(analytic)", file: file, line: line)
        }
        let base = loss(input)
        if let dx {
            XCTAssertEqual(dx.shape, input.shape, file: file, line: line)
            for i in indices(input.count) {
                var xp = input, xm = input
                xp.storage[i] += h; xm.storage[i] -= h
                compare("dx[\(i)]", plus: loss(xp), center: base, minus: loss(xm), analytic: dx.storage[i])
            }
        }
        for (name, p) in parameters {
            let analytic = p.grad
            for i in indices(p.value.count) {
                let saved = p.value.storage[i]
                p.value.storage[i] = saved + h
                let lp = loss(input)
                p.value.storage[i] = saved - h
                let lm = loss(input)
                p.value.storage[i] = saved
                compare("\(name)[\(i)]", plus: lp, center: base, minus: lm, analytic: analytic.storage[i])
            }
        }
        XCTAssertGreaterThanOrEqual(checked, skipped, "too many coordinates on kinks", file: file, line: line)
    }
}
