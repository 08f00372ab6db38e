/// Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural
/// Networks", 2016) for 3×3, stride-1, padding-1 inference convolutions over even planes: the stem (followed
/// by bias, ReLU and 2×2/stride-2 max pooling) and residual layers (bias, residual, ReLU).
///
/// The output is cut into 2×2 tiles; each tile needs a 4×4 input patch `d`, and
/// `Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A`. Over all channels that is 16 matrix products
/// `M[ξ] = U[ξ] · V[ξ]` of `[Cout × Cin]` transformed weights by `[Cin × tiles]` transformed inputs: 16 · Cin
/// multiply-adds per tile and output channel instead of im2col's 36 · Cin, and 16 instead of 36 values per
/// tile and input channel through the product. A 2×2 output tile is exactly one pooling window, so with pooling
/// the output transform writes the pooled value directly and the full-resolution output never exists.
///
/// Rounding differs from the direct sum by a few ulps of the activations (the transforms add and subtract
/// inputs before the products); the tests hold it to the direct convolution within 1e-5 on unit-scale data.
enum Winograd {
    /// Tiles per block of the products (whole tile rows): small enough that a worker's transformed inputs
    /// and products stay in cache, large enough that each product amortises its call.
    nonisolated(unsafe) static var blockTiles = 256

    /// Whether a convolution of these settings can take this path.
    static func supports(kernelSize: Int, stride: Int, padding: Int, inChannels: Int) -> Bool {
        // One input channel (the first layer) gives products of depth 1: the im2col path is faster there.
        kernelSize == 3 && stride == 1 && padding == 1 && inChannels >= 4
    }

    /// `U[ξ][co][ci] = (G g Gᵀ)[ξ]` for weights `[Cout, Cin, 3, 3]`, ξ = 4·row + column of the 4×4 tile, with
    /// `G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]`.
    static func transformWeights(_ w: UnsafePointer<Float>, outChannels: Int, inChannels: Int) -> [Float] {
        let plane = outChannels * inChannels
        return [Float](unsafeUninitializedCapacity: 16 * plane) { u, count in
            for co in 0..<outChannels {
                for ci in 0..<inChannels {
                    let g = w + (co * inChannels + ci) * 9
                    // Gg: 4 rows of 3, as the columns (a, b, e) of g go to (a, ½(a + b + e), ½(a − b + e), e).
                    let at = co * inChannels + ci
                    for r in 0..<4 {
                        @inline(__always) func gg(_ c: Int) -> Float {
                            let (a, b, e) = (g[c], g[3 + c], g[6 + c])
                            switch r {
                            case 0: return a
                            case 1: return 0.5 * (a + b + e)
                            case 2: return 0.5 * (a - b + e)
                            default: return e
                            }
                        }
                        // (Gg)Gᵀ: each row (a, b, e) → (a, ½(a + b + e), ½(a − b + e), e).
                        let (a, b, e) = (gg(0), gg(1), gg(2))
                        u[(4 * r) * plane + at] = a
                        u[(4 * r + 1) * plane + at] = 0.5 * (a + b + e)
                        u[(4 * r + 2) * plane + at] = 0.5 * (a - b + e)
                        u[(4 * r + 3) * plane + at] = e
                    }
                }
            }
            count = 16 * plane
        }
    }

    /// Tile rows per block for an output `tilesX` tiles wide.
    static func rowsPerBlock(tilesX: Int) -> Int { max(1, blockTiles / tilesX) }

    /// Floats of scratch one worker of `convolveReLUPool` needs.
    static func scratchFloats(inChannels: Int, outChannels: Int, batch: Int, height: Int, width: Int) -> Int {
        let tilesX = width / 2
        let tiles = min(rowsPerBlock(tilesX: tilesX), batch * height / 2) * tilesX
        return 16 * (inChannels + outChannels) * tiles + 8 * (height / 2 + 1) * tilesX
    }

