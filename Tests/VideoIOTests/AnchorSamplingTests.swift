import Foundation
import TestSupport
import VideoIO
import XCTest

/// Sampling anchor frames alone (`VideoReadOptions.anchorFramesOnly`, decided by `VideoSegmentPlan`) on
/// `keyframes-veryfast.mp4`: 6 s of 96×54 testsrc2 at 30 fps, x264 -preset veryfast (3 B-frames, B-pyramid,
/// ref=1), a keyframe every 15 frames, so its P pictures reference only I/P pictures.
final class AnchorSamplingTests: XCTestCase {
    private let url = TestPaths.fixture("video/keyframes-veryfast.mp4")

    private func read(_ options: VideoReadOptions) throws -> (VideoReader, [VideoFrame]) {
        try VideoFixtures.readAll(url, options: options)
    }

    /// At 4 and 7 samples/s every grid point has an I/P frame before the next one; at 30/s it does not.
    func testPlanDecidesByCoverage() throws {
        for rate in [4.0, 7.0] {
            let plan = try VideoSegmentPlan.make(url: url, sampleRate: rate, minimumSeconds: 1)
            XCTAssertTrue(plan.samplesAnchorFrames, "\(rate)/s: \(plan.anchorReason ?? "")")
            XCTAssertNil(plan.anchorReason)
            XCTAssertTrue(plan.readOptions(VideoReadOptions(sampleRate: rate)).anchorFramesOnly)
        }
        let fast = try VideoSegmentPlan.make(url: url, sampleRate: 30, minimumSeconds: 1)
        XCTAssertFalse(fast.samplesAnchorFrames)
        XCTAssertEqual(fast.anchorReason, "no anchor frame for the sample at 0.033 s")   // frame 1 is a B-frame
        let hevc = try VideoSegmentPlan.make(url: TestPaths.media("face_noface.mov"), sampleRate: 4)
        XCTAssertEqual(hevc.anchorReason, "not H.264")
    }

    /// The same number of samples, each the first I/P frame at or after its grid point (so at or after the
    /// first frame of any kind, in the same grid interval), fewer frames decoded, and every delivered
    /// picture identical to that frame in a full decode.
    func testAnchorFramesAreExactAndFillTheSameGridPoints() throws {
        let base = VideoReadOptions(sampleRate: 4, threads: 1)
        let plan = try VideoSegmentPlan.make(url: url, sampleRate: 4, minimumSeconds: 1)
        let (normalReader, normal) = try read(base)
        let (anchorReader, anchors) = try read(plan.readOptions(base))
        XCTAssertEqual(anchors.count, normal.count)
        XCTAssertEqual(normal.count, 24)
        for (a, n) in zip(anchors, normal) {
            XCTAssertGreaterThanOrEqual(a.timestamp, n.timestamp)
            XCTAssertEqual((a.timestamp * 4 + 1e-6).rounded(.down), (n.timestamp * 4 + 1e-6).rounded(.down), "\(a.timestamp)")
        }
        XCTAssertNotEqual(anchors.map(\.timestamp), normal.map(\.timestamp))     // some grid points move a frame on
        XCTAssertLessThan(anchorReader.decodedFrameCount, normalReader.decodedFrameCount)
        XCTAssertEqual(anchorReader.decodedFrameCount, 71)        // ffprobe: 12 I and 59 P pictures (109 B)
        let (_, every) = try read(VideoReadOptions(threads: 1))
        let pictures = Dictionary(uniqueKeysWithValues: every.map { ($0.timestamp, $0.image.pixels) })
        for frame in anchors { XCTAssertEqual(frame.image.pixels, pictures[frame.timestamp], "\(frame.timestamp)") }
    }

    /// Keyframe segments read in anchor mode deliver exactly what one anchor-mode reading delivers.
    func testSegmentedAnchorReadingMatchesOneReading() throws {
        for rate in [4.0, 7.0] {
            let plan = try VideoSegmentPlan.make(url: url, sampleRate: rate, minimumSeconds: 1)
            XCTAssertGreaterThan(plan.segments.count, 3)
            let options = plan.readOptions(VideoReadOptions(sampleRate: rate, threads: 1))
            let (_, want) = try read(options)
            let reader = try VideoReader(url: url, options: options)
            var got: [VideoFrame] = []
            for segment in plan.segments {
                try reader.begin(segment)
                while let frame = try reader.next() { got.append(frame) }
            }
            XCTAssertEqual(got.map(\.timestamp), want.map(\.timestamp), "\(rate)/s")
            XCTAssertEqual(got.map(\.image.pixels), want.map(\.image.pixels), "\(rate)/s")
        }
    }
}
