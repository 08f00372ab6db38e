import EmotionModel
import Foundation
import SessionStore

/// The emotion classifier an analysis uses: where it came from, its identity for run settings, and the
/// inference weights (shared read-only; each analysis makes its own `EmotionClassifier` replica). Only the
/// folded inference network is kept: the loaded training network (weights plus gradient buffers, 40 MB
/// for model B) is released once it is built.
public final class AnalysisModel: @unchecked Sendable {
    /// The name stored with runs: the shipped model's catalog name (`A`, `B`, `C`), else the file name.
    public let name: String
    /// The model file.
    public let url: URL
    /// Hex SHA-256 of the model file; two runs with the same hash used the same weights.
    public let hash: String
    /// Set when `default` was asked for but the default model is not shipped, so another shipped model
    /// stands in; says which.
    public let note: String?
    private let prototype: EmotionClassifier

    /// Resolves a `--model` value (a file path, or `A`, `B`, `C`, `default`) and loads the model.
    ///
    /// `default` means `ModelCatalog.defaultName`; while that model is not shipped, the first shipped
    /// model present in the order `ModelCatalog.shippedNames` stands in (and `note` says so).
    /// - Throws: `AnalysisError` with one line naming what was looked for or why the file is unusable.
    public init(_ value: String) throws {
        var resolvedName = ModelCatalog.shippedName(for: value)
        var note: String?
        let url: URL
        let loaded: LoadedModel
        do {
            if value.lowercased() == "default",
               !ModelCatalog.shippedModels().contains(where: { $0.name == ModelCatalog.defaultName }),
               let standIn = ModelCatalog.shippedModels().first {
                url = standIn.url
                resolvedName = standIn.name
                note = "the default model \(ModelCatalog.defaultName) is not shipped yet; using model \(standIn.name)"
            } else {
                url = try ModelCatalog.resolve(value)
            }
            loaded = try ModelFile.load(contentsOf: url)
        } catch let error as EmotionModelError {
            throw AnalysisError("model: \(error.description)")
        }
        guard loaded.metadata.architecture.classes == EmotionLabel.allCases.count else {
            throw AnalysisError("model \(url.path): has \(loaded.metadata.architecture.classes) classes, not the seven emotions")
        }
        prototype = EmotionClassifier(model: loaded)
        self.url = url
        self.note = note
        name = resolvedName ?? url.lastPathComponent
        do {
            hash = try ContentHash.sha256(fileAt: url)
        } catch {
            throw AnalysisError("model \(url.path): cannot be read to hash it")
        }
    }

    /// The side of the square gray crops the model takes.
    public var inputSize: Int { prototype.inputSize }

    /// A new classifier over these weights (classifiers are not thread-safe: one per analysis thread).
    public func makeClassifier(batchSize: Int) -> EmotionClassifier {
        prototype.replica(maxBatch: batchSize)
    }
}
