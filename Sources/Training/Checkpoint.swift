import EmotionModel
import Foundation
import NeuralNet

/// A training checkpoint: one safetensors file with the current weights (`model.*`), the SGD momentum
/// buffers (`optimizer.*`), the best weights so far (`best.*`), the moving average of the weights
/// (`average.*`, runs with `--ema` only), the cached teacher logits
/// (`teacher_logits`, distillation only), and in its metadata the configuration, the progress (epoch,
/// batch, generator states, schedule, best score, history), the data fingerprint, the normalisation and
/// the thread count. Every tensor is stored as F32, so a resumed run continues bit for bit.
public struct Checkpoint: Sendable {
    public static let formatName = ModelMetadata.checkpointFormatName

    public var configuration: TrainingConfiguration
    public var progress: TrainingProgress
    public var data: DataFingerprint
    /// Normalisation of the model input (per channel).
    public var mean: [Float]
    public var std: [Float]
    /// `Compute.threadCount` of the run (results are bit-identical only for the same count).
    public var threads: Int
    public var model: [String: Tensor]
    public var optimizer: [String: Tensor]
    public var best: [String: Tensor]?
    /// The exponential moving average of the weights (`TrainingConfiguration.weightAverageDecay`).
    public var average: [String: Tensor]?
    /// `[images, 2, classes]`: teacher logits of each training image, as is and mirrored.
    public var teacherLogits: Tensor?

    public init(configuration: TrainingConfiguration, progress: TrainingProgress, data: DataFingerprint,
                mean: [Float], std: [Float], threads: Int, model: [String: Tensor], optimizer: [String: Tensor],
                best: [String: Tensor]?, average: [String: Tensor]? = nil, teacherLogits: Tensor?) {
        self.configuration = configuration
        self.progress = progress
        self.data = data
        self.mean = mean
        self.std = std
        self.threads = threads
        self.model = model
        self.optimizer = optimizer
        self.best = best
        self.average = average
        self.teacherLogits = teacherLogits
    }

    /// Writes the checkpoint atomically (a crash mid-write leaves the previous one intact).
    public func write(to url: URL) throws {
        var tensors: [String: Tensor] = [:]
        for (name, t) in model { tensors["model." + name] = t }
        for (name, t) in optimizer { tensors["optimizer." + name] = t }
        for (name, t) in best ?? [:] { tensors["best." + name] = t }
        for (name, t) in average ?? [:] { tensors["average." + name] = t }
        if let teacherLogits { tensors["teacher_logits"] = teacherLogits }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ value: T) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        let metadata = [
            "format": Self.formatName,
            "configuration": try json(configuration),
            "progress": try json(progress),
            "data": try json(data),
            "mean": try json(mean),
            "std": try json(std),
            "threads": String(threads),
        ]
        let data: Data
        do { data = try SafetensorsFile(tensors: tensors, metadata: metadata).serialized(dtype: .f32) } catch {
            throw TrainingError(url, "cannot write the checkpoint (\(error))")
        }
        try OutputLocation.save(data, to: url, what: "the checkpoint")
    }

    /// Reads a checkpoint; a file that is not one is an error naming it.
    public init(contentsOf url: URL) throws {
        let file: SafetensorsFile
        do { file = try SafetensorsFile(contentsOf: url) } catch {
            throw TrainingError("\(error)")
        }
        guard file.metadata["format"] == Self.formatName else {
            throw TrainingError(url, "not an EmoteLab training checkpoint (no '\(Self.formatName)' format tag)")
        }
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
            guard let text = file.metadata[key], let value = try? decoder.decode(T.self, from: Data(text.utf8)) else {
                throw TrainingError(url, "checkpoint metadata '\(key)' is missing or unreadable (made by another version?)")
            }
            return value
        }
        configuration = try decode(TrainingConfiguration.self, "configuration")
        progress = try decode(TrainingProgress.self, "progress")
        data = try decode(DataFingerprint.self, "data")
        mean = try decode([Float].self, "mean")
        std = try decode([Float].self, "std")
        threads = try decode(Int.self, "threads")
        if file.metadata["sharpness"] != nil {
            throw TrainingError(url, "checkpoint of a run with a sharpness step (made for a blurred copy of FER2013, "
                                + "which EmoteLab no longer has); start afresh with --overwrite")
        }
        var model: [String: Tensor] = [:], optimizer: [String: Tensor] = [:], best: [String: Tensor] = [:]
        var average: [String: Tensor] = [:]
        for (name, tensor) in file.tensors {
            if name.hasPrefix("model.") { model[String(name.dropFirst(6))] = tensor }
            else if name.hasPrefix("optimizer.") { optimizer[String(name.dropFirst(10))] = tensor }
            else if name.hasPrefix("best.") { best[String(name.dropFirst(5))] = tensor }
            else if name.hasPrefix("average.") { average[String(name.dropFirst(8))] = tensor }
        }
        self.model = model
        self.optimizer = optimizer
        self.best = best.isEmpty ? nil : best
        self.average = average.isEmpty ? nil : average
        teacherLogits = file.tensors["teacher_logits"]
    }
}
