import XCTest
import NeuralNet
@testable import FaceDetection
import TestSupport

/// BlazeFace on frames: the letterbox geometry and its inverse, the input resampling, the tiles, and the whole
/// detector on real media against the Haar cascade and the TFLite reference.
final class BlazeFaceDetectorTests: XCTestCase {
    static let weights = TestPaths.repoRoot.appendingPathComponent("Sources/FaceDetection/Models/blazeface-short-range.safetensors")

    /// MediaPipe's letterbox of a 640 × 360 frame: a 640-pixel square from y = −140, so 28 black input rows
    /// above and below (140 / 5); portrait frames pad left and right; the inverse maps input-relative points
    /// back to frame pixels.
    func testLetterboxGeometry() {
        let wide = BlazeFaceView.letterbox(width: 640, height: 360)
        XCTAssertEqual(wide, BlazeFaceView(x: 0, y: -140, side: 640))
        XCTAssertEqual(BlazeFaceView.letterbox(width: 360, height: 640), BlazeFaceView(x: -140, y: 0, side: 640))
        XCTAssertEqual(BlazeFaceView.letterbox(width: 100, height: 100), BlazeFaceView(x: 0, y: 0, side: 100))
        XCTAssertEqual(wide.framePoint(x: 0.5, y: 0.5), FacePoint(x: 320, y: 180))
        XCTAssertEqual(wide.framePoint(x: 0, y: 28.0 / 128), FacePoint(x: 0, y: 0))
        XCTAssertEqual(wide.framePoint(x: 1, y: 100.0 / 128), FacePoint(x: 640, y: 360))
        // A detection relative to the input maps box and keypoints alike.
        let d = BlazeFaceDetection(score: 0.9, xMin: 0.25, yMin: 0.375, xMax: 0.5, yMax: 0.625,
                                   keypoints: [.init(x: 0.3125, y: 0.5)])
        let mapped = BlazeFaceView(x: 100, y: -20, side: 256).toFrame(d)
        XCTAssertEqual(mapped, BlazeFaceDetection(score: 0.9, xMin: 164, yMin: 76, xMax: 228, yMax: 140,
                                                  keypoints: [.init(x: 180, y: 108)]))
    }

    /// Area-averaging taps: 3 pixels into 2 (each input pixel spans 1.5 frame pixels) weigh the middle pixel
    /// half-and-half; a window reaching past the frame keeps only the inside part (the rest is black).
    func testResamplingTaps() {
        let taps = BlazeFaceInput.taps(origin: 0, side: 3, length: 3, size: 2)
        XCTAssertEqual(taps.map(\.first), [0, 1])
        XCTAssertEqual(taps[0].weights, [Float(1 / 1.5), Float(0.5 / 1.5)])
        XCTAssertEqual(taps[1].weights, [Float(0.5 / 1.5), Float(1 / 1.5)])
        let outside = BlazeFaceInput.taps(origin: -4, side: 8, length: 2, size: 4)
        XCTAssertEqual(outside[0].weights, [])
        XCTAssertEqual(outside[1].weights, [])
        XCTAssertEqual(outside[2].first, 0)
        XCTAssertEqual(outside[2].weights, [0.5, 0.5])
    }

