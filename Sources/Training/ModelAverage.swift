import EmotionModel
import FileNames
import Foundation
import NeuralNet

/// The uniform average of several models' weights: a "model soup" (Wortsman et al., ICML 2022).
///
/// Averaging helps only models that lie in one basin of the loss: runs fine-tuned from the same starting
/// weights (another seed, rate or number of epochs). Models trained apart from different starting weights
/// average into a poor model, so check the result with `emotelab evaluate` before using it.
/// Every tensor of the state dict is averaged, the batch-norm running means and variances included.
public enum ModelAverage {
    /// One model to average, the name errors give it and the name the result's training summary gives it.
    public struct Ingredient {
        public let model: LoadedModel
        /// The model in errors: its path, for a file.
        public let source: String
        /// The model in the training summary: `<file name> fnv1a:<hash of its bytes>`, for a file.
        public let fingerprint: String

        public init(model: LoadedModel, source: String, fingerprint: String? = nil) {
            self.model = model
            self.source = source
            self.fingerprint = fingerprint ?? source
        }
    }

    /// Loads a model file as an ingredient.
    public static func ingredient(contentsOf url: URL) throws -> Ingredient {
        Ingredient(model: try ModelFile.load(contentsOf: url), source: RawFileName.displayed(url.path),
                   fingerprint: try FNV1a.describe(file: url))
    }

    /// The mean of the ingredients' weights, with their architecture and preprocessing.
    ///
    /// - Parameter testTimeAugmentation: the result's test-time augmentation; nil keeps the one the
    ///   ingredients share (an error when they differ).
    /// - Throws: `TrainingError` naming the ingredient when there are fewer than two, or when one differs
    ///   from the first in architecture, input, normalisation or (without `testTimeAugmentation`) test-time
    ///   augmentation.
    public static func average(_ ingredients: [Ingredient],
                               testTimeAugmentation: TestTimeAugmentation? = nil) throws -> LoadedModel {
        guard let first = ingredients.first, ingredients.count >= 2 else {
            throw TrainingError("averaging needs at least two models (\(ingredients.count) given)")
        }
        let reference = first.model.metadata
        for other in ingredients.dropFirst() {
            let m = other.model.metadata
            func mismatch(_ what: String, _ a: String, _ b: String) -> TrainingError {
                TrainingError("\(other.source): \(what) \(b) differs from \(first.source)'s \(a); only models of one "
                              + "architecture and preprocessing can be averaged")
            }
            let (a, b) = (reference.architecture, m.architecture)
            if a.width != b.width { throw mismatch("architecture", a.width.rawValue, b.width.rawValue) }
            if a.inputChannels != b.inputChannels || a.inputSize != b.inputSize || a.classes != b.classes {
                throw mismatch("input", "\(a.inputChannels)×\(a.inputSize)×\(a.inputSize)",
                               "\(b.inputChannels)×\(b.inputSize)×\(b.inputSize)")
            }
            let (p, q) = (reference.preprocessing, m.preprocessing)
            if p.mean != q.mean || p.std != q.std {
                throw mismatch("normalisation", "mean \(p.mean) std \(p.std)", "mean \(q.mean) std \(q.std)")
            }
            if testTimeAugmentation == nil, p.testTimeAugmentation != q.testTimeAugmentation {
                throw TrainingError("\(other.source): test-time augmentation \(q.testTimeAugmentation.rawValue) differs "
                                    + "from \(first.source)'s \(p.testTimeAugmentation.rawValue); pass --tta to say "
                                    + "which the average uses")
            }
        }
        let firstState = first.model.network.stateDict()
        var sums = firstState.mapValues { $0.storage.map(Double.init) }
        for other in ingredients.dropFirst() {
            for (name, tensor) in other.model.network.stateDict() {
                for (i, v) in tensor.storage.enumerated() { sums[name]![i] += Double(v) }
            }
        }
        let n = Double(ingredients.count)
        let network = ResEmoteNet(architecture: reference.architecture)
        try network.load(stateDict: Dictionary(uniqueKeysWithValues: firstState.map { name, tensor in
            (name, Tensor(shape: tensor.shape, storage: sums[name]!.map { Float($0 / n) }))
        }))
        var metadata = reference
        if let testTimeAugmentation { metadata.preprocessing.testTimeAugmentation = testTimeAugmentation }
        let summary: [String: Any] = ["averaged": ingredients.map(\.fingerprint)]
        let json = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .withoutEscapingSlashes])
        metadata.trainingSummary = String(decoding: json, as: UTF8.self)
        return LoadedModel(network: network, metadata: metadata)
    }
}
