/// The geometry of one convolution over a channel-major batch `[Cin, N, H, W]`.
struct ConvGeometry {
    let inChannels: Int, batch: Int, height: Int, width: Int
    let kernel: Int, stride: Int, padding: Int
    var outHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
    var outWidth: Int { (width + 2 * padding - kernel) / stride + 1 }
    /// Rows of the column matrix: `Cin · k · k`.
    var patchSize: Int { inChannels * kernel * kernel }
    /// Output rows `(n, oh)` of the whole batch.
    var outputRows: Int { batch * outHeight }
    /// Columns of the whole batch: `N · OH · OW`.
    var columns: Int { batch * outHeight * outWidth }
    /// True for a 1×1, stride-1, unpadded convolution, whose column matrix is the input itself.
    var isPointwise: Bool { kernel == 1 && stride == 1 && padding == 0 }
    /// True for a stride-1 convolution whose output has the input's size (k = 2·pad + 1): each row of the column
    /// matrix is then the input plane shifted by a constant, so it is filled with whole-plane copies.
    var isSameSize: Bool { stride == 1 && kernel == 2 * padding + 1 }
    /// Whether to build the column matrix in cache-sized blocks (long outputs) rather than whole: with few
    /// columns one product over all of them packs the weights once instead of once per block.
    func usesBlocks(workers: Int) -> Bool { columns > 1024 && columns >= workers * 256 && outputRows >= workers }

    /// Kernel taps `ky·k + kx` (ascending) that read inside the image for at least one output position.
    ///
    /// A tap outside this list only ever meets zero padding, so its weights multiply zeros. The late layers
    /// are full of them: a 3×3 convolution over a 1×1 plane has only its centre tap live, one over a 2×2 plane
    /// at stride 2 only four; dropping the dead taps from the product (see `hasDeadTaps`) removes most of
    /// such a layer's weights from the work, exactly.
    var liveTaps: [Int] {
        func live(_ t: Int, size: Int, outSize: Int) -> Bool {
            (0..<outSize).contains { o in let i = o * stride - padding + t; return i >= 0 && i < size }
        }
        var taps: [Int] = []
        for ky in 0..<kernel where live(ky, size: height, outSize: outHeight) {
            for kx in 0..<kernel where live(kx, size: width, outSize: outWidth) { taps.append(ky * kernel + kx) }
        }
        return taps
    }

    /// The live taps when some tap is dead (the compact product's taps), nil when every tap is live.
    var compactTaps: [Int]? {
        if padding == 0 { return nil }
        let taps = liveTaps
        return taps.count < kernel * kernel ? taps : nil
    }

    /// True when some kernel tap never reads inside the image (see `liveTaps`).
    var hasDeadTaps: Bool { compactTaps != nil }

    /// The output columns `[lo, hi)` whose input column `ow·stride − pad + kx` lies inside the image.
    @inline(__always)
    func validColumns(kx: Int) -> (Int, Int) {
        let lo = padding > kx ? (padding - kx + stride - 1) / stride : 0
        let top = width - 1 + padding - kx
        let hi = top < 0 ? 0 : min(outWidth, top / stride + 1)
        return (min(lo, hi), hi)
    }
}

/// Copies the patches of output rows `rows` (in units of `(n, oh)`) and input channels `channels` into
/// `col`, a `[Cin·k·k, rows.count·OW]` row-major matrix whose rows are ordered `(ci, ky, kx)` like PyTorch's
/// weight layout. Out-of-image taps are zero.
func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, rows: Range<Int>, channels: Range<Int>,
            into col: UnsafeMutablePointer<Float>) {
    if g.outHeight * g.outWidth <= 64 { return gatherColumns(UnsafeMutablePointer(mutating: x), g, rows: rows, channels: channels, col: col, accumulate: false) }
    if g.isSameSize { return sameSizeColumns(UnsafeMutablePointer(mutating: x), g, rows: rows, channels: channels, col: col, accumulate: false) }
    let k = g.kernel, ow = g.outWidth, oh = g.outHeight, cols = rows.count * ow
    let plane = g.height * g.width
    for ci in channels {
        for ky in 0..<k {
            for kx in 0..<k {
                var dst = col + ((ci * k + ky) * k + kx) * cols
                let (lo, hi) = g.validColumns(kx: kx)
                for q in rows {
                    let n = q / oh, y = q - n * oh
                    let iy = y * g.stride - g.padding + ky
                    if iy < 0 || iy >= g.height || hi <= lo {
                        VectorKernels.zero(dst, count: ow)
                    } else {
                        let src = x + (ci * g.batch + n) * plane + iy * g.width - g.padding + kx
                        for o in 0..<lo { dst[o] = 0 }
                        if g.stride == 1 {
                            VectorKernels.copy(src + lo, dst + lo, count: hi - lo)
                        } else {
                            let s = g.stride
                            for o in lo..<hi { dst[o] = src[o * s] }
                        }
                        for o in hi..<ow { dst[o] = 0 }
                    }
                    dst += ow
                }
            }
        }
    }
}

