import Foundation
import TestSupport
@testable import VideoIO
import XCTest

/// Issue 22, item 2: `leading-cut.ts` (make-damaged-fixtures.sh) is the second half of the bytes of a 9.6-s
/// transport stream, so it starts inside a group of pictures. Its packets run from 0 s; the decoder gives
/// nothing until the next keyframe at 3.633 s, then 38 frames (3.633 … 4.867 s at 30 fps). That lost start
/// is a warning like any other damage (before, the file read as if it began at 3.633 s).
final class LeadingLossTests: XCTestCase {
    private let url = TestPaths.fixture("video/leading-cut.ts")

    func testUndecodableStartIsAWarning() throws {
        let (reader, frames) = try VideoFixtures.readAll(url, options: VideoReadOptions(
            sampleRate: 4, threads: 1, skipsUndeliverableFrames: false))
        XCTAssertEqual(reader.decodedFrameCount, 38)
        // Grid 3.633 + k/4; each sample is the first frame at or after its grid point.
        XCTAssertEqual(frames.map { ($0.timestamp * 1000).rounded() / 1000 }, [3.633, 3.9, 4.133, 4.4, 4.633])
        let lost = try XCTUnwrap(reader.undecodableStart)
        XCTAssertEqual(lost.from, 0, accuracy: 1e-6)
        XCTAssertEqual(lost.to, 3 + 19.0 / 30, accuracy: 1e-6)
        XCTAssertEqual(reader.warnings, ["\(url.relativePath): file is truncated or damaged: nothing could be decoded "
                                         + "from 0.000 s to 3.633 s (the file starts inside a group of pictures?); "
                                         + "frames up to 4.867 s were read"])
    }

    /// Files that decode from their first packet get no such warning, B-frames and transport streams included.
    func testCleanStartsAreNotFlagged() throws {
        for name in ["keyframes-closed.ts", "keyframes-open.mp4", "h264-veryfast.mp4", "keyframes-vfr.mkv"] {
            let (reader, _) = try VideoFixtures.readAll(TestPaths.fixture("video/\(name)"),
                                                        options: VideoReadOptions(sampleRate: 4, threads: 1))
            XCTAssertNil(reader.undecodableStart, name)
            XCTAssertEqual(reader.warnings, [], name)
        }
    }
}
