/// Elementwise kernels on raw buffers. Written as plain counted loops over pointers with branch-free selects,
/// the form LLVM's loop vectoriser turns into packed instructions (explicit `SIMD16` code is legalised
/// poorly for the baseline x86-64 target and ran several times slower).
enum VectorKernels {
    /// `p[i] = max(p[i], 0)`.
    static func relu(_ p: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n { let v = p[i]; p[i] = v > 0 ? v : 0 }
    }

    /// `g[i] = y[i] > 0 ? g[i] : 0` (the ReLU derivative applied to a gradient, given the ReLU output).
    static func reluMask(_ g: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>, count n: Int) {
        for i in 0..<n { let v = g[i]; g[i] = y[i] > 0 ? v : 0 }
    }

    /// `a[i] += b[i]`.
    static func add(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) {
        for i in 0..<n { a[i] += b[i] }
    }

    /// `a[i] *= b[i]`.
    static func multiply(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) {
        for i in 0..<n { a[i] *= b[i] }
    }

    /// `y[i] = x[i] · s + t`.
    static func scaleShift(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int, scale s: Float, shift t: Float) {
        for i in 0..<n { y[i] = x[i] * s + t }
    }

    /// `p[i] = max(p[i] + b, 0)` (or without the ReLU).
    static func addBias(_ p: UnsafeMutablePointer<Float>, count n: Int, bias b: Float, relu: Bool) {
        if relu {
            for i in 0..<n { let v = p[i] + b; p[i] = v > 0 ? v : 0 }
        } else {
            for i in 0..<n { p[i] += b }
        }
    }

    /// `p[i] = max(p[i] + b + r[i], 0)` (or without the ReLU).
    static func addBiasResidual(_ p: UnsafeMutablePointer<Float>, _ r: UnsafePointer<Float>, count n: Int, bias b: Float, relu: Bool) {
        if relu {
            for i in 0..<n { let v = p[i] + r[i] + b; p[i] = v > 0 ? v : 0 }
        } else {
            for i in 0..<n { p[i] += r[i] + b }
        }
    }

    /// 2×2, stride-2 max pooling of `rows` full-resolution rows of `width` into `rows/2` rows of `width/2`,
    /// followed by `max(· + bias, 0)` (monotone, so it commutes with the max).
    static func pool2x2BiasReLU(_ src: UnsafePointer<Float>, rows: Int, width: Int, into dst: UnsafeMutablePointer<Float>, bias b: Float) {
        let ow = width / 2
        for pr in 0..<(rows / 2) {
            let r0 = src + 2 * pr * width, r1 = r0 + width, d = dst + pr * ow
            for ox in 0..<ow {
                let a = r0[2 * ox], c = r0[2 * ox + 1], e = r1[2 * ox], f = r1[2 * ox + 1]
                let top = a > c ? a : c, bottom = e > f ? e : f
                let m = (top > bottom ? top : bottom) + b
                d[ox] = m > 0 ? m : 0
            }
        }
    }

    /// Copies `n` floats (inline for the short spans im2col moves, where a `memmove` call costs more than the copy).
    @inline(__always)
    static func copy(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count n: Int) {
        if n >= 64 { dst.update(from: src, count: n); return }
        for i in 0..<n { dst[i] = src[i] }
    }

    /// Fills `n` floats with zero (inline for short spans).
    @inline(__always)
    static func zero(_ dst: UnsafeMutablePointer<Float>, count n: Int) {
        if n >= 64 { dst.update(repeating: 0, count: n); return }
        for i in 0..<n { dst[i] = 0 }
    }
}
