import Foundation
import TestSupport
import VideoIO
import XCTest
@testable import Analysis

/// The decode stage with several decoders delivers exactly what one decoder delivers, in order, and
/// stops cleanly. Fixture: 6 s of H.264 with a keyframe every 0.5 s and open groups of pictures
/// (Fixtures/video/make-video-fixtures.sh), split into parts of at least 1 s.
final class FrameSourceTests: XCTestCase {
    private let options = VideoReadOptions(sampleRate: 7, threads: 1)

    private func frames(decoders: Int, capacity: Int = 8,
                        url: URL = TestPaths.fixture("video/keyframes-open.mp4")) throws
        -> (frames: [VideoFrame], decoded: Int, end: [String]?) {
        let plan = try VideoSegmentPlan.make(url: url, sampleRate: 7, minimumSeconds: 1, allowsAnchorFrames: false)
        XCTAssertEqual(plan.segments.count, 6)
        let source = FrameSource(url: url, reader: try VideoReader(url: url, options: options), options: options,
                                 segments: decoders > 1 ? plan.segments : [.whole], decoders: decoders,
                                 capacity: capacity, cancellation: CancellationToken())
        source.start()
        defer { source.stop() }
        var frames: [VideoFrame] = []
        while true {
            switch source.next() {
            case let .frame(frame): frames.append(frame)
            case let .end(warnings): return (frames, source.decodedFrames, warnings)
            case let .failure(error): throw error
            }
        }
    }

    func testSeveralDecodersDeliverWhatOneDelivers() throws {
        let one = try frames(decoders: 1)
        XCTAssertEqual(one.frames.count, 42)           // 6 s at 7/s
        for decoders in [2, 3, 6] {
            let many = try frames(decoders: decoders, capacity: 1)
            XCTAssertEqual(many.frames.map(\.timestamp), one.frames.map(\.timestamp), "\(decoders) decoders")
            XCTAssertEqual(many.frames.map(\.image.pixels), one.frames.map(\.image.pixels), "\(decoders) decoders")
            XCTAssertEqual(many.end, [])
            XCTAssertGreaterThanOrEqual(many.decoded, one.decoded)
        }
    }

    /// Frames the decoder patched up (`damaged.mp4`: bytes of two frames flipped) are reported once for the
    /// whole file when several decoders share it, as one decoder reports them.
    func testDamagedFramesAreSummedOverDecoders() throws {
        let damaged = TestPaths.fixture("video/damaged.mp4")
        let one = try frames(decoders: 1, url: damaged)
        XCTAssertEqual(one.end?.count, 1)
        XCTAssertTrue(one.end?.first?.contains("frames were damaged (patched up by the decoder)") == true, "\(one.end ?? [])")
        let many = try frames(decoders: 2, url: damaged)
        XCTAssertEqual(many.frames.map(\.timestamp), one.frames.map(\.timestamp))
        XCTAssertEqual(many.end?.count, 1)
        XCTAssertTrue(many.end?.first?.hasPrefix("\(damaged.relativePath): file is damaged: ") == true, "\(many.end ?? [])")
        XCTAssertTrue(many.end?.first?.contains("damaged (patched up by the decoder)") == true, "\(many.end ?? [])")
    }

    /// Stopping while the decoders are ahead of the consumer ends every decode thread.
    func testStopWhileDecodersAreAhead() throws {
        let url = TestPaths.fixture("video/keyframes-open.mp4")
        let plan = try VideoSegmentPlan.make(url: url, sampleRate: 7, minimumSeconds: 1, allowsAnchorFrames: false)
        let source = FrameSource(url: url, reader: try VideoReader(url: url, options: options), options: options,
                                 segments: plan.segments, decoders: 2, capacity: 1, cancellation: CancellationToken())
        source.start()
        guard case .frame = source.next() else { return XCTFail("expected a frame") }
        Thread.sleep(forTimeInterval: 0.05)
        source.stop()                                  // returns only once both threads have ended
        source.stop()
    }
}
