import EmotionModel
import NeuralNet
import XCTest
import Training
import TestSupport

/// `evaluate` scores faces exactly as `analyze`'s classifier does, test-time augmentation included.
final class EvaluatorTests: XCTestCase {
    func testMirrorScoresAreTheClassifierProbabilities() throws {
        try checkScores(.mirror)
    }

    /// The 14 views of mirror-shift-zoom as well: training's warp and the classifier's are one.
    func testShiftZoomScoresAreTheClassifierProbabilities() throws {
        try checkScores(.mirrorShiftZoom)
    }

    private func checkScores(_ testTime: TestTimeAugmentation) throws {
        let loaded = try ModelFile.load(contentsOf: TestPaths.fixture("nn/golden_c_weights.safetensors"))
        var pre = loaded.metadata.preprocessing
        pre.testTimeAugmentation = testTime
        let scores = Evaluator.scores(InferenceNetwork(loaded.network),
                                      BatchAssembler(dataset: MiniData.val, preprocessing: pre), testTime: testTime,
                                      batchSize: 32)
        XCTAssertEqual(scores.shape, [70, 7])
        var metadata = loaded.metadata
        metadata.preprocessing = pre
        let classifier = EmotionClassifier(model: LoadedModel(network: loaded.network, metadata: metadata))
        let faces = (0..<70).map { Array(MiniData.val.image($0)) }
        let probabilities = try classifier.classify(faces)
        for i in 0..<70 {
            for j in 0..<7 { XCTAssertEqual(scores.storage[i * 7 + j], probabilities[i][j], accuracy: 1e-5) }
        }
        let report = Evaluator.evaluate(loaded.network, preprocessing: pre, on: MiniData.val)
        let argmax = probabilities.map { p in p.indices.max { p[$0] < p[$1] }! }
        XCTAssertEqual(report.accuracy, Double(zip(argmax, MiniData.val.labels).filter { $0 == $1 }.count) / 70)
    }
}
