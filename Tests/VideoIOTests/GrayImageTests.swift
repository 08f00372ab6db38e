import VideoIO
import XCTest

final class GrayImageTests: XCTestCase {
    /// Pixels are row-major: (x, y) is at y * width + x.
    func testSubscriptIsRowMajor() {
        var image = GrayImage(width: 3, height: 2, pixels: [0, 1, 2, 10, 11, 12])
        XCTAssertEqual(image[2, 0], 2)
        XCTAssertEqual(image[0, 1], 10)
        image[1, 1] = 99
        XCTAssertEqual(image.pixels, [0, 1, 2, 10, 99, 12])
    }
}
