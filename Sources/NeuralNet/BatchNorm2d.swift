import Foundation

/// Batch normalisation over the channels of channel-major activations `[C, N, H, W]` (or `[C, N]`).
///
/// Training mode normalises with the batch statistics (biased variance) and updates the running mean and
/// the running unbiased variance with `momentum`, exactly like `torch.nn.BatchNorm2d`; eval mode uses the
/// running statistics. State-dict names: `weight`, `bias`, `running_mean`, `running_var`,
/// `num_batches_tracked`.
public final class BatchNorm2d: Module {
    public let channels: Int
    public let eps: Float
    public let momentum: Float
    /// γ, `[C]`, initialised to 1.
    public let weight: Parameter
    /// β, `[C]`, initialised to 0.
    public let bias: Parameter
    public let runningMean: Buffer
    public let runningVar: Buffer
    /// The number of training batches seen (int64 in PyTorch files).
    public let batchesTracked: Buffer

    private var savedInput: Tensor?
    private var savedMean: [Float] = []
    private var savedInvStd: [Float] = []

    public init(channels: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
        self.channels = channels; self.eps = eps; self.momentum = momentum
        weight = Parameter(Tensor(shape: [channels], repeating: 1))
        bias = Parameter(Tensor(shape: [channels]))
        runningMean = Buffer(Tensor(shape: [channels]))
        runningVar = Buffer(Tensor(shape: [channels], repeating: 1))
        batchesTracked = Buffer(Tensor(shape: []), storageType: .int64)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        [(name: "weight", parameter: weight), (name: "bias", parameter: bias)]
    }
    public var namedBuffers: [(name: String, buffer: Buffer)] {
        [(name: "running_mean", buffer: runningMean), (name: "running_var", buffer: runningVar),
         (name: "num_batches_tracked", buffer: batchesTracked)]
    }

    /// The per-channel affine map `y = a·x + b` that eval mode applies (used to fold BN into a convolution).
    public func evalScaleShift() -> (scale: [Float], shift: [Float]) {
        var a = [Float](repeating: 0, count: channels), b = a
        for c in 0..<channels {
            let s = weight.value.storage[c] / (runningVar.value.storage[c] + eps).squareRoot()
            a[c] = s
            b[c] = bias.value.storage[c] - runningMean.value.storage[c] * s
        }
        return (a, b)
    }

