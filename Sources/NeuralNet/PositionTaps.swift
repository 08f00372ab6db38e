/// A convolution over a tiny output plane computed one output position at a time, each with only the kernel taps
/// that read inside the image *for that position*.
///
/// `ConvGeometry.liveTaps` drops taps that are dead for every output; on tiny planes most taps are dead for
/// most outputs without being dead for all. At 48×48 input the second residual stage's first convolution
/// (3×3, stride 2, 3×3 → 2×2) reads 4 of its 9 taps at each output — each corner output sees a different 2×2
/// of the kernel — so im2col multiplies 2.25× more than needed. Here every output position gets its own
/// compact weights `[Cout, Cin·taps]` and a product over the batch `[Cin·taps, N]`; the sums are the same
/// terms as the direct convolution's (zeros dropped), so results match it to rounding.
struct PositionTaps {
    /// Input height and width the plan was made for.
    let height: Int, width: Int
    /// Per output position (row-major over the output plane): its live taps and compact weights.
    let positions: [(taps: [Int], weight: [Float])]

    /// Multiply-adds per input and output channel pair and image (the taps summed over the positions).
    var work: Int { positions.reduce(0) { $0 + $1.taps.count } }

    /// Smallest batch that takes this path: every position keeps its own copy of the weights it reads, so a
    /// batch of one (a matrix-vector product per position) reads more weight bytes than the im2col product.
    static let minimumBatch = 8

    /// Use this path when the output plane has at most this many positions…
    static let maximumPositions = 16
    /// …and the per-position taps skip at least this fraction of the work of the live-tap product.
    static let minimumSaving = 0.25

    /// The plan for `g`, or nil when it would not save enough over the (live-tap) im2col product.
    init?(_ g: ConvGeometry, weight: UnsafePointer<Float>, outChannels: Int) {
        let positionCount = g.outHeight * g.outWidth
        guard positionCount <= Self.maximumPositions, g.padding > 0 else { return nil }
        let k = g.kernel
        var tapLists: [[Int]] = []
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                var taps: [Int] = []
                for ky in 0..<k {
                    let iy = oy * g.stride - g.padding + ky
                    guard iy >= 0 && iy < g.height else { continue }
                    for kx in 0..<k {
                        let ix = ox * g.stride - g.padding + kx
                        if ix >= 0 && ix < g.width { taps.append(ky * k + kx) }
                    }
                }
                tapLists.append(taps)
            }
        }
        let work = tapLists.reduce(0) { $0 + $1.count }
        let liveWork = positionCount * g.liveTaps.count
        guard Double(work) <= (1 - Self.minimumSaving) * Double(liveWork) else { return nil }
        height = g.height
        width = g.width
        positions = tapLists.map { taps in
            let weights = [Float](unsafeUninitializedCapacity: outChannels * g.inChannels * taps.count) { buffer, count in
                compactTapWeights(weight, rows: outChannels, inChannels: g.inChannels, kernelArea: k * k, taps: taps,
                                  into: buffer.baseAddress!)
                count = outChannels * g.inChannels * taps.count
            }
            return (taps, weights)
        }
    }

    /// Floats of scratch `run` needs for a batch of `n`.
    func scratchFloats(inChannels: Int, outChannels: Int, batch n: Int) -> Int {
        let most = positions.map(\.taps.count).max() ?? 0
        return (inChannels * most + outChannels) * n
    }

    /// `y = act(conv(x) + bias [+ residual])` over `[Cin, N, H, W]` → `[Cout, N, OH, OW]`, products on `threads`.
    func run(_ x: UnsafePointer<Float>, _ g: ConvGeometry, outChannels: Int, bias: UnsafePointer<Float>,
             residual: UnsafePointer<Float>?, relu: Bool, into y: UnsafeMutablePointer<Float>, threads: Int,
             scratch: UnsafeMutablePointer<Float>) {
        let n = g.batch, k = g.kernel, plane = g.height * g.width, outPlane = g.outHeight * g.outWidth
        for (p, position) in positions.enumerated() {
            let oy = p / g.outWidth, ox = p % g.outWidth
            let rows = g.inChannels * position.taps.count
            let columns = scratch, product = scratch + rows * n
            // Columns [Cin·taps, N]: each tap's input pixel for every image.
            for ci in 0..<g.inChannels {
                for (j, tap) in position.taps.enumerated() {
                    let iy = oy * g.stride - g.padding + tap / k, ix = ox * g.stride - g.padding + tap % k
                    let source = x + ci * n * plane + iy * g.width + ix
                    let row = columns + (ci * position.taps.count + j) * n
                    for image in 0..<n { row[image] = source[image * plane] }
                }
            }
            position.weight.withUnsafeBufferPointer { w in
                BLAS.parallelGemm(threads: threads, m: outChannels, n: n, k: rows, a: w.baseAddress!, lda: rows,
                                  b: columns, ldb: n, c: product, ldc: n)
            }
            for co in 0..<outChannels {
                let b = bias[co]
                let out = y + co * n * outPlane + p
                let from = product + co * n
                if let residual {
                    let r = residual + co * n * outPlane + p
                    for image in 0..<n {
                        let v = from[image] + b + r[image * outPlane]
                        out[image * outPlane] = relu && v < 0 ? 0 : v
                    }
                } else {
                    for image in 0..<n {
                        let v = from[image] + b
                        out[image * outPlane] = relu && v < 0 ? 0 : v
                    }
                }
            }
        }
    }
}
