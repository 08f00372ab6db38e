import Foundation
import TestSupport
import VideoIO
import XCTest

/// Decoding the real sample media: frame counts, sizes, stream choice and timestamps against ffprobe.
final class VideoReaderTests: XCTestCase {
    /// single_face.mp4: 72 frames of 640×360 at t = k/30 s, H.264 in stream 0.
    func testSingleFaceConstantFrameRate() throws {
        let (reader, frames) = try VideoFixtures.readAll(TestPaths.media("single_face.mp4"))
        XCTAssertEqual(frames.count, 72)
        XCTAssertEqual(reader.decodedFrameCount, 72)
        for (k, frame) in frames.enumerated() {
            XCTAssertEqual(frame.timestamp, Double(k) / 30, accuracy: 1e-9, "frame \(k)")
            XCTAssertEqual(frame.image.width, 640)
            XCTAssertEqual(frame.image.height, 360)
            XCTAssertEqual(frame.image.pixels.count, 640 * 360)
            XCTAssertEqual(frame.sourceWidth, 640)
            XCTAssertEqual(frame.sourceHeight, 360)
        }
        let info = reader.info
        XCTAssertEqual(info.container, "mov,mp4,m4a,3gp,3g2,mj2")
        XCTAssertEqual(info.streamIndex, 0)
        XCTAssertEqual(info.streamCount, 2)
        XCTAssertEqual(info.codec, "h264")
        XCTAssertEqual(info.width, 640)
        XCTAssertEqual(info.height, 360)
        XCTAssertEqual(info.rotation, 0)
        XCTAssertEqual(info.duration ?? 0, 2.4, accuracy: 1e-9)
        XCTAssertEqual(info.averageFrameRate ?? 0, 30, accuracy: 1e-9)
        XCTAssertEqual(info.declaredFrameCount, 72)
        XCTAssertEqual(reader.warnings, [])
    }

    /// face_noface.mov: video is stream 1 (audio first), HEVC, variable frame rate; every timestamp equals
    /// ffprobe's best_effort_timestamp.
    func testFaceNoFaceVariableFrameRateMatchesFFprobe() throws {
        let expected = try VideoFixtures.ffprobeTimestamps("face_noface.mov")
        XCTAssertEqual(expected.count, 169)
        let (reader, frames) = try VideoFixtures.readAll(TestPaths.media("face_noface.mov"))
        XCTAssertEqual(frames.count, 169)
        XCTAssertEqual(reader.info.streamIndex, 1)
        XCTAssertEqual(reader.info.codec, "hevc")
        XCTAssertEqual(reader.info.width, 960)
        XCTAssertEqual(reader.info.height, 540)
        XCTAssertEqual(reader.info.averageFrameRate ?? 0, 519168.0 / 19667.0, accuracy: 1e-9)
        XCTAssertEqual(frames.map(\.timestamp), expected)
        // The joint: frame 72 (black) at 2.40 s, then the 24 fps part.
        XCTAssertEqual(frames[72].timestamp, 2.4, accuracy: 1e-9)
        XCTAssertEqual(frames[73].timestamp, 37325.0 / 15360.0, accuracy: 1e-9)
    }

    /// no_face.mp4: the edit list hides 3 of 98 samples, so 95 frames are presented, the first at t = 0.
    func testNoFaceEditListPresents95Frames() throws {
        let (reader, frames) = try VideoFixtures.readAll(TestPaths.media("no_face.mp4"))
        XCTAssertEqual(frames.count, 95)
        XCTAssertEqual(frames.first?.timestamp, 0)
        XCTAssertEqual(frames.map(\.timestamp), try VideoFixtures.ffprobeTimestamps("no_face.mp4"))
        XCTAssertEqual(reader.info.declaredFrameCount, 98)
        XCTAssertEqual(reader.warnings, [])
    }

    /// Scaling to a maximum width keeps the aspect ratio, reports the source size and gives the bytes of
    /// `ffmpeg -vf scale=64:36:flags=bilinear,format=gray` within two gray levels (half a level on
    /// average).
    func testMaxWidthScalesWithSwscale() throws {
        let reader = try VideoReader(url: TestPaths.media("single_face.mp4"), options: VideoReadOptions(maxWidth: 64))
        let frame = try XCTUnwrap(try reader.next())
        XCTAssertEqual(frame.image.width, 64)
        XCTAssertEqual(frame.image.height, 36)
        XCTAssertEqual(frame.sourceWidth, 640)
        XCTAssertEqual(frame.sourceHeight, 360)
        VideoFixtures.assertCloseToCLI(frame.image.pixels, try VideoFixtures.gray("single_face.mp4.width64.gray"))
    }

    /// A maximum width larger than the video leaves it at its own size.
    func testMaxWidthNeverUpscales() throws {
        let reader = try VideoReader(url: TestPaths.media("single_face.mp4"), options: VideoReadOptions(maxWidth: 1000))
        let frame = try XCTUnwrap(try reader.next())
        XCTAssertEqual(frame.image.width, 640)
        XCTAssertEqual(frame.image.height, 360)
    }

    /// A VP9 stream tagged full range arrives as yuv420p; its luma is not stretched, as in the ffmpeg CLI.
    func testFullRangeTaggedVideoMatchesFFmpegGray() throws {
        let (_, frames) = try VideoFixtures.readAll(TestPaths.fixture("video/fullrange.webm"))
        XCTAssertEqual(frames.count, 3)
        XCTAssertEqual(frames[0].image.pixels, try VideoFixtures.gray("fullrange.webm.gray"))
    }

    /// Threads are an option: one decoder thread gives the same frames as automatic threading.
    func testSingleThreadedDecodeGivesTheSameFrames() throws {
        let (_, auto) = try VideoFixtures.readAll(TestPaths.media("no_face.mp4"))
        let (_, single) = try VideoFixtures.readAll(TestPaths.media("no_face.mp4"), options: VideoReadOptions(threads: 1))
        XCTAssertEqual(single.map(\.timestamp), auto.map(\.timestamp))
        XCTAssertEqual(single[50].image, auto[50].image)
    }

    /// Out-of-range options are rejected with a clear error instead of a crash.
    func testInvalidOptionsAreRejected() {
        let url = TestPaths.media("single_face.mp4")
        for options in [VideoReadOptions(sampleRate: 0), VideoReadOptions(sampleRate: .nan),
                        VideoReadOptions(maxWidth: 0), VideoReadOptions(threads: -1)] {
            XCTAssertThrowsError(try VideoReader(url: url, options: options)) { error in
                guard case VideoIOError.invalidOption = error else { return XCTFail("\(error)") }
            }
        }
    }
}
