import Foundation
import TestSupport
import VideoIO
import XCTest

/// A container with two video streams (`two-videos.mkv`: stream 0 is 64×36, stream 1 is 96×54, stream 2
/// is audio): the reader names the stream it did not read and reads either one on request.
final class VideoStreamChoiceTests: XCTestCase {
    private let url = TestPaths.fixture("video/two-videos.mkv")

    func testTheOtherVideoStreamIsListed() throws {
        let info = try VideoReader(url: url).info
        XCTAssertEqual(info.streamCount, 3)
        let other = try XCTUnwrap(info.otherVideoStreams.first)
        XCTAssertEqual(info.otherVideoStreams.count, 1)
        XCTAssertNotEqual(other.index, info.streamIndex)
        XCTAssertEqual(Set([other.index, info.streamIndex]), [0, 1])
        XCTAssertEqual(other.codec, "h264")
    }

    func testEachVideoStreamCanBeRead() throws {
        for (index, size) in [(0, [64, 36]), (1, [96, 54])] {
            let (reader, frames) = try VideoFixtures.readAll(url, options: VideoReadOptions(videoStream: index))
            XCTAssertEqual(reader.info.streamIndex, index)
            XCTAssertEqual([reader.info.width, reader.info.height], size)
            XCTAssertEqual(frames.count, 10, "stream \(index)")
            XCTAssertEqual(frames.first.map { [$0.image.width, $0.image.height] }, size)
            XCTAssertEqual(reader.info.otherVideoStreams.map(\.index), [1 - index])
        }
    }

    func testAStreamThatIsNotVideoIsRefused() {
        XCTAssertThrowsError(try VideoReader(url: url, options: VideoReadOptions(videoStream: 2))) { error in
            XCTAssertEqual("\(error)", "\(url.relativePath): stream 2 is not a video stream (its video streams: 0, 1)")
        }
        XCTAssertThrowsError(try VideoReader(url: url, options: VideoReadOptions(videoStream: 7))) { error in
            XCTAssertEqual("\(error)", "\(url.relativePath): has no stream 7 (3 streams; its video streams: 0, 1)")
        }
        XCTAssertThrowsError(try VideoReader(url: url, options: VideoReadOptions(videoStream: -1)))
    }

    /// Single-stream files list nothing else.
    func testOneVideoStreamListsNoOthers() throws {
        XCTAssertEqual(try VideoReader(url: TestPaths.fixture("video/keyframes-closed.mp4")).info.otherVideoStreams, [])
    }
}
