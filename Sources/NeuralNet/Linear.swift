/// A fully connected layer over feature-major activations `[in, N]` → `[out, N]`: `y = W x + b`.
/// Weights `[out, in]` as in PyTorch, initialised uniform ±1/√in.
public final class Linear: Module {
    public let inFeatures: Int, outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter?
    private var savedInput: Tensor?

    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, rng: inout RandomGenerator) {
        self.inFeatures = inFeatures; self.outFeatures = outFeatures
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = Parameter(uniformTensor([outFeatures, inFeatures], bound: bound, rng: &rng))
        self.bias = bias ? Parameter(uniformTensor([outFeatures], bound: bound, rng: &rng)) : nil
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        var list = [(name: "weight", parameter: weight)]
        if let bias { list.append((name: "bias", parameter: bias)) }
        return list
    }

    public func forward(_ x: Tensor, saveForBackward: Bool = true) -> Tensor {
        precondition(x.shape.count == 2 && x.shape[0] == inFeatures, "Linear(\(inFeatures)→\(outFeatures)) expects [\(inFeatures), N], got \(x.shape)")
        let n = x.shape[1]
        var y = Tensor(uninitializedShape: [outFeatures, n])
        let threads = Compute.threadCount
        x.withUnsafePointer { xp in
            weight.value.withUnsafePointer { wp in
                y.withUnsafeMutablePointer { yp in
                    BLAS.parallelGemm(threads: threads, m: outFeatures, n: n, k: inFeatures, a: wp, lda: inFeatures,
                                      b: xp, ldb: n, c: yp, ldc: n)
                    if let bias { bias.value.withUnsafePointer { addRowBias(yp, rows: outFeatures, columns: n, bias: $0, threads: threads) } }
                }
            }
        }
        savedInput = saveForBackward ? x : nil
        return y
    }

    /// Adds `dL/dW = dy·xᵀ` and `dL/db` into the gradients and returns `dL/dx = Wᵀ·dy`.
    @discardableResult
    public func backward(_ dy: Tensor, needInputGradient: Bool = true) -> Tensor? {
        guard let x = savedInput else { preconditionFailure("Linear.backward without a saved forward pass") }
        let n = x.shape[1]
        precondition(dy.shape == [outFeatures, n], "Linear.backward: gradient shape \(dy.shape)")
        let threads = Compute.threadCount
        var dx: Tensor? = needInputGradient ? Tensor(uninitializedShape: x.shape) : nil
        x.withUnsafePointer { xp in
        dy.withUnsafePointer { dyp in
        weight.value.withUnsafePointer { wp in
        weight.grad.withUnsafeMutablePointer { dwp in
        withOptionalMutablePointer(&dx) { dxp in
            BLAS.parallelGemm(threads: threads, transB: true, m: outFeatures, n: inFeatures, k: n, a: dyp, lda: n,
                              b: xp, ldb: n, beta: 1, c: dwp, ldc: inFeatures)
            if let dxp {
                BLAS.parallelGemm(threads: threads, transA: true, m: inFeatures, n: n, k: outFeatures, a: wp, lda: inFeatures,
                                  b: dyp, ldb: n, c: dxp, ldc: n)
            }
            if let bias {
                bias.grad.withUnsafeMutablePointer { accumulateRowSums(dyp, rows: outFeatures, columns: n, into: $0, threads: threads) }
            }
        }}}}}
        return dx
    }
}
