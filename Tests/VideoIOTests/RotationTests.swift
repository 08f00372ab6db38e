import Foundation
import TestSupport
import VideoIO
import XCTest

/// Display-matrix rotation: 64×36 clips whose MP4 track matrix rotates them (Fixtures/video/rotate*.mp4)
/// come out upright exactly as the ffmpeg CLI's autorotate shows them.
final class RotationTests: XCTestCase {
    private func check(_ degrees: Int, width: Int, height: Int) throws {
        let name = "rotate\(degrees).mp4"
        let (reader, frames) = try VideoFixtures.readAll(TestPaths.fixture("video/\(name)"))
        XCTAssertEqual(reader.info.rotation, degrees)
        XCTAssertEqual(reader.info.width, width)
        XCTAssertEqual(reader.info.height, height)
        XCTAssertEqual(frames.count, 5)
        let first = try XCTUnwrap(frames.first)
        XCTAssertEqual(first.image.width, width)
        XCTAssertEqual(first.image.height, height)
        XCTAssertEqual(first.sourceWidth, width)
        XCTAssertEqual(first.sourceHeight, height)
        XCTAssertEqual(first.image.pixels, try VideoFixtures.gray("\(name).gray"))
    }

    func testRotate90() throws { try check(90, width: 36, height: 64) }
    func testRotate180() throws { try check(180, width: 64, height: 36) }
    func testRotate270() throws { try check(270, width: 36, height: 64) }

    /// Scaling applies to the upright picture: 36 px wide upright → 18×32.
    func testMaxWidthAppliesAfterRotation() throws {
        let reader = try VideoReader(url: TestPaths.fixture("video/rotate90.mp4"), options: VideoReadOptions(maxWidth: 18))
        let frame = try XCTUnwrap(try reader.next())
        XCTAssertEqual(frame.image.width, 18)
        XCTAssertEqual(frame.image.height, 32)
        XCTAssertEqual(frame.sourceWidth, 36)
        XCTAssertEqual(frame.sourceHeight, 64)
    }
}