    /// A 3×3, stride-1, padding-1 convolution of a channel-major batch `[Cin, N, H, W]` (H and W even) with `u` from
    /// `transformWeights`, then the epilogue: `y = act(conv + bias [+ residual])` into `[Cout, N, H, W]`, or with
    /// `pool` (ReLU, no residual) `y = maxpool2×2(relu(conv + bias))` into `[Cout, N, H/2, W/2]`. Tile rows are
    /// split over `workers` (each with its own `scratch[w]` of `scratchFloats` floats); the result does not
    /// depend on the split.
    static func convolve(_ x: UnsafePointer<Float>, inChannels: Int, outChannels: Int, batch: Int,
                         height: Int, width: Int, u: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                         residual: UnsafePointer<Float>?, relu: Bool, pool: Bool,
                         into y: UnsafeMutablePointer<Float>, workers: Int, scratch: [UnsafeMutablePointer<Float>]) {
        precondition(!pool || (relu && residual == nil), "Winograd pooling needs ReLU and no residual")
        let tilesX = width / 2, tilesY = height / 2
        let tileRows = batch * tilesY
        let blockRows = rowsPerBlock(tilesX: tilesX)
        let parts = min(workers, tileRows)
        Compute.parallel(parts) { w in
            let range = Compute.range(w, of: parts, total: tileRows)
            let v = scratch[w]
            var r0 = range.lowerBound
            while r0 < range.upperBound {
                let r1 = min(range.upperBound, r0 + blockRows)
                let nb = (r1 - r0) * tilesX
                let m = v + 16 * inChannels * nb
                transformInput(x, inChannels: inChannels, batch: batch, height: height, width: width,
                               tileRows: r0..<r1, into: v, rowScratch: m + 16 * outChannels * nb)
                for xi in 0..<16 {
                    BLAS.gemm(m: outChannels, n: nb, k: inChannels, a: u + xi * outChannels * inChannels, lda: inChannels,
                              b: v + xi * inChannels * nb, ldb: nb, c: m + xi * outChannels * nb, ldc: nb)
                }
                if pool {
                    transformOutputPooled(m, outChannels: outChannels, tiles: nb, bias: bias,
                                          into: y + r0 * tilesX, outputStride: tileRows * tilesX)
                } else {
                    transformOutput(m, outChannels: outChannels, tileRows: r0..<r1, width: width, bias: bias,
                                    residual: residual, relu: relu, into: y, outputStride: tileRows * 4 * tilesX)
                }
                r0 = r1
            }
        }
    }

    /// `V[ξ][ci][t] = (Bᵀ d B)[ξ]` for the tiles of tile rows `tileRows` (t counts from the first of them), with
    /// `Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]]`.
    ///
    /// First along every input row (4 tiles per vector, straight from the image), then down the columns.
    /// Tile row ty reads input rows 2ty − 1 … 2ty + 2, i.e. odd-set rows ty and ty + 1 (row 2k − 1 is odd-set
    /// row k) and even-set rows ty and ty + 1 (row 2k is even-set row k); with each set stored as consecutive
    /// rows, the column step for all tile rows of an image is one contiguous pass over the sets.
    private static func transformInput(_ x: UnsafePointer<Float>, inChannels: Int, batch: Int, height: Int, width: Int,
                                       tileRows: Range<Int>, into v: UnsafeMutablePointer<Float>,
                                       rowScratch h: UnsafeMutablePointer<Float>) {
        let tilesX = width / 2, tilesY = height / 2
        let nb = tileRows.count * tilesX
        if height == 2 && width == 2 {
            transformInput2x2(x, inChannels: inChannels, batch: batch, images: tileRows, into: v)
            return
        }
        for ci in 0..<inChannels {
            var r = tileRows.lowerBound
            while r < tileRows.upperBound {
                // The block's tile rows within one image: ty0 ..< ty1 of image n.
                let n = r / tilesY, ty0 = r % tilesY, ty1 = min(tilesY, ty0 + tileRows.upperBound - r)
                let plane = x + (ci * batch + n) * height * width
                let local = (r - tileRows.lowerBound) * tilesX
                let setRows = ty1 - ty0 + 1, setSize = setRows * tilesX
                // h: odd set, 4 outputs [j][k][tx], then the even set likewise.
                for k in ty0...ty1 {
                    let at = (k - ty0) * tilesX
                    rowTransform(2 * k - 1 >= 0 ? plane + (2 * k - 1) * width : nil, width: width,
                                 into: h + at, outputStride: setSize)
                    rowTransform(2 * k < height ? plane + 2 * k * width : nil, width: width,
                                 into: h + 4 * setSize + at, outputStride: setSize)
                }
                // Down the columns: (d0, d1, d2, d3) = (odd k, even k, odd k + 1, even k + 1)
                // → (d0 − d2, d1 + d2, d2 − d1, d1 − d3).
                let count = (ty1 - ty0) * tilesX
                for j in 0..<4 {
                    let d0 = UnsafePointer(h + j * setSize), d2 = d0 + tilesX
                    let d1 = UnsafePointer(h + (4 + j) * setSize), d3 = d1 + tilesX
                    let v0 = v + (j * inChannels + ci) * nb + local
                    let v1 = v + ((4 + j) * inChannels + ci) * nb + local
                    let v2 = v + ((8 + j) * inChannels + ci) * nb + local
                    let v3 = v + ((12 + j) * inChannels + ci) * nb + local
                    var t = 0
                    while t + 4 <= count {
                        let a = load4(d0 + t), b = load4(d1 + t), c = load4(d2 + t), e = load4(d3 + t)
                        store4(a - c, v0 + t)
                        store4(b + c, v1 + t)
                        store4(c - b, v2 + t)
                        store4(b - e, v3 + t)
                        t += 4
                    }
                    while t < count {
                        let a = d0[t], b = d1[t], c = d2[t], e = d3[t]
                        v0[t] = a - c
                        v1[t] = b + c
                        v2[t] = c - b
                        v3[t] = b - e
                        t += 1
                    }
                }
                r += ty1 - ty0
            }
        }
    }

