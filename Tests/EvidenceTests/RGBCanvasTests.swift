import Evidence
import XCTest

final class RGBCanvasTests: XCTestCase {
    /// A 12×10 canvas of gray (100) pixels handed to `body`; returns the pixels afterwards.
    private func draw(_ body: (RGBCanvas) -> Void) -> [UInt8] {
        var pixels = [UInt8](repeating: 100, count: 12 * 10 * 3)
        pixels.withUnsafeMutableBufferPointer { body(RGBCanvas(width: 12, height: 10, stride: 36, pixels: $0.baseAddress!)) }
        return pixels
    }

    private func at(_ pixels: [UInt8], _ x: Int, _ y: Int) -> [UInt8] { Array(pixels[(y * 12 + x) * 3..<(y * 12 + x) * 3 + 3]) }

    func testStrokeRectPaintsTheOutlineInsideTheRectangle() {
        let pixels = draw { $0.strokeRect(x: 2, y: 1, width: 6, height: 5, thickness: 2, color: RGB(0, 220, 0)) }
        // Rectangle covers x 2...7, y 1...5; lines 2 wide: x 2,3 and 6,7; y 1,2 and 4,5.
        for (x, y) in [(2, 1), (7, 1), (3, 3), (6, 3), (2, 5), (7, 5), (4, 2), (5, 4)] {
            XCTAssertEqual(at(pixels, x, y), [0, 220, 0], "(\(x), \(y))")
        }
        for (x, y) in [(1, 1), (8, 3), (4, 3), (5, 3), (2, 0), (2, 6)] {
            XCTAssertEqual(at(pixels, x, y), [100, 100, 100], "(\(x), \(y))")
        }
    }

    func testShapesOutsideThePictureAreClipped() {
        let pixels = draw { $0.fill(x: -5, y: 8, width: 100, height: 100, color: .white) }
        XCTAssertEqual(at(pixels, 0, 8), [255, 255, 255])
        XCTAssertEqual(at(pixels, 11, 9), [255, 255, 255])
        XCTAssertEqual(at(pixels, 11, 7), [100, 100, 100])
    }

    func testTextInkFollowsTheGlyph() {
        // "1" at scale 1 from (3, 1): row 0 is ..#.. so ink at x 5; row 6 is .###. so x 4...6.
        let pixels = draw { $0.draw(text: "1", x: 3, y: 1, scale: 1, color: .white) }
        XCTAssertEqual(at(pixels, 5, 1), [255, 255, 255])
        XCTAssertEqual(at(pixels, 4, 1), [100, 100, 100])
        XCTAssertEqual(at(pixels, 4, 7), [255, 255, 255])
        XCTAssertEqual(at(pixels, 6, 7), [255, 255, 255])
        XCTAssertEqual(at(pixels, 7, 7), [100, 100, 100])
    }

    func testDarkenKeepsTheGivenShare() {
        let pixels = draw { $0.darken(x: 0, y: 0, width: 1, height: 1, keep: 128) }
        XCTAssertEqual(at(pixels, 0, 0), [50, 50, 50])
        XCTAssertEqual(at(pixels, 1, 0), [100, 100, 100])
    }
}
