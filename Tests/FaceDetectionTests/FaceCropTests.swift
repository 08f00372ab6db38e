import XCTest
import FaceDetection

/// The classifier crop: square geometry around a box, clamped to the frame, bilinear resize.
final class FaceCropTests: XCTestCase {
    func testSquareAroundABox() {
        // Longer side 60 grown by 10% each side = 72, centred on (130, 125).
        XCTAssertEqual(FaceCrop.square(box: FaceBox(x: 100, y: 100, width: 60, height: 50), margin: 0.1,
                                       imageWidth: 640, imageHeight: 480),
                       FaceBox(x: 94, y: 89, width: 72, height: 72))
        // Default margin 2%: a 100 px box becomes 104 px.
        XCTAssertEqual(FaceCrop.square(box: FaceBox(x: 200, y: 100, width: 100, height: 100), imageWidth: 640,
                                       imageHeight: 480),
                       FaceBox(x: 198, y: 98, width: 104, height: 104))
    }

    func testSquareIsShiftedIntoTheFrameAndShrunkOnlyWhenTheFrameIsSmaller() {
        // At the top-left corner the square moves right/down instead of being cut.
        XCTAssertEqual(FaceCrop.square(box: FaceBox(x: 0, y: 0, width: 50, height: 50), margin: 0.5,
                                       imageWidth: 640, imageHeight: 480),
                       FaceBox(x: 0, y: 0, width: 100, height: 100))
        XCTAssertEqual(FaceCrop.square(box: FaceBox(x: 600, y: 450, width: 40, height: 30), margin: 0.25,
                                       imageWidth: 640, imageHeight: 480),
                       FaceBox(x: 580, y: 420, width: 60, height: 60))
        // A frame narrower than the square limits its side.
        XCTAssertEqual(FaceCrop.square(box: FaceBox(x: 5, y: 20, width: 30, height: 30), margin: 0.5,
                                       imageWidth: 40, imageHeight: 80),
                       FaceBox(x: 0, y: 15, width: 40, height: 40))
        XCTAssertTrue(FaceCrop.square(box: FaceBox(x: 0, y: 0, width: 10, height: 10), imageWidth: 0, imageHeight: 0).isEmpty)
    }

    func testExtractIdentityAndConstant() {
        let image: [UInt8] = (0..<(48 * 48)).map { (i: Int) -> UInt8 in UInt8(i % 251) }
        XCTAssertEqual(FaceCrop.extract(pixels: image, width: 48, height: 48, box: FaceBox(x: 0, y: 0, width: 48, height: 48)),
                       image)
        let flat = [UInt8](repeating: 77, count: 200 * 100)
        XCTAssertEqual(FaceCrop.extract(pixels: flat, width: 200, height: 100, box: FaceBox(x: 10, y: 10, width: 80, height: 80),
                                        outputSize: 20), [UInt8](repeating: 77, count: 400))
    }

    /// Halving a horizontal ramp (value = x) samples between pixels 2i and 2i+1: value 2i + 0.5, rounded up.
    func testExtractBilinearRamp() {
        let ramp: [UInt8] = (0..<(96 * 96)).map { (i: Int) -> UInt8 in UInt8(i % 96) }
        let out = FaceCrop.extract(pixels: ramp, width: 96, height: 96, box: FaceBox(x: 0, y: 0, width: 96, height: 96))
        XCTAssertEqual(out.count, 48 * 48)
        let expected: [UInt8] = (0..<48).map { (i: Int) -> UInt8 in UInt8(2 * i + 1) }
        XCTAssertEqual(Array(out[0..<48]), expected)
        XCTAssertEqual(Array(out[(47 * 48)...]), expected)
        // Doubling a 2-pixel image: centres at -0.25, 0.25, 0.75, 1.25 -> edge, 1/4, 3/4, edge.
        let up = FaceCrop.extract(pixels: [0, 100, 0, 100], width: 2, height: 2, box: FaceBox(x: 0, y: 0, width: 2, height: 2),
                                  outputSize: 4)
        XCTAssertEqual(Array(up[0..<4]), [0, 25, 75, 100])
    }

    /// `crop` is `square` followed by `extract`; parts outside the frame repeat the edge.
    func testCropComposesSquareAndExtract() {
        let image: [UInt8] = (0..<(64 * 64)).map { (i: Int) -> UInt8 in UInt8((i / 64 + i % 64) % 256) }
        let face = FaceBox(x: 10, y: 12, width: 30, height: 28)
        XCTAssertEqual(FaceCrop.crop(pixels: image, width: 64, height: 64, face: face),
                       FaceCrop.extract(pixels: image, width: 64, height: 64,
                                        box: FaceCrop.square(box: face, imageWidth: 64, imageHeight: 64)))
        let outside = FaceCrop.extract(pixels: image, width: 64, height: 64, box: FaceBox(x: -64, y: 0, width: 64, height: 64),
                                       outputSize: 8)
        // Every column samples left of the frame, so it repeats column 0 (value = row): output row r is
        // sampled at row 8r + 3.5, between values 8r + 3 and 8r + 4.
        let edge: [UInt8] = (0..<64).map { (i: Int) -> UInt8 in UInt8(8 * (i / 8) + 4) }
        XCTAssertEqual(outside, edge)
        XCTAssertEqual(FaceCrop.extract(pixels: image, width: 64, height: 64, box: FaceBox(x: 0, y: 0, width: 0, height: 5)),
                       [UInt8](repeating: 0, count: 48 * 48))
    }
}
