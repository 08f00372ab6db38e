import XCTest
@testable import FaceDetection

/// The detector's building blocks against OpenCV 4.6 reference outputs (`kernels.json`) and hand-worked values.
final class DetectionKernelTests: XCTestCase {
    struct Kernels: Decodable {
        struct Resized: Decodable { let width: Int; let height: Int; let pixels: [UInt8] }
        let width: Int
        let height: Int
        let pixels: [UInt8]
        let resized: [Resized]
        let sum: [Int32]
        let squares: [Int64]
        let tilted: [Int32]
    }

    private func kernels() throws -> Kernels {
        try JSONDecoder().decode(Kernels.self, from: Data(contentsOf: FaceFixtures.url("kernels.json")))
    }

    /// The pyramid resize is OpenCV's INTER_LINEAR_EXACT bit for bit (shrinking both ways, one axis only,
    /// and a strided source).
    func testResizeMatchesOpenCVLinearExact() throws {
        let k = try kernels()
        XCTAssertEqual(k.resized.count, 6)
        for expected in k.resized {
            var out = [UInt8](repeating: 0, count: expected.width * expected.height)
            k.pixels.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    LinearExactResize.resize(source: src.baseAddress!, sourceStride: k.width, sourceWidth: k.width,
                                             sourceHeight: k.height, target: dst.baseAddress!,
                                             targetWidth: expected.width, targetHeight: expected.height)
                }
            }
            XCTAssertEqual(out, expected.pixels, "\(expected.width)x\(expected.height)")
        }
        // A region of a wider image (stride > width) resizes like the same pixels packed.
        let padded = (0..<k.height).flatMap { y in k.pixels[(y * k.width)..<((y + 1) * k.width)] + [7, 7, 7] }
        var out = [UInt8](repeating: 0, count: 17 * 13)
        padded.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                LinearExactResize.resize(source: src.baseAddress!, sourceStride: k.width + 3, sourceWidth: k.width,
                                         sourceHeight: k.height, target: dst.baseAddress!, targetWidth: 17, targetHeight: 13)
            }
        }
        XCTAssertEqual(out, k.resized[0].pixels)
    }

    /// Sum, squared-sum (mod 2^32) and 45°-tilted integral images equal cv2.integral3's.
    func testIntegralImagesMatchOpenCV() throws {
        let k = try kernels()
        let stride = k.width + 1, count = stride * (k.height + 1)
        var sum = [Int32](repeating: -1, count: count), squares = sum, tilted = sum
        k.pixels.withUnsafeBufferPointer { src in
            sum.withUnsafeMutableBufferPointer { s in
                squares.withUnsafeMutableBufferPointer { q in
                    IntegralImage.compute(source: src.baseAddress!, sourceStride: k.width, width: k.width,
                                          height: k.height, sum: s.baseAddress!, squares: q.baseAddress!, stride: stride)
                }
            }
            tilted.withUnsafeMutableBufferPointer { t in
                IntegralImage.computeTilted(source: src.baseAddress!, sourceStride: k.width, width: k.width,
                                            height: k.height, tilted: t.baseAddress!, stride: stride)
            }
        }
        XCTAssertEqual(sum, k.sum)
        XCTAssertEqual(squares, k.squares.map { Int32(truncatingIfNeeded: $0) })
        XCTAssertEqual(tilted, k.tilted)
    }

    /// Pyramid levels for a 640x360 frame and a 24x24 window: factors 1.1^k while the window fits.
    func testPyramidLevels() throws {
        let levels = ScalePyramid.levels(imageWidth: 640, imageHeight: 360, windowWidth: 24, windowHeight: 24,
                                         parameters: .standard)
        // 24 * 1.1^28 = 346.1 fits 360; 24 * 1.1^29 = 380.7 does not.
        XCTAssertEqual(levels.count, 29)
        XCTAssertEqual(levels[0], ScaleLevel(factor: 1, width: 640, height: 360, step: 2, windowWidth: 24,
                                             windowHeight: 24, scanWidth: 617, scanHeight: 337))
        XCTAssertEqual(levels[1].width, 582)        // round(640 / 1.1) = 581.8
        XCTAssertEqual(levels[1].windowWidth, 26)   // round(26.4)
        XCTAssertEqual(levels.firstIndex { $0.step == 1 }, 8)   // 1.1^8 = 2.14 is the first factor >= 2
        XCTAssertEqual(levels.last?.windowWidth, 346)
        XCTAssertEqual(levels.last?.scanHeight, 2)   // 360 / 14.42 = 24.96 -> 25 rows: 26 - 24 positions
        // OpenCV's stripes: 20 stripes (617 / 32 rounded up) of 10 rows cover 200 of level 5's 201 rows
        // (360 / 1.61 = 223.5 -> 224 rows, 225 - 24 = 201 start rows), so row 200 is never scanned.
        XCTAssertEqual(levels[5].height, 224)
        XCTAssertEqual(levels[5].scanHeight, 200)
    }

    /// OpenCV's quirks, seen with cv2 on a 300x200 image: minSize == maxSize between two levels picks
    /// the nearest level; maxSize below the window still searches the window size.
    func testPyramidSizeLimits() throws {
        func windows(min: Int, max: Int) throws -> [Int] {
            ScalePyramid.levels(imageWidth: 300, imageHeight: 200, windowWidth: 24, windowHeight: 24,
                                parameters: try DetectionParameters(minSize: PixelSize(width: min, height: min),
                                                                    maxSize: PixelSize(width: max, height: max)))
                .map(\.windowWidth)
        }
        XCTAssertEqual(try windows(min: 30, max: 30), [29])
        XCTAssertEqual(try windows(min: 33, max: 33), [32])
        XCTAssertEqual(try windows(min: 0, max: 10), [24])
        XCTAssertEqual(try windows(min: 40, max: 60), [43, 47, 51, 57])
        XCTAssertEqual(ScalePyramid.levels(imageWidth: 23, imageHeight: 100, windowWidth: 24, windowHeight: 24,
                                           parameters: .standard), [])
    }

    /// groupRectangles on hand-made hits: a 6-hit cluster averages to its mean, a 2-hit cluster is dropped,
    /// and a weaker cluster inside a stronger one is swallowed.
    func testGrouping() {
        let cluster = (0..<6).map { FaceBox(x: 100 + $0, y: 50 + $0 % 2, width: 40 + $0 % 3, height: 40) }
        let pair = [FaceBox(x: 300, y: 300, width: 30, height: 30), FaceBox(x: 301, y: 300, width: 30, height: 30)]
        let groups = RectangleGrouping.group(cluster + pair, threshold: 1)
        // x: 100...105 -> 615 / 6 = 102.5 -> 102 (half to even); y: 303 / 6 = 50.5 -> 50; w: 246 / 6 = 41.
        XCTAssertEqual(groups, [RectangleGrouping.Group(box: FaceBox(x: 102, y: 50, width: 41, height: 40), count: 6),
                                RectangleGrouping.Group(box: FaceBox(x: 300, y: 300, width: 30, height: 30), count: 2)])
        XCTAssertEqual(RectangleGrouping.group(cluster + pair, threshold: 2).map(\.count), [6])

        let inner = (0..<3).map { _ in FaceBox(x: 110, y: 60, width: 20, height: 20) }
        XCTAssertEqual(RectangleGrouping.group(cluster + inner, threshold: 2).map(\.box),
                       [FaceBox(x: 102, y: 50, width: 41, height: 40)])
        // Grouping off: every hit comes back with count 1.
        XCTAssertEqual(RectangleGrouping.group(pair, threshold: 0).map(\.count), [1, 1])
    }

    func testSimilarity() {
        let a = FaceBox(x: 0, y: 0, width: 100, height: 100)
        // delta = 0.2 * (100 + 100) / 2 = 20.
        XCTAssertTrue(RectangleGrouping.similar(a, FaceBox(x: 20, y: 20, width: 100, height: 100), eps: 0.2))
        XCTAssertFalse(RectangleGrouping.similar(a, FaceBox(x: 21, y: 0, width: 100, height: 100), eps: 0.2))
        XCTAssertFalse(RectangleGrouping.similar(a, FaceBox(x: 0, y: 0, width: 121, height: 100), eps: 0.2))
    }
}