    /// Normalises `x`; in training mode also updates the running statistics and keeps what `backward` needs.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.first == channels, "BatchNorm2d(\(channels)) got shape \(x.shape)")
        let per = x.count / channels
        var y = Tensor(uninitializedShape: x.shape)
        let threads = Compute.threadCount
        let parts = x.count < 65536 ? 1 : min(threads, channels)
        if !training {
            savedInput = nil
            let (a, b) = evalScaleShift()
            x.withUnsafePointer { xp in
                y.withUnsafeMutablePointer { yp in
                    Compute.parallel(parts) { w in
                        for c in Compute.range(w, of: parts, total: channels) {
                            scaleShift(xp + c * per, yp + c * per, count: per, a: a[c], b: b[c])
                        }
                    }
                }
            }
            return y
        }
        precondition(per > 1, "BatchNorm2d in training mode needs more than one value per channel, got \(x.shape)")
        var mean = [Float](repeating: 0, count: channels), variance = mean
        let gamma = weight.value.storage, beta = bias.value.storage
        var invStd = mean
        x.withUnsafePointer { xp in
            y.withUnsafeMutablePointer { yp in
                mean.withUnsafeMutableBufferPointer { mp in
                    variance.withUnsafeMutableBufferPointer { vp in
                        invStd.withUnsafeMutableBufferPointer { ip in
                            Compute.parallel(parts) { w in
                                for c in Compute.range(w, of: parts, total: channels) {
                                    let p = xp + c * per
                                    let m = sumOf(p, count: per) / Double(per)
                                    let v = sumOfSquaredDeviations(p, count: per, mean: Float(m)) / Double(per)
                                    let inv = Float(1 / (v + Double(eps)).squareRoot())
                                    mp[c] = Float(m); vp[c] = Float(v); ip[c] = inv
                                    let a = gamma[c] * inv
                                    scaleShift(p, yp + c * per, count: per, a: a, b: beta[c] - Float(m) * a)
                                }
                            }
                        }
                    }
                }
            }
        }
        let unbias = Float(per) / Float(per - 1)
        for c in 0..<channels {
            runningMean.value.storage[c] = (1 - momentum) * runningMean.value.storage[c] + momentum * mean[c]
            runningVar.value.storage[c] = (1 - momentum) * runningVar.value.storage[c] + momentum * variance[c] * unbias
        }
        batchesTracked.value.storage[0] += 1
        savedInput = x
        savedMean = mean
        savedInvStd = invStd
        return y
    }

    /// Given `dL/dy` of the last training-mode forward, adds `dL/dγ`, `dL/dβ` and returns `dL/dx`.
    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = savedInput else { preconditionFailure("BatchNorm2d.backward needs a training-mode forward first") }
        precondition(dy.shape == x.shape, "BatchNorm2d.backward: gradient shape \(dy.shape), input \(x.shape)")
        let per = x.count / channels
        var dx = Tensor(uninitializedShape: x.shape)
        let parts = x.count < 65536 ? 1 : min(Compute.threadCount, channels)
        let gamma = weight.value.storage, mean = savedMean, invStd = savedInvStd
        x.withUnsafePointer { xp in
        dy.withUnsafePointer { dyp in
        dx.withUnsafeMutablePointer { dxp in
        weight.grad.withUnsafeMutablePointer { dgp in
        bias.grad.withUnsafeMutablePointer { dbp in
            Compute.parallel(parts) { w in
                for c in Compute.range(w, of: parts, total: channels) {
                    let xc = xp + c * per, dyc = dyp + c * per, dxc = dxp + c * per
                    let m = mean[c], inv = invStd[c]
                    let sumDy = sumOf(dyc, count: per)
                    let sumDyX = dotOf(dyc, xc, count: per)
                    // Σ dy·x̂ = inv · (Σ dy·x − mean · Σ dy)
                    let sumDyXhat = Double(inv) * (sumDyX - Double(m) * sumDy)
                    dgp[c] += Float(sumDyXhat)
                    dbp[c] += Float(sumDy)
                    let a = gamma[c] * inv
                    let meanDy = Float(sumDy / Double(per))
                    let k = Float(sumDyXhat / Double(per)) * inv
                    // dx = a · (dy − mean(dy) − x̂ · mean(dy·x̂)),  x̂ = (x − m) · inv
                    for i in 0..<per {
                        dxc[i] = a * (dyc[i] - meanDy - (xc[i] - m) * k)
                    }
                }
            }
        }}}}}
        return dx
    }
}

/// `y[i] = a · x[i] + b`.
@inline(__always)
func scaleShift(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, a: Float, b: Float) {
    VectorKernels.scaleShift(x, y, count: count, scale: a, shift: b)
}

/// Σ (p[i] − mean)², blockwise like `sumOf`.
@inline(__always)
func sumOfSquaredDeviations(_ p: UnsafePointer<Float>, count: Int, mean: Float) -> Double {
    var total = 0.0
    var i = 0
    let m = SIMD8<Float>(repeating: mean)
    while i < count {
        let end = min(count, i + 256)
        var acc = SIMD8<Float>(repeating: 0)
        while i + 8 <= end {
            let d = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self) - m
            acc += d * d
            i += 8
        }
        var s = Double(acc.sum())
        while i < end { let d = Double(p[i] - mean); s += d * d; i += 1 }
        total += s
    }
    return total
}

/// Σ a[i]·b[i], blockwise like `sumOf`.
@inline(__always)
func dotOf(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Double {
    var total = 0.0
    var i = 0
    while i < count {
        let end = min(count, i + 256)
        var acc = SIMD8<Float>(repeating: 0)
        while i + 8 <= end {
            acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var s = Double(acc.sum())
        while i < end { s += Double(a[i] * b[i]); i += 1 }
        total += s
    }
    return total
}
