import Analysis
import Foundation
import SessionStore
import TestSupport

/// Shared test material: a store in a temporary folder and the golden random-weights model of student C
/// (`Fixtures/nn`). Its emotions are meaningless; these tests check the pipeline's mechanics, and the
/// end-to-end tests (emotelabTests) check emotions with the shipped model.
enum AnalysisFixtures {
    static let goldenModelPath = TestPaths.fixture("nn/golden_c_weights.safetensors").path

    static func analyzer(_ change: (inout AnalysisConfiguration) -> Void = { _ in }) throws -> SessionAnalyzer {
        var configuration = AnalysisConfiguration()
        change(&configuration)
        return try SessionAnalyzer(configuration: configuration, model: try AnalysisModel(goldenModelPath))
    }

    static func store(in directory: URL) throws -> SessionStore {
        try SessionStore(path: directory.appendingPathComponent("store.sqlite").path, mode: .readWrite)
    }
}
