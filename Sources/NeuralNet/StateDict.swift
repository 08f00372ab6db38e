/// Errors loading named tensors into a module.
public struct StateDictError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Module {
    /// Every parameter and buffer under its state-dict name (a copy of the current values).
    public func stateDict() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, p) in namedParameters { out[name] = p.value }
        for (name, b) in namedBuffers { out[name] = b.value }
        return out
    }

    /// Copies tensors into the parameters and buffers of the same names.
    ///
    /// Every parameter and buffer must be present with its exact shape, except `num_batches_tracked`
    /// counters, which may be missing (older PyTorch files). Names the module does not have are an error
    /// when `strict`. Nothing is modified unless the whole dictionary fits.
    public func load(stateDict: [String: Tensor], strict: Bool = true) throws {
        var targets: [(Tensor, (Tensor) -> Void)] = []
        var known = Set<String>()
        for (name, p) in namedParameters {
            known.insert(name)
            guard let t = stateDict[name] else { throw StateDictError("missing tensor \(name)") }
            guard t.shape == p.value.shape else {
                throw StateDictError("tensor \(name) has shape \(t.shape), expected \(p.value.shape)")
            }
            targets.append((t, { p.value = $0 }))
        }
        for (name, b) in namedBuffers {
            known.insert(name)
            guard let t = stateDict[name] else {
                if name.hasSuffix("num_batches_tracked") { continue }
                throw StateDictError("missing tensor \(name)")
            }
            guard t.shape == b.value.shape || (t.count == 1 && b.value.count == 1) else {
                throw StateDictError("tensor \(name) has shape \(t.shape), expected \(b.value.shape)")
            }
            targets.append((t.reshaped(b.value.shape), { b.value = $0 }))
        }
        if strict, let extra = stateDict.keys.filter({ !known.contains($0) }).sorted().first {
            throw StateDictError("unexpected tensor \(extra)")
        }
        for (t, assign) in targets { assign(t) }
    }

    /// The names of buffers stored as int64 in PyTorch files.
    public var int64BufferNames: Set<String> {
        Set(namedBuffers.filter { $0.buffer.storageType == .int64 }.map(\.name))
    }
}
