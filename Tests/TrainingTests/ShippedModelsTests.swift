import EmotionModel
import NeuralNet
import XCTest
import Training
import TestSupport

/// Every model EmoteLab ships loads, describes itself correctly and still scores what MODELS.md says on
/// FER2013-mini val (70 images; floors a few points under the measured accuracy).
final class ShippedModelsTests: XCTestCase {
    /// name → (parameters with one input channel, accuracy floor on FER2013-mini val).
    private let expected: [String: (parameters: Int, floor: Double)] = [
        "A": (20_068_807, 0.66),  // measured 71.4 % (50 of 70)
        "B": (5_021_927, 0.58),   // measured 62.9 % (44 of 70)
        "C": (1_259_767, 0.50),   // measured 54.3 % (38 of 70)
    ]

    func testShippedModelsLoadAndScoreAboveTheirFloors() throws {
        let shipped = ModelCatalog.shippedModels()
        XCTAssertEqual(shipped.map(\.name), ["A", "B", "C"], "the shipped set changed: update MODELS.md and this test")
        XCTAssertEqual(try ModelCatalog.resolve("default").lastPathComponent, "B.safetensors")
        for (name, url) in shipped {
            let raw = try SafetensorsFile(contentsOf: url)
            XCTAssertEqual(raw.storedTypes["conv1.weight"], .f16, name)
            XCTAssertEqual(raw.metadata["format"], ModelMetadata.formatName, name)
            let model = try ModelFile.load(contentsOf: url)
            let meta = model.metadata
            XCTAssertEqual(meta.architecture.width.rawValue, name)
            XCTAssertEqual(meta.architecture.inputChannels, 1, name)
            XCTAssertEqual(meta.architecture.inputSize, 48, name)
            XCTAssertEqual(meta.labels, EmotionLabel.names, name)
            // All three average 14 views (the face and its mirror, each shifted and zoomed; MODELS.md: what val and
            // the detector's crops say for each).
            XCTAssertEqual(meta.preprocessing.testTimeAugmentation, .mirrorShiftZoom, name)
            let summary = try XCTUnwrap(meta.trainingSummary.flatMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }, name)
            XCTAssertNotNil(summary["val_accuracy"] as? Double, name)
            let want = try XCTUnwrap(expected[name], name)
            XCTAssertEqual(model.network.parameterCount, want.parameters, name)
            let report = Evaluator.evaluate(model.network, preprocessing: meta.preprocessing, on: MiniData.val)
            XCTAssertGreaterThanOrEqual(report.accuracy, want.floor, "\(name): \(report.accuracy)")
        }
    }
}