    /// `transformInput` for 2×2 planes (one tile per image, `images` = tile rows): the patch is the plane
    /// (p, q; r, s) inside a ring of zeros, so `Bᵀ d B` has the closed form below (rows of the 4×4 result).
    private static func transformInput2x2(_ x: UnsafePointer<Float>, inChannels: Int, batch: Int, images: Range<Int>,
                                          into v: UnsafeMutablePointer<Float>) {
        let nb = images.count
        let xi = inChannels * nb
        for ci in 0..<inChannels {
            let plane = x + (ci * batch + images.lowerBound) * 4
            let out = v + ci * nb
            // Bᵀ d: rows −(0, r, s, 0), (0, p + r, q + s, 0), (0, r − p, s − q, 0), (0, p, q, 0); then each
            // row (0, b, c, 0) → (−c, b + c, c − b, b).
            @inline(__always) func tile<V: SIMD>(_ p: V, _ q: V, _ r: V, _ s: V, _ store: (Int, V) -> Void) where V.Scalar == Float {
                let pr = p + r, qs = q + s, rp = r - p, sq = s - q
                store(0, s);    store(1, -(r + s));  store(2, r - s);    store(3, -r)
                store(4, -qs);  store(5, pr + qs);   store(6, qs - pr);  store(7, pr)
                store(8, -sq);  store(9, rp + sq);   store(10, sq - rp); store(11, rp)
                store(12, -q);  store(13, p + q);    store(14, q - p);   store(15, p)
            }
            var t = 0
            while t + 4 <= nb {
                // Four images' planes (p, q, r, s) transposed into vectors of p, of q, of r and of s.
                let a = load4(plane + 4 * t), b = load4(plane + 4 * t + 4)
                let c = load4(plane + 4 * t + 8), d = load4(plane + 4 * t + 12)
                let p = SIMD4(a[0], b[0], c[0], d[0]), q = SIMD4(a[1], b[1], c[1], d[1])
                let r = SIMD4(a[2], b[2], c[2], d[2]), s = SIMD4(a[3], b[3], c[3], d[3])
                tile(p, q, r, s) { k, value in store4(value, out + k * xi + t) }
                t += 4
            }
            while t < nb {
                let p = SIMD2(repeating: plane[4 * t]), q = SIMD2(repeating: plane[4 * t + 1])
                let r = SIMD2(repeating: plane[4 * t + 2]), s = SIMD2(repeating: plane[4 * t + 3])
                tile(p, q, r, s) { k, value in out[k * xi + t] = value[0] }
                t += 1
            }
        }
    }

    /// One input row (nil: a padding row of zeros) along its tiles: tile tx reads columns 2tx − 1 … 2tx + 2
    /// (zero outside the row), (a, b, c, e) → (a − c, b + c, c − b, b − e) into `o[j · outputStride + tx]`.
    @inline(__always)
    private static func rowTransform(_ p: UnsafePointer<Float>?, width: Int, into o: UnsafeMutablePointer<Float>,
                                     outputStride: Int) {
        let tilesX = width / 2
        let o0 = o, o1 = o + outputStride, o2 = o1 + outputStride, o3 = o2 + outputStride
        guard let p else {
            for j in 0..<4 { (o + j * outputStride).update(repeating: 0, count: tilesX) }
            return
        }
        @inline(__always) func edge(_ tx: Int) {
            @inline(__always) func at(_ col: Int) -> Float { col >= 0 && col < width ? p[col] : 0 }
            let a = at(2 * tx - 1), b = at(2 * tx), c = at(2 * tx + 1), e = at(2 * tx + 2)
            o0[tx] = a - c
            o1[tx] = b + c
            o2[tx] = c - b
            o3[tx] = b - e
        }
        edge(0)
        // Interior tiles 1 … tilesX − 2 read only inside the row: 4 at a time, then one by one.
        var tx = 1
        while tx + 4 <= tilesX - 1 {
            let lo = UnsafeRawPointer(p + 2 * tx - 1).loadUnaligned(as: SIMD8<Float>.self)
            let hi = UnsafeRawPointer(p + 2 * tx + 1).loadUnaligned(as: SIMD8<Float>.self)
            let a = SIMD4(lo[0], lo[2], lo[4], lo[6]), b = SIMD4(lo[1], lo[3], lo[5], lo[7])
            let c = SIMD4(hi[0], hi[2], hi[4], hi[6]), e = SIMD4(hi[1], hi[3], hi[5], hi[7])
            store4(a - c, o0 + tx)
            store4(b + c, o1 + tx)
            store4(c - b, o2 + tx)
            store4(b - e, o3 + tx)
            tx += 4
        }
        while tx < tilesX - 1 {
            let a = p[2 * tx - 1], b = p[2 * tx], c = p[2 * tx + 1], e = p[2 * tx + 2]
            o0[tx] = a - c
            o1[tx] = b + c
            o2[tx] = c - b
            o3[tx] = b - e
            tx += 1
        }
        if tilesX > 1 { edge(tilesX - 1) }
    }

