import Foundation
import TestSupport
import VideoIO
import XCTest

/// Timestamps are seconds from the start of the recording, whatever clock the container keeps: the
/// transport stream `keyframes-closed.ts` is `keyframes-closed.mp4` remuxed by the ffmpeg CLI, whose
/// timestamps start at 1.466667 s (ffprobe's start_time: MPEG-TS's 1.4 s muxing offset plus two frames
/// of B-frame delay); read, it must give the MP4's times, which start at 0.
final class RecordingClockTests: XCTestCase {
    func testTransportStreamClockStartsAtZero() throws {
        let (_, ts) = try VideoFixtures.readAll(TestPaths.fixture("video/keyframes-closed.ts"))
        let (_, mp4) = try VideoFixtures.readAll(TestPaths.fixture("video/keyframes-closed.mp4"))
        XCTAssertEqual(ts.count, 180)
        XCTAssertEqual(ts.count, mp4.count)
        XCTAssertEqual(ts.first?.timestamp ?? -1, 0, accuracy: 1e-9)
        for (a, b) in zip(ts, mp4) { XCTAssertEqual(a.timestamp, b.timestamp, accuracy: 1e-6) }
        // Frame n at n/30 s: the last of 180 frames at 179/30.
        XCTAssertEqual(ts.last?.timestamp ?? -1, 179.0 / 30, accuracy: 1e-6)
        let info = try VideoReader(url: TestPaths.fixture("video/keyframes-closed.ts")).info
        XCTAssertEqual(info.duration ?? -1, 6, accuracy: 0.05)
    }

    /// Sampling follows the same clock: the grid starts at the first frame (0), not at 1.47 s.
    func testSampledTransportStreamStartsAtZero() throws {
        let options = VideoReadOptions(sampleRate: 4, threads: 1)
        let (_, ts) = try VideoFixtures.readAll(TestPaths.fixture("video/keyframes-closed.ts"), options: options)
        XCTAssertEqual(ts.count, 24)
        XCTAssertEqual(ts.map { ($0.timestamp * 1000).rounded() / 1000 }.prefix(4), [0, 0.267, 0.5, 0.767])
    }
}
