import XCTest
import NeuralNet
@testable import EmotionModel
import TestSupport

/// The sharpness step of the preprocessing contract, against OpenCV values
/// (`Fixtures/preprocessing/make_sharpness.py`).
final class SharpnessNormalizationTests: XCTestCase {
    private struct Golden: Decodable {
        let val_pixels: [UInt8]
        let val_sharpness: Float
        let train_pixels: [UInt8]
        let train_sharpness: Float
        let blur_sigma: Float
        let val_blurred: [Float]
        let val_blurred_sharpness: Float
    }

    private lazy var golden: Golden = {
        let data = try! Data(contentsOf: TestPaths.fixture("preprocessing/sharpness.json"))
        return try! JSONDecoder().decode(Golden.self, from: data)
    }()

    func testSharpnessEqualsOpenCV() {
        XCTAssertEqual(SharpnessNormalization.sharpness(of: golden.val_pixels, side: 48), golden.val_sharpness, accuracy: 1e-4)
        XCTAssertEqual(SharpnessNormalization.sharpness(of: golden.train_pixels, side: 48), golden.train_sharpness, accuracy: 1e-4)
        XCTAssertEqual(SharpnessNormalization.sharpness(of: golden.val_blurred, side: 48), golden.val_blurred_sharpness,
                       accuracy: 1e-4)
    }

    func testBlurEqualsOpenCVGaussianBlur() {
        let ours = SharpnessNormalization.blur(golden.val_pixels.map(Float.init), side: 48, sigma: golden.blur_sigma)
        XCTAssertEqual(ours.count, golden.val_blurred.count)
        let worst = zip(ours, golden.val_blurred).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(worst, 1e-3)
    }

    func testFlatImageHasNoSharpnessAndStaysFlat() {
        let flat = [UInt8](repeating: 77, count: 48 * 48)
        XCTAssertEqual(SharpnessNormalization.sharpness(of: flat, side: 48), 0)
        XCTAssertEqual(SharpnessNormalization.normalize(flat, side: 48, target: 0.05), flat)
    }

    func testSharpFaceIsBlurredDownToTheTarget() {
        let target: Float = 0.0523
        let sigma = SharpnessNormalization.blurSigma(for: golden.val_pixels, side: 48, target: target)
        // A sharp val face needs a blur of a few pixels (the train split matches val blurred at σ ≈ 3).
        XCTAssertGreaterThan(sigma, 1.5)
        XCTAssertLessThan(sigma, 5)
        let out = SharpnessNormalization.normalize(golden.val_pixels, side: 48, target: target)
        let reached = SharpnessNormalization.sharpness(of: out, side: 48)
        // Before rounding the blur lands on the target (a blur 0.01 px weaker would still be above it) …
        let exact = SharpnessNormalization.sharpness(
            of: SharpnessNormalization.blur(golden.val_pixels.map(Float.init), side: 48, sigma: sigma), side: 48)
        XCTAssertLessThanOrEqual(exact, target)
        XCTAssertGreaterThan(exact, target * 0.97)
        // … and rounding to bytes adds a little fine noise on top.
        XCTAssertGreaterThanOrEqual(reached, exact)
        XCTAssertLessThan(reached, target * 1.25)
        // Blurring keeps the mean gray level.
        let meanIn = golden.val_pixels.reduce(0) { $0 + Int($1) }, meanOut = out.reduce(0) { $0 + Int($1) }
        XCTAssertEqual(Double(meanIn) / 2304, Double(meanOut) / 2304, accuracy: 1)
    }

    func testSofterFaceIsLeftAsItIs() {
        XCTAssertLessThan(golden.train_sharpness, 0.1)
        XCTAssertEqual(SharpnessNormalization.normalize(golden.train_pixels, side: 48, target: 0.1), golden.train_pixels)
    }

    func testMedianSharpness() {
        let images = golden.val_pixels + golden.train_pixels + golden.train_pixels
        XCTAssertEqual(SharpnessNormalization.medianSharpness(of: images, side: 48), golden.train_sharpness, accuracy: 1e-4)
        XCTAssertEqual(SharpnessNormalization.medianSharpness(of: golden.val_pixels + golden.train_pixels, side: 48),
                       (golden.train_sharpness + golden.val_sharpness) / 2, accuracy: 1e-4)
    }

    func testPreprocessingAppliesTheTargetAndMetadataKeepsIt() throws {
        let pre = Preprocessing(inputSize: 48, inputChannels: 1, mean: [0], std: [1], sharpnessTarget: 0.0523)
        let batch = try pre.batch([golden.val_pixels])
        let expected = SharpnessNormalization.normalize(golden.val_pixels, side: 48, target: 0.0523).map { Float($0) / 255 }
        XCTAssertNotEqual(expected, golden.val_pixels.map { Float($0) / 255 })
        XCTAssertLessThan(zip(batch.storage, expected).map { abs($0 - $1) }.max()!, 1e-6)
        let plain = try Preprocessing(inputSize: 48, inputChannels: 1, mean: [0], std: [1]).batch([golden.val_pixels])
        XCTAssertLessThan(zip(plain.storage, golden.val_pixels.map { Float($0) / 255 }).map { abs($0 - $1) }.max()!, 1e-6)

        // The target travels in the model file's metadata.
        let network = ResEmoteNet(architecture: ResEmoteNetArchitecture(width: .C), seed: 1)
        let dir = TestPaths.temporaryDirectory("sharpness-meta")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("c.safetensors")
        let metadata = ModelMetadata(architecture: network.architecture, mean: [0.5], std: [0.25], sharpnessTarget: 0.0523)
        XCTAssertEqual(metadata.encoded["sharpness"], "0.0523")
        try ModelFile.save(network, metadata: metadata, to: url)
        XCTAssertEqual(try ModelFile.load(contentsOf: url).metadata.preprocessing.sharpnessTarget, 0.0523)
    }

    func testBadSharpnessMetadataIsRefused() throws {
        let network = ResEmoteNet(architecture: ResEmoteNetArchitecture(width: .C), seed: 1)
        let dir = TestPaths.temporaryDirectory("sharpness-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("c.safetensors")
        var meta = ModelMetadata(architecture: network.architecture).encoded
        meta["sharpness"] = "-1"
        try SafetensorsFile(tensors: network.stateDict(), metadata: meta).write(to: url, dtype: .f32)
        XCTAssertThrowsError(try ModelFile.load(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".contains("sharpness '-1'"), "\(error)")
        }
    }
}
