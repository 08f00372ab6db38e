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

    /// Shifts by whole pixels repeat the edge; a zoom about the centre interpolates. A 4×4 ramp 0, 10, 20, 30
    /// per row shifted 2 right reads 0, 0, 0, 10; zoomed ×2 about x = 1.5 the output x maps to 1.5 + (x − 1.5)/2,
    /// i.e. 0.75, 1.25, 1.75, 2.25 → 7.5, 12.5, 17.5, 22.5, rounded half away from zero to 8, 13, 18, 23.
    func testFaceWarpByHand() {
        let ramp: [UInt8] = (0..<16).map { UInt8(($0 % 4) * 10) }
        XCTAssertEqual(Array(FaceWarp(dx: 2).apply(ramp, side: 4)[0..<4]), [0, 0, 0, 10])
        XCTAssertEqual(Array(FaceWarp(dy: 2).apply(ramp, side: 4)), ramp)
        XCTAssertEqual(Array(FaceWarp(scale: 2).apply(ramp, side: 4)[4..<8]), [8, 13, 18, 23])
        XCTAssertEqual(Array(FaceWarp(flip: true, scale: 2).apply(ramp, side: 4)[4..<8]), [23, 18, 13, 8])
    }

    /// mirror-shift-zoom: 14 views, the crop as it is first, each place as it is then mirrored; its score is
    /// the mean of the 14 distributions (three of them worked by hand here: [½, ½], [¾, ¼], [¾, ¼] → [⅔, ⅓]).
    func testShiftZoomViewsAndCombine() {
        let views = TestTimeAugmentation.mirrorShiftZoom.views
        XCTAssertEqual(views.count, 14)
        XCTAssertEqual(views[0], .identity)
        XCTAssertEqual(views[1], FaceWarp(flip: true))
        XCTAssertEqual(views[2], FaceWarp(dx: -2))
        XCTAssertEqual(views[13], FaceWarp(flip: true, scale: 1.08))
        XCTAssertEqual(Set(views.map { "\($0)" }).count, 14)
        var rows: [Float] = []
        for v in 0..<14 { rows += v == 0 ? [0, 0] : v < 8 ? [Float(log(3.0)), 0] : [0, 0] }
        // Seven views [½, ½] and seven [¾, ¼]: the mean is [⅝, ⅜].
        let mean = TestTimeAugmentation.mirrorShiftZoom.combine(Tensor(shape: [14, 2], storage: rows), faces: 1)
        XCTAssertEqual(mean.storage[0], 0.625, accuracy: 1e-6)
        XCTAssertEqual(mean.storage[1], 0.375, accuracy: 1e-6)
    }

    /// A model whose file says `mirror-shift-zoom` gives each face the mean of the probabilities that the same
    /// weights give its 14 views without it, across batch splits.
    func testClassifierAveragesTheFourteenViews() throws {
        try checkClassifierAverages(.mirrorShiftZoom, faces: 3)
    }

    /// A model whose file says `mirror` gives each face the mean of the probabilities that the same weights
    /// give the face and its mirror image (`mirrored`, each row reversed) without it, across batch splits.
    func testClassifierAveragesTheFaceAndItsMirror() throws {
        XCTAssertEqual(TestTimeAugmentation.mirror.views[1].apply(Array(0..<9), side: 3),
                       TestTimeAugmentation.mirrored(Array(0..<9), side: 3))
        try checkClassifierAverages(.mirror, faces: 5)
    }

    /// A pass holds at most `2 · maxBatch` images: 14-view averaging at `maxBatch` 64 takes 9 faces (126 images)
    /// a pass, mirror averaging and one view keep 64 faces; the split does not change the answers.
    func testPassesAreBoundedByImagesNotFaces() throws {
        let loaded = try ModelFile.load(contentsOf: golden)
        func classifier(_ testTime: TestTimeAugmentation, maxBatch: Int) -> EmotionClassifier {
            var metadata = loaded.metadata
            metadata.preprocessing.testTimeAugmentation = testTime
            return EmotionClassifier(model: LoadedModel(network: loaded.network, metadata: metadata), maxBatch: maxBatch)
        }
        XCTAssertEqual(classifier(.mirrorShiftZoom, maxBatch: 64).facesPerPass, 9)
        XCTAssertEqual(classifier(.mirrorShiftZoom, maxBatch: 32).facesPerPass, 4)
        XCTAssertEqual(classifier(.mirrorShiftZoom, maxBatch: 14).facesPerPass, 2)
        XCTAssertEqual(classifier(.mirrorShiftZoom, maxBatch: 3).facesPerPass, 1)
        XCTAssertEqual(classifier(.mirror, maxBatch: 64).facesPerPass, 64)
        XCTAssertEqual(classifier(.none, maxBatch: 64).facesPerPass, 64)
        let io = try SafetensorsFile(contentsOf: TestPaths.fixture("nn/golden_c_io.safetensors"))
        let pixels = io.tensors["pixels"]!
        let faces = (0..<14).map { i in pixels.storage[i * 2304..<(i + 1) * 2304].map { UInt8($0) } }
        let inPasses = try classifier(.mirrorShiftZoom, maxBatch: 64).classify(faces)  // 9 + 5 faces
        let oneByOne = try classifier(.mirrorShiftZoom, maxBatch: 1).classify(faces)
        XCTAssertEqual(inPasses.count, 14)
        for i in 0..<14 {
            for j in 0..<7 { XCTAssertEqual(inPasses[i][j], oneByOne[i][j], accuracy: 1e-6) }
        }
    }

    private func checkClassifierAverages(_ testTime: TestTimeAugmentation, faces count: Int) throws {
        let io = try SafetensorsFile(contentsOf: TestPaths.fixture("nn/golden_c_io.safetensors"))
        let pixels = io.tensors["pixels"]!
        let faces = (0..<count).map { i in pixels.storage[i * 2304..<(i + 1) * 2304].map { UInt8($0) } }
        let loaded = try ModelFile.load(contentsOf: golden)
        var metadata = loaded.metadata
        metadata.preprocessing.testTimeAugmentation = testTime
        let averaged = EmotionClassifier(model: LoadedModel(network: loaded.network, metadata: metadata), maxBatch: 2)
        let plain = try EmotionClassifier(contentsOf: golden)
        let perView = try testTime.views.map { view in try plain.classify(faces.map { view.apply($0, side: 48) }) }
        let all = try averaged.classify(faces)
        XCTAssertEqual(all.count, count)
        for i in 0..<count {
            XCTAssertNotEqual(perView[1][i], perView[0][i], "another view scores differently")
            for j in 0..<7 {
                let mean = perView.map { $0[i][j] }.reduce(0, +) / Float(testTime.passes)
                XCTAssertEqual(all[i][j], mean, accuracy: 1e-6)
            }
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
            XCTAssertEqual("\($0)", "bad.safetensors: metadata test_time_augmentation 'ten-crop' is not none, mirror or mirror-shift-zoom")
        }
    }
}
