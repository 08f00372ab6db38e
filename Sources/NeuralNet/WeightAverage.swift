/// An exponential moving average of a module's weights (Polyak–Ruppert averaging, as in timm's `ModelEmaV2`).
///
/// After every optimiser step, `update(from:)` sets `average ← decay·average + (1 − decay)·current` for every
/// parameter and every floating-point buffer (BatchNorm running statistics), so the average is a network of
/// its own, evaluated as it is; int64 counters (`num_batches_tracked`) are copied. With `decay` d the average
/// spans about `1 / (1 − d)` steps. The arithmetic is in Float, element by element, in a fixed order, so a
/// run that saves and reloads `state` continues bit for bit.
public final class WeightAverage {
    /// The weight of the old average in each update, in (0, 1).
    public let decay: Float
    private let names: [String]
    private var tensors: [Tensor]
    /// Per tensor: copied rather than averaged (int64 counters).
    private let copied: [Bool]

    /// An average that starts at the module's current weights.
    public convenience init(decay: Float, startingFrom module: Module) {
        try! self.init(decay: decay, state: module.stateDict(), for: module)
    }

    /// An average that continues from `state` (a saved `state`); it must name every parameter and buffer of
    /// `module` with its shape.
    public init(decay: Float, state: [String: Tensor], for module: Module) throws {
        precondition(decay > 0 && decay < 1, "decay must be in (0, 1)")
        self.decay = decay
        var names: [String] = [], tensors: [Tensor] = [], copied: [Bool] = []
        for (name, p) in module.namedParameters {
            guard let t = state[name], t.shape == p.value.shape else {
                throw StateDictError("weight average: tensor \(name) is missing or has another shape")
            }
            names.append(name)
            tensors.append(t)
            copied.append(false)
        }
        for (name, b) in module.namedBuffers {
            guard let t = state[name], t.count == b.value.count else {
                throw StateDictError("weight average: tensor \(name) is missing or has another shape")
            }
            names.append(name)
            tensors.append(t.reshaped(b.value.shape))
            copied.append(b.storageType == .int64)
        }
        self.names = names
        self.tensors = tensors
        self.copied = copied
    }

    /// The averaged weights under their state-dict names (loadable with `Module.load(stateDict:)`).
    public var state: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: zip(names, tensors))
    }

    /// Folds the module's current weights into the average. The module must be the one (or of the same
    /// layout as the one) the average was made for.
    public func update(from module: Module) {
        let current = module.namedParameters.map(\.parameter.value) + module.namedBuffers.map(\.buffer.value)
        precondition(current.count == tensors.count, "weight average: module layout changed")
        let d = decay, e = 1 - decay
        for i in tensors.indices {
            if copied[i] {
                tensors[i] = current[i]
                continue
            }
            current[i].storage.withUnsafeBufferPointer { c in
                tensors[i].storage.withUnsafeMutableBufferPointer { a in
                    precondition(a.count == c.count, "weight average: tensor \(names[i]) changed size")
                    for j in 0..<a.count { a[j] = d * a[j] + e * c[j] }
                }
            }
        }
    }
}
