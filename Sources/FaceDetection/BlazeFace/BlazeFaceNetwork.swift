import Foundation
import NeuralNet

/// MediaPipe's BlazeFace short-range face detector network (the 128×128 front-camera model), inference only,
/// built from NeuralNet layers and loaded from `blazeface-short-range.safetensors`
/// (written by `Fixtures/blazeface/convert.py` from `face_detection_short_range.tflite`).
///
/// Structure (as in the TFLite graph): a 5×5 stride-2 convolution 3→24 with ReLU (128 → 64), then 16
/// `BlazeFaceBlock`s, striding at blocks 2, 5 and 11 (64 → 32 → 16 → 8). Block 10's output (16×16×88) feeds the
/// stride-8 heads (2 anchors a cell), block 15's (8×8×96) the stride-16 heads (6 anchors a cell): 1×1
/// convolutions giving one score logit and 16 regressor values per anchor, 512 + 384 = 896 anchors.
public final class BlazeFaceNetwork: Module {
    /// The input side in pixels.
    public static let inputSize = 128
    /// Anchors: 16·16·2 on the stride-8 map followed by 8·8·6 on the stride-16 map.
    public static let anchorCount = 896
    /// Values per anchor: box centre offset x, y, width, height, then six keypoints (x, y), in input pixels.
    public static let regressorWidth = 16

    /// (input channels, output channels, stride) of the 16 blocks.
    static let blockShapes: [(Int, Int, Int)] = [
        (24, 24, 1), (24, 28, 1), (28, 32, 2), (32, 36, 1), (36, 42, 1), (42, 48, 2), (48, 56, 1), (56, 64, 1),
        (64, 72, 1), (72, 80, 1), (80, 88, 1), (88, 96, 2), (96, 96, 1), (96, 96, 1), (96, 96, 1), (96, 96, 1),
    ]
    /// The block whose output feeds the stride-8 heads.
    static let stride8Block = 10

    let stem: Conv2d
    let blocks: [BlazeFaceBlock]
    let classifier8: Conv2d, regressor8: Conv2d, classifier16: Conv2d, regressor16: Conv2d

    /// The network with zero-valued weights (see `init(contentsOf:)`).
    init() {
        var rng = RandomGenerator(seed: 0)  // every value is replaced when weights load
        stem = Conv2d(inChannels: 3, outChannels: 24, kernelSize: 5, stride: 2, rng: &rng)
        var size = Self.inputSize / 2
        var blocks: [BlazeFaceBlock] = []
        for (cin, cout, stride) in Self.blockShapes {
            blocks.append(BlazeFaceBlock(inChannels: cin, outChannels: cout, stride: stride, inputSize: size))
            size /= stride
        }
        self.blocks = blocks
        classifier8 = Conv2d(inChannels: 88, outChannels: 2, kernelSize: 1, rng: &rng)
        regressor8 = Conv2d(inChannels: 88, outChannels: 2 * Self.regressorWidth, kernelSize: 1, rng: &rng)
        classifier16 = Conv2d(inChannels: 96, outChannels: 6, kernelSize: 1, rng: &rng)
        regressor16 = Conv2d(inChannels: 96, outChannels: 6 * Self.regressorWidth, kernelSize: 1, rng: &rng)
    }

    /// Loads the weights from a safetensors file with the names `convert.py` writes; every tensor must be
    /// present with its shape and nothing else may be.
    public convenience init(contentsOf url: URL) throws {
        self.init()
        try load(stateDict: SafetensorsFile(contentsOf: url).tensors)
    }

    /// A copy with the same weights, for another thread (NeuralNet layers keep per-call state, and the network keeps
    /// its activation buffers between calls: `BlazeFaceInference`).
    public func replica() -> BlazeFaceNetwork {
        let copy = BlazeFaceNetwork()
        do {
            try copy.load(stateDict: stateDict())
        } catch {
            preconditionFailure("BlazeFace replica: \(error)")  // same structure: cannot fail
        }
        return copy
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        var list = prefixed("stem", stem.namedParameters)
        for (i, block) in blocks.enumerated() { list += prefixed("blocks.\(i)", block.namedParameters) }
        list += prefixed("classifier8", classifier8.namedParameters) + prefixed("regressor8", regressor8.namedParameters)
        list += prefixed("classifier16", classifier16.namedParameters) + prefixed("regressor16", regressor16.namedParameters)
        return list
    }

    /// The raw outputs for a batch of images.
    ///
    /// - Parameter images: `[N, 128, 128, 3]` (NHWC, as TFLite takes it), RGB scaled to [-1, 1]
    ///   (`pixel / 127.5 − 1`).
    /// - Returns: `regressors` `[N, 896, 16]` and `classificators` `[N, 896, 1]` (score logits), anchors in
    ///   TFLite's order: row-major cells of the stride-8 map with their 2 anchors, then those of the stride-16 map.
    public func forward(_ images: Tensor) -> (regressors: Tensor, classificators: Tensor) {
        let side = Self.inputSize
        precondition(images.shape.count == 4 && images.shape[1] == side && images.shape[2] == side && images.shape[3] == 3,
                     "BlazeFace expects [N, \(side), \(side), 3], got \(images.shape)")
        let n = images.shape[0]
        // NHWC → [3, N, H, W].
        var x = Tensor(shape: [3, n, side, side])
        for b in 0..<n {
            for p in 0..<(side * side) {
                for c in 0..<3 { x.storage[(c * n + b) * side * side + p] = images.storage[(b * side * side + p) * 3 + c] }
            }
        }
        return forward(planar: x)
    }

