/// ResEmoteNet's residual block over `[C, N, H, W]`:
/// `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`, with 3×3 convolutions (the first one strided) and a
/// 1×1 strided convolution + BatchNorm shortcut when the shape changes (identity otherwise).
/// State-dict names: `conv1`, `bn1`, `conv2`, `bn2`, `shortcut.0` (conv), `shortcut.1` (BatchNorm).
public final class ResidualBlock: Module {
    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d
    public let shortcutConv: Conv2d?, shortcutBN: BatchNorm2d?
    private let relu1 = ReLU(), reluOut = ReLU()

    public init(inChannels: Int, outChannels: Int, stride: Int, rng: inout RandomGenerator) {
        conv1 = Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: 3, stride: stride, padding: 1, rng: &rng)
        bn1 = BatchNorm2d(channels: outChannels)
        conv2 = Conv2d(inChannels: outChannels, outChannels: outChannels, kernelSize: 3, stride: 1, padding: 1, rng: &rng)
        bn2 = BatchNorm2d(channels: outChannels)
        if stride != 1 || inChannels != outChannels {
            shortcutConv = Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: 1, stride: stride, padding: 0, rng: &rng)
            shortcutBN = BatchNorm2d(channels: outChannels)
        } else {
            shortcutConv = nil; shortcutBN = nil
        }
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        var list = prefixed("conv1", conv1.namedParameters) + prefixed("bn1", bn1.namedParameters)
            + prefixed("conv2", conv2.namedParameters) + prefixed("bn2", bn2.namedParameters)
        if let shortcutConv, let shortcutBN {
            list += prefixed("shortcut.0", shortcutConv.namedParameters) + prefixed("shortcut.1", shortcutBN.namedParameters)
        }
        return list
    }

    public var namedBuffers: [(name: String, buffer: Buffer)] {
        var list = prefixed("bn1", bn1.namedBuffers) + prefixed("bn2", bn2.namedBuffers)
        if let shortcutBN { list += prefixed("shortcut.1", shortcutBN.namedBuffers) }
        return list
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var out = bn2.forward(conv2.forward(relu1.forward(bn1.forward(conv1.forward(x, saveForBackward: training),
                                                                        training: training), saveForBackward: training),
                                            saveForBackward: training), training: training)
        if let shortcutConv, let shortcutBN {
            out.add(shortcutBN.forward(shortcutConv.forward(x, saveForBackward: training), training: training))
        } else {
            out.add(x)
        }
        return reluOut.forward(out, saveForBackward: training)
    }

    /// Accumulates parameter gradients and returns `dL/dx`.
    public func backward(_ dy: Tensor) -> Tensor {
        let d = reluOut.backward(dy)
        var dx = conv1.backward(bn1.backward(relu1.backward(conv2.backward(bn2.backward(d))!)))!
        if let shortcutConv, let shortcutBN {
            dx.add(shortcutConv.backward(shortcutBN.backward(d))!)
        } else {
            dx.add(d)
        }
        return dx
    }
}