    @inline(__always)
    private static func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }

    @inline(__always)
    private static func store4(_ value: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD4<Float>.self)
    }

    /// `Y = Aᵀ M A` for one tile whose 16 products lie `xiStride` apart from `m`, with
    /// `Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]`: the outputs (y00, y01, y10, y11).
    @inline(__always)
    private static func tileOutput(_ m: UnsafePointer<Float>, xiStride: Int) -> (Float, Float, Float, Float) {
        @inline(__always) func at(_ xi: Int) -> Float { m[xi * xiStride] }
        // Aᵀ M: rows (m0 + m1 + m2, m1 − m2 − m3).
        let a0 = at(0) + at(4) + at(8), a1 = at(1) + at(5) + at(9), a2 = at(2) + at(6) + at(10), a3 = at(3) + at(7) + at(11)
        let b0 = at(4) - at(8) - at(12), b1 = at(5) - at(9) - at(13), b2 = at(6) - at(10) - at(14), b3 = at(7) - at(11) - at(15)
        // (Aᵀ M) A: each row (p, q, r, s) → (p + q + r, q − r − s).
        return (a0 + a1 + a2, a1 - a2 - a3, b0 + b1 + b2, b1 - b2 - b3)
    }

    /// `Y = Aᵀ M A` per tile (`tileOutput`), then bias, ReLU and the max of the 2×2
    /// tile: `y[co · outputStride + t]` for the block's `tiles` tiles.
    private static func transformOutputPooled(_ m: UnsafePointer<Float>, outChannels: Int, tiles: Int,
                                        bias: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                                        outputStride: Int) {
        let xiStride = outChannels * tiles
        for co in 0..<outChannels {
            let s = m + co * tiles
            let out = y + co * outputStride
            let b = bias[co]
            for t in 0..<tiles {
                let (y00, y01, y10, y11) = tileOutput(s + t, xiStride: xiStride)
                let top = y00 > y01 ? y00 : y01, bottom = y10 > y11 ? y10 : y11
                let v = (top > bottom ? top : bottom) + b
                out[t] = v > 0 ? v : 0
            }
        }
    }

    /// `Y = Aᵀ M A` per tile plus the bias, written as the tile's 2×2 outputs (tile row r covers output rows 2r
    /// and 2r + 1 of the `[Cout, N·H, W]` output, `outputStride` per channel), then the residual and the
    /// activation in one pass over the block's rows, which are contiguous in each channel.
    private static func transformOutput(_ m: UnsafePointer<Float>, outChannels: Int, tileRows: Range<Int>, width: Int,
                                        bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, relu: Bool,
                                        into y: UnsafeMutablePointer<Float>, outputStride: Int) {
        let tilesX = width / 2, tiles = tileRows.count * tilesX
        let xiStride = outChannels * tiles
        for co in 0..<outChannels {
            let b = bias[co]
            let first = co * outputStride + 2 * tileRows.lowerBound * width
            for lr in 0..<tileRows.count {
                let s = m + co * tiles + lr * tilesX
                let top = y + first + 2 * lr * width, bottom = top + width
                for tx in 0..<tilesX {
                    let (y00, y01, y10, y11) = tileOutput(s + tx, xiStride: xiStride)
                    top[2 * tx] = y00 + b
                    top[2 * tx + 1] = y01 + b
                    bottom[2 * tx] = y10 + b
                    bottom[2 * tx + 1] = y11 + b
                }
            }
            let count = 2 * tileRows.count * width
            if let residual {
                VectorKernels.addBiasResidual(y + first, residual + first, count: count, bias: 0, relu: relu)
            } else if relu {
                VectorKernels.relu(y + first, count: count)
            }
        }
    }
}
