import XCTest
@testable import FaceDetection

/// Converting a face size between detectors that box faces differently.
final class FaceFramingTests: XCTestCase {
    /// Haar's crop is its box × 1.04, BlazeFace's its box × 1.16: a face Haar boxes at 36 pixels has a
    /// 37.44-pixel crop, which BlazeFace draws from a 37.44 / 1.16 = 32.2759-pixel box; and back.
    func testBoxSideBetweenDetectors() {
        XCTAssertEqual(FaceFraming.haar.cropScale, 1.04, accuracy: 1e-12)
        XCTAssertEqual(FaceFraming.blazeFace.cropScale, 1.16, accuracy: 1e-12)
        XCTAssertEqual(FaceFraming.blazeFace.boxSide(36, convertedFrom: .haar), 32.275862, accuracy: 1e-6)
        XCTAssertEqual(FaceFraming.haar.boxSide(32.275862, convertedFrom: .blazeFace), 36, accuracy: 1e-5)
        XCTAssertEqual(FaceFraming.haar.boxSide(50, convertedFrom: .haar), 50)
    }
}
