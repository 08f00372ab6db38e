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

    /// A participant is tracked alone; three more people then come into view (the photo of four people,
    /// with three faces first painted over). Between full searches only the tracked face's region is
    /// searched, so the newcomers are found by the next periodic discovery search; the participant keeps
    /// its id and its box still comes from the region search, and no face is reported twice.
    func testDiscoverySearchAddsNewFacesAndKeepsTheTrackedOne() throws {
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
        let search = TrackedFaceSearch(detector: detector, configuration: TrackedSearchConfiguration(fullSearchInterval: 1))
        func process(_ image: PGMImage, _ t: Double) -> FrameFaces {
            search.process(pixels: image.pixels, width: image.width, height: image.height, timestamp: t)
        }
        let first = process(alone, 0)
        XCTAssertTrue(first.searchedFullFrame)
        XCTAssertEqual(first.faces.map(\.trackID), [1])
        // 0.5 s: everyone is in view, but only the participant's region is searched.
        let between = process(photo, 0.5)
        XCTAssertFalse(between.searchedFullFrame)
        XCTAssertEqual(between.faces.map(\.trackID), [1])
        // 1.0 s: the discovery search finds the other three; the participant is found once, with the box
        // a region search alone gives.
        let regionOnly = TrackedFaceSearch(detector: detector, configuration: TrackedSearchConfiguration(fullSearchInterval: 1))
        _ = regionOnly.process(pixels: alone.pixels, width: alone.width, height: alone.height, timestamp: 0)
        _ = regionOnly.process(pixels: photo.pixels, width: photo.width, height: photo.height, timestamp: 0.5)
        let expectedBox = regionOnly.process(pixels: photo.pixels, width: photo.width, height: photo.height, timestamp: 0.9)
            .faces.first?.face.box
        let due = process(photo, 1.0)
        XCTAssertTrue(due.searchedFullFrame)
        XCTAssertEqual(due.faces.count, 4, "\(due.faces)")
        XCTAssertEqual(Set(due.faces.map(\.trackID)), [1, 2, 3, 4])
        XCTAssertEqual(due.faces.first { $0.trackID == 1 }?.face.box, expectedBox)
        for face in everyone {
            XCTAssertTrue(due.faces.contains { $0.face.box.intersectionOverUnion(face.box) >= 0.5 }, "\(face.box) not found")
        }
    }

    /// Discovery searches step at `discoveryScaleFactor`, never finer than the configured search.
    func testDiscoveryParameters() throws {
        let fine = try DetectionParameters(scaleFactor: 1.1, minNeighbors: 4, minSize: PixelSize(width: 30, height: 30))
        let configuration = TrackedSearchConfiguration(parameters: fine, discoveryScaleFactor: 1.25)
        XCTAssertEqual(configuration.discoveryParameters,
                       try DetectionParameters(scaleFactor: 1.25, minNeighbors: 4, minSize: PixelSize(width: 30, height: 30)))
        let coarse = try DetectionParameters(scaleFactor: 1.3)
        XCTAssertEqual(TrackedSearchConfiguration(parameters: coarse, discoveryScaleFactor: 1.2).discoveryParameters, coarse)
        XCTAssertEqual(TrackedSearchConfiguration(parameters: fine, discoveryScaleFactor: .nan).discoveryParameters, fine)
    }
}
