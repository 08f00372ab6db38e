import Foundation

/// 2-D convolution over channel-major activations `[Cin, N, H, W]` → `[Cout, N, OH, OW]`.
///
/// Square kernel, stride and zero padding of any size; optional bias. Weights use PyTorch's layout
/// `[Cout, Cin, k, k]` and initialisation (uniform ±1/√fan-in). The whole batch is one product
/// `W[Cout, Cin·k·k] × columns[Cin·k·k, N·OH·OW]`, computed in cache-sized column blocks that each worker
/// builds with im2col right before its `cblas_sgemm`.
public final class Conv2d: Module {
    public let inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, padding: Int
    /// `[Cout, Cin, k, k]`.
    public let weight: Parameter
    /// `[Cout]`, or nil for a bias-free convolution.
    public let bias: Parameter?
    private var savedInput: Tensor?

    /// Column blocks hold at most this many floats (1 MiB), so a block stays in L2 while it is multiplied.
    nonisolated(unsafe) static var blockFloats = 1 << 18

    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, rng: inout RandomGenerator) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0)
        self.inChannels = inChannels; self.outChannels = outChannels
        self.kernelSize = kernelSize; self.stride = stride; self.padding = padding
        let fanIn = inChannels * kernelSize * kernelSize
        let bound = 1 / Float(fanIn).squareRoot()
        weight = Parameter(uniformTensor([outChannels, inChannels, kernelSize, kernelSize], bound: bound, rng: &rng))
        self.bias = bias ? Parameter(uniformTensor([outChannels], bound: bound, rng: &rng)) : nil
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        var list = [(name: "weight", parameter: weight)]
        if let bias { list.append((name: "bias", parameter: bias)) }
        return list
    }

    func geometry(of x: Tensor) -> ConvGeometry {
        precondition(x.shape.count == 4 && x.shape[0] == inChannels,
                     "Conv2d(\(inChannels)→\(outChannels)) expects [\(inChannels), N, H, W], got \(x.shape)")
        return geometry(batch: x.shape[1], height: x.shape[2], width: x.shape[3])
    }

    func geometry(batch: Int, height: Int, width: Int) -> ConvGeometry {
        let g = ConvGeometry(inChannels: inChannels, batch: batch, height: height, width: width,
                             kernel: kernelSize, stride: stride, padding: padding)
        precondition(g.outHeight > 0 && g.outWidth > 0,
                     "Conv2d input [\(inChannels), \(batch), \(height), \(width)] is smaller than its kernel")
        return g
    }

    /// Output rows per column block for this geometry.
    static func blockRows(_ g: ConvGeometry) -> Int {
        max(1, blockFloats / max(1, g.patchSize * g.outWidth))
    }

    /// `[Cin, N, H, W]` → `[Cout, N, OH, OW]`. With `saveForBackward` the input is kept for `backward`.
    public func forward(_ x: Tensor, saveForBackward: Bool = true) -> Tensor {
        let g = geometry(of: x)
        savedInput = saveForBackward ? x : nil
        var y = Tensor(uninitializedShape: [outChannels, g.batch, g.outHeight, g.outWidth])
        x.withUnsafePointer { xp in
            y.withUnsafeMutablePointer { yp in forward(xp, g, into: yp) }
        }
        return y
    }

    /// Inference into the caller's buffer: `x` is `[Cin, batch, height, width]`, `y` receives
    /// `[Cout, batch, OH, OW]`, the same values as `forward(_:saveForBackward:)` gives, bit for bit (nothing is
    /// kept for `backward`). A 1×1 stride-1 unpadded convolution allocates nothing: it is one product on `x`.
    public func forward(_ x: UnsafePointer<Float>, batch: Int, height: Int, width: Int, into y: UnsafeMutablePointer<Float>) {
        forward(x, geometry(batch: batch, height: height, width: width), into: y)
    }

    private func forward(_ xp: UnsafePointer<Float>, _ g: ConvGeometry, into yp: UnsafeMutablePointer<Float>) {
        let threads = Compute.threadCount
        let P = g.columns, K = g.patchSize, M = outChannels
        weight.value.withUnsafePointer { wp in
            if g.isPointwise {
                BLAS.parallelGemm(threads: threads, m: M, n: P, k: K, a: wp, lda: K, b: xp, ldb: P, c: yp, ldc: P)
            } else if let taps = g.compactTaps {
                // Only the live taps: compact weights [M, Cin·L] times compact columns [Cin·L, P].
                let kc = inChannels * taps.count
                let wc = UnsafeMutablePointer<Float>.allocate(capacity: M * kc)
                let col = UnsafeMutablePointer<Float>.allocate(capacity: kc * P)
                defer { wc.deallocate(); col.deallocate() }
                compactTapWeights(wp, rows: M, inChannels: inChannels, kernelArea: kernelSize * kernelSize,
                                  taps: taps, into: wc)
                gatherColumns(UnsafeMutablePointer(mutating: xp), g, col: col, accumulate: false, taps: taps,
                              workers: threads)
                BLAS.parallelGemm(threads: threads, m: M, n: P, k: kc, a: wc, lda: kc, b: col, ldb: P, c: yp, ldc: P)
            } else if g.usesBlocks(workers: threads) {
                let blockRows = Conv2d.blockRows(g)
                Compute.parallel(threads) { w in
                    let rows = Compute.range(w, of: threads, total: g.outputRows)
                    let col = UnsafeMutablePointer<Float>.allocate(capacity: K * min(blockRows, rows.count) * g.outWidth)
                    defer { col.deallocate() }
                    var q0 = rows.lowerBound
                    while q0 < rows.upperBound {
                        let q1 = min(rows.upperBound, q0 + blockRows)
                        let n = (q1 - q0) * g.outWidth
                        im2col(xp, g, rows: q0..<q1, channels: 0..<inChannels, into: col)
                        BLAS.gemm(m: M, n: n, k: K, a: wp, lda: K, b: col, ldb: n, c: yp + q0 * g.outWidth, ldc: P)
                        q0 = q1
                    }
                }
            } else {
                let col = UnsafeMutablePointer<Float>.allocate(capacity: K * P)
                defer { col.deallocate() }
                im2col(xp, g, rows: 0..<g.outputRows, channels: 0..<inChannels, into: col)
                BLAS.parallelGemm(threads: threads, m: M, n: P, k: K, a: wp, lda: K, b: col, ldb: P, c: yp, ldc: P)
            }
            if let bias {
                bias.value.withUnsafePointer { bp in addRowBias(yp, rows: M, columns: P, bias: bp, threads: threads) }
            }
        }
    }

    /// Given `dL/dy` (`[Cout, N, OH, OW]`), adds `dL/dW` and `dL/db` into the parameter gradients and returns
    /// `dL/dx`, or nil when `needInputGradient` is false (the first layer of a network).
    @discardableResult
    public func backward(_ dy: Tensor, needInputGradient: Bool = true) -> Tensor? {
        guard let x = savedInput else { preconditionFailure("Conv2d.backward without a saved forward pass") }
        let g = geometry(of: x)
        precondition(dy.shape == [outChannels, g.batch, g.outHeight, g.outWidth], "Conv2d.backward: gradient shape \(dy.shape)")
        let threads = Compute.threadCount
        let P = g.columns, K = g.patchSize, M = outChannels
        var dx: Tensor? = needInputGradient ? Tensor(shape: x.shape) : nil
        x.withUnsafePointer { xp in
        dy.withUnsafePointer { dyp in
        weight.value.withUnsafePointer { wp in
        weight.grad.withUnsafeMutablePointer { dwp in
        withOptionalMutablePointer(&dx) { dxp in
            if g.isPointwise {
                BLAS.parallelGemm(threads: threads, transB: true, m: M, n: K, k: P, a: dyp, lda: P, b: xp, ldb: P,
                                  beta: 1, c: dwp, ldc: K)
                if let dxp {
                    BLAS.parallelGemm(threads: threads, transA: true, m: K, n: P, k: M, a: wp, lda: K, b: dyp, ldb: P,
                                      c: dxp, ldc: P)
                }
            } else if let taps = g.compactTaps {
                // As in forward: only the live taps take part; the dead taps' weight gradient is exactly zero.
                let kc = inChannels * taps.count, area = kernelSize * kernelSize
                let col = UnsafeMutablePointer<Float>.allocate(capacity: kc * P)
                let dwc = UnsafeMutablePointer<Float>.allocate(capacity: M * kc)
                defer { col.deallocate(); dwc.deallocate() }
                gatherColumns(UnsafeMutablePointer(mutating: xp), g, col: col, accumulate: false, taps: taps, workers: threads)
                BLAS.parallelGemm(threads: threads, transB: true, m: M, n: kc, k: P, a: dyp, lda: P, b: col, ldb: P,
                                  c: dwc, ldc: kc)
                addCompactTapWeights(dwc, rows: M, inChannels: inChannels, kernelArea: area, taps: taps, onto: dwp)
                if let dxp {
                    compactTapWeights(wp, rows: M, inChannels: inChannels, kernelArea: area, taps: taps, into: dwc)
                    BLAS.parallelGemm(threads: threads, transA: true, m: kc, n: P, k: M, a: dwc, lda: kc, b: dyp, ldb: P,
                                      c: col, ldc: P)
                    gatherColumns(dxp, g, col: col, accumulate: true, taps: taps, workers: threads)
                }
            } else if g.usesBlocks(workers: threads) && g.batch >= threads {
                // Each worker owns whole images (so its col2im writes are disjoint) and a private dW.
                let blockRows = Conv2d.blockRows(g)
                let partials = UnsafeMutablePointer<Float>.allocate(capacity: threads * M * K)
                partials.initialize(repeating: 0, count: threads * M * K)
                defer { partials.deallocate() }
                Compute.parallel(threads) { w in
                    let images = Compute.range(w, of: threads, total: g.batch)
                    let rows = (images.lowerBound * g.outHeight)..<(images.upperBound * g.outHeight)
                    let cap = K * min(blockRows, rows.count) * g.outWidth
                    let col = UnsafeMutablePointer<Float>.allocate(capacity: cap)
                    let dcol = dxp == nil ? nil : UnsafeMutablePointer<Float>.allocate(capacity: cap)
                    defer { col.deallocate(); dcol?.deallocate() }
                    let dwPart = partials + w * M * K
                    var q0 = rows.lowerBound
                    while q0 < rows.upperBound {
                        let q1 = min(rows.upperBound, q0 + blockRows)
                        let n = (q1 - q0) * g.outWidth
                        let dyBlock = dyp + q0 * g.outWidth
                        im2col(xp, g, rows: q0..<q1, channels: 0..<inChannels, into: col)
                        BLAS.gemm(transB: true, m: M, n: K, k: n, a: dyBlock, lda: P, b: col, ldb: n, beta: 1, c: dwPart, ldc: K)
                        if let dcol, let dxp {
                            BLAS.gemm(transA: true, m: K, n: n, k: M, a: wp, lda: K, b: dyBlock, ldb: P, c: dcol, ldc: n)
                            col2im(dcol, g, rows: q0..<q1, channels: 0..<inChannels, into: dxp)
                        }
                        q0 = q1
                    }
                }
                // Fixed-order reduction keeps the result independent of scheduling.
                let total = M * K
                Compute.parallel(min(threads, max(1, total / 16384))) { w in
                    let r = Compute.range(w, of: min(threads, max(1, total / 16384)), total: total)
                    for t in 0..<threads {
                        let src = partials + t * total
                        for i in r { dwp[i] += src[i] }
                    }
                }
            } else {
                let col = UnsafeMutablePointer<Float>.allocate(capacity: K * P)
                defer { col.deallocate() }
                let parts = min(threads, inChannels)
                Compute.parallel(parts) { w in
                    im2col(xp, g, rows: 0..<g.outputRows, channels: Compute.range(w, of: parts, total: inChannels), into: col)
                }
                BLAS.parallelGemm(threads: threads, transB: true, m: M, n: K, k: P, a: dyp, lda: P, b: col, ldb: P,
                                  beta: 1, c: dwp, ldc: K)
                if let dxp {
                    BLAS.parallelGemm(threads: threads, transA: true, m: K, n: P, k: M, a: wp, lda: K, b: dyp, ldb: P,
                                      c: col, ldc: P)
                    Compute.parallel(parts) { w in
                        col2im(col, g, rows: 0..<g.outputRows, channels: Compute.range(w, of: parts, total: inChannels), into: dxp)
                    }
                }
            }
        }}}}}
        if let bias {
            dy.withUnsafePointer { dyp in
                bias.grad.withUnsafeMutablePointer { dbp in accumulateRowSums(dyp, rows: M, columns: P, into: dbp, threads: threads) }
            }
        }
        return dx
    }
}

