/// Inverted dropout: in training each element is zeroed with probability `p` and the rest scaled by
/// `1/(1−p)`; identity otherwise. Masks come from the caller's seeded generator, so runs are reproducible.
public final class Dropout {
    public let p: Float
    private var savedScale: [Float] = []

    public init(p: Float) {
        precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
        self.p = p
    }

    public func forward(_ x: consuming Tensor, training: Bool, rng: inout RandomGenerator) -> Tensor {
        guard training && p > 0 else { savedScale = []; return x }
        var y = x
        let n = y.count, keep = 1 / (1 - p)
        // Two 32-bit uniform draws per 64-bit random number; an element is kept when its draw ≥ p·2³².
        let threshold = UInt64((Double(p) * 4_294_967_296).rounded())
        var scale = [Float](repeating: 0, count: n)
        scale.withUnsafeMutableBufferPointer { sp in
            var i = 0
            while i < n {
                let r = rng.next()
                sp[i] = (r & 0xFFFF_FFFF) >= threshold ? keep : 0
                if i + 1 < n { sp[i + 1] = (r >> 32) >= threshold ? keep : 0 }
                i += 2
            }
        }
        scale.withUnsafeBufferPointer { sp in
            y.withUnsafeMutablePointer { VectorKernels.multiply($0, sp.baseAddress!, count: n) }
        }
        savedScale = scale
        return y
    }

    /// Applies the same mask to the gradient (identity when the forward pass did not drop anything).
    public func backward(_ dy: consuming Tensor) -> Tensor {
        if savedScale.isEmpty { return dy }
        precondition(savedScale.count == dy.count, "Dropout.backward: gradient size \(dy.count), mask \(savedScale.count)")
        var dx = dy
        let n = dx.count
        savedScale.withUnsafeBufferPointer { sp in
            dx.withUnsafeMutablePointer { VectorKernels.multiply($0, sp.baseAddress!, count: n) }
        }
        return dx
    }
}