    /// A white 640 × 360 frame letterboxes to 28 rows of −1, 72 of +1, 28 of −1, all three channels alike; a
    /// single 5 × 5 white block at (100, 40) on black fills exactly input pixel (20, 36) (36 = (40 + 140) / 5).
    func testInputFill() {
        let size = 128, view = BlazeFaceView.letterbox(width: 640, height: 360)
        var out = [Float](repeating: 9, count: size * size * 3)
        let white = [UInt8](repeating: 255, count: 640 * 360)
        white.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { BlazeFaceInput.fill($0.baseAddress!, pixels: px, width: 640, height: 360, view: view) }
        }
        for row in [0, 27, 100, 127] { XCTAssertEqual(out[row * size * 3 + 60 * 3], -1, "row \(row)") }
        for row in [28, 64, 99] {
            for c in 0..<3 { XCTAssertEqual(out[row * size * 3 + 60 * 3 + c], 1, accuracy: 1e-5, "row \(row)") }
        }
        var block = [UInt8](repeating: 0, count: 640 * 360)
        for y in 40..<45 { for x in 100..<105 { block[y * 640 + x] = 255 } }
        block.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { BlazeFaceInput.fill($0.baseAddress!, pixels: px, width: 640, height: 360, view: view) }
        }
        XCTAssertEqual(out[(36 * size + 20) * 3], 1, accuracy: 1e-5)
        for (u, v) in [(19, 36), (21, 36), (20, 35), (20, 37)] { XCTAssertEqual(out[(v * size + u) * 3], -1, accuracy: 1e-6) }
    }

    /// Tiles: with a 36-pixel minimum face, a face of that size fills 24 input pixels in a 192-pixel tile; a
    /// 640 × 360 frame takes 6 columns (step 448/5 = 89.6) by 3 rows (step 84) of them, neighbours overlapping
    /// by at least half a tile. Their largest whole face (96) is under the whole frame's smallest
    /// (24/128 · 640 = 120), so a second level follows at twice the side, capped at the frame's height: 360,
    /// 3 columns (0, 140, 280) by one row, whose largest face (180) the whole frame covers. No minimum, or a
    /// minimum large enough for the whole-frame view, means no tiles.
    func testTiles() throws {
        let network = try BlazeFaceNetwork(contentsOf: Self.weights)
        let detector = BlazeFaceDetector(network: network, configuration: BlazeFaceConfiguration(minimumFaceSide: 36))
        XCTAssertEqual(detector.tileSide(width: 640, height: 360), 192)
        let tiles = detector.tiles(width: 640, height: 360)
        XCTAssertEqual(tiles.count, 18 + 3)
        XCTAssertEqual(tiles.first, BlazeFaceView(x: 0, y: 0, side: 192))
        XCTAssertEqual(tiles[1], BlazeFaceView(x: 89.6, y: 0, side: 192))
        XCTAssertEqual(tiles[6], BlazeFaceView(x: 0, y: 84, side: 192))
        XCTAssertEqual(tiles[17], BlazeFaceView(x: 448, y: 168, side: 192))
        XCTAssertEqual(Array(tiles[18...]), [0, 140, 280].map { BlazeFaceView(x: $0, y: 0, side: 360) })
        XCTAssertEqual(BlazeFaceDetector(network: network).tiles(width: 640, height: 360), [])
        XCTAssertEqual(BlazeFaceDetector(network: network, configuration: .init(minimumFaceSide: 130))
            .tiles(width: 640, height: 360), [])
        // A tile larger than the frame's height is as high as the frame: one row.
        let big = BlazeFaceDetector(network: network, configuration: .init(minimumFaceSide: 90))
        XCTAssertEqual(big.tileSide(width: 640, height: 360), 360)
        XCTAssertEqual(big.tiles(width: 640, height: 360).map(\.x), [0, 140, 280])
    }

    /// A detection cut by a tile's inner edge is a part of a face and dropped; at the frame's edge it is kept.
    func testCutDetectionsAreDropped() {
        let tile = BlazeFaceView(x: 112, y: 0, side: 192)
        func d(_ x0: Float, _ y0: Float, _ x1: Float, _ y1: Float) -> BlazeFaceDetection {
            BlazeFaceDetection(score: 0.9, xMin: x0, yMin: y0, xMax: x1, yMax: y1, keypoints: [])
        }
        XCTAssertTrue(BlazeFaceDetector.isWhole(d(150, 50, 200, 100), in: tile, width: 640, height: 360))
        XCTAssertFalse(BlazeFaceDetector.isWhole(d(100, 50, 150, 100), in: tile, width: 640, height: 360))
        XCTAssertFalse(BlazeFaceDetector.isWhole(d(250, 150, 320, 220), in: tile, width: 640, height: 360))
        XCTAssertTrue(BlazeFaceDetector.isWhole(d(150, -10, 200, 40), in: tile, width: 640, height: 360))
    }

    /// A small detection centred inside a larger one is part of that face and dropped; side-by-side and
    /// merely overlapping faces stay, in order.
    func testNestedDetectionsAreDropped() {
        func d(_ x0: Float, _ y0: Float, _ x1: Float, _ y1: Float, _ score: Float = 0.9) -> BlazeFaceDetection {
            BlazeFaceDetection(score: score, xMin: x0, yMin: y0, xMax: x1, yMax: y1, keypoints: [])
        }
        let face = d(100, 100, 300, 300), eye = d(140, 150, 190, 200, 0.8), neighbour = d(320, 100, 420, 200)
        let overlapping = d(250, 250, 330, 330)  // centre (290, 290) inside the face: dropped too
        let beside = d(290, 50, 360, 120)        // centre (325, 85) outside every other box
        XCTAssertEqual(BlazeFaceDetector.withoutNested([face, eye, neighbour, overlapping, beside]), [face, neighbour, beside])
    }

    /// Missing, empty or wrong weights files fail with one line naming the file.
    func testWeightsErrorsAreOneLine() throws {
        let dir = TestPaths.temporaryDirectory("blazeface-weights")
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("none.safetensors")
        XCTAssertThrowsError(try BlazeFaceWeights.load(missing)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("BlazeFace weights \(missing.path): "), text)
            XCTAssertFalse(text.contains("\n"))
        }
        let corrupt = dir.appendingPathComponent("corrupt.safetensors")
        try Data("not a safetensors file at all".utf8).write(to: corrupt)
        XCTAssertThrowsError(try BlazeFaceWeights.load(corrupt)) { error in
            XCTAssertTrue("\(error)".hasPrefix("BlazeFace weights \(corrupt.path): "), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
        let other = dir.appendingPathComponent("other.safetensors")
        try SafetensorsFile(tensors: ["x": Tensor(shape: [2])]).write(to: other)
        XCTAssertThrowsError(try BlazeFaceWeights.load(other)) { error in
            XCTAssertTrue("\(error)".hasPrefix("BlazeFace weights \(other.path): missing tensor"), "\(error)")
        }
        // Found beside the test binary (SwiftPM's resource bundle) and identical to the source file.
        let found = try BlazeFaceWeights.locate()
        XCTAssertEqual(found.lastPathComponent, "blazeface-short-range.safetensors")
        XCTAssertEqual(try Data(contentsOf: found), try Data(contentsOf: Self.weights))
    }
}
