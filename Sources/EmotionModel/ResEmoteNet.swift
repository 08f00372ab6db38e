import NeuralNet

/// ResEmoteNet (teacher) and the Mini-ResEmoteNet students, trainable, with the official PyTorch
/// implementation's layer structure and state-dict names:
///
/// ```
/// conv1 bn1 relu maxpool dropout(0.2)   conv2 bn2 relu maxpool dropout(0.2)   conv3 bn3 relu maxpool
/// se (fc.0 relu fc.2 sigmoid)   res_block1 res_block2 res_block3 (stride 2 each)   avgpool
/// fc1 relu dropout(0.5)  fc2 relu dropout(0.5)  fc3 relu dropout(0.5)  fc4
/// ```
///
/// Training API (what a trainer does each batch):
/// ```swift
/// let logits = model.forward(images, training: true)          // [N, C, H, W] → [N, classes]
/// let loss = Loss.crossEntropy(logits: logits, targets: y, classWeights: w)
///     .combined(with: Loss.distillation(studentLogits: logits, teacherLogits: t, temperature: 3), factor: 0.2)
/// optimizer.zeroGrad()
/// model.backward(loss.gradient)                               // accumulates every parameter's grad
/// optimizer.step()
/// ```
/// `namedParameters` / `namedBuffers` / `stateDict()` / `load(stateDict:)` expose everything by PyTorch name,
/// `dropoutGenerator` holds the only randomness, so a run is reproducible for a fixed seed and thread count.
/// A model instance is not thread-safe: one forward/backward at a time.
public final class ResEmoteNet: Module {
    public let architecture: ResEmoteNetArchitecture
    /// Dropout probabilities: after the first two stem blocks, and in the FC head (0 disables).
    public let dropoutRates: (stem: Float, head: Float)
    /// The generator that draws dropout masks (save/restore it for an exact resume).
    public var dropoutGenerator: RandomGenerator

    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d, conv3: Conv2d, bn3: BatchNorm2d
    public let se: SqueezeExcitation
    public let resBlock1: ResidualBlock, resBlock2: ResidualBlock, resBlock3: ResidualBlock
    public let fc1: Linear, fc2: Linear, fc3: Linear, fc4: Linear

    private let relu1 = ReLU(), relu2 = ReLU(), relu3 = ReLU(), reluFC1 = ReLU(), reluFC2 = ReLU(), reluFC3 = ReLU()
    private let pool1 = MaxPool2d(kernelSize: 2), pool2 = MaxPool2d(kernelSize: 2), pool3 = MaxPool2d(kernelSize: 2)
    private let drop1: Dropout, drop2: Dropout, dropFC1: Dropout, dropFC2: Dropout, dropFC3: Dropout
    private let avgPool = GlobalAvgPool()
    private var lastBatchShape: [Int] = []

    /// A freshly initialised network (PyTorch's default initialisation, drawn from `seed`).
    public init(architecture: ResEmoteNetArchitecture, seed: UInt64 = 0, dropoutRates: (stem: Float, head: Float) = (0.2, 0.5)) {
        precondition(architecture.isSupported, "unsupported ResEmoteNet configuration \(architecture)")
        self.architecture = architecture
        self.dropoutRates = dropoutRates
        var rng = RandomGenerator(seed: seed)
        dropoutGenerator = RandomGenerator(seed: seed &+ 0x5EED)
        let (c, r, h) = (architecture.stemChannels, architecture.residualChannels, architecture.headWidths)
        conv1 = Conv2d(inChannels: architecture.inputChannels, outChannels: c[0], kernelSize: 3, padding: 1, rng: &rng)
        bn1 = BatchNorm2d(channels: c[0])
        conv2 = Conv2d(inChannels: c[0], outChannels: c[1], kernelSize: 3, padding: 1, rng: &rng)
        bn2 = BatchNorm2d(channels: c[1])
        conv3 = Conv2d(inChannels: c[1], outChannels: c[2], kernelSize: 3, padding: 1, rng: &rng)
        bn3 = BatchNorm2d(channels: c[2])
        se = SqueezeExcitation(channels: c[2], hidden: architecture.seHidden, rng: &rng)
        resBlock1 = ResidualBlock(inChannels: c[2], outChannels: r[0], stride: 2, rng: &rng)
        resBlock2 = ResidualBlock(inChannels: r[0], outChannels: r[1], stride: 2, rng: &rng)
        resBlock3 = ResidualBlock(inChannels: r[1], outChannels: r[2], stride: 2, rng: &rng)
        fc1 = Linear(inFeatures: r[2], outFeatures: h[0], rng: &rng)
        fc2 = Linear(inFeatures: h[0], outFeatures: h[1], rng: &rng)
        fc3 = Linear(inFeatures: h[1], outFeatures: h[2], rng: &rng)
        fc4 = Linear(inFeatures: h[2], outFeatures: architecture.classes, rng: &rng)
        drop1 = Dropout(p: dropoutRates.stem); drop2 = Dropout(p: dropoutRates.stem)
        dropFC1 = Dropout(p: dropoutRates.head); dropFC2 = Dropout(p: dropoutRates.head); dropFC3 = Dropout(p: dropoutRates.head)
    }

