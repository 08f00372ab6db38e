/// An inference-only convolution with the following BatchNorm folded in (`W' = W·γ/σ`,
/// `b' = (b − μ)·γ/σ + β`) and the bias, an optional residual addition and ReLU applied in the same pass
/// as each output block leaves the matrix product (while it is still in cache).
///
/// Works on raw channel-major buffers `[Cin, N, H, W]` → `[Cout, N, OH, OW]` so a network can reuse its
/// activation buffers across calls. Keeps grow-only im2col scratch per worker: not thread-safe.
public final class FusedConv {
    public let inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, padding: Int
    /// Folded weights `[Cout, Cin·k·k]`.
    public let weight: [Float]
    /// Folded bias `[Cout]`.
    public let bias: [Float]
    private var scratch: [UnsafeMutablePointer<Float>] = []
    private var scratchCapacity = 0
    /// For the last input size seen: its live taps and, when some are dead, the compact weights
    /// `[Cout, Cin·taps.count]` (see `ConvGeometry.liveTaps`).
    private var tapPlan: (height: Int, width: Int, taps: [Int], weight: [Float]?)?
    /// Winograd-transformed and per-position weights, made when a path first needs them (shared with replicas).
    private let derived: DerivedWeights
    /// Run 3×3, stride-1, padding-1 convolutions with Winograd's minimal filtering where it pays (default): F(2×2, 3×3)
    /// over even planes (`Winograd`), F(3×3, 3×3) over 3×3 planes (`WinogradPlane3`). Off, they run as im2col
    /// products like every other layer (kept for tests and benchmarks).
    public var allowsWinograd = true

    /// Folds `batchNorm` (eval statistics) into `conv`; without one the convolution is used as is.
    public init(conv: Conv2d, batchNorm: BatchNorm2d?) {
        inChannels = conv.inChannels; outChannels = conv.outChannels
        kernelSize = conv.kernelSize; stride = conv.stride; padding = conv.padding
        let k = conv.inChannels * conv.kernelSize * conv.kernelSize
        var w = conv.weight.value.storage
        var b = conv.bias?.value.storage ?? [Float](repeating: 0, count: outChannels)
        if let batchNorm {
            let (scale, shift) = batchNorm.evalScaleShift()
            for co in 0..<outChannels {
                for i in 0..<k { w[co * k + i] *= scale[co] }
                b[co] = b[co] * scale[co] + shift[co]
            }
        }
        weight = w
        bias = b
        derived = DerivedWeights()
    }

    /// A second instance sharing `other`'s weights (no copy) with its own scratch, so two threads can run the
    /// same layer at once, one instance each.
    public init(sharingWeightsOf other: FusedConv) {
        inChannels = other.inChannels; outChannels = other.outChannels
        kernelSize = other.kernelSize; stride = other.stride; padding = other.padding
        weight = other.weight
        bias = other.bias
        tapPlan = other.tapPlan
        derived = other.derived
        allowsWinograd = other.allowsWinograd
    }

    deinit { for p in scratch { p.deallocate() } }

