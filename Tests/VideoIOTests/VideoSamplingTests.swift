import Foundation
import TestSupport
import VideoIO
import XCTest

/// Sampling at 4 frames per second. The rule (FrameSampler): deliver the first frame at or after each grid
/// point t0 + k/4 (t0 = first frame's time), each frame at most once. Expected values were worked out from
/// ffprobe's timestamp lists (Fixtures/video/*.best_effort_timestamps) by applying that rule.
final class VideoSamplingTests: XCTestCase {
    private func sampledTimestamps(_ url: URL, skipping: Bool) throws -> (timestamps: [Double], decoded: Int) {
        let (reader, frames) = try VideoFixtures.readAll(url, options: VideoReadOptions(
            sampleRate: 4, skipsUndeliverableFrames: skipping))
        return (frames.map(\.timestamp), reader.decodedFrameCount)
    }

    /// 30 fps: grid points 0.25, 0.75, … fall between frames, so the next frame (k/30 just after) is taken:
    /// frames 0, 8, 15, 23, 30, 38, 45, 53, 60, 68 (0, 0.267, 0.5, 0.767, 1.0, 1.267, 1.5, 1.767, 2.0, 2.267 s).
    func testSingleFaceAt4PerSecond() throws {
        let expected = [0, 8, 15, 23, 30, 38, 45, 53, 60, 68].map { Double($0) / 30 }
        for skipping in [true, false] {
            let result = try sampledTimestamps(TestPaths.media("single_face.mp4"), skipping: skipping)
            XCTAssertEqual(result.timestamps.count, expected.count)
            for (got, want) in zip(result.timestamps, expected) { XCTAssertEqual(got, want, accuracy: 1e-9) }
        }
    }

    /// Skipping non-reference frames that cannot be delivered (H.264 with B-frames) decodes fewer frames
    /// and delivers the same ones.
    func testSkippingDecodesFewerFramesWithSameResult() throws {
        let url = TestPaths.media("single_face.mp4")
        let skipping = try sampledTimestamps(url, skipping: true)
        let full = try sampledTimestamps(url, skipping: false)
        XCTAssertEqual(full.decoded, 72)
        XCTAssertLessThan(skipping.decoded, 72)
        XCTAssertEqual(skipping.timestamps, full.timestamps)
    }

    /// Variable frame rate: 30 fps to 2.37 s, a black frame at 2.40 s, then 24 fps from 2.43 s. Grid point
    /// 2.5 s is first reached by frame 76 (38815/15360 = 2.527 s); from there every 6th frame of the 24 fps
    /// part: frames 0, 8, 15, 23, 30, 38, 45, 53, 60, 68, 76, 82, …, 166 (26 frames, last 6.277 s).
    func testFaceNoFaceAt4PerSecond() throws {
        let all = try VideoFixtures.ffprobeTimestamps("face_noface.mov")
        let indices = [0, 8, 15, 23, 30, 38, 45, 53, 60, 68] + Array(stride(from: 76, through: 166, by: 6))
        XCTAssertEqual(indices.count, 26)
        let expectedTicks: [Int64] = [0, 4096, 7680, 11776, 15360, 19456, 23040, 27136, 30720, 34816, 38815, 42655,
                                      46495, 50335, 54175, 58015, 61855, 65695, 69535, 73375, 77215, 81055, 84895,
                                      88735, 92575, 96415]
        XCTAssertEqual(indices.map { all[$0] }, expectedTicks.map { Double($0) / 15360 })
        let result = try sampledTimestamps(TestPaths.media("face_noface.mov"), skipping: true)
        XCTAssertEqual(result.timestamps, indices.map { all[$0] })
    }

    /// 24 fps after the edit list: every grid point k/4 is exactly frame 6k: 0, 0.25, …, 3.75 s (16 frames).
    func testNoFaceAt4PerSecond() throws {
        let expected = (0..<16).map { Double($0 * 3072) / 12288 }
        for skipping in [true, false] {
            let result = try sampledTimestamps(TestPaths.media("no_face.mp4"), skipping: skipping)
            XCTAssertEqual(result.timestamps, expected)
        }
    }

    /// Sampling faster than the video delivers every frame once.
    func testRateAboveFrameRateDeliversEveryFrame() throws {
        let (_, frames) = try VideoFixtures.readAll(TestPaths.media("single_face.mp4"),
                                                    options: VideoReadOptions(sampleRate: 100))
        XCTAssertEqual(frames.count, 72)
    }
}
