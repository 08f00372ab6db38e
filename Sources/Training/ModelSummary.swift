import EmotionModel
import Foundation
import NeuralNet

/// One line of `emotelab models`: what a model file holds and how it scored when trained.
public struct ModelSummary: Codable, Equatable, Sendable {
    /// Catalog name (`A`, `B`, `C`) or `-` for a given file.
    public var name: String
    public var path: String
    /// `teacher`, `A`, `B` or `C`.
    public var architecture: String
    public var inputChannels: Int
    public var inputSize: Int
    public var parameters: Int
    public var bytes: Int
    /// Element type of the weights (`F32`, `F16`, …).
    public var dtype: String
    /// Validation accuracy (fraction) from the training summary, when the file has one: measured during
    /// training on the f32 weights of the kept epoch, so `evaluate` on an f16 file may differ slightly.
    public var valAccuracy: Double?
    public var valMacroF1: Double?
    public var epochs: Int?
    /// The preprocessing's test-time augmentation (`none` or `mirror`).
    public var testTimeAugmentation: String
    /// Whether this is the model `default` stands for.
    public var isDefault: Bool

    enum CodingKeys: String, CodingKey {
        case name, path, architecture, parameters, bytes, dtype, epochs
        case inputChannels = "input_channels", inputSize = "input_size", valAccuracy = "val_accuracy"
        case valMacroF1 = "val_macro_f1", isDefault = "default", testTimeAugmentation = "test_time_augmentation"
    }

    /// Reads and validates the model file.
    public init(name: String, url: URL) throws {
        let file: SafetensorsFile
        do { file = try SafetensorsFile(contentsOf: url) } catch { throw TrainingError("\(error)") }
        let model = try ModelFile.load(file, source: url.path)
        let a = model.network.architecture
        self.name = name
        path = url.path
        architecture = a.width.rawValue
        inputChannels = a.inputChannels
        inputSize = a.inputSize
        parameters = model.network.parameterCount
        bytes = ((try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? NSNumber)?.intValue ?? 0
        dtype = file.storedTypes["conv1.weight"]?.rawValue ?? "?"
        isDefault = name == ModelCatalog.defaultName
        testTimeAugmentation = model.metadata.preprocessing.testTimeAugmentation.rawValue
        let summary = model.metadata.trainingSummary
            .flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        valAccuracy = summary?["val_accuracy"] as? Double
        valMacroF1 = summary?["val_macro_f1"] as? Double
        epochs = summary?["epochs_run"] as? Int
    }

    /// An aligned table of `rows`.
    public static func table(_ rows: [ModelSummary]) -> String {
        let header = ["name", "arch", "input", "tta", "params", "size", "dtype", "val acc (training)", "macro-F1 (training)", "epochs", "file"]
        let body = rows.map { r -> [String] in
            [r.name + (r.isDefault ? " (default)" : ""), r.architecture, "\(r.inputChannels)×\(r.inputSize)×\(r.inputSize)",
             r.testTimeAugmentation,
             String(format: "%.2f M", Double(r.parameters) / 1e6), String(format: "%.1f MB", Double(r.bytes) / 1e6),
             r.dtype, r.valAccuracy.map { String(format: "%.2f %%", $0 * 100) } ?? "-",
             r.valMacroF1.map { String(format: "%.4f", $0) } ?? "-", r.epochs.map(String.init) ?? "-", r.path]
        }
        let widths = header.indices.map { c in ([header] + body).map { $0[c].count }.max() ?? 0 }
        return ([header] + body).map { row in
            row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
