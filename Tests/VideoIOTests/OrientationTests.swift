@testable import VideoIO
import XCTest

/// Display matrices (16.16 fixed point, as MP4 tkhd stores them) to upright transforms.
final class OrientationTests: XCTestCase {
    private let one: Int32 = 1 << 16
    private let w: Int32 = 1 << 30

    func testNoMatrixIsIdentity() {
        XCTAssertEqual(Orientation(displayMatrix: nil), .identity)
        XCTAssertEqual(Orientation(displayMatrix: [one, 0, 0, 0, one, 0, 0, 0, w]), .identity)
    }

    /// The matrix an upright phone recording carries: turn the picture 90° clockwise.
    func testClockwise90() {
        let o = Orientation(displayMatrix: [0, one, 0, -one, 0, 0, 360 * one, 0, w])
        XCTAssertEqual(o.rotation, 90)
        XCTAssertTrue(o.transpose && o.flipHorizontally && !o.flipVertically)
    }

    func testRotate180() {
        let o = Orientation(displayMatrix: [-one, 0, 0, 0, -one, 0, 0, 0, w])
        XCTAssertEqual(o.rotation, 180)
        XCTAssertTrue(!o.transpose && o.flipHorizontally && o.flipVertically)
    }

    func testClockwise270() {
        let o = Orientation(displayMatrix: [0, -one, 0, one, 0, 0, 0, 0, w])
        XCTAssertEqual(o.rotation, 270)
        XCTAssertTrue(o.transpose && !o.flipHorizontally && o.flipVertically)
    }

    /// A matrix of the wrong length is ignored rather than trusted.
    func testMalformedMatrixIsIgnored() {
        XCTAssertEqual(Orientation(displayMatrix: [0, one, 0]), .identity)
    }

    /// Pixels move as a clockwise quarter turn moves them: rows become columns from the right.
    func testApplyClockwise90() {
        let image = GrayImage(width: 3, height: 2, pixels: [1, 2, 3,
                                                            4, 5, 6])
        let o = Orientation(displayMatrix: [0, one, 0, -one, 0, 0, 0, 0, w])
        XCTAssertEqual(o.apply(to: image), GrayImage(width: 2, height: 3, pixels: [4, 1,
                                                                                    5, 2,
                                                                                    6, 3]))
    }

    func testApplyClockwise270() {
        let image = GrayImage(width: 3, height: 2, pixels: [1, 2, 3,
                                                            4, 5, 6])
        let o = Orientation(displayMatrix: [0, -one, 0, one, 0, 0, 0, 0, w])
        XCTAssertEqual(o.apply(to: image), GrayImage(width: 2, height: 3, pixels: [3, 6,
                                                                                    2, 5,
                                                                                    1, 4]))
    }
}
