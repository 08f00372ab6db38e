import EmotionModel
import NeuralNet
import XCTest
import Training
import TestSupport

/// `ModelAverage`: the element-wise mean of several models' weights, and what it refuses.
final class ModelAverageTests: XCTestCase {
    private func ingredient(_ network: ResEmoteNet, _ name: String,
                            tta: TestTimeAugmentation = .none) -> ModelAverage.Ingredient {
        let metadata = ModelMetadata(architecture: network.architecture, mean: [0.5], std: [0.25], testTimeAugmentation: tta)
        return ModelAverage.Ingredient(model: LoadedModel(network: network, metadata: metadata), source: name)
    }

    /// A network whose every weight is zero except fc4's bias, set to `bias`.
    private func biasOnly(_ bias: [Float]) -> ResEmoteNet {
        let network = ResEmoteNet(width: .C)
        for (name, p) in network.namedParameters {
            p.value = Tensor(shape: p.value.shape)
            if name == "fc4.bias" { p.value.storage = bias }
        }
        return network
    }

    /// Three answer-only models, worked out by hand: biases (0, 3, 0, …), (0, 0, 6, …), (3, 0, 3, …)
    /// average to (1, 1, 3, …); every other weight stays zero, and the average answers fear.
    func testMeanOfThreeModels() throws {
        let models = [biasOnly([0, 3, 0, 0, 0, 0, 0]), biasOnly([0, 0, 6, 0, 0, 0, 0]), biasOnly([3, 0, 3, 0, 0, 0, 0])]
        let average = try ModelAverage.average(models.enumerated().map { ingredient($1, "m\($0)") })
        let weights = average.network.stateDict()
        XCTAssertEqual(weights["fc4.bias"]!.storage, [1, 1, 3, 0, 0, 0, 0])
        XCTAssertEqual(weights["fc4.weight"]!.storage.max(), 0)
        XCTAssertEqual(weights["fc4.weight"]!.storage.min(), 0)
        let classifier = EmotionClassifier(model: average)
        let scores = try classifier.classify([[UInt8](repeating: 128, count: 48 * 48)])[0]
        XCTAssertEqual(scores.indices.max { scores[$0] < scores[$1] }, EmotionLabel.fear.rawValue)
    }

    /// Two differently seeded networks: every tensor (parameters and batch-norm statistics) is (a + b) / 2.
    func testEveryTensorIsTheMean() throws {
        let a = ResEmoteNet(width: .C, seed: 1), b = ResEmoteNet(width: .C, seed: 2)
        // Distinct running statistics, as after training.
        for (i, network) in [a, b].enumerated() {
            for (name, buffer) in network.namedBuffers where name.hasSuffix("running_var") {
                buffer.value = Tensor(shape: buffer.value.shape, repeating: Float(i + 1))
            }
        }
        let average = try ModelAverage.average([ingredient(a, "a"), ingredient(b, "b")]).network.stateDict()
        let (sa, sb) = (a.stateDict(), b.stateDict())
        XCTAssertEqual(Set(average.keys), Set(sa.keys))
        for (name, tensor) in average {
            XCTAssertEqual(tensor.shape, sa[name]!.shape, name)
            for i in tensor.storage.indices {
                XCTAssertEqual(tensor.storage[i], (sa[name]!.storage[i] + sb[name]!.storage[i]) / 2, accuracy: 1e-7, name)
            }
            if name.hasSuffix("running_var") { XCTAssertEqual(tensor.storage.first, 1.5, name) }
        }
        XCTAssertNotEqual(sa["conv1.weight"]!.storage, sb["conv1.weight"]!.storage)
    }

    /// The result keeps the shared preprocessing and names its ingredients in its training summary.
    func testMetadata() throws {
        let average = try ModelAverage.average([ingredient(biasOnly([1, 0, 0, 0, 0, 0, 0]), "x.safetensors fnv1a:01", tta: .mirror),
                                                ingredient(biasOnly([0, 1, 0, 0, 0, 0, 0]), "y.safetensors fnv1a:02", tta: .mirror)])
        XCTAssertEqual(average.metadata.preprocessing.mean, [0.5])
        XCTAssertEqual(average.metadata.preprocessing.std, [0.25])
        XCTAssertEqual(average.metadata.preprocessing.testTimeAugmentation, .mirror)
        XCTAssertEqual(average.metadata.trainingSummary, #"{"averaged":["x.safetensors fnv1a:01","y.safetensors fnv1a:02"]}"#)
    }

    func testRefusals() throws {
        let c = ingredient(ResEmoteNet(width: .C), "c.safetensors")
        XCTAssertThrowsError(try ModelAverage.average([c])) {
            XCTAssertEqual("\($0)", "averaging needs at least two models (1 given)")
        }
        let b = ingredient(ResEmoteNet(width: .B), "b.safetensors")
        XCTAssertThrowsError(try ModelAverage.average([c, b])) {
            XCTAssertEqual("\($0)", "b.safetensors: architecture B differs from c.safetensors's C; only models of one "
                           + "architecture and preprocessing can be averaged")
        }
        let wide = ingredient(ResEmoteNet(width: .C, inputSize: 64), "c64.safetensors")
        XCTAssertThrowsError(try ModelAverage.average([c, wide])) {
            XCTAssertEqual("\($0)", "c64.safetensors: input 1×64×64 differs from c.safetensors's 1×48×48; only models "
                           + "of one architecture and preprocessing can be averaged")
        }
        let network = ResEmoteNet(width: .C)
        let other = ModelAverage.Ingredient(
            model: LoadedModel(network: network, metadata: ModelMetadata(architecture: network.architecture, mean: [0.4], std: [0.25])),
            source: "n.safetensors")
        XCTAssertThrowsError(try ModelAverage.average([c, other])) {
            XCTAssertEqual("\($0)", "n.safetensors: normalisation mean [0.4] std [0.25] differs from c.safetensors's mean "
                           + "[0.5] std [0.25]; only models of one architecture and preprocessing can be averaged")
        }
        let mirrored = ingredient(ResEmoteNet(width: .C), "m.safetensors", tta: .mirror)
        XCTAssertThrowsError(try ModelAverage.average([c, mirrored])) {
            XCTAssertEqual("\($0)", "m.safetensors: test-time augmentation mirror differs from c.safetensors's none; "
                           + "pass --tta to say which the average uses")
        }
        let chosen = try ModelAverage.average([c, mirrored], testTimeAugmentation: .mirrorShiftZoom)
        XCTAssertEqual(chosen.metadata.preprocessing.testTimeAugmentation, .mirrorShiftZoom)
    }
}
