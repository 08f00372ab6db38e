import XCTest
import NeuralNet
@testable import EmotionModel
import TestSupport

/// Mirror averaging, the test-time step of the preprocessing contract: stored in the model file, applied by
/// the classifier that `analyze` uses.
final class TestTimeAugmentationTests: XCTestCase {
    private let golden = TestPaths.fixture("nn/golden_c_weights.safetensors")

    func testMirroredReversesEachRow() {
        XCTAssertEqual(TestTimeAugmentation.mirrored([1, 2, 3, 4, 5, 6, 7, 8, 9], side: 3), [3, 2, 1, 6, 5, 4, 9, 8, 7])
    }

    /// Logits [0, 0] and [ln 3, 0] have softmax [½, ½] and [¾, ¼]: the mirror score is their mean [⅝, ⅜];
    /// `none` passes the logits through.
    func testCombineAveragesTheTwoDistributions() {
        let logits = Tensor(shape: [2, 2], storage: [0, 0, Float(log(3.0)), 0])
        let mean = TestTimeAugmentation.mirror.combine(logits, faces: 1)
        XCTAssertEqual(mean.shape, [1, 2])
        XCTAssertEqual(mean.storage[0], 0.625, accuracy: 1e-6)
        XCTAssertEqual(mean.storage[1], 0.375, accuracy: 1e-6)
        XCTAssertEqual(TestTimeAugmentation.none.combine(logits, faces: 2), logits)
        XCTAssertEqual(TestTimeAugmentation.mirror.passes, 2)
    }

    /// A model whose file says `mirror` gives each face the mean of the probabilities that the same weights
    /// give the face and its mirror image without it, across batch splits.
    func testClassifierAveragesTheFaceAndItsMirror() throws {
        let io = try SafetensorsFile(contentsOf: TestPaths.fixture("nn/golden_c_io.safetensors"))
        let pixels = io.tensors["pixels"]!
        let faces = (0..<5).map { i in pixels.storage[i * 2304..<(i + 1) * 2304].map { UInt8($0) } }
        let loaded = try ModelFile.load(contentsOf: golden)
        var metadata = loaded.metadata
        metadata.preprocessing.testTimeAugmentation = .mirror
        let mirrored = EmotionClassifier(model: LoadedModel(network: loaded.network, metadata: metadata), maxBatch: 2)
        let plain = try EmotionClassifier(contentsOf: golden)
        let a = try plain.classify(faces)
        let b = try plain.classify(faces.map { TestTimeAugmentation.mirrored($0, side: 48) })
        let both = try mirrored.classify(faces)
        XCTAssertEqual(both.count, 5)
        for i in 0..<5 {
            XCTAssertNotEqual(a[i], b[i], "a face and its mirror score differently")
            for j in 0..<7 { XCTAssertEqual(both[i][j], (a[i][j] + b[i][j]) / 2, accuracy: 1e-6) }
        }
    }

    /// The file records it (`test_time_augmentation`), a file without the key means none, and an unknown
    /// value is refused with the key named.
    func testMetadataRoundTripAndBadValue() throws {
        let loaded = try ModelFile.load(contentsOf: golden)
        XCTAssertEqual(loaded.metadata.preprocessing.testTimeAugmentation, .none)
        XCTAssertNil(loaded.metadata.encoded["test_time_augmentation"])
        var metadata = loaded.metadata
        metadata.preprocessing.testTimeAugmentation = .mirror
        XCTAssertEqual(metadata.encoded["test_time_augmentation"], "mirror")
        let data = try ModelFile.serialized(loaded.network, metadata: metadata, dtype: .f16)
        let again = try ModelFile.load(try SafetensorsFile(data: data, source: "mem"), source: "mem")
        XCTAssertEqual(again.metadata.preprocessing.testTimeAugmentation, .mirror)
        var bad = try SafetensorsFile(data: data, source: "mem")
        bad.metadata["test_time_augmentation"] = "ten-crop"
        XCTAssertThrowsError(try ModelFile.load(bad, source: "bad.safetensors")) {
            XCTAssertEqual("\($0)", "bad.safetensors: metadata test_time_augmentation 'ten-crop' is not none or mirror")
        }
    }
}
