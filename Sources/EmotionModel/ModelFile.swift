import Foundation
import NeuralNet

/// A ResEmoteNet read from a safetensors file, with its metadata (labels already in `EmotionLabel` order).
public struct LoadedModel {
    public let network: ResEmoteNet
    public let metadata: ModelMetadata

    /// Weights and the metadata that goes with them (e.g. a loaded model with another preprocessing).
    public init(network: ResEmoteNet, metadata: ModelMetadata) {
        self.network = network
        self.metadata = metadata
    }
}

/// Reading and writing model files (safetensors with PyTorch ResEmoteNet names + `ModelMetadata`).
public enum ModelFile {
    /// Maps a class name (case-insensitive, common synonyms) to its label.
    public static func label(named name: String) -> EmotionLabel? {
        let synonyms = ["anger": "angry", "disgusted": "disgust", "fearful": "fear", "afraid": "fear",
                        "happiness": "happy", "sadness": "sad", "surprised": "surprise", "neutrality": "neutral"]
        let lower = name.lowercased()
        return EmotionLabel(name: synonyms[lower] ?? lower)
    }

    /// The metadata keys a model file must state to be used: its architecture and its preprocessing.
    /// Inferring them from the tensors (a plain PyTorch `state_dict`) guesses the normalisation, and a
    /// wrong guess gives other emotions without a word, so such a file is refused unless the caller
    /// asks for inference.
    public static let requiredMetadata = ["width", "input_size", "mean", "std"]

    /// Loads a model file. A file whose labels are another order of the seven EmoteLab classes is remapped
    /// (the rows of `fc4` are permuted) so outputs always follow `EmotionLabel`.
    /// Errors name the file and, for tensor problems, the tensor.
    /// - Parameter inferMissingMetadata: accept a file that lacks some of `requiredMetadata` and take
    ///   the missing values from its tensor shapes and the defaults (`ModelMetadata`).
    public static func load(contentsOf url: URL, inferMissingMetadata: Bool = false) throws -> LoadedModel {
        let file: SafetensorsFile
        do { file = try SafetensorsFile(contentsOf: url) } catch let e as SafetensorsError {
            throw EmotionModelError(e.description)
        }
        return try load(file, source: url.path, inferMissingMetadata: inferMissingMetadata)
    }

    /// Loads from a parsed file; `source` names it in errors. See `load(contentsOf:inferMissingMetadata:)`.
    public static func load(_ file: SafetensorsFile, source: String,
                            inferMissingMetadata: Bool = false) throws -> LoadedModel {
        var metadata = try ModelMetadata(file: file, source: source)
        let missing = requiredMetadata.filter { file.metadata[$0] == nil }
        if !inferMissingMetadata, !missing.isEmpty {
            throw EmotionModelError("\(source): the file does not state its architecture and preprocessing "
                                    + "(metadata \(missing.joined(separator: ", ")) missing), so EmoteLab cannot "
                                    + "feed it faces as it was trained; save it with `emotelab train` or "
                                    + "`distill`, or add those keys to its safetensors __metadata__")
        }
        var tensors = file.tensors
        let labels = metadata.labels.map { label(named: $0) }
        if labels != EmotionLabel.allCases.map(Optional.some) {
            guard metadata.architecture.classes == EmotionLabel.allCases.count, !labels.contains(nil),
                  Set(labels.compactMap { $0 }).count == EmotionLabel.allCases.count else {
                throw EmotionModelError("\(source): labels \(metadata.labels.joined(separator: ",")) are not the seven classes \(EmotionLabel.names.joined(separator: ","))")
            }
            // fileIndex[our] = position of our label in the file's output order.
            let fileIndex = EmotionLabel.allCases.map { ours in labels.firstIndex(of: ours)! }
            for name in ["fc4.weight", "fc4.bias"] {
                guard let t = tensors[name] else { continue }
                let row = t.count / t.shape[0]
                var storage = t.storage
                for (our, src) in fileIndex.enumerated() {
                    storage.replaceSubrange(our * row..<(our + 1) * row, with: t.storage[src * row..<(src + 1) * row])
                }
                tensors[name] = Tensor(shape: t.shape, storage: storage)
            }
            metadata.labels = EmotionLabel.names
        }
        let network = ResEmoteNet(architecture: metadata.architecture)
        do { try network.load(stateDict: tensors) } catch let e as StateDictError {
            throw EmotionModelError("\(source): \(e.description) (architecture \(metadata.architecture.width.rawValue), \(metadata.architecture.inputChannels) input channels)")
        }
        for (name, p) in network.namedParameters where !p.value.storage.allSatisfy(\.isFinite) {
            throw EmotionModelError("\(source): tensor \(name) contains NaN or infinite values")
        }
        return LoadedModel(network: network, metadata: metadata)
    }

    /// Writes `network` with `metadata` (labels must be `EmotionLabel.names`). `dtype` is `.f32` or `.f16`.
    public static func save(_ network: ResEmoteNet, metadata: ModelMetadata, to url: URL,
                            dtype: SafetensorsFile.DType = .f32) throws {
        let data = try serialized(network, metadata: metadata, dtype: dtype)
        do { try data.write(to: url, options: .atomic) } catch {
            throw EmotionModelError("\(url.path): cannot write file (\(error.localizedDescription))")
        }
    }

    /// The bytes `save` writes: the safetensors file of `network` with `metadata`.
    public static func serialized(_ network: ResEmoteNet, metadata: ModelMetadata,
                                  dtype: SafetensorsFile.DType = .f32) throws -> Data {
        precondition(metadata.architecture == network.architecture, "metadata describes another architecture")
        let file = SafetensorsFile(tensors: network.stateDict(), metadata: metadata.encoded)
        do { return try file.serialized(dtype: dtype, int64Names: network.int64BufferNames) } catch let e as SafetensorsError {
            throw EmotionModelError(e.description)
        }
    }
}
