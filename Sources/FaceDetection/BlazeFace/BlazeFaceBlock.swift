import NeuralNet

/// One BlazeFace block: depthwise 3×3 (stride 1 or 2, TFLite `SAME` padding) → pointwise 1×1, plus the
/// shortcut (2×2 max-pooled when the block strides, zero channels appended when it widens), then ReLU.
final class BlazeFaceBlock: Module {
    let inChannels: Int, outChannels: Int, stride: Int
    let depthwise: DepthwiseConv2d
    let pointwise: Conv2d
    private let pool: MaxPool2d?

    /// `inputSize` is the square input's side, which fixes the `SAME` padding of a strided block.
    init(inChannels: Int, outChannels: Int, stride: Int, inputSize: Int) {
        self.inChannels = inChannels; self.outChannels = outChannels; self.stride = stride
        let pad = TFLitePadding.same(size: inputSize, kernel: 3, stride: stride)
        depthwise = DepthwiseConv2d(channels: inChannels, kernelSize: 3, stride: stride,
                                    padBefore: pad.before, padAfter: pad.after)
        var rng = RandomGenerator(seed: 0)  // replaced by the loaded weights
        pointwise = Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: 1, rng: &rng)
        pool = stride == 2 ? MaxPool2d(kernelSize: 2) : nil
    }

    var namedParameters: [(name: String, parameter: Parameter)] {
        prefixed("depthwise", depthwise.namedParameters) + prefixed("pointwise", pointwise.namedParameters)
    }

    /// `[inChannels, N, H, W]` → `[outChannels, N, H / stride, W / stride]`.
    func forward(_ x: Tensor) -> Tensor {
        var y = pointwise.forward(depthwise.forward(x), saveForBackward: false)
        let shortcut = ChannelPadding.padded(pool?.forward(x, saveForBackward: false) ?? x, to: outChannels)
        precondition(shortcut.shape == y.shape, "BlazeFace block shortcut \(shortcut.shape) vs \(y.shape)")
        let count = y.count
        shortcut.withUnsafePointer { sp in
            y.withUnsafeMutablePointer { yp in
                for i in 0..<count { yp[i] = max(yp[i] + sp[i], 0) }
            }
        }
        return y
    }
}
