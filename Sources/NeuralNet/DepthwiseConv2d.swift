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
        // Each plane is copied into a zero-bordered scratch plane, so the taps run without bounds checks; each
        // output is the bias plus the taps in the order ky, then kx, summed in a register (a padded tap adds 0).
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
                        let out = dst + oy * ow, top = padded + oy * s * pw
                        var ox = 0
                        if k == 3 {
                            // The common 3 × 3 case as one loop over the row that LLVM vectorises: nine taps held
                            // in locals, each output summed in a register (the same additions, in the same order).
                            let t0 = filter[0], t1 = filter[1], t2 = filter[2], t3 = filter[3], t4 = filter[4]
                            let t5 = filter[5], t6 = filter[6], t7 = filter[7], t8 = filter[8]
                            let r0 = top, r1 = top + pw, r2 = top + 2 * pw
                            if s == 1 {
                                for i in 0..<ow {
                                    var sum = b + r0[i] * t0
                                    sum += r0[i + 1] * t1; sum += r0[i + 2] * t2
                                    sum += r1[i] * t3; sum += r1[i + 1] * t4; sum += r1[i + 2] * t5
                                    sum += r2[i] * t6; sum += r2[i + 1] * t7; sum += r2[i + 2] * t8
                                    out[i] = sum
                                }
                            } else {
                                for i in 0..<ow {
                                    let j = i * s
                                    var sum = b + r0[j] * t0
                                    sum += r0[j + 1] * t1; sum += r0[j + 2] * t2
                                    sum += r1[j] * t3; sum += r1[j + 1] * t4; sum += r1[j + 2] * t5
                                    sum += r2[j] * t6; sum += r2[j + 1] * t7; sum += r2[j + 2] * t8
                                    out[i] = sum
                                }
                            }
                            ox = ow
                        }
                        while ox < ow {
                            var sum = b
                            for ky in 0..<k {
                                let line = top + ky * pw + ox * s
                                for kx in 0..<k { sum += line[kx] * filter[ky * k + kx] }
                            }
                            out[ox] = sum
                            ox += 1
                        }
                    }
                }
            }
        }
    }
}