/// The adjoint of `im2col`: adds every entry of `col` back onto the input position it was copied from
/// (may overwrite `col`).
func col2im(_ col: UnsafeMutablePointer<Float>, _ g: ConvGeometry, rows: Range<Int>, channels: Range<Int>,
            into dx: UnsafeMutablePointer<Float>) {
    if g.outHeight * g.outWidth <= 64 { return gatherColumns(dx, g, rows: rows, channels: channels, col: col, accumulate: true) }
    if g.isSameSize { return sameSizeColumns(dx, g, rows: rows, channels: channels, col: col, accumulate: true) }
    let k = g.kernel, ow = g.outWidth, oh = g.outHeight, cols = rows.count * ow
    let plane = g.height * g.width
    for ci in channels {
        for ky in 0..<k {
            for kx in 0..<k {
                var src = col + ((ci * k + ky) * k + kx) * cols
                let (lo, hi) = g.validColumns(kx: kx)
                for q in rows {
                    let n = q / oh, y = q - n * oh
                    let iy = y * g.stride - g.padding + ky
                    if iy >= 0 && iy < g.height && hi > lo {
                        let dst = dx + (ci * g.batch + n) * plane + iy * g.width - g.padding + kx
                        if g.stride == 1 {
                            for o in lo..<hi { dst[o] += src[o] }
                        } else {
                            let s = g.stride
                            for o in lo..<hi { dst[o * s] += src[o] }
                        }
                    }
                    src += ow
                }
            }
        }
    }
}

/// im2col (or, with `accumulate`, col2im) for same-size stride-1 convolutions.
///
/// For tap `(ky, kx)` the entries of output rows `oh0..<oh1` of one image are the input rows
/// `oh0+ky−pad ..< oh1+ky−pad` read from column offset `kx − pad`: one contiguous span of the input plane,
/// except for the `|kx − pad|` entries per row that fall into the padding (and would wrap into the
/// neighbouring row). Each span is moved with one long copy (or add), and the padding entries are zeroed
/// (in `col` first, when accumulating, so they add nothing).
func sameSizeColumns(_ x: UnsafeMutablePointer<Float>, _ g: ConvGeometry, rows: Range<Int>, channels: Range<Int>,
                     col: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let k = g.kernel, pad = g.padding, h = g.height, w = g.width
    let cols = rows.count * w, plane = h * w
    let firstImage = rows.lowerBound / h, lastImage = (rows.upperBound - 1) / h
    for ci in channels {
        for ky in 0..<k {
            for kx in 0..<k {
                let rowBase = col + ((ci * k + ky) * k + kx) * cols
                let shift = kx - pad
                for n in firstImage...lastImage {
                    let a = max(rows.lowerBound - n * h, 0), b = min(rows.upperBound - n * h, h)
                    // Output rows a..<b of image n; valid when the input row oh + ky − pad is inside the image.
                    let va = min(max(a, pad - ky), b), vb = max(min(b, h + pad - ky), va)
                    let dstImage = rowBase + (n * h + a - rows.lowerBound) * w
                    if !accumulate {
                        if va > a { VectorKernels.zero(dstImage, count: (va - a) * w) }
                        if b > vb { VectorKernels.zero(dstImage + (vb - a) * w, count: (b - vb) * w) }
                    }
                    if vb <= va { continue }
                    let span = (vb - va) * w
                    let src = x + (ci * g.batch + n) * plane + (va + ky - pad) * w
                    let dst = dstImage + (va - a) * w
                    // dst[i] ↔ src[i + shift]; entries whose input column leaves the row are padding.
                    if accumulate {
                        for r in 0..<(vb - va) {
                            let row = dst + r * w
                            if shift < 0 { for i in 0..<(-shift) { row[i] = 0 } }
                            if shift > 0 { for i in (w - shift)..<w { row[i] = 0 } }
                        }
                        let lo = max(0, -shift), hi = span - max(0, shift)
                        let d = src + shift, c = UnsafePointer(dst)
                        for i in lo..<hi { d[i] += c[i] }
                    } else {
                        let lo = max(0, -shift), hi = span - max(0, shift)
                        VectorKernels.copy(UnsafePointer(src + shift + lo), dst + lo, count: hi - lo)
                        for r in 0..<(vb - va) {
                            let row = dst + r * w
                            if shift < 0 { for i in 0..<(-shift) { row[i] = 0 } }
                            if shift > 0 { for i in (w - shift)..<w { row[i] = 0 } }
                        }
                    }
                }
            }
        }
    }
}

