/// Winograd's F(3×3, 3×3) for a 3×3, stride-1, padding-1 convolution over 3×3 planes — the first residual stage
/// of every ResEmoteNet at 48×48 input — where the whole output plane is one tile: 25 products per input and
/// output channel pair instead of 81 (3.24× fewer multiply-adds).
///
/// With interpolation points 0, 1, −1, 2 and ∞ (Lavin & Gray 2016; matrices derived with exact fractions and
/// checked against the direct sum): `Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d Bᵀᵀ)] A` for the 5×5 zero-padded plane `d`. Because
/// the padding is known, both transforms are small fixed matrices applied to every plane at once: `T` (25×9)
/// maps a plane to its transform and `S` (9×25) maps a tile's products to its 9 outputs, so the whole layer is
/// three matrix products plus the 25 products of the transformed weights.
///
/// The transforms carry factors up to 4 and ⅙, so rounding is a little coarser than F(2×2, 3×3)'s; the tests
/// hold it to the direct convolution within 1e-5 on unit-scale data.
enum WinogradPlane3 {
    /// Aᵀ (3×5).
    static let outputMatrix: [[Float]] = [[1, 1, 1, 1, 0], [0, 1, -1, 2, 0], [0, 1, 1, 4, 1]]
    /// G (5×3).
    static let weightMatrix: [[Float]] = [[1.0 / 2, 0, 0], [-1.0 / 2, -1.0 / 2, -1.0 / 2], [-1.0 / 6, 1.0 / 6, -1.0 / 6],
                                          [1.0 / 6, 1.0 / 3, 2.0 / 3], [0, 0, 1]]
    /// Bᵀ (5×5).
    static let inputMatrix: [[Float]] = [[2, -1, -2, 1, 0], [0, -2, -1, 1, 0], [0, 2, -3, 1, 0], [0, -1, 0, 1, 0],
                                         [0, 2, -1, -2, 1]]

    /// Smallest batch that takes this path: the transformed weights are 25/9 the size of the kernel, so a batch
    /// needs several images to amortise reading them.
    static let minimumBatch = 8

    /// Whether a convolution of these settings over a `height` × `width` plane can take this path.
    static func supports(kernelSize: Int, stride: Int, padding: Int, height: Int, width: Int, batch: Int) -> Bool {
        kernelSize == 3 && stride == 1 && padding == 1 && height == 3 && width == 3 && batch >= minimumBatch
    }

    /// `T[ξ][yx] = Bᵀ[a][y + 1] · Bᵀ[b][x + 1]` (ξ = 5a + b): the transform of a 3×3 plane inside its ring of zeros.
    static let planeTransform: [Float] = {
        var t = [Float](repeating: 0, count: 25 * 9)
        for xi in 0..<25 {
            for yx in 0..<9 {
                let row: Float = inputMatrix[xi / 5][yx / 3 + 1], column: Float = inputMatrix[xi % 5][yx % 3 + 1]
                t[9 * xi + yx] = row * column
            }
        }
        return t
    }()

    /// `Sᵀ[ξ][ij] = Aᵀ[i][a] · Aᵀ[j][b]` (25×9, row-major): products of a tile to its 9 outputs.
    static let outputTransformTransposed: [Float] = {
        var s = [Float](repeating: 0, count: 25 * 9)
        for xi in 0..<25 {
            for ij in 0..<9 {
                let row: Float = outputMatrix[ij / 3][xi / 5], column: Float = outputMatrix[ij % 3][xi % 5]
                s[9 * xi + ij] = row * column
            }
        }
        return s
    }()

    /// `U[ξ][co][ci] = (G g Gᵀ)[ξ]` for weights `[Cout, Cin, 3, 3]`.
    static func transformWeights(_ w: UnsafePointer<Float>, outChannels: Int, inChannels: Int) -> [Float] {
        let plane = outChannels * inChannels
        let g = weightMatrix
        return [Float](unsafeUninitializedCapacity: 25 * plane) { u, count in
            for co in 0..<outChannels {
                for ci in 0..<inChannels {
                    let k = w + (co * inChannels + ci) * 9
                    for a in 0..<5 {
                        for b in 0..<5 {
                            var s: Float = 0
                            for ky in 0..<3 {
                                for kx in 0..<3 { s += g[a][ky] * g[b][kx] * k[3 * ky + kx] }
                            }
                            u[(5 * a + b) * plane + co * inChannels + ci] = s
                        }
                    }
                }
            }
            count = 25 * plane
        }
    }

    /// Floats of scratch `convolve` needs.
    static func scratchFloats(inChannels: Int, outChannels: Int, batch: Int) -> Int {
        25 * (inChannels + outChannels) * batch
    }

    /// `y = act(conv3×3(x) + bias [+ residual])` for 3×3 planes, `[Cin, N, 3, 3]` → `[Cout, N, 3, 3]`, with `u` from
    /// `transformWeights`; the 25 products are split over `threads`.
    static func convolve(_ x: UnsafePointer<Float>, inChannels: Int, outChannels: Int, batch: Int,
                         u: UnsafePointer<Float>, bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, relu: Bool,
                         into y: UnsafeMutablePointer<Float>, threads: Int, scratch: UnsafeMutablePointer<Float>) {
        let columnsIn = inChannels * batch, columnsOut = outChannels * batch
        let v = scratch, m = scratch + 25 * columnsIn
        // V (25 × Cin·N) = T · Xᵀ, X being the planes as rows of 9.
        planeTransform.withUnsafeBufferPointer { t in
            BLAS.gemm(transB: true, m: 25, n: columnsIn, k: 9, a: t.baseAddress!, lda: 9, b: x, ldb: 9, c: v, ldc: columnsIn)
        }
        for xi in 0..<25 {
            BLAS.parallelGemm(threads: threads, m: outChannels, n: batch, k: inChannels, a: u + xi * outChannels * inChannels,
                              lda: inChannels, b: v + xi * columnsIn, ldb: batch, c: m + xi * columnsOut, ldc: batch)
        }
        // Yᵀ (Cout·N × 9) = Mᵀ · Sᵀ: each row is one output plane, the layout of y.
        outputTransformTransposed.withUnsafeBufferPointer { s in
            BLAS.gemm(transA: true, m: columnsOut, n: 9, k: 25, a: m, lda: columnsOut, b: s.baseAddress!, ldb: 9, c: y, ldc: 9)
        }
        let count = batch * 9
        for co in 0..<outChannels {
            let row = y + co * count
            if let residual {
                VectorKernels.addBiasResidual(row, residual + co * count, count: count, bias: bias[co], relu: relu)
            } else {
                VectorKernels.addBias(row, count: count, bias: bias[co], relu: relu)
            }
        }
    }
}
