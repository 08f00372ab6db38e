import Foundation
import TestSupport
import VideoIO
import XCTest

/// Reading a video as keyframe segments (`VideoSegmentPlan` + `VideoReader.begin`) delivers exactly the
/// frames, timestamps and pixels of one whole reading. Fixtures (Fixtures/video/make-video-fixtures.sh):
/// 6 s of 96×54 H.264 with B-frames and a keyframe every 0.5 s, with closed groups of pictures, open ones
/// (leading B-frames shown before their keyframe) and variable frame intervals (33/67 ms, Matroska).
final class VideoSegmentTests: XCTestCase {
    private let fixtures = ["keyframes-closed.mp4", "keyframes-open.mp4", "keyframes-vfr.mkv"]

    private func whole(_ url: URL, rate: Double) throws -> [VideoFrame] {
        try VideoFixtures.readAll(url, options: VideoReadOptions(sampleRate: rate, threads: 1)).1
    }

    /// Reads every segment with one reader (reused across segments, as a decode thread does).
    private func segmented(_ url: URL, rate: Double, plan: VideoSegmentPlan, order: [Int]? = nil) throws -> [VideoFrame] {
        var parts = Array(repeating: [VideoFrame](), count: plan.segments.count)
        let reader = try VideoReader(url: url, options: VideoReadOptions(sampleRate: rate, threads: 1))
        for index in order ?? Array(plan.segments.indices) {
            try reader.begin(plan.segments[index])
            while let frame = try reader.next() { parts[index].append(frame) }
        }
        XCTAssertEqual(reader.warnings, [], url.lastPathComponent)
        return parts.flatMap { $0 }
    }