/// im2col (or, with `accumulate`, col2im) for small output planes (≤ 64 pixels, the late layers): a table of
/// input offsets per (tap, output pixel), −1 for padding, replaces the per-row span arithmetic that would
/// dominate such tiny copies.
///
/// With `taps` (a subset of `0..<k·k`, ascending) the column matrix has only those taps: rows `(ci, j)` for
/// tap `taps[j]`, i.e. `[Cin·taps.count, rows.count·OW]` — the compact form used when some taps are dead.
func gatherColumns(_ x: UnsafeMutablePointer<Float>, _ g: ConvGeometry, rows: Range<Int>, channels: Range<Int>,
                   col: UnsafeMutablePointer<Float>, accumulate: Bool, taps tapList: [Int]? = nil) {
    let k = g.kernel, oh = g.outHeight, ow = g.outWidth, outPlane = oh * ow
    let tapList = tapList ?? Array(0..<(k * k)), taps = tapList.count
    let plane = g.height * g.width, cols = rows.count * ow
    withUnsafeTemporaryAllocation(of: Int32.self, capacity: taps * outPlane) { table in
        for (t, tap) in tapList.enumerated() {
            let ky = tap / k, kx = tap % k
            for oy in 0..<oh {
                let iy = oy * g.stride - g.padding + ky
                for ox in 0..<ow {
                    let ix = ox * g.stride - g.padding + kx
                    let inside = iy >= 0 && iy < g.height && ix >= 0 && ix < g.width
                    table[t * outPlane + oy * ow + ox] = inside ? Int32(iy * g.width + ix) : -1
                }
            }
        }
        if rows.lowerBound % oh == 0 && rows.upperBound % oh == 0 {
            // Whole images (the usual case): one run of OH·OW entries per (channel, tap, image), no row arithmetic.
            let n0 = rows.lowerBound / oh, n1 = rows.upperBound / oh
            var inside = [Bool](repeating: true, count: taps)
            for t in 0..<taps { for p in 0..<outPlane where table[t * outPlane + p] < 0 { inside[t] = false } }
            for ci in channels {
                for t in 0..<taps {
                    let colRow = col + (ci * taps + t) * cols
                    let off = table.baseAddress! + t * outPlane
                    let allInside = inside[t]
                    for n in n0..<n1 {
                        let base = x + (ci * g.batch + n) * plane
                        let dst = colRow + (n - n0) * outPlane
                        if accumulate {
                            for p in 0..<outPlane { let o = off[p]; if o >= 0 { base[Int(o)] += dst[p] } }
                        } else if allInside {
                            for p in 0..<outPlane { dst[p] = base[Int(off[p])] }
                        } else {
                            for p in 0..<outPlane { let o = off[p]; dst[p] = o >= 0 ? base[Int(o)] : 0 }
                        }
                    }
                }
            }
            return
        }
        for ci in channels {
            for t in 0..<taps {
                let colRow = col + (ci * taps + t) * cols
                let offsets = table.baseAddress! + t * outPlane
                var q = rows.lowerBound
                while q < rows.upperBound {
                    let n = q / oh, oy = q - n * oh
                    let base = x + (ci * g.batch + n) * plane
                    let dst = colRow + (q - rows.lowerBound) * ow, off = offsets + oy * ow
                    if accumulate {
                        for ox in 0..<ow where off[ox] >= 0 { base[Int(off[ox])] += dst[ox] }
                    } else {
                        for ox in 0..<ow { let o = off[ox]; dst[ox] = o >= 0 ? base[Int(o)] : 0 }
                    }
                    q += 1
                }
            }
        }
    }
}

/// `gatherColumns` over every output row of the batch, with the input channels split over `workers` (each
/// worker writes its own rows of `col`, or with `accumulate` its own channels' planes of `x`).
func gatherColumns(_ x: UnsafeMutablePointer<Float>, _ g: ConvGeometry, col: UnsafeMutablePointer<Float>,
                   accumulate: Bool, taps: [Int], workers: Int) {
    let parts = min(workers, g.inChannels)
    Compute.parallel(parts) { w in
        gatherColumns(x, g, rows: 0..<g.outputRows, channels: Compute.range(w, of: parts, total: g.inChannels),
                      col: col, accumulate: accumulate, taps: taps)
    }
}

/// Copies the live-tap columns of a `[rows, Cin·k·k]` weight matrix into a compact `[rows, Cin·taps.count]` one.
func compactTapWeights(_ w: UnsafePointer<Float>, rows: Int, inChannels: Int, kernelArea: Int, taps: [Int],
                       into out: UnsafeMutablePointer<Float>) {
    let full = inChannels * kernelArea, compact = inChannels * taps.count
    taps.withUnsafeBufferPointer { t in
        for r in 0..<rows {
            let src = w + r * full, dst = out + r * compact
            for ci in 0..<inChannels {
                let s = src + ci * kernelArea, d = dst + ci * t.count
                for j in 0..<t.count { d[j] = s[t[j]] }
            }
        }
    }
}

/// The adjoint of `compactTapWeights`: adds a compact `[rows, Cin·taps.count]` matrix onto the live-tap
/// columns of a full `[rows, Cin·k·k]` one (dead taps receive nothing: their gradient is exactly zero).
func addCompactTapWeights(_ compact: UnsafePointer<Float>, rows: Int, inChannels: Int, kernelArea: Int, taps: [Int],
                          onto w: UnsafeMutablePointer<Float>) {
    let full = inChannels * kernelArea, width = inChannels * taps.count
    taps.withUnsafeBufferPointer { t in
        for r in 0..<rows {
            let src = compact + r * width, dst = w + r * full
            for ci in 0..<inChannels {
                let s = src + ci * t.count, d = dst + ci * kernelArea
                for j in 0..<t.count { d[t[j]] += s[j] }
            }
        }
    }
}
