import XCTest
import NeuralNet
@testable import EmotionModel
import TestSupport

final class ClassifierTests: XCTestCase {
    private let golden = TestPaths.fixture("nn/golden_c_weights.safetensors")

    func testProbabilitiesMatchTheGoldenLogitsAcrossBatchSplits() throws {
        let io = try SafetensorsFile(contentsOf: TestPaths.fixture("nn/golden_c_io.safetensors"))
        let pixels = io.tensors["pixels"]!, logits = io.tensors["eval_logits"]!
        let faces = (0..<14).map { i in pixels.storage[i * 2304..<(i + 1) * 2304].map { UInt8($0) } }
        let classifier = try EmotionClassifier(contentsOf: golden, maxBatch: 4)
        let probabilities = try classifier.classify(faces)
        let expected = Loss.softmax(logits)
        XCTAssertEqual(probabilities.count, 14)
        for i in 0..<14 {
            XCTAssertEqual(probabilities[i].reduce(0, +), 1, accuracy: 1e-5)
            for j in 0..<7 { XCTAssertEqual(probabilities[i][j], expected.storage[i * 7 + j], accuracy: 1e-5) }
        }
        // Crops of another size go through the shared resize.
        let big = try classifier.classify(crops: [(Preprocessing.resize(faces[0], width: 48, height: 48, to: 96), 96, 96)])
        XCTAssertEqual(big[0].count, 7)
        XCTAssertEqual(try classifier.classify([]), [])
    }

    /// Replicas share the weights of a classifier that is released first, and still give PyTorch's answers
    /// (two replicas at once, with different batch sizes, each with its own buffers).
    func testReplicasOutliveTheirPrototypeAndMatchTheGoldenLogits() throws {
        let io = try SafetensorsFile(contentsOf: TestPaths.fixture("nn/golden_c_io.safetensors"))
        let pixels = io.tensors["pixels"]!, logits = io.tensors["eval_logits"]!
        let faces = (0..<14).map { i in pixels.storage[i * 2304..<(i + 1) * 2304].map { UInt8($0) } }
        var prototype: EmotionClassifier? = try EmotionClassifier(contentsOf: golden, maxBatch: 64)
        let replicas = [prototype!.replica(maxBatch: 16), prototype!.replica(maxBatch: 3)]
        weak let released = prototype
        prototype = nil
        XCTAssertNil(released)
        let expected = Loss.softmax(logits)
        for replica in replicas {
            let probabilities = try replica.classify(faces)
            XCTAssertEqual(probabilities.count, 14)
            for i in 0..<14 {
                for j in 0..<7 { XCTAssertEqual(probabilities[i][j], expected.storage[i * 7 + j], accuracy: 1e-5) }
            }
        }
        XCTAssertEqual(replicas.map(\.maxBatch), [16, 3])
    }

    func testWrongCropSizeIsAnError() throws {
        let classifier = try EmotionClassifier(contentsOf: golden)
        XCTAssertThrowsError(try classifier.classify([[UInt8](repeating: 0, count: 2304), [1, 2, 3]])) {
            XCTAssertEqual("\($0)", "face 1 has 3 bytes; the model needs 48×48 = 2304 gray pixels")
        }
    }

    func testResizeIsBilinearWithPixelCentres() {
        // 2×2 → 4×4: corners keep their values, inner samples interpolate at ±0.25.
        let out = Preprocessing.resize([0, 100, 200, 40], width: 2, height: 2, to: 4)
        XCTAssertEqual(Array(out[0..<4]), [0, 25, 75, 100])
        XCTAssertEqual(Array(out[12..<16]), [200, 160, 80, 40])
        XCTAssertEqual(Preprocessing.resize([7, 8, 9, 10], width: 2, height: 2, to: 2), [7, 8, 9, 10])
    }

    func testCatalogResolvesNamesAndPaths() throws {
        let dir = TestPaths.temporaryDirectory("nn-catalog")
        defer { try? FileManager.default.removeItem(at: dir); unsetenv("EMOTELAB_MODELS") }
        try FileManager.default.copyItem(at: golden, to: dir.appendingPathComponent("B.safetensors"))
        setenv("EMOTELAB_MODELS", dir.path, 1)
        XCTAssertEqual(try ModelCatalog.resolve("default").lastPathComponent, "B.safetensors")
        XCTAssertEqual(try ModelCatalog.resolve("b").lastPathComponent, "B.safetensors")
        XCTAssertEqual(ModelCatalog.shippedModels().map(\.name), ["B"])
        XCTAssertThrowsError(try ModelCatalog.resolve("C")) { XCTAssertTrue("\($0)".hasPrefix("no shipped model C")) }
        XCTAssertEqual(try ModelCatalog.resolve(golden.path), golden)
        XCTAssertThrowsError(try ModelCatalog.resolve("/nonexistent/x.safetensors")) {
            XCTAssertEqual("\($0)", "/nonexistent/x.safetensors: no such model file (and not a shipped model name: A, B, C, default)")
        }
        unsetenv("EMOTELAB_MODELS")
        XCTAssertTrue(FileManager.default.fileExists(atPath: ModelCatalog.modelsDirectory.appendingPathComponent("README.md").path))
    }

    /// Without `EMOTELAB_MODELS`, shipped models are looked for from the executable's own path only: the
    /// resource bundle beside it (this build folder), then `../share/emotelab/models` (an installed
    /// binary); never the source checkout.
    func testModelFolderIsFoundFromTheExecutable() throws {
        let executableFolder = try XCTUnwrap(Bundle.main.executableURL).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = ModelCatalog.modelsDirectoryCandidates.map(\.standardizedFileURL.path)
        XCTAssertEqual(candidates.first, executableFolder.appendingPathComponent("EmoteLab_EmotionModel.resources/Models").path)
        XCTAssertTrue(candidates.contains(executableFolder.deletingLastPathComponent().appendingPathComponent("share/emotelab/models").path),
                      "\(candidates)")
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources").path
        XCTAssertFalse(candidates.contains { $0.hasPrefix(sources) }, "\(candidates)")
        if ProcessInfo.processInfo.environment["EMOTELAB_MODELS"] == nil {
            XCTAssertEqual(ModelCatalog.modelsDirectory.standardizedFileURL.path, candidates.first)
            XCTAssertEqual(ModelCatalog.shippedModels().map(\.name), ["A", "B", "C"])
        }
    }
}
