import Foundation
import TestSupport
import VideoIO
import XCTest

/// Non-square pixels are shown stretched, as players and the ffmpeg CLI show them: `anamorphic.mp4` stores
/// 48×36 pixels with a 4:3 sample aspect ratio, so it is 64×36 (16:9) on screen; faces in it must not
/// reach the detector and the classifier squeezed by a quarter.
final class PixelAspectTests: XCTestCase {
    private let url = TestPaths.fixture("video/anamorphic.mp4")

    func testInfoReportsTheShownSize() throws {
        let info = try VideoReader(url: url).info
        XCTAssertEqual(info.width, 64)
        XCTAssertEqual(info.height, 36)
        XCTAssertEqual(info.pixelAspect ?? 0, 4.0 / 3, accuracy: 1e-12)
    }

    /// The first frame is the ffmpeg CLI's `scale=64:36:flags=bilinear,format=gray` within two gray levels
    /// (half a level on average).
    func testFramesAreStretchedToSquarePixels() throws {
        let (_, frames) = try VideoFixtures.readAll(url)
        XCTAssertEqual(frames.count, 3)
        let first = try XCTUnwrap(frames.first)
        XCTAssertEqual([first.image.width, first.image.height, first.sourceWidth, first.sourceHeight], [64, 36, 64, 36])
        VideoFixtures.assertCloseToCLI(first.image.pixels, try VideoFixtures.gray("anamorphic.mp4.gray"))
    }

    /// Square-pixel video reports no aspect.
    func testSquarePixelsHaveNoAspect() throws {
        XCTAssertNil(try VideoReader(url: TestPaths.fixture("video/keyframes-closed.mp4")).info.pixelAspect)
    }
}
