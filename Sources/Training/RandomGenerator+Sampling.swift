import Foundation
import NeuralNet

extension RandomGenerator {
    /// A uniform integer in `range`, drawn without modulo bias (Lemire's multiply-and-reject), spelled out
    /// here rather than taken from the standard library so the stream never changes with the toolchain.
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) &+ 1
        if span == 0 { return Int(bitPattern: UInt(next())) }   // the full 64-bit range
        var product = next().multipliedFullWidth(by: span)
        if product.low < span {
            let threshold = (0 &- span) % span
            while product.low < threshold { product = next().multipliedFullWidth(by: span) }
        }
        return range.lowerBound + Int(product.high)
    }

    /// The indices `0..<count` in a uniformly random order (Fisher–Yates, last position first).
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        if count < 2 { return order }
        for i in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(i, nextInt(in: 0...i))
        }
        return order
    }
}

extension RandomGenerator {
    /// A uniform Double in (0, 1) with 53 random bits (never exactly 0).
    public mutating func nextOpenUnitDouble() -> Double {
        max(Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0), 0x1p-60)
    }

    /// A standard normal sample in double precision (Box–Muller, one of the pair).
    public mutating func nextNormal() -> Double {
        let u1 = nextOpenUnitDouble(), u2 = nextOpenUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A Gamma(shape, 1) sample (Marsaglia & Tsang 2000; for shape < 1, Gamma(shape + 1) · U^(1/shape)).
    public mutating func nextGamma(shape: Double) -> Double {
        precondition(shape > 0, "nextGamma: shape must be positive")
        if shape < 1 {
            let g = nextGamma(shape: shape + 1)
            return g * pow(nextOpenUnitDouble(), 1 / shape)
        }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = nextNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextOpenUnitDouble()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Beta(a, b) sample: `X / (X + Y)` with X ~ Gamma(a), Y ~ Gamma(b).
    public mutating func nextBeta(_ a: Double, _ b: Double) -> Double {
        let x = nextGamma(shape: a), y = nextGamma(shape: b)
        return x + y > 0 ? x / (x + y) : 0.5
    }
}
