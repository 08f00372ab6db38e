/// Squeeze-and-excitation over `[C, N, H, W]`: `y = x · sigmoid(fc2(relu(fc0(avgpool(x)))))` per channel
/// and image. State-dict names follow PyTorch's `SEBlock`: `fc.0.weight` `[hidden, C]`, `fc.2.weight`
/// `[C, hidden]` (both bias-free).
public final class SqueezeExcitation: Module {
    public let channels: Int, hidden: Int
    public let fc0: Linear, fc2: Linear
    private let pool = GlobalAvgPool(), relu = ReLU(), sigmoid = Sigmoid()
    private var savedInput: Tensor?
    private var savedGate: Tensor?

    public init(channels: Int, hidden: Int, rng: inout RandomGenerator) {
        self.channels = channels; self.hidden = hidden
        fc0 = Linear(inFeatures: channels, outFeatures: hidden, bias: false, rng: &rng)
        fc2 = Linear(inFeatures: hidden, outFeatures: channels, bias: false, rng: &rng)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        prefixed("fc.0", fc0.namedParameters) + prefixed("fc.2", fc2.namedParameters)
    }

    /// The gate `[C, N]` for input `x`.
    func gate(_ x: Tensor, save: Bool) -> Tensor {
        let s = pool.forward(x)
        return sigmoid.forward(fc2.forward(relu.forward(fc0.forward(s, saveForBackward: save), saveForBackward: save),
                                           saveForBackward: save), saveForBackward: save)
    }

    public func forward(_ x: Tensor, saveForBackward: Bool = true) -> Tensor {
        let g = gate(x, save: saveForBackward)
        var y = x
        let plane = x.shape[2] * x.shape[3], planes = x.shape[0] * x.shape[1]
        g.withUnsafePointer { gp in
            y.withUnsafeMutablePointer { yp in
                for pl in 0..<planes {
                    let s = gp[pl], row = yp + pl * plane
                    for i in 0..<plane { row[i] *= s }
                }
            }
        }
        savedInput = saveForBackward ? x : nil
        savedGate = saveForBackward ? g : nil
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let x = savedInput, let g = savedGate else { preconditionFailure("SqueezeExcitation.backward without a saved forward pass") }
        precondition(dy.shape == x.shape, "SqueezeExcitation.backward: gradient shape \(dy.shape)")
        let plane = x.shape[2] * x.shape[3], planes = x.shape[0] * x.shape[1]
        var dGate = Tensor(uninitializedShape: g.shape)
        var dx = dy
        x.withUnsafePointer { xp in
        dy.withUnsafePointer { dyp in
        g.withUnsafePointer { gp in
        dGate.withUnsafeMutablePointer { dgp in
        dx.withUnsafeMutablePointer { dxp in
            for pl in 0..<planes {
                dgp[pl] = Float(dotOf(dyp + pl * plane, xp + pl * plane, count: plane))
                let s = gp[pl], row = dxp + pl * plane
                for i in 0..<plane { row[i] *= s }
            }
        }}}}}
        let dPooled = fc0.backward(relu.backward(fc2.backward(sigmoid.backward(dGate))!))!
        let dFromPool = pool.backward(dPooled)
        dx.add(dFromPool)
        return dx
    }
}

extension Tensor {
    /// `self += other` elementwise (same shape).
    public mutating func add(_ other: Tensor) {
        precondition(shape == other.shape, "add: shapes differ \(shape) vs \(other.shape)")
        let n = count
        other.withUnsafePointer { op in withUnsafeMutablePointer { VectorKernels.add($0, op, count: n) } }
    }
}
