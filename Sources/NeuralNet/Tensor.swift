/// A dense Float32 tensor: a shape and contiguous row-major storage (the last dimension varies fastest).
///
/// `Tensor` is a value type (copy-on-write through its `Array` storage). The engine uses two layouts:
/// - **model boundary** (what a caller passes to a model and gets back): batch-first, `[N, C, H, W]` images
///   and `[N, classes]` logits;
/// - **inside the layers**: channel-major activations, `[C, N, H, W]` for feature maps and `[F, N]` for
///   feature vectors. In this layout every convolution of a whole batch is one matrix product
///   `W[Cout, Cin·k·k] × columns[Cin·k·k, N·H·W]` and every BatchNorm channel is one contiguous run.
///   For one input channel the two layouts coincide.
public struct Tensor: Sendable, Equatable {
    /// The size of each dimension.
    public private(set) var shape: [Int]
    /// The elements, row-major; `storage.count == shape.reduce(1, *)`.
    public var storage: [Float]

    /// A tensor over existing elements. Precondition: `storage.count` equals the product of `shape`.
    public init(shape: [Int], storage: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(storage.count == shape.reduce(1, *), "storage has \(storage.count) elements, shape \(shape) needs \(shape.reduce(1, *))")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, storage: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor whose elements are left for the caller to write (used by kernels that overwrite every element).
    init(uninitializedShape shape: [Int]) {
        let count = shape.reduce(1, *)
        self.shape = shape
        self.storage = [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// The number of elements.
    @inlinable public var count: Int { storage.count }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }

    /// Swaps the first two dimensions: `[A, B, rest...]` → `[B, A, rest...]` (converts between the batch-first
    /// and channel-major layouts).
    public func swappingFirstTwoAxes() -> Tensor {
        precondition(shape.count >= 2, "need at least two dimensions, shape is \(shape)")
        let a = shape[0], b = shape[1]
        let inner = shape.dropFirst(2).reduce(1, *)
        var newShape = shape
        newShape[0] = b
        newShape[1] = a
        if a == 1 || b == 1 { return Tensor(shape: newShape, storage: storage) }
        var out = Tensor(uninitializedShape: newShape)
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for i in 0..<a {
                    for j in 0..<b {
                        let s = src.baseAddress! + (i * b + j) * inner
                        let d = dst.baseAddress! + (j * a + i) * inner
                        d.update(from: s, count: inner)
                    }
                }
            }
        }
        return out
    }

    /// The largest absolute difference to `other` (same shape required).
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "shapes differ: \(shape) vs \(other.shape)")
        var m: Float = 0
        for i in 0..<storage.count { m = max(m, abs(storage[i] - other.storage[i])) }
        return m
    }
}

extension Tensor {
    /// Runs `body` with a read-only pointer to the elements.
    @inlinable
    public func withUnsafePointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// Runs `body` with a mutable pointer to the elements.
    @inlinable
    public mutating func withUnsafeMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    }
}
