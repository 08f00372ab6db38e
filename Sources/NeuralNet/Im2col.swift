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
                        dst.update(repeating: 0, count: ow)
                    } else {
                        let src = x + (ci * g.batch + n) * plane + iy * g.width - g.padding + kx
                        if lo > 0 { dst.update(repeating: 0, count: lo) }
                        if g.stride == 1 {
                            (dst + lo).update(from: src + lo, count: hi - lo)
                        } else {
                            let s = g.stride
                            for o in lo..<hi { dst[o] = src[o * s] }
                        }
                        if hi < ow { (dst + hi).update(repeating: 0, count: ow - hi) }
                    }
                    dst += ow
                }
            }
        }
    }
}

/// The adjoint of `im2col`: adds every entry of `col` back onto the input position it was copied from.
func col2im(_ col: UnsafePointer<Float>, _ g: ConvGeometry, rows: Range<Int>, channels: Range<Int>,
            into dx: UnsafeMutablePointer<Float>) {
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
