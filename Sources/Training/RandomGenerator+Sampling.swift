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
