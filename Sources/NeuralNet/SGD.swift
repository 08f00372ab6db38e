/// Errors restoring optimizer or schedule state.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public let description: String
}

/// Stochastic gradient descent with momentum and weight decay, step for step like `torch.optim.SGD`
/// (dampening 0): `g = grad + λ·p;  buf = μ·buf + g;  p −= lr · (nesterov ? g + μ·buf : buf)`.
///
/// The momentum buffers are its whole state; `stateDict()` / `load(stateDict:)` save and restore them by
/// parameter name so a resumed run continues exactly.
public final class SGD {
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    public let nesterov: Bool
    /// The parameters it updates, by state-dict name.
    public let parameters: [(name: String, parameter: Parameter)]
    private var buffers: [[Float]]

    public init(parameters: [(name: String, parameter: Parameter)], learningRate: Float, momentum: Float = 0.9,
                weightDecay: Float = 0, nesterov: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate; self.momentum = momentum
        self.weightDecay = weightDecay; self.nesterov = nesterov
        buffers = parameters.map { [Float](repeating: 0, count: $0.parameter.value.count) }
    }

    /// Sets every parameter gradient to zero (large tensors split over the worker threads).
    public func zeroGrad() {
        let threads = Compute.threadCount
        for (_, p) in parameters {
            let n = p.grad.count, parts = n < 1 << 16 ? 1 : threads
            p.grad.withUnsafeMutablePointer { gp in
                Compute.parallel(parts) { w in
                    let r = Compute.range(w, of: parts, total: n)
                    (gp + r.lowerBound).update(repeating: 0, count: r.count)
                }
            }
        }
    }

    /// Applies one update from the accumulated gradients. The update is elementwise, so large tensors are
    /// split over the worker threads without changing the result.
    public func step() {
        let lr = learningRate, mu = momentum, wd = weightDecay, nest = nesterov
        let threads = Compute.threadCount
        for (index, entry) in parameters.enumerated() {
            let p = entry.parameter, count = p.value.count, parts = count < 1 << 16 ? 1 : threads
            p.grad.withUnsafePointer { gradBase in
                p.value.withUnsafeMutablePointer { valueBase in
                    buffers[index].withUnsafeMutableBufferPointer { bufferBase in
                        Compute.parallel(parts) { w in
                            let r = Compute.range(w, of: parts, total: count)
                            SGD.update(value: valueBase + r.lowerBound, grad: gradBase + r.lowerBound,
                                       buffer: bufferBase.baseAddress! + r.lowerBound, count: r.count,
                                       lr: lr, mu: mu, wd: wd, nesterov: nest)
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func update(value vp: UnsafeMutablePointer<Float>, grad gp: UnsafePointer<Float>,
                               buffer bp: UnsafeMutablePointer<Float>, count n: Int,
                               lr: Float, mu: Float, wd: Float, nesterov: Bool) {
        if nesterov {
            for i in 0..<n {
                let g = gp[i] + wd * vp[i]
                let b = mu * bp[i] + g
                bp[i] = b
                vp[i] -= lr * (g + mu * b)
            }
        } else {
            for i in 0..<n {
                let b = mu * bp[i] + gp[i] + wd * vp[i]
                bp[i] = b
                vp[i] -= lr * b
            }
        }
    }

    /// The momentum buffers, keyed `"<parameter name>.momentum_buffer"`.
    public func stateDict() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (i, entry) in parameters.enumerated() {
            out[entry.name + ".momentum_buffer"] = Tensor(shape: entry.parameter.value.shape, storage: buffers[i])
        }
        return out
    }

    /// Restores buffers saved by `stateDict()`; every parameter must be present with its shape.
    public func load(stateDict: [String: Tensor]) throws {
        var restored = buffers
        for (i, entry) in parameters.enumerated() {
            let key = entry.name + ".momentum_buffer"
            guard let t = stateDict[key] else { throw OptimizerStateError(description: "optimizer state lacks \(key)") }
            guard t.shape == entry.parameter.value.shape else {
                throw OptimizerStateError(description: "optimizer state \(key) has shape \(t.shape), expected \(entry.parameter.value.shape)")
            }
            restored[i] = t.storage
        }
        buffers = restored
    }
}