    private func assertSame(_ got: [VideoFrame], _ want: [VideoFrame], _ label: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.map(\.timestamp), want.map(\.timestamp), label, file: file, line: line)
        XCTAssertEqual(got.map(\.image.pixels), want.map(\.image.pixels), label, file: file, line: line)
    }

    /// Every fixture splits at its keyframes, parts at least 1 s long and the last at least 0.5 s: 0.5-s
    /// groups give boundaries at 1, 2, 3, 4, 5 s (the video ends at 5.97 s); the variable-rate file has
    /// keyframes at 0, 0.5, 1.033, 1.6, 2.167, 2.767, 3.4, 4.067, 4.733, 5.4 s (ffprobe), so 1.033, 2.167,
    /// 3.4, 4.733 (5.4 is less than 1 s after 4.733).
    func testPlanSplitsAtKeyframes() throws {
        let expected = ["keyframes-closed.mp4": [1, 2, 3, 4, 5], "keyframes-open.mp4": [1, 2, 3, 4, 5],
                        "keyframes-vfr.mkv": [1.033, 2.167, 3.4, 4.733]]
        for name in fixtures {
            let plan = try VideoSegmentPlan.make(url: TestPaths.fixture("video/\(name)"), sampleRate: 4, minimumSeconds: 1)
            XCTAssertNil(plan.singleReason, name)
            XCTAssertEqual(plan.segments.compactMap(\.startSeconds), expected[name], name)
            XCTAssertEqual(plan.segments.first?.start, nil, name)
            XCTAssertEqual(plan.segments.last?.end, nil, name)
            XCTAssertEqual(plan.segments.compactMap(\.origin).first, 0, name)
        }
    }

    /// Closed groups of pictures let a part stop at the next keyframe's packet; open ones do not (their
    /// leading B-frames belong to the part before).
    func testOpenGroupsOfPicturesAreDecodedIntoTheNextKeyframe() throws {
        let closed = try VideoSegmentPlan.make(url: TestPaths.fixture("video/keyframes-closed.mp4"), sampleRate: 4, minimumSeconds: 1)
        let open = try VideoSegmentPlan.make(url: TestPaths.fixture("video/keyframes-open.mp4"), sampleRate: 4, minimumSeconds: 1)
        XCTAssertTrue(closed.segments.dropLast().allSatisfy(\.stopsAtEndPacket))
        XCTAssertTrue(open.segments.dropLast().allSatisfy { !$0.stopsAtEndPacket })
        // The frame shown before the 1-s keyframe is a leading B-frame at 29/30 s, decoded after it (ffprobe:
        // packets 1.0 K, 0.933, 0.967, 1.133, …).
        XCTAssertEqual(open.segments[1].previousTimestamp ?? 0, 29.0 / 30, accuracy: 1e-9)
    }

    /// The same frames as one reading, at rates whose grid points fall between frames, on frames, beyond
    /// the frame rate (every frame), and with segments read out of order.
    func testSegmentedReadingDeliversTheSameFrames() throws {
        for name in fixtures {
            let url = TestPaths.fixture("video/\(name)")
            for rate in [4.0, 7.0, 30.0, 1000.0] {
                let plan = try VideoSegmentPlan.make(url: url, sampleRate: rate, minimumSeconds: 1, allowsAnchorFrames: false)
                let want = try whole(url, rate: rate)
                XCTAssertGreaterThan(want.count, 20, "\(name) at \(rate)/s")
                assertSame(try segmented(url, rate: rate, plan: plan), want, "\(name) at \(rate)/s")
                let reversed = Array(plan.segments.indices.dropFirst().reversed())
                assertSame(try segmented(url, rate: rate, plan: plan, order: [0] + reversed), want,
                           "\(name) at \(rate)/s, out of order")
            }
        }
    }

    /// An MPEG transport stream (no index) is split too, and each part starts decoding at its keyframe (by
    /// byte position): the same frames as one reading, and no more frames decoded.
    func testTransportStreamSeeksToTheKeyframe() throws {
        let url = TestPaths.fixture("video/keyframes-closed.ts")
        let plan = try VideoSegmentPlan.make(url: url, sampleRate: 4, minimumSeconds: 1, allowsAnchorFrames: false)
        XCTAssertEqual(plan.segments.count, 6)
        let (wholeReader, want) = try VideoFixtures.readAll(url, options: VideoReadOptions(sampleRate: 4, threads: 1))
        let reader = try VideoReader(url: url, options: VideoReadOptions(sampleRate: 4, threads: 1))
        var got: [VideoFrame] = []
        for segment in plan.segments {
            try reader.begin(segment)
            while let frame = try reader.next() { got.append(frame) }
        }
        assertSame(got, want, "transport stream")
        XCTAssertEqual(reader.decodedFrameCount, wholeReader.decodedFrameCount)
    }

    /// Two readers decoding alternate segments at the same time deliver the same frames.
    func testParallelReadersDeliverTheSameFrames() throws {
        let url = TestPaths.fixture("video/keyframes-open.mp4")
        let plan = try VideoSegmentPlan.make(url: url, sampleRate: 4, minimumSeconds: 1, allowsAnchorFrames: false)
        final class Parts: @unchecked Sendable {
            var frames: [[VideoFrame]]
            var errors: [String] = []
            let lock = NSLock()
            init(_ count: Int) { frames = Array(repeating: [], count: count) }
        }
        let parts = Parts(plan.segments.count)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            do {
                let reader = try VideoReader(url: url, options: VideoReadOptions(sampleRate: 4, threads: 1))
                for index in stride(from: worker, to: plan.segments.count, by: 2) {
                    try reader.begin(plan.segments[index])
                    var frames: [VideoFrame] = []
                    while let frame = try reader.next() { frames.append(frame) }
                    parts.lock.lock(); parts.frames[index] = frames; parts.lock.unlock()
                }
            } catch {
                parts.lock.lock(); parts.errors.append("\(error)"); parts.lock.unlock()
            }
        }
        XCTAssertEqual(parts.errors, [])
        assertSame(parts.frames.flatMap { $0 }, try whole(url, rate: 4), "two readers")
    }

    /// Videos that cannot be split safely stay whole, with the reason.
    func testUnsplittableVideosStayWhole() throws {
        let cases: [(URL, String)] = [
            (TestPaths.media("no_face.mp4"), "an edit list drops frames"),
            (TestPaths.media("single_face.mp4"), "no keyframe splits the video into parts of 8.0 s or more"),
            (TestPaths.fixture("video/truncated.mp4"), "the container lists more frames than could be read"),
        ]
        for (url, reason) in cases {
            let plan = try VideoSegmentPlan.make(url: url, sampleRate: 4, allowsAnchorFrames: false)
            XCTAssertEqual(plan.segments, [.whole], url.lastPathComponent)
            XCTAssertEqual(plan.singleReason, reason, url.lastPathComponent)
        }
    }

    /// A segment from the video's start needs a reader that has not read anything yet.
    func testSegmentFromTheStartNeedsAFreshReader() throws {
        let url = TestPaths.fixture("video/keyframes-closed.mp4")
        let plan = try VideoSegmentPlan.make(url: url, sampleRate: 4, minimumSeconds: 1, allowsAnchorFrames: false)
        let reader = try VideoReader(url: url, options: VideoReadOptions(sampleRate: 4, threads: 1))
        _ = try reader.next()
        XCTAssertThrowsError(try reader.begin(plan.segments[0])) { error in
            XCTAssertEqual(error as? VideoIOError,
                           .invalidOption("a segment from the video's start needs a reader that has not read yet"))
        }
    }
}
