import XCTest
import NeuralNet
@testable import FaceDetection
import TestSupport

/// BlazeFace short-range against the TFLite interpreter (Fixtures/blazeface/convert.py): raw regressors and
/// score logits for a photo, a FER2013 face on a canvas, and a face-free gradient.
final class BlazeFaceGoldenTests: XCTestCase {
    private var golden: SafetensorsFile!
    private var network: BlazeFaceNetwork!

    override func setUpWithError() throws {
        golden = try SafetensorsFile(contentsOf: TestPaths.fixture("blazeface/golden.safetensors"))
        let weights = TestPaths.repoRoot.appendingPathComponent("Sources/FaceDetection/Models/blazeface-short-range.safetensors")
        network = try BlazeFaceNetwork(contentsOf: weights)
    }

    func testWeightsLoadWithTheExpectedParameterCount() {
        XCTAssertEqual(network.namedParameters.count, 2 + 16 * 4 + 8)
        XCTAssertEqual(network.blocks.map(\.outChannels).last, 96)
    }

    func testSamePaddingMatchesTFLite() {
        XCTAssertTrue(TFLitePadding.same(size: 128, kernel: 5, stride: 2) == (1, 2))
        XCTAssertTrue(TFLitePadding.same(size: 64, kernel: 3, stride: 2) == (0, 1))
        XCTAssertTrue(TFLitePadding.same(size: 16, kernel: 3, stride: 1) == (1, 1))
    }

    func testRawOutputsMatchTFLite() throws {
        let inputs = golden.tensors["inputs"]!
        let (regressors, classificators) = network.forward(inputs)
        let wantRegressors = golden.tensors["regressors"]!, wantScores = golden.tensors["classificators"]!
        XCTAssertEqual(regressors.shape, [3, 896, 16])
        XCTAssertEqual(classificators.shape, [3, 896, 1])
        XCTAssertLessThan(classificators.maxAbsDifference(wantScores), 1e-3)
        XCTAssertLessThan(regressors.maxAbsDifference(wantRegressors), 1e-3)
        // The fixture is meaningful: the two face images score a face (logit > 0), the gradient does not.
        for (image, face) in [(0, true), (1, true), (2, false)] {
            let best = classificators.storage[(image * 896)..<((image + 1) * 896)].max()!
            XCTAssertEqual(best > 0, face, "image \(image) best logit \(best)")
        }
    }

    /// A replica (one per analysis thread) has the same weights and gives the same outputs, bit for bit.
    func testReplicaGivesTheSameOutputs() throws {
        let inputs = golden.tensors["inputs"]!
        let copy = network.replica()
        XCTAssertFalse(copy === network)
        XCTAssertEqual(copy.forward(inputs).regressors.storage, network.forward(inputs).regressors.storage)
    }

    /// Images of a batch are independent: image 2 alone gives its batch row.
    func testBatchRowsMatchSingleImages() throws {
        let inputs = golden.tensors["inputs"]!, size = 128 * 128 * 3
        let single = Tensor(shape: [1, 128, 128, 3], storage: Array(inputs.storage[(2 * size)..<(3 * size)]))
        let batch = network.forward(inputs), alone = network.forward(single)
        XCTAssertLessThan(Tensor(shape: [1, 896, 16], storage: Array(batch.regressors.storage[(2 * 896 * 16)...]))
            .maxAbsDifference(alone.regressors), 1e-4)
    }
}
