/// A trainable tensor and the gradient accumulated into it by `backward`.
public final class Parameter {
    /// The current value (layout as PyTorch stores it: conv `[Cout, Cin, kh, kw]`, linear `[out, in]`).
    public var value: Tensor
    /// The gradient of the loss with respect to `value`, same shape; `backward` adds into it.
    public var grad: Tensor

    /// A parameter with a zero gradient.
    public init(_ value: Tensor) {
        self.value = value
        self.grad = Tensor(shape: value.shape)
    }

    /// Sets the gradient to zero.
    public func zeroGrad() {
        grad.withUnsafeMutablePointer { $0.update(repeating: 0, count: grad.count) }
    }
}

/// A non-trainable state tensor (BatchNorm running statistics and batch counter).
public final class Buffer {
    /// How the buffer is written to a safetensors file (PyTorch keeps `num_batches_tracked` as int64).
    public enum StorageType: Sendable { case float32, int64 }
    /// The current value.
    public var value: Tensor
    /// The element type used when saving.
    public let storageType: StorageType

    public init(_ value: Tensor, storageType: StorageType = .float32) {
        self.value = value
        self.storageType = storageType
    }
}

/// Anything holding parameters and buffers under PyTorch state-dict names.
public protocol Module: AnyObject {
    /// Trainable tensors, named relative to this module (e.g. `weight`, `res_block1.conv1.bias`), in a fixed order.
    var namedParameters: [(name: String, parameter: Parameter)] { get }
    /// State tensors, named relative to this module (e.g. `running_mean`), in a fixed order.
    var namedBuffers: [(name: String, buffer: Buffer)] { get }
}

extension Module {
    public var namedBuffers: [(name: String, buffer: Buffer)] { [] }

    /// Sets every parameter gradient to zero.
    public func zeroGrad() { for (_, p) in namedParameters { p.zeroGrad() } }

    /// The total number of trainable scalars.
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.parameter.value.count } }
}

/// Prefixes child names with `prefix.` (the way PyTorch nests state-dict keys).
public func prefixed<T>(_ prefix: String, _ items: [(name: String, T)]) -> [(name: String, T)] {
    items.map { (name: prefix + "." + $0.name, $0.1) }
}