/// A tensor with elements uniform in `[-bound, bound)` (PyTorch's default layer initialisation).
func uniformTensor(_ shape: [Int], bound: Float, rng: inout RandomGenerator) -> Tensor {
    var t = Tensor(uninitializedShape: shape)
    let n = t.count
    t.withUnsafeMutablePointer { p in
        for i in 0..<n { p[i] = (rng.nextUnitFloat() * 2 - 1) * bound }
    }
    return t
}

/// `y[r, :] += bias[r]` for a `[rows, columns]` matrix.
func addRowBias(_ y: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>, threads: Int) {
    let parts = rows * columns < 65536 ? 1 : min(threads, rows)
    Compute.parallel(parts) { w in
        for r in Compute.range(w, of: parts, total: rows) {
            VectorKernels.addBias(y + r * columns, count: columns, bias: bias[r], relu: false)
        }
    }
}

/// `out[r] += Σ_c m[r, c]` for a `[rows, columns]` matrix (sums in Double).
func accumulateRowSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>, threads: Int) {
    let parts = rows * columns < 65536 ? 1 : min(threads, rows)
    Compute.parallel(parts) { w in
        for r in Compute.range(w, of: parts, total: rows) {
            out[r] += Float(sumOf(m + r * columns, count: columns))
        }
    }
}

/// Σ p[i], accumulated in Float lanes of 8 over blocks of 256 and then in Double (accurate and vectorisable).
@inline(__always)
func sumOf(_ p: UnsafePointer<Float>, count: Int) -> Double {
    var total = 0.0
    var i = 0
    while i < count {
        let end = min(count, i + 256)
        var acc = SIMD8<Float>(repeating: 0)
        while i + 8 <= end {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var s = Double(acc.sum())
        while i < end { s += Double(p[i]); i += 1 }
        total += s
    }
    return total
}

/// Runs `body` with a pointer to `t`'s elements, or with nil when there is no tensor.
@inline(__always)
func withOptionalMutablePointer<R>(_ t: inout Tensor?, _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
    if t == nil { return body(nil) }
    return t!.withUnsafeMutablePointer { body($0) }
}
