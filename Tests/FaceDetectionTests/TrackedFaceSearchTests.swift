import XCTest
import FaceDetection

/// Region-of-interest tracking on real frames: it must find every face a full search finds.
final class TrackedFaceSearchTests: XCTestCase {
    private static let detector = Result { try CascadeDetector(contentsOf: Cascade.defaultHaarURL, threadCount: 2) }

    /// Runs the tracked search over a video's PGM frames in order and checks each frame against a full search.
    private func run(_ name: String) throws -> (frames: [FrameFaces], summary: TrackingSummary) {
        let video = try XCTUnwrap(try FaceFixtures.tracks().videos[name])
        let detector = try Self.detector.get()
        let search = TrackedFaceSearch(detector: detector)
        var frames: [FrameFaces] = []
        for source in video.pgm {
            let image = try source.load()
            let t = try XCTUnwrap(source.t)
            let result = search.process(pixels: image.pixels, width: image.width, height: image.height, timestamp: t)
            let full = detector.detect(pixels: image.pixels, width: image.width, height: image.height)
            for face in full {
                XCTAssertTrue(result.faces.contains { $0.face.box.intersectionOverUnion(face.box) >= 0.5 },
                              "\(name) t = \(t): the full search found \(face.box), the tracked search \(result.faces)")
            }
            frames.append(result)
        }
        return (frames, search.finish())
    }

    func testSingleFaceVideo() throws {
        let (frames, summary) = try run("single_face.mp4")
        XCTAssertEqual(frames.count, 10)
        XCTAssertTrue(frames.allSatisfy { $0.faces.map(\.trackID) == [1] })
        // Frames are 0.27 s apart and a full search runs every second: most frames search regions only.
        XCTAssertEqual(frames.filter { !$0.searchedFullFrame }.count, 7)
        XCTAssertEqual(summary.participantID, 1)
        XCTAssertEqual(summary.tracks.count, 1)
    }

    func testFaceNoFaceVideo() throws {
        let (frames, summary) = try run("face_noface.mov")
        XCTAssertEqual(frames.map(\.timestamp), [0, 1, 2, 2.366667, 2.4, 4.360352])
        XCTAssertEqual(frames.map { $0.faces.map(\.trackID) }, [[1], [1], [1], [1], [], []])
        // 2.37 s searches the region only; at 2.40 s the face is lost, so that frame is searched in full.
        XCTAssertEqual(frames.map(\.searchedFullFrame), [true, true, true, false, true, true])
        XCTAssertEqual(summary.participantID, 1)
        XCTAssertEqual(summary.tracks.first?.lastSeen, 2.366667)
    }
}
