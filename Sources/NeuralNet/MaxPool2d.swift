/// Max pooling without padding (floor mode) over `[C, N, H, W]`, like `torch.nn.MaxPool2d(k, stride)`.
/// Ties pick the first maximum in row-major window order, as PyTorch does.
public final class MaxPool2d {
    public let kernelSize: Int, stride: Int
    private var inputShape: [Int] = []
    private var argmax: [Int32] = []

    public init(kernelSize: Int, stride: Int? = nil) {
        precondition(kernelSize > 0)
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    public func outputSize(_ h: Int, _ w: Int) -> (Int, Int) {
        ((h - kernelSize) / stride + 1, (w - kernelSize) / stride + 1)
    }

    public func forward(_ x: Tensor, saveForBackward: Bool = true) -> Tensor {
        precondition(x.shape.count == 4, "MaxPool2d expects [C, N, H, W], got \(x.shape)")
        let planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3]
        let (oh, ow) = outputSize(h, w)
        precondition(oh > 0 && ow > 0, "MaxPool2d(\(kernelSize)) input \(x.shape) too small")
        var y = Tensor(uninitializedShape: [x.shape[0], x.shape[1], oh, ow])
        var idx = saveForBackward ? [Int32](repeating: 0, count: y.count) : []
        let k = kernelSize, s = stride
        let parts = x.count < 65536 ? 1 : min(Compute.threadCount, planes)
        x.withUnsafePointer { xp in
            y.withUnsafeMutablePointer { yp in
                idx.withUnsafeMutableBufferPointer { ip in
                    Compute.parallel(parts) { part in
                        for pl in Compute.range(part, of: parts, total: planes) {
                            let src = xp + pl * h * w, dst = yp + pl * oh * ow
                            if k == 2 && s == 2 {
                                let index: UnsafeMutablePointer<Int32>? = saveForBackward ? ip.baseAddress! + pl * oh * ow : nil
                                MaxPool2d.pool2x2(src, width: w, outHeight: oh, outWidth: ow, into: dst, argmax: index)
                                continue
                            }
                            for oy in 0..<oh {
                                for ox in 0..<ow {
                                    var best = -Float.infinity, at = (oy * s) * w + ox * s
                                    for ky in 0..<k {
                                        let row = (oy * s + ky) * w + ox * s
                                        for kx in 0..<k {
                                            let v = src[row + kx]
                                            if v > best || v.isNaN { best = v; at = row + kx }
                                        }
                                    }
                                    dst[oy * ow + ox] = best
                                    if saveForBackward { ip[pl * oh * ow + oy * ow + ox] = Int32(at) }
                                }
                            }
                        }
                    }
                }
            }
        }
        inputShape = x.shape
        argmax = idx
        return y
    }

    /// The 2×2, stride-2 case: maximum of each window, and its position in the plane when `argmax` is given.
    @inline(__always)
    static func pool2x2(_ src: UnsafePointer<Float>, width w: Int, outHeight oh: Int, outWidth ow: Int,
                        into dst: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>?) {
        for oy in 0..<oh {
            let r0 = src + 2 * oy * w, r1 = r0 + w, d = dst + oy * ow
            if let argmax {
                let a = argmax + oy * ow
                let base = Int32(2 * oy * w)
                for ox in 0..<ow {
                    // Branch-free selects (data-dependent branches mispredict half the time here).
                    let first = Int32(2 * ox)
                    var best = r0[2 * ox], at = first
                    let b = r0[2 * ox + 1], c = r1[2 * ox], e = r1[2 * ox + 1]
                    var take = b > best || b != b
                    best = take ? b : best; at = take ? first + 1 : at
                    take = c > best || c != c
                    best = take ? c : best; at = take ? first + Int32(w) : at
                    take = e > best || e != e
                    best = take ? e : best; at = take ? first + Int32(w) + 1 : at
                    d[ox] = best
                    a[ox] = base + at
                }
            } else {
                for ox in 0..<ow { d[ox] = max(max(r0[2 * ox], r0[2 * ox + 1]), max(r1[2 * ox], r1[2 * ox + 1])) }
            }
        }
    }

    /// Routes each output gradient to the input position that held the maximum.
    public func backward(_ dy: Tensor) -> Tensor {
        precondition(!argmax.isEmpty && argmax.count == dy.count, "MaxPool2d.backward without a matching forward")
        var dx = Tensor(shape: inputShape)
        let planes = inputShape[0] * inputShape[1], plane = inputShape[2] * inputShape[3]
        let outPlane = dy.count / planes
        let parts = dx.count < 65536 ? 1 : min(Compute.threadCount, planes)
        dy.withUnsafePointer { dyp in
            dx.withUnsafeMutablePointer { dxp in
                argmax.withUnsafeBufferPointer { ip in
                    Compute.parallel(parts) { part in
                        for pl in Compute.range(part, of: parts, total: planes) {
                            let d = dxp + pl * plane
                            for o in 0..<outPlane { d[Int(ip[pl * outPlane + o])] += dyp[pl * outPlane + o] }
                        }
                    }
                }
            }
        }
        return dx
    }
}

/// Average over each `H × W` plane: `[C, N, H, W]` → `[C, N]` (adaptive average pooling to 1×1).
public final class GlobalAvgPool {
    private var inputShape: [Int] = []
    public init() {}

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 4, "GlobalAvgPool expects [C, N, H, W], got \(x.shape)")
        inputShape = x.shape
        let planes = x.shape[0] * x.shape[1], plane = x.shape[2] * x.shape[3]
        var y = Tensor(uninitializedShape: [x.shape[0], x.shape[1]])
        x.withUnsafePointer { xp in
            y.withUnsafeMutablePointer { yp in
                for pl in 0..<planes { yp[pl] = Float(sumOf(xp + pl * plane, count: plane) / Double(plane)) }
            }
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(inputShape.count == 4 && dy.shape == [inputShape[0], inputShape[1]], "GlobalAvgPool.backward shape \(dy.shape)")
        var dx = Tensor(uninitializedShape: inputShape)
        let planes = inputShape[0] * inputShape[1], plane = inputShape[2] * inputShape[3]
        let scale = 1 / Float(plane)
        dy.withUnsafePointer { dyp in
            dx.withUnsafeMutablePointer { dxp in
                for pl in 0..<planes { (dxp + pl * plane).update(repeating: dyp[pl] * scale, count: plane) }
            }
        }
        return dx
    }
}