    /// The output height and width for an input of `height × width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + 2 * padding - kernelSize) / stride + 1, (width + 2 * padding - kernelSize) / stride + 1)
    }

    /// Per-worker scratch of at least `floats` each (grow-only).
    private func scratchBuffers(_ workers: Int, floats: Int) -> [UnsafeMutablePointer<Float>] {
        if scratch.count < workers || scratchCapacity < floats {
            for p in scratch { p.deallocate() }
            scratchCapacity = max(floats, scratchCapacity)
            scratch = (0..<max(workers, scratch.count)).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: scratchCapacity) }
        }
        return scratch
    }

    /// `y = act(conv(x) + b' [+ residual])` for a channel-major batch, optionally followed by 2×2 max pooling.
    /// - Parameters:
    ///   - residual: optional `[Cout, N, OH, OW]` added before the activation.
    ///   - relu: apply `max(·, 0)`.
    ///   - pool2x2: write the 2×2/stride-2 max-pooled result `[Cout, N, OH/2, OW/2]` instead (needs `relu`);
    ///     the full-resolution output then only ever exists one cache-sized block at a time.
    public func run(_ x: UnsafePointer<Float>, batch: Int, height: Int, width: Int, into y: UnsafeMutablePointer<Float>,
                    residual: UnsafePointer<Float>? = nil, relu: Bool, pool2x2: Bool = false,
                    threads: Int = Compute.threadCount) {
        let g = ConvGeometry(inChannels: inChannels, batch: batch, height: height, width: width,
                             kernel: kernelSize, stride: stride, padding: padding)
        let P = g.columns, K = g.patchSize, M = outChannels
        let flops = 2 * M * K * P
        let workers = flops < 3_000_000 ? 1 : threads
        if tapPlan?.height != height || tapPlan?.width != width {
            let taps = g.compactTaps ?? []
            var compact: [Float]? = nil
            if !taps.isEmpty {
                compact = [Float](unsafeUninitializedCapacity: M * inChannels * taps.count) { buffer, count in
                    weight.withUnsafeBufferPointer {
                        compactTapWeights($0.baseAddress!, rows: M, inChannels: inChannels, kernelArea: kernelSize * kernelSize,
                                          taps: taps, into: buffer.baseAddress!)
                    }
                    count = M * inChannels * taps.count
                }
            }
            tapPlan = (height, width, taps, compact)
        }
        let deadTaps = tapPlan!.weight != nil
        if pool2x2 && (g.outHeight % 2 != 0 || g.outWidth % 2 != 0 || residual != nil || !relu || deadTaps) {
            // Rare shapes: full output, then a separate pooling pass.
            let full = UnsafeMutablePointer<Float>.allocate(capacity: M * P)
            defer { full.deallocate() }
            run(x, batch: batch, height: height, width: width, into: full, residual: residual, relu: relu, threads: threads)
            maxPoolForward(full, planes: M * batch, height: g.outHeight, width: g.outWidth, kernel: 2, into: y, threads: threads)
            return
        }
        // Tiny planes: per-position taps, unless a Winograd path below needs fewer multiply-adds (per channel
        // pair and image: F(2×2, 3×3) 16 per 2×2 tile, F(3×3, 3×3) 25 per 3×3 plane).
        let plan = pool2x2 || batch < PositionTaps.minimumBatch ? nil : derived.positionTaps(height: height, width: width) {
            weight.withUnsafeBufferPointer { PositionTaps(g, weight: $0.baseAddress!, outChannels: M) }
        }
        let tiles = allowsWinograd && Winograd.supports(kernelSize: kernelSize, stride: stride, padding: padding,
                                                        inChannels: inChannels)
            && height % 2 == 0 && width % 2 == 0 && batch * height / 2 >= workers
        let plane3 = allowsWinograd && !pool2x2 && WinogradPlane3.supports(kernelSize: kernelSize, stride: stride,
                                                                           padding: padding, height: height,
                                                                           width: width, batch: batch)
        let winogradWork = plane3 ? 25 : tiles ? 4 * height * width : Int.max
        if let plan, plan.work <= winogradWork {
            // A tiny output plane whose positions each read a different part of the kernel.
            let buffer = scratchBuffers(1, floats: plan.scratchFloats(inChannels: inChannels, outChannels: M, batch: batch))[0]
            bias.withUnsafeBufferPointer { bb in
                plan.run(x, g, outChannels: M, bias: bb.baseAddress!, residual: residual, relu: relu, into: y,
                         threads: workers, scratch: buffer)
            }
            return
        }
        if tiles {
            // 3×3, stride 1, padding 1 over an even plane (pooling already checked above): Winograd F(2×2, 3×3),
            // pooled in place when asked. Planes with fewer tile rows than workers stay on the parallel product.
            let u = derived.tiles2x2 {
                weight.withUnsafeBufferPointer { Winograd.transformWeights($0.baseAddress!, outChannels: M, inChannels: inChannels) }
            }
            let parts = min(workers, batch * height / 2)
            let buffers = scratchBuffers(parts, floats: Winograd.scratchFloats(inChannels: inChannels, outChannels: M,
                                                                              batch: batch, height: height, width: width))
            u.withUnsafeBufferPointer { ub in
                bias.withUnsafeBufferPointer { bb in
                    Winograd.convolve(x, inChannels: inChannels, outChannels: M, batch: batch, height: height, width: width,
                                      u: ub.baseAddress!, bias: bb.baseAddress!, residual: residual, relu: relu,
                                      pool: pool2x2, into: y, workers: parts, scratch: buffers)
                }
            }
            return
        }
        if plane3 {
            // A 3×3 plane is one F(3×3, 3×3) tile.
            let u = derived.plane3x3 {
                weight.withUnsafeBufferPointer { WinogradPlane3.transformWeights($0.baseAddress!, outChannels: M, inChannels: inChannels) }
            }
            let buffer = scratchBuffers(1, floats: WinogradPlane3.scratchFloats(inChannels: inChannels, outChannels: M, batch: batch))[0]
            u.withUnsafeBufferPointer { ub in
                bias.withUnsafeBufferPointer { bb in
                    WinogradPlane3.convolve(x, inChannels: inChannels, outChannels: M, batch: batch, u: ub.baseAddress!,
                                            bias: bb.baseAddress!, residual: residual, relu: relu, into: y, threads: workers,
                                            scratch: buffer)
                }
            }
            return
        }
        weight.withUnsafeBufferPointer { wb in
            bias.withUnsafeBufferPointer { bb in
                let wp = wb.baseAddress!, bp = bb.baseAddress!
                // Applies bias, residual and ReLU to output columns [c0, c1) of every row of `out` (row stride P).
                func epilogue(_ c0: Int, _ c1: Int) {
                    for co in 0..<M {
                        let row = y + co * P + c0
                        if let residual {
                            VectorKernels.addBiasResidual(row, residual + co * P + c0, count: c1 - c0, bias: bp[co], relu: relu)
                        } else {
                            VectorKernels.addBias(row, count: c1 - c0, bias: bp[co], relu: relu)
                        }
                    }
                }
                if deadTaps, let plan = tapPlan, let compact = plan.weight {
                    // Only the live taps: compact weights times compact columns (the late, tiny planes).
                    let kc = inChannels * plan.taps.count
                    let col = scratchBuffers(1, floats: kc * P)[0]
                    gatherColumns(UnsafeMutablePointer(mutating: x), g, col: col, accumulate: false, taps: plan.taps,
                                  workers: workers)
                    compact.withUnsafeBufferPointer { cw in
                        BLAS.parallelGemm(threads: workers, m: M, n: P, k: kc, a: cw.baseAddress!, lda: kc, b: col, ldb: P,
                                          c: y, ldc: P)
                    }
                    epilogue(0, P)
                } else if pool2x2 {
                    let pairs = g.outputRows / 2, ow = g.outWidth, pooledColumns = P / 4
                    let blockPairs = max(1, Conv2d.blockRows(g) / 2)
                    let parts = min(workers, pairs)
                    let blockColumns = 2 * min(blockPairs, pairs) * ow
                    let buffers = scratchBuffers(parts, floats: (K + M) * blockColumns)
                    Compute.parallel(parts) { w in
                        let range = Compute.range(w, of: parts, total: pairs)
                        let col = buffers[w], out = buffers[w] + K * blockColumns
                        var p0 = range.lowerBound
                        while p0 < range.upperBound {
                            let p1 = min(range.upperBound, p0 + blockPairs)
                            let n = 2 * (p1 - p0) * ow
                            im2col(x, g, rows: (2 * p0)..<(2 * p1), channels: 0..<inChannels, into: col)
                            BLAS.gemm(m: M, n: n, k: K, a: wp, lda: K, b: col, ldb: n, c: out, ldc: n)
                            for co in 0..<M {
                                VectorKernels.pool2x2BiasReLU(out + co * n, rows: 2 * (p1 - p0), width: ow,
                                                              into: y + co * pooledColumns + p0 * (ow / 2), bias: bp[co])
                            }
                            p0 = p1
                        }
                    }
                } else if g.isPointwise {
                    if workers > 1 && P >= workers * 64 {
                        Compute.parallel(workers) { w in
                            let r = Compute.range(w, of: workers, total: P)
                            BLAS.gemm(m: M, n: r.count, k: K, a: wp, lda: K, b: x + r.lowerBound, ldb: P, c: y + r.lowerBound, ldc: P)
                            epilogue(r.lowerBound, r.upperBound)
                        }
                    } else {
                        BLAS.parallelGemm(threads: workers, m: M, n: P, k: K, a: wp, lda: K, b: x, ldb: P, c: y, ldc: P)
                        epilogue(0, P)
                    }
                } else if g.usesBlocks(workers: workers) {
                    let blockRows = Conv2d.blockRows(g)
                    let parts = min(workers, g.outputRows)
                    let buffers = scratchBuffers(parts, floats: K * min(blockRows, g.outputRows) * g.outWidth)
                    Compute.parallel(parts) { w in
                        let rows = Compute.range(w, of: parts, total: g.outputRows)
                        let col = buffers[w]
                        var q0 = rows.lowerBound
                        while q0 < rows.upperBound {
                            let q1 = min(rows.upperBound, q0 + blockRows)
                            let n = (q1 - q0) * g.outWidth, c0 = q0 * g.outWidth
                            im2col(x, g, rows: q0..<q1, channels: 0..<inChannels, into: col)
                            BLAS.gemm(m: M, n: n, k: K, a: wp, lda: K, b: col, ldb: n, c: y + c0, ldc: P)
                            epilogue(c0, c0 + n)
                            q0 = q1
                        }
                    }
                } else {
                    let col = scratchBuffers(1, floats: K * P)[0]
                    let parts = min(workers, inChannels)
                    Compute.parallel(parts) { w in
                        im2col(x, g, rows: 0..<g.outputRows, channels: Compute.range(w, of: parts, total: inChannels), into: col)
                    }
                    BLAS.parallelGemm(threads: workers, m: M, n: P, k: K, a: wp, lda: K, b: col, ldb: P, c: y, ldc: P)
                    epilogue(0, P)
                }
            }
        }
    }
}

