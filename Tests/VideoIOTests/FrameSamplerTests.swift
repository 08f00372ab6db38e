@testable import VideoIO
import XCTest

/// The sampling rule on hand-made timestamp sequences.
final class FrameSamplerTests: XCTestCase {
    private func delivered(_ times: [Double], rate: Double) -> [Double] {
        var sampler = FrameSampler(rate: rate)
        return times.filter { sampler.accept($0) }
    }

    /// A sampler resumed after any frame (`init(rate:origin:resumingAfter:)`, what a reader starting at a
    /// keyframe uses) delivers exactly what the sampler that saw every frame delivers from there on, on a
    /// sequence with a gap longer than a grid step and grid points falling on frames.
    func testResumingAfterAnyFrameMatchesTheWholeRun() {
        let times = [2.0, 2.1, 2.2, 2.25, 2.3, 2.9, 3.0, 3.05, 3.3, 3.5, 3.55, 3.8, 4.6, 4.7]
        let whole = delivered(times, rate: 4)
        XCTAssertEqual(whole, [2.0, 2.25, 2.9, 3.0, 3.3, 3.5, 3.8, 4.6])   // grid 2.0, 2.25, 2.5, …
        for split in 1..<times.count {
            var resumed = FrameSampler(rate: 4, origin: times[0], resumingAfter: times[split - 1])
            let tail = times[split...].filter { resumed.accept($0) }
            XCTAssertEqual(tail, whole.filter { $0 >= times[split] }, "resumed after \(times[split - 1]) s")
        }
    }

    /// The grid starts at the first frame's time, not at zero.
    func testGridStartsAtFirstFrame() {
        let times = (0..<40).map { 10 + Double($0) / 10 }          // 10.0, 10.1, … 13.9 s
        XCTAssertEqual(delivered(times, rate: 1), [10, 11, 12, 13].map { $0 + 0.0 })
    }

    /// A frame that is the first at or after several grid points (a gap) is delivered once, and the grid
    /// continues at the first point after it: grid 0, 0.25, 0.5, 0.75, 1.0, 1.25.
    func testGapDeliversOnceThenContinuesOnTheGrid() {
        XCTAssertEqual(delivered([0, 0.1, 0.9, 1.0, 1.1, 1.3], rate: 4), [0, 0.9, 1.0, 1.3])
    }

    /// Within 1 µs before a grid point counts as on it; further before does not.
    func testToleranceIsOneMicrosecond() {
        XCTAssertEqual(delivered([0, 0.25 - 5e-7], rate: 4), [0, 0.25 - 5e-7])
        XCTAssertEqual(delivered([0, 0.25 - 2e-6, 0.26], rate: 4), [0, 0.26])
    }

    /// Timestamps that go backwards are never delivered.
    func testBackwardsTimestampsAreNotDelivered() {
        XCTAssertEqual(delivered([1.0, 0.5, 1.3, 1.2, 2.0], rate: 4), [1.0, 1.3, 2.0])
    }

    /// `certainlyRejects` is true only below the next target, and never before the first frame.
    func testCertainlyRejects() {
        var sampler = FrameSampler(rate: 4)
        XCTAssertFalse(sampler.certainlyRejects(-5))
        XCTAssertTrue(sampler.accept(0))
        XCTAssertTrue(sampler.certainlyRejects(0.2))
        XCTAssertFalse(sampler.certainlyRejects(0.25))
        XCTAssertFalse(sampler.certainlyRejects(0.25 - 5e-7))
        XCTAssertTrue(sampler.accept(0.3))
        XCTAssertTrue(sampler.certainlyRejects(0.45))
        XCTAssertFalse(sampler.certainlyRejects(0.5))
    }
}
