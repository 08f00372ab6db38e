import XCTest
import FaceDetection

/// Detection plus tracking on real frames: every frame gets exactly the faces a whole-frame search finds.
final class TrackedFaceSearchTests: XCTestCase {
    private static let detector = Result { try CascadeDetector(contentsOf: Cascade.defaultHaarURL, threadCount: 2) }

    /// Runs the tracked search over a video's PGM frames in order and checks each frame against a whole-frame
    /// search with the same parameters: the same faces, none lost.
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
            XCTAssertEqual(result.faces.map(\.face), full, "\(name) t = \(t)")
            frames.append(result)
        }
        return (frames, search.finish())
    }

    func testSingleFaceVideo() throws {
        let (frames, summary) = try run("single_face.mp4")
        XCTAssertEqual(frames.count, 10)
        XCTAssertTrue(frames.allSatisfy { $0.faces.map(\.trackID) == [1] })
        XCTAssertEqual(summary.participantID, 1)
        XCTAssertEqual(summary.tracks.count, 1)
    }

    func testFaceNoFaceVideo() throws {
        let (frames, summary) = try run("face_noface.mov")
        XCTAssertEqual(frames.map(\.timestamp), [0, 1, 2, 2.366667, 2.4, 4.360352])
        XCTAssertEqual(frames.map { $0.faces.map(\.trackID) }, [[1], [1], [1], [1], [], []])
        XCTAssertEqual(summary.participantID, 1)
        XCTAssertEqual(summary.tracks.first?.lastSeen, 2.366667)
    }

    /// A participant is tracked alone; three more people then come into view (the photo of four people,
    /// with three faces first painted over). The newcomers are found in the very frame they appear in,
    /// with the boxes a whole-frame search gives, and the participant keeps its id.
    func testFacesComingIntoViewAreFoundAtOnce() throws {
        let detector = try Self.detector.get()
        let photo = try PGMImage(contentsOf: FaceFixtures.url("images/multi_face.pgm"))
        let everyone = detector.detect(pixels: photo.pixels, width: photo.width, height: photo.height)
        XCTAssertEqual(everyone.count, 4)
        let participant = try XCTUnwrap(everyone.first { $0.box.x == 303 })
        var alone = photo
        for face in everyone where face != participant {
            let b = face.box, grow = b.width / 4
            for y in max(0, b.y - grow)..<min(photo.height, b.y + b.height + grow) {
                for x in max(0, b.x - grow)..<min(photo.width, b.x + b.width + grow) { alone.pixels[y * photo.width + x] = 128 }
            }
        }
        let search = TrackedFaceSearch(detector: detector)
        func process(_ image: PGMImage, _ t: Double) -> FrameFaces {
            search.process(pixels: image.pixels, width: image.width, height: image.height, timestamp: t)
        }
        let first = process(alone, 0)
        XCTAssertEqual(first.faces.map(\.trackID), [1])
        XCTAssertEqual(first.faces.map(\.face), detector.detect(pixels: alone.pixels, width: alone.width, height: alone.height))
        XCTAssertEqual(first.faces.first?.face.box.x, participant.box.x)
        for t in [0.25, 0.5] {
            let together = process(photo, t)
            XCTAssertEqual(Set(together.faces.map(\.face)), Set(everyone), "t = \(t)")
            XCTAssertEqual(Set(together.faces.map(\.trackID)), [1, 2, 3, 4])
            XCTAssertEqual(together.faces.first { $0.face == participant }?.trackID, 1)
        }
        let summary = search.finish()
        XCTAssertEqual(summary.participantID, 1)
        XCTAssertEqual(summary.seats, [1, 2, 3, 4])
    }
}