    /// `forward` on channel-major input `[3, N, 128, 128]` (NeuralNet's layout), over buffers kept between calls
    /// (`BlazeFaceInference`): the same outputs as `layerForward`, bit for bit.
    func forward(planar images: Tensor) -> (regressors: Tensor, classificators: Tensor) {
        let side = Self.inputSize
        precondition(images.shape == [3, images.shape[1], side, side], "BlazeFace expects [3, N, \(side), \(side)]")
        let n = images.shape[1]
        let buffer = inference.inputBuffer(channels: 3, batch: n)
        images.withUnsafePointer { buffer.update(from: $0, count: images.count) }
        return inference.run(self, channels: 3, batch: n)
    }

    /// The outputs for `batch` gray images (R = G = B): `fill` writes their planes `[N, 128, 128]`, scaled to
    /// [-1, 1], into the buffer it is given. The stem then reads one plane instead of three, with its weights
    /// summed over the three (`BlazeFaceInference`): within 1e-5 of `forward` on the same image in RGB.
    func forward(grayBatch batch: Int, fill: (UnsafeMutablePointer<Float>) -> Void) -> (regressors: Tensor, classificators: Tensor) {
        precondition(batch > 0, "BlazeFace needs at least one image")
        fill(inference.inputBuffer(channels: 1, batch: batch))
        return inference.run(self, channels: 1, batch: batch)
    }

    /// Buffers for `forward(planar:)` and `forward(grayBatch:fill:)`, made on first use.
    private lazy var inference = BlazeFaceInference()

    /// The layer-by-layer pass (every layer allocates its output): the reference `forward(planar:)` is checked
    /// against in the tests.
    func layerForward(planar images: Tensor) -> (regressors: Tensor, classificators: Tensor) {
        let side = Self.inputSize
        precondition(images.shape == [3, images.shape[1], side, side], "BlazeFace expects [3, N, \(side), \(side)]")
        let n = images.shape[1]
        var x = images
        let pad = TFLitePadding.same(size: side, kernel: 5, stride: 2)
        x = stem.forward(TFLitePadding.zeroPadded(x, before: pad.before, after: pad.after), saveForBackward: false)
        x.storage.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = max($0[i], 0) } }
        var map8 = x
        for (i, block) in blocks.enumerated() {
            x = block.forward(x)
            if i == Self.stride8Block { map8 = x }
        }
        let heads8 = (classifier8.forward(map8, saveForBackward: false), regressor8.forward(map8, saveForBackward: false))
        let heads16 = (classifier16.forward(x, saveForBackward: false), regressor16.forward(x, saveForBackward: false))

        var scores = Tensor(shape: [n, Self.anchorCount, 1])
        var boxes = Tensor(shape: [n, Self.anchorCount, Self.regressorWidth])
        var first = 0
        for (classifier, regressor) in [heads8, heads16] {
            let anchorsPerCell = classifier.shape[0], cells = classifier.shape[2] * classifier.shape[3]
            classifier.withUnsafePointer { hp in
                scores.withUnsafeMutablePointer { Self.scatterAnchors(hp, batch: n, cells: cells, width: 1, anchorsPerCell: anchorsPerCell,
                                                                      firstAnchor: first, into: $0) }
            }
            regressor.withUnsafePointer { hp in
                boxes.withUnsafeMutablePointer { Self.scatterAnchors(hp, batch: n, cells: cells, width: Self.regressorWidth,
                                                                     anchorsPerCell: anchorsPerCell, firstAnchor: first, into: $0) }
            }
            first += anchorsPerCell * cells
        }
        return (boxes, scores)
    }

    /// Head output `[A·width, N, cells]` into rows `firstAnchor…` of `[N, 896, width]`: TFLite reshapes NHWC
    /// `[N, H, W, A·width]`, so anchor `(y·W + x)·A + a` holds channels `a·width ..< (a+1)·width`.
    static func scatterAnchors(_ head: UnsafePointer<Float>, batch n: Int, cells: Int, width: Int, anchorsPerCell: Int,
                               firstAnchor: Int, into out: UnsafeMutablePointer<Float>) {
        for b in 0..<n {
            for cell in 0..<cells {
                for a in 0..<anchorsPerCell {
                    let row = (b * anchorCount + firstAnchor + cell * anchorsPerCell + a) * width
                    for j in 0..<width {
                        out[row + j] = head[((a * width + j) * n + b) * cells + cell]
                    }
                }
            }
        }
    }
}
