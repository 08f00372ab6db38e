import Foundation
import NeuralNet

/// What a model file says about itself, stored in the safetensors `__metadata__` block:
///
/// | key | value |
/// |---|---|
/// | `format` | `emotelab-resemotenet-1` |
/// | `architecture` | `ResEmoteNet` |
/// | `width` | `teacher`, `A`, `B` or `C` |
/// | `input_channels`, `input_size` | `1`/`3`, `48`/`64` |
/// | `labels` | class names in output order, comma-separated |
/// | `mean`, `std` | normalisation, one value per input channel, comma-separated |
/// | `test_time_augmentation` | `mirror`: scores are the mean over the crop and its mirror image (absent or `none`: the crop alone) |
/// | `training` | a JSON object summarising how the model was trained (free-form) |
///
/// A file must state `width`, `input_size`, `mean` and `std` (`ModelFile.requiredMetadata`) to be used.
/// Only a caller that asks for it (`ModelFile.load(…, inferMissingMetadata: true)`) gets missing keys
/// inferred from the tensor shapes: width and channels from `conv1.weight`, input 48×48 for one channel
/// and 64×64 for three, labels in EmoteLab order, mean 0 and std 1 (plain [0, 1] scaling).
public struct ModelMetadata: Equatable, Sendable {
    public static let formatName = "emotelab-resemotenet-1"
    /// The format tag of a training checkpoint (`Training.Checkpoint`): a safetensors file too, but not a
    /// model, so loading one as a model says so.
    public static let checkpointFormatName = "emotelab-training-checkpoint-1"

    public var architecture: ResEmoteNetArchitecture
    /// Class names in the output order of the model (after loading: always `EmotionLabel.names`).
    public var labels: [String]
    public var preprocessing: Preprocessing
    /// A free-form training summary (dataset, epochs, accuracy …) as a JSON object string, or nil.
    public var trainingSummary: String?

    public init(architecture: ResEmoteNetArchitecture, labels: [String] = EmotionLabel.names,
                mean: [Float]? = nil, std: [Float]? = nil, testTimeAugmentation: TestTimeAugmentation = .none, trainingSummary: String? = nil) {
        self.architecture = architecture
        self.labels = labels
        let c = architecture.inputChannels
        preprocessing = Preprocessing(inputSize: architecture.inputSize, inputChannels: c,
                                      mean: mean ?? [Float](repeating: 0.5, count: c), std: std ?? [Float](repeating: 0.5, count: c),
                                      testTimeAugmentation: testTimeAugmentation)
        self.trainingSummary = trainingSummary
    }

    /// The string dictionary written to a file.
    public var encoded: [String: String] {
        var out = [
            "format": ModelMetadata.formatName,
            "architecture": "ResEmoteNet",
            "width": architecture.width.rawValue,
            "input_channels": String(architecture.inputChannels),
            "input_size": String(architecture.inputSize),
            "labels": labels.joined(separator: ","),
            "mean": preprocessing.mean.map { "\($0)" }.joined(separator: ","),
            "std": preprocessing.std.map { "\($0)" }.joined(separator: ","),
        ]
        if preprocessing.testTimeAugmentation != .none {
            out["test_time_augmentation"] = preprocessing.testTimeAugmentation.rawValue
        }
        if let trainingSummary { out["training"] = trainingSummary }
        return out
    }

    /// Reads the metadata of `file`, falling back to inference from its tensors where keys are missing.
    init(file: SafetensorsFile, source: String) throws {
        func fail(_ m: String) -> EmotionModelError { EmotionModelError("\(source): \(m)") }
        let meta = file.metadata
        if meta["format"] == Self.checkpointFormatName {
            throw fail("a training checkpoint, not a model (use the --out model file of that run, or continue "
                       + "training with --resume)")
        }
        guard let conv1 = file.tensors["conv1.weight"], conv1.shape.count == 4 else {
            throw fail("missing tensor conv1.weight (not a ResEmoteNet state dict)")
        }
        guard let fc4 = file.tensors["fc4.weight"], fc4.shape.count == 2 else {
            throw fail("missing tensor fc4.weight (not a ResEmoteNet state dict)")
        }
        let width: ResEmoteNetArchitecture.Width
        if let name = meta["width"] {
            guard let w = ResEmoteNetArchitecture.Width(name: name) else { throw fail("metadata width '\(name)' is not teacher, A, B or C") }
            width = w
        } else {
            guard let w = ResEmoteNetArchitecture.Width.allCases.first(where: { 64 / $0.divisor == conv1.shape[0] }) else {
                throw fail("tensor conv1.weight has \(conv1.shape[0]) output channels, not a ResEmoteNet width (64, 32, 16, 8)")
            }
            width = w
        }
        func intValue(_ key: String, default value: Int) throws -> Int {
            guard let s = meta[key] else { return value }
            guard let v = Int(s) else { throw fail("metadata \(key) '\(s)' is not an integer") }
            return v
        }
        let channels = try intValue("input_channels", default: conv1.shape[1])
        let size = try intValue("input_size", default: channels == 3 ? 64 : 48)
        let arch = ResEmoteNetArchitecture(width: width, inputChannels: channels, inputSize: size, classes: fc4.shape[0])
        guard arch.isSupported else { throw fail("unsupported configuration: \(channels) input channels, input size \(size)") }
        let labels = meta["labels"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? EmotionLabel.names
        guard labels.count == arch.classes else {
            throw fail("metadata lists \(labels.count) labels but tensor fc4.weight has \(arch.classes) outputs")
        }
        func floats(_ key: String, default value: Float) throws -> [Float] {
            guard let s = meta[key] else { return [Float](repeating: value, count: channels) }
            let parts = s.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.contains(nil), parts.count == 1 || parts.count == channels else {
                throw fail("metadata \(key) '\(s)' is not 1 or \(channels) numbers")
            }
            let values = parts.map { $0! }
            return values.count == 1 ? [Float](repeating: values[0], count: channels) : values
        }
        let mean = try floats("mean", default: 0), std = try floats("std", default: 1)
        guard std.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite) else { throw fail("metadata std must be positive and finite") }
        if meta["sharpness"] != nil {
            throw fail("made for a blurred copy of FER2013 (its metadata asks for a sharpness step that EmoteLab no "
                       + "longer has); retrain it with `emotelab train`")
        }
        var testTime = TestTimeAugmentation.none
        if let t = meta["test_time_augmentation"] {
            guard let v = TestTimeAugmentation(rawValue: t.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw fail("metadata test_time_augmentation '\(t)' is not none, mirror or mirror-shift-zoom")
            }
            testTime = v
        }
        self.init(architecture: arch, labels: labels, mean: mean, std: std, testTimeAugmentation: testTime, trainingSummary: meta["training"])
    }
}
