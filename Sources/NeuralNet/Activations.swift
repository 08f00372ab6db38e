import Foundation

/// `max(x, 0)` elementwise (any layout). Keeps its output for `backward`.
public final class ReLU {
    private var savedOutput: Tensor?
    public init() {}

    public func forward(_ x: consuming Tensor, saveForBackward: Bool = true) -> Tensor {
        var y = x
        let n = y.count
        y.withUnsafeMutablePointer { VectorKernels.relu($0, count: n) }
        savedOutput = saveForBackward ? y : nil
        return y
    }

    /// `dL/dx = dL/dy` where the output was positive, else 0.
    public func backward(_ dy: consuming Tensor) -> Tensor {
        guard let y = savedOutput else { preconditionFailure("ReLU.backward without a saved forward pass") }
        precondition(dy.shape == y.shape, "ReLU.backward: gradient shape \(dy.shape), output \(y.shape)")
        var dx = dy
        let n = dx.count
        y.withUnsafePointer { yp in
            dx.withUnsafeMutablePointer { VectorKernels.reluMask($0, output: yp, count: n) }
        }
        return dx
    }
}

/// The logistic function `1 / (1 + e^−x)` elementwise. Keeps its output for `backward`.
public final class Sigmoid {
    private var savedOutput: Tensor?
    public init() {}

    public func forward(_ x: consuming Tensor, saveForBackward: Bool = true) -> Tensor {
        var y = x
        let n = y.count
        y.withUnsafeMutablePointer { p in for i in 0..<n { p[i] = 1 / (1 + exp(-p[i])) } }
        savedOutput = saveForBackward ? y : nil
        return y
    }

    /// `dL/dx = dL/dy · y · (1 − y)`.
    public func backward(_ dy: consuming Tensor) -> Tensor {
        guard let y = savedOutput else { preconditionFailure("Sigmoid.backward without a saved forward pass") }
        precondition(dy.shape == y.shape, "Sigmoid.backward: gradient shape \(dy.shape), output \(y.shape)")
        var dx = dy
        let n = dx.count
        y.withUnsafePointer { yp in
            dx.withUnsafeMutablePointer { p in for i in 0..<n { p[i] *= yp[i] * (1 - yp[i]) } }
        }
        return dx
    }
}
