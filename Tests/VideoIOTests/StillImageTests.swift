import Foundation
import TestSupport
import VideoIO
import XCTest

/// Still images decode through FFmpeg to the same gray bytes as `ffmpeg -i X -pix_fmt gray -f rawvideo`
/// (expected bytes made by Fixtures/video/make-still-fixtures.sh).
final class StillImageTests: XCTestCase {
    private func expectedGray(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestPaths.fixture("video/\(name)")))
    }

    func testFER2013JPEGMatchesFFmpegGray() throws {
        let url = TestPaths.ferMini.appendingPathComponent("train/happy/Training_10019449.jpg")
        let image = try StillImage.decodeGray(contentsOf: url)
        XCTAssertEqual(image.width, 48)
        XCTAssertEqual(image.height, 48)
        XCTAssertEqual(image.pixels, try expectedGray("fer_happy_10019449.gray"))
    }

    func testRGBPNGMatchesFFmpegGray() throws {
        let image = try StillImage.decodeGray(contentsOf: TestPaths.fixture("video/testsrc_64x48.png"))
        XCTAssertEqual(image.width, 64)
        XCTAssertEqual(image.height, 48)
        XCTAssertEqual(image.pixels, try expectedGray("testsrc_64x48.png.gray"))
    }

    func testColourJPEGMatchesFFmpegGray() throws {
        let image = try StillImage.decodeGray(contentsOf: TestPaths.fixture("video/testsrc_64x48.jpg"))
        XCTAssertEqual(image.width, 64)
        XCTAssertEqual(image.height, 48)
        XCTAssertEqual(image.pixels, try expectedGray("testsrc_64x48.jpg.gray"))
    }

    func testMissingImageNamesTheFile() {
        let url = URL(fileURLWithPath: "/nonexistent/face.jpg")
        XCTAssertThrowsError(try StillImage.decodeGray(contentsOf: url)) { error in
            XCTAssertEqual("\(error)", "/nonexistent/face.jpg: no such file")
        }
    }
}
