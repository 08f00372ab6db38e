import Foundation

/// Depthwise 2-D convolution (one `k×k` filter per channel, no channel mixing) over channel-major
/// activations `[C, N, H, W]` → `[C, N, OH, OW]`. Inference only: there is no `backward`.
///
/// Padding may be asymmetric, as TensorFlow Lite's `SAME` padding is for even strides: `padBefore` zero rows
/// and columns above and to the left, `padAfter` below and to the right, so
/// `OH = (H + padBefore + padAfter − k) / stride + 1`. Weights use PyTorch's grouped-convolution layout
/// `[C, 1, k, k]`; they start at zero, so load them with `load(stateDict:)` (names `weight`, `bias`).
public final class DepthwiseConv2d: Module {
    public let channels: Int, kernelSize: Int, stride: Int, padBefore: Int, padAfter: Int
    /// `[C, 1, k, k]`.
    public let weight: Parameter
    /// `[C]`, or nil for a bias-free convolution.
    public let bias: Parameter?

    public init(channels: Int, kernelSize: Int, stride: Int = 1, padBefore: Int = 0, padAfter: Int = 0,
                bias: Bool = true) {
        precondition(channels > 0 && kernelSize > 0 && stride > 0 && padBefore >= 0 && padAfter >= 0)
        self.channels = channels; self.kernelSize = kernelSize; self.stride = stride
        self.padBefore = padBefore; self.padAfter = padAfter
        weight = Parameter(Tensor(shape: [channels, 1, kernelSize, kernelSize]))
        self.bias = bias ? Parameter(Tensor(shape: [channels])) : nil
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        var list = [(name: "weight", parameter: weight)]
        if let bias { list.append((name: "bias", parameter: bias)) }
        return list
    }

    /// Output height and width for an `h×w` input.
    public func outputSize(_ h: Int, _ w: Int) -> (Int, Int) {
        ((h + padBefore + padAfter - kernelSize) / stride + 1, (w + padBefore + padAfter - kernelSize) / stride + 1)
    }

    /// `[C, N, H, W]` → `[C, N, OH, OW]`.
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[0] == channels,
                     "DepthwiseConv2d(\(channels)) expects [\(channels), N, H, W], got \(x.shape)")
        let n = x.shape[1], h = x.shape[2], w = x.shape[3]
        let (oh, ow) = outputSize(h, w)
        precondition(oh > 0 && ow > 0, "DepthwiseConv2d input \(x.shape) is smaller than its kernel")
        var y = Tensor(uninitializedShape: [channels, n, oh, ow])
        x.withUnsafePointer { xp in
            y.withUnsafeMutablePointer { yp in forward(xp, batch: n, height: h, width: w, into: yp) }
        }
        return y
    }

    /// Inference into the caller's buffer: `x` is `[C, batch, height, width]`, `y` receives `[C, batch, OH, OW]`
    /// (`outputSize`), the same values as `forward(_:)` gives, bit for bit.
    public func forward(_ xp: UnsafePointer<Float>, batch n: Int, height h: Int, width w: Int,
                        into yp: UnsafeMutablePointer<Float>) {
        let (oh, ow) = outputSize(h, w)
        precondition(oh > 0 && ow > 0, "DepthwiseConv2d input [\(channels), \(n), \(h), \(w)] is smaller than its kernel")
        let k = kernelSize, s = stride, p = padBefore, planes = channels * n
        let parts = planes * h * w < 32768 ? 1 : min(Compute.threadCount, planes)
        let biasValues = bias?.value.storage
        // Each plane is copied into a zero-bordered scratch plane, so the taps run without bounds checks over
        // contiguous output rows (the additions in the same order as a bounds-checked loop: ky, then kx; a
        // padded tap adds 0).
        let ph = max(h + p + padAfter, (oh - 1) * s + k), pw = max(w + p + padAfter, (ow - 1) * s + k)
        weight.value.withUnsafePointer { wp in
            Compute.parallel(parts) { part in
                let padded = UnsafeMutablePointer<Float>.allocate(capacity: ph * pw)
                defer { padded.deallocate() }
                padded.initialize(repeating: 0, count: ph * pw)
                for plane in Compute.range(part, of: parts, total: planes) {
                    let c = plane / n
                    let src = xp + plane * h * w, dst = yp + plane * oh * ow, filter = wp + c * k * k
                    for row in 0..<h { (padded + (row + p) * pw + p).update(from: src + row * w, count: w) }
                    let b = biasValues?[c] ?? 0
                    for oy in 0..<oh {
                        let out = dst + oy * ow
                        out.update(repeating: b, count: ow)
                        for ky in 0..<k {
                            for kx in 0..<k {
                                let tap = filter[ky * k + kx]
                                let line = padded + (oy * s + ky) * pw + kx
                                if s == 1 {
                                    // Eight lanes at a time (the same per-element additions).
                                    var ox = 0
                                    let taps = SIMD8<Float>(repeating: tap)
                                    while ox + 8 <= ow {
                                        let o = UnsafeMutableRawPointer(out + ox), l = UnsafeRawPointer(line + ox)
                                        let sum = o.loadUnaligned(as: SIMD8<Float>.self)
                                            + l.loadUnaligned(as: SIMD8<Float>.self) * taps
                                        o.storeBytes(of: sum, as: SIMD8<Float>.self)
                                        ox += 8
                                    }
                                    while ox < ow { out[ox] += line[ox] * tap; ox += 1 }
                                } else {
                                    for ox in 0..<ow { out[ox] += line[ox * s] * tap }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
