import NeuralNet

/// BlazeFace's shortcut when a block widens: the input's channels followed by zero channels (TFLite's `PAD` on
/// the channel axis, `[[0,0],[0,0],[0,0],[0,extra]]`).
enum ChannelPadding {
    /// `[C, N, H, W]` → `[channels, N, H, W]`, the new channels zero. Channel-major storage makes this a copy
    /// followed by zeros.
    static func padded(_ x: Tensor, to channels: Int) -> Tensor {
        precondition(channels >= x.shape[0], "cannot pad \(x.shape[0]) channels down to \(channels)")
        if channels == x.shape[0] { return x }
        var storage = [Float](repeating: 0, count: channels * (x.count / x.shape[0]))
        storage.withUnsafeMutableBufferPointer { out in
            x.withUnsafePointer { out.baseAddress!.update(from: $0, count: x.count) }
        }
        return Tensor(shape: [channels] + Array(x.shape.dropFirst()), storage: storage)
    }
}