/// An inference-only fully connected layer over feature-major `[in, N]` buffers with optional ReLU.
public final class FusedLinear {
    public let inFeatures: Int, outFeatures: Int
    public let weight: [Float]
    public let bias: [Float]

    public init(_ linear: Linear) {
        inFeatures = linear.inFeatures; outFeatures = linear.outFeatures
        weight = linear.weight.value.storage
        bias = linear.bias?.value.storage ?? [Float](repeating: 0, count: linear.outFeatures)
    }

    /// `y[out, N] = act(W · x[in, N] + b)`.
    public func run(_ x: UnsafePointer<Float>, batch n: Int, into y: UnsafeMutablePointer<Float>, relu: Bool,
                    threads: Int = Compute.threadCount) {
        weight.withUnsafeBufferPointer { wb in
            BLAS.parallelGemm(threads: threads, m: outFeatures, n: n, k: inFeatures, a: wb.baseAddress!, lda: inFeatures,
                              b: x, ldb: n, c: y, ldc: n)
        }
        for o in 0..<outFeatures { VectorKernels.addBias(y + o * n, count: n, bias: bias[o], relu: relu) }
    }
}

/// 2×2-style max pooling (kernel = stride, floor) over channel-major raw buffers, for inference.
public func maxPoolForward(_ x: UnsafePointer<Float>, planes: Int, height: Int, width: Int, kernel: Int,
                           into y: UnsafeMutablePointer<Float>, threads: Int = Compute.threadCount) {
    let oh = height / kernel, ow = width / kernel
    let parts = planes * height * width < 200_000 ? 1 : min(threads, planes)
    Compute.parallel(parts) { part in
        for pl in Compute.range(part, of: parts, total: planes) {
            let src = x + pl * height * width, dst = y + pl * oh * ow
            if kernel == 2 {
                MaxPool2d.pool2x2(src, width: width, outHeight: oh, outWidth: ow, into: dst, argmax: nil)
                continue
            }
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var best = -Float.infinity
                    for ky in 0..<kernel {
                        let row = src + (oy * kernel + ky) * width + ox * kernel
                        for kx in 0..<kernel { let v = row[kx]; if v > best || v.isNaN { best = v } }
                    }
                    dst[oy * ow + ox] = best
                }
            }
        }
    }
}
