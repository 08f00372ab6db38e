import Foundation
import NeuralNet

/// Batched emotion recognition over gray face crops: 7 probabilities per face in `EmotionLabel` order.
///
/// Holds a BatchNorm-folded inference network whose buffers are reused across calls; not thread-safe
/// (use one classifier per thread). The thread count is `Compute.threadCount` (default all cores).
public final class EmotionClassifier {
    public let metadata: ModelMetadata
    public let network: InferenceNetwork
    /// Faces per forward pass for a model of one or two views (larger inputs are split into batches of this
    /// size). A model that averages more views passes fewer faces at once, so that no pass holds more than
    /// `2 · maxBatch` images and memory stays that of mirror averaging (see `facesPerPass`).
    public var maxBatch: Int

    /// Faces classified in one forward pass: `maxBatch` for one or two views, `2 · maxBatch / views` (at
    /// least 1) for more (14-view averaging at `maxBatch` 64: 9 faces, 126 images). Results do not depend on it.
    public var facesPerPass: Int {
        let passes = metadata.preprocessing.testTimeAugmentation.passes
        return passes <= 2 ? maxBatch : max(1, 2 * maxBatch / passes)
    }

    /// Loads a model file (see `ModelCatalog.resolve` for names).
    public convenience init(contentsOf url: URL, maxBatch: Int = 64) throws {
        let loaded = try ModelFile.load(contentsOf: url)
        self.init(model: loaded, maxBatch: maxBatch)
    }

    /// Wraps an already loaded (or freshly trained) model.
    public init(model: LoadedModel, maxBatch: Int = 64) {
        metadata = model.metadata
        network = InferenceNetwork(model.network)
        self.maxBatch = max(1, maxBatch)
    }

    /// A classifier sharing this one's weights (no copy) with its own buffers, for another thread.
    public func replica(maxBatch: Int? = nil) -> EmotionClassifier {
        EmotionClassifier(metadata: metadata, network: network.replica(), maxBatch: maxBatch ?? self.maxBatch)
    }

    private init(metadata: ModelMetadata, network: InferenceNetwork, maxBatch: Int) {
        self.metadata = metadata
        self.network = network
        self.maxBatch = max(1, maxBatch)
    }

    /// The side of the square crops `classify` expects.
    public var inputSize: Int { metadata.preprocessing.inputSize }

    /// Classifies model-size crops (`inputSize × inputSize` gray bytes each, see `Preprocessing.resize`).
    /// Returns one array of 7 probabilities per face (averaged over the views the model's test-time
    /// augmentation names, e.g. the face and its mirror image); throws when a crop has the wrong size.
    public func classify(_ faces: [[UInt8]]) throws -> [[Float]] {
        let pre = metadata.preprocessing
        for (i, face) in faces.enumerated() where face.count != pre.pixelsPerFace {
            throw EmotionModelError("face \(i) has \(face.count) bytes; the model needs \(pre.inputSize)×\(pre.inputSize) = \(pre.pixelsPerFace) gray pixels")
        }
        var result: [[Float]] = []
        result.reserveCapacity(faces.count)
        let perPass = facesPerPass
        var start = 0
        while start < faces.count {
            let chunk = Array(faces[start..<min(faces.count, start + perPass)])
            let tta = pre.testTimeAugmentation
            let logits = network.logits(try pre.batch(tta.inputs(chunk, side: pre.inputSize)))
            let probabilities = tta == .none ? Loss.softmax(logits) : tta.combine(logits, faces: chunk.count)
            let c = logits.shape[1]
            for i in 0..<chunk.count { result.append(Array(probabilities.storage[i * c..<(i + 1) * c])) }
            start += chunk.count
        }
        return result
    }

    /// Classifies crops of any size (each resized with `Preprocessing.resize` first).
    public func classify(crops: [(pixels: [UInt8], width: Int, height: Int)]) throws -> [[Float]] {
        for (i, crop) in crops.enumerated() where crop.width <= 0 || crop.height <= 0 || crop.pixels.count != crop.width * crop.height {
            throw EmotionModelError("crop \(i) has \(crop.pixels.count) bytes for \(crop.width)×\(crop.height)")
        }
        return try classify(crops.map { Preprocessing.resize($0.pixels, width: $0.width, height: $0.height, to: inputSize) })
    }
}
