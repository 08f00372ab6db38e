import Foundation
import TestSupport
import VideoIO
import XCTest

/// `skipsLoopFilter` (H.264/HEVC deblocking off): the same frames at the same times, pixels only slightly
/// different from an exact decode.
final class LoopFilterTests: XCTestCase {
    func testSkippingTheLoopFilterKeepsFramesAndBarelyChangesPixels() throws {
        for name in ["single_face.mp4", "face_noface.mov"] {
            let url = TestPaths.media(name)
            let (_, exact) = try VideoFixtures.readAll(url, options: VideoReadOptions(sampleRate: 4))
            let (_, fast) = try VideoFixtures.readAll(url, options: VideoReadOptions(sampleRate: 4, skipsLoopFilter: true))
            XCTAssertEqual(fast.map(\.timestamp), exact.map(\.timestamp), name)
            var total = 0, count = 0, differing = 0
            for (a, b) in zip(exact, fast) {
                XCTAssertEqual(a.image.width, b.image.width)
                XCTAssertEqual(a.image.height, b.image.height)
                for (p, q) in zip(a.image.pixels, b.image.pixels) {
                    let d = abs(Int(p) - Int(q))
                    total += d
                    count += 1
                    if d > 0 { differing += 1 }
                }
            }
            // Deblocking only smooths block edges: a mean change of a fraction of a gray level, but a change.
            let mean = Double(total) / Double(count)
            XCTAssertGreaterThan(differing, 0, "\(name): skipping the loop filter changed nothing")
            XCTAssertLessThan(mean, 1.5, "\(name): mean absolute difference \(mean)")
        }
    }
}
