import Foundation
import TestSupport
@testable import VideoIO
import XCTest

/// A recording joined from parts (`joined.ts`: three 1-s transport-stream cuts of a 30-fps clip, the middle
/// one on a clock 100 s later) is read whole on a continued clock, with a warning. Each cut holds 32 frames
/// (ffprobe): 31 at 0 … 1 s and one at 34/30 s (the stream copy dropped the three B-frames before it), so the
/// parts play at 0 … 1.133 s, 1.167 … 2.3 s and 2.333 … 3.467 s, 3.5 s in all.
final class ClockJumpTests: XCTestCase {
    private let url = TestPaths.fixture("video/joined.ts")

    func testFramesAfterAJumpContinueTheClock() throws {
        let (reader, frames) = try VideoFixtures.readAll(url, options: VideoReadOptions(
            sampleRate: 4, threads: 1, skipsUndeliverableFrames: false))
        XCTAssertEqual(reader.decodedFrameCount, 96)
        let times = frames.map(\.timestamp)
        XCTAssertTrue(zip(times, times.dropFirst()).allSatisfy { $0 < $1 }, "\(times)")
        // No sample is lost at a jump: at most 0.25 s plus the cut's 4-frame hole between two samples.
        XCTAssertTrue(zip(times, times.dropFirst()).allSatisfy { $1 - $0 < 0.25 + 4.0 / 30 + 1e-9 }, "\(times)")
        XCTAssertEqual(times.count, 14)             // grid points 0, 0.25, …, 3.25 s
        XCTAssertEqual(times.last ?? 0, 3.0 + 8.0 / 30, accuracy: 1e-6)   // the first frame at or after 3.25 s
        XCTAssertEqual(reader.playedDuration ?? 0, 3.5, accuracy: 1e-6)
        XCTAssertEqual(reader.warnings, ["\(url.relativePath): the timestamps jump from 1.133 s to 99.933 s and 1 more "
                                         + "time (a recording joined from parts?); the frames after a jump are analysed as "
                                         + "if they followed on"])
        // Skipping undeliverable frames stops at the first jump, so the same frames come out.
        let (_, skipping) = try VideoFixtures.readAll(url, options: VideoReadOptions(sampleRate: 4, threads: 1))
        XCTAssertEqual(skipping.map(\.timestamp), times)
        XCTAssertEqual(skipping.map(\.image.pixels), frames.map(\.image.pixels))
    }

    /// Only a reading from the start can continue the clock: the plan does not split such a file.
    func testPlanReadsAJoinedRecordingWhole() throws {
        let plan = try VideoSegmentPlan.make(url: url, sampleRate: 4, minimumSeconds: 1)
        XCTAssertEqual(plan.segments, [.whole])
        XCTAssertEqual(plan.singleReason, "the timestamps jump (parts joined?)")
    }

    /// An unbroken transport stream has no jump and no played duration of its own.
    func testUnbrokenStreamHasNoJump() throws {
        let (reader, frames) = try VideoFixtures.readAll(TestPaths.fixture("video/keyframes-closed.ts"),
                                                         options: VideoReadOptions(sampleRate: 4, threads: 1))
        XCTAssertEqual(frames.count, 24)
        XCTAssertNil(reader.playedDuration)
        XCTAssertEqual(reader.warnings, [])
    }

    /// Reads `url` by the plan's segments (one reader, in order) with the plan's options.
    private func segmented(_ url: URL, _ plan: VideoSegmentPlan, rate: Double) throws -> (frames: [VideoFrame], warnings: [String]) {
        let reader = try VideoReader(url: url, options: plan.readOptions(VideoReadOptions(sampleRate: rate, threads: 1)))
        var frames: [VideoFrame] = []
        for segment in plan.segments {
            try reader.begin(segment)
            while let frame = try reader.next() { frames.append(frame) }
        }
        return (frames, reader.warnings)
    }

    /// A step back of less than a second (`stepped.ts`: keyframes-closed.mp4's first 3 s, then the rest on a
    /// clock 0.68 s earlier) is no jump: the video may be split, and its parts deliver what one reading does.
    func testSmallStepBackReadsAlikeWholeAndInParts() throws {
        let url = TestPaths.fixture("video/stepped.ts")
        let plan = try VideoSegmentPlan.make(url: url, sampleRate: 4, minimumSeconds: 1)
        XCTAssertGreaterThan(plan.segments.count, 1)
        let (reader, whole) = try VideoFixtures.readAll(url, options: plan.readOptions(VideoReadOptions(sampleRate: 4, threads: 1)))
        let parts = try segmented(url, plan, rate: 4)
        XCTAssertEqual(parts.frames.map(\.timestamp), whole.map(\.timestamp))
        XCTAssertEqual(parts.frames.map(\.image.pixels), whole.map(\.image.pixels))
        XCTAssertEqual(reader.warnings, [])
        XCTAssertEqual(parts.warnings, [])
        XCTAssertNil(reader.playedDuration)
    }

    /// A segment whose reader starts decoding before the segment (a seek by time lands early in a transport
    /// stream) keeps the recording's clock: the frames before its start are not taken for a jump.
    func testFramesBeforeASegmentAreNoJump() throws {
        let url = TestPaths.fixture("video/keyframes-closed.ts")
        let planned = try VideoSegmentPlan.make(url: url, sampleRate: 4, minimumSeconds: 1)
        let byTime = planned.segments.map {
            VideoSegment(start: $0.start, end: $0.end, startSeconds: $0.startSeconds, endSeconds: $0.endSeconds,
                         previousTimestamp: $0.previousTimestamp, origin: $0.origin, startPosition: -1,
                         stopsAtEndPacket: $0.stopsAtEndPacket)
        }
        let plan = VideoSegmentPlan(segments: byTime, singleReason: nil, samplesAnchorFrames: planned.samplesAnchorFrames,
                                    anchorReason: planned.anchorReason)
        XCTAssertGreaterThan(plan.segments.count, 3)
        let (_, whole) = try VideoFixtures.readAll(url, options: plan.readOptions(VideoReadOptions(sampleRate: 4, threads: 1)))
        let parts = try segmented(url, plan, rate: 4)
        XCTAssertEqual(parts.frames.map(\.timestamp), whole.map(\.timestamp))
        XCTAssertEqual(parts.warnings, [])
    }
}