    /// `ResEmoteNet(width: .B, inputChannels: 1, inputSize: 48)`.
    public convenience init(width: ResEmoteNetArchitecture.Width, inputChannels: Int = 1, inputSize: Int = 48, seed: UInt64 = 0) {
        self.init(architecture: ResEmoteNetArchitecture(width: width, inputChannels: inputChannels, inputSize: inputSize), seed: seed)
    }

    /// The child modules under their state-dict prefixes, in PyTorch's registration order.
    private var children: [(String, Module)] {
        [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2), ("conv3", conv3), ("bn3", bn3), ("se", se),
         ("res_block1", resBlock1), ("res_block2", resBlock2), ("res_block3", resBlock3),
         ("fc1", fc1), ("fc2", fc2), ("fc3", fc3), ("fc4", fc4)]
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        children.flatMap { prefixed($0.0, $0.1.namedParameters) }
    }

    public var namedBuffers: [(name: String, buffer: Buffer)] {
        children.flatMap { prefixed($0.0, $0.1.namedBuffers) }
    }

    /// Runs the network on a batch `[N, inputChannels, inputSize, inputSize]` and returns logits `[N, classes]`.
    ///
    /// `training: true` uses batch statistics (and updates the running ones), applies dropout and keeps what
    /// `backward` needs; `training: false` is plain evaluation (for fast batched inference use
    /// `InferenceNetwork`).
    public func forward(_ images: Tensor, training: Bool) -> Tensor {
        let a = architecture
        precondition(images.shape.count == 4 && images.shape[1] == a.inputChannels && images.shape[2] == a.inputSize
                     && images.shape[3] == a.inputSize,
                     "ResEmoteNet expects [N, \(a.inputChannels), \(a.inputSize), \(a.inputSize)], got \(images.shape)")
        lastBatchShape = images.shape
        var x = images.swappingFirstTwoAxes()
        x = stem(x, conv1, bn1, relu1, pool1, training)
        x = drop1.forward(x, training: training, rng: &dropoutGenerator)
        x = stem(x, conv2, bn2, relu2, pool2, training)
        x = drop2.forward(x, training: training, rng: &dropoutGenerator)
        x = stem(x, conv3, bn3, relu3, pool3, training)
        x = se.forward(x, saveForBackward: training)
        x = resBlock1.forward(x, training: training)
        x = resBlock2.forward(x, training: training)
        x = resBlock3.forward(x, training: training)
        var f = avgPool.forward(x)
        f = dropFC1.forward(reluFC1.forward(fc1.forward(f, saveForBackward: training), saveForBackward: training),
                            training: training, rng: &dropoutGenerator)
        f = dropFC2.forward(reluFC2.forward(fc2.forward(f, saveForBackward: training), saveForBackward: training),
                            training: training, rng: &dropoutGenerator)
        f = dropFC3.forward(reluFC3.forward(fc3.forward(f, saveForBackward: training), saveForBackward: training),
                            training: training, rng: &dropoutGenerator)
        return fc4.forward(f, saveForBackward: training).swappingFirstTwoAxes()
    }

    private func stem(_ x: Tensor, _ conv: Conv2d, _ bn: BatchNorm2d, _ relu: ReLU, _ pool: MaxPool2d, _ training: Bool) -> Tensor {
        pool.forward(relu.forward(bn.forward(conv.forward(x, saveForBackward: training), training: training),
                                  saveForBackward: training), saveForBackward: training)
    }

    /// Back-propagates `dL/dlogits` (`[N, classes]`, e.g. `LossResult.gradient`) through the last
    /// training-mode forward pass, adding into every parameter's `grad` (call `zeroGrad()` between steps).
    public func backward(_ logitsGradient: Tensor) {
        precondition(logitsGradient.shape == [lastBatchShape.first ?? -1, architecture.classes],
                     "ResEmoteNet.backward: gradient shape \(logitsGradient.shape)")
        var f = fc4.backward(logitsGradient.swappingFirstTwoAxes())!
        f = fc3.backward(reluFC3.backward(dropFC3.backward(f)))!
        f = fc2.backward(reluFC2.backward(dropFC2.backward(f)))!
        f = fc1.backward(reluFC1.backward(dropFC1.backward(f)))!
        var x = avgPool.backward(f)
        x = resBlock3.backward(x)
        x = resBlock2.backward(x)
        x = resBlock1.backward(x)
        x = se.backward(x)
        x = conv3.backward(bn3.backward(relu3.backward(pool3.backward(x))))!
        x = drop2.backward(x)
        x = conv2.backward(bn2.backward(relu2.backward(pool2.backward(x))))!
        x = drop1.backward(x)
        conv1.backward(bn1.backward(relu1.backward(pool1.backward(x))), needInputGradient: false)
    }
}
