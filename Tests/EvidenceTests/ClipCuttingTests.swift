import Evidence
import Reports
import TestSupport
import XCTest

/// Cuts of Fixtures/video/evidence-keyframes.mp4 (10 s, 25 fps, keyframes every 2 s, AAC tone), checked with ffprobe.
final class ClipCuttingTests: XCTestCase {
    let recording = TestPaths.fixture("video/evidence-keyframes.mp4").path
    var folder: URL!

    override func setUp() { folder = TestPaths.temporaryDirectory("evidence-clips") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private func request(_ start: Double, _ end: Double) -> ClipRequest {
        ClipRequest(moment: Moment(kind: .negative, taskIndex: 0, taskName: "Checkout", rank: 1, time: (start + end) / 2,
                                   end: (start + end) / 2, emotion: .sad, score: -0.42),
                    sessionID: 1, sessionName: "p1.mp4", start: start, end: end, baseName: "clip")
    }

    func testStreamCopyStartsOnTheKeyframeBefore() throws {
        let out = folder.appendingPathComponent("fast.mp4").path
        let result = try ClipMaker.make(request(4.5, 6.5), recording: recording, contentHash: "abc", to: out,
                                        settings: ClipSettings(fast: true))
        XCTAssertEqual(result.start, 4.0, accuracy: 1e-9)              // the keyframe at 4 s
        let format = try MediaProbe.entries(out, stream: nil, "format=duration,nb_streams")
        XCTAssertEqual(format["nb_streams"], "2")
        // Packets are copied up to the last one decoded before 6.5 s (decode time 6.48 s): with B-frames that is
        // the P picture shown at 6.68 s, so the clip runs from 4.00 to 6.72 s: 65 packets (decode times 3.92…6.48).
        XCTAssertEqual(result.frames, 65)
        XCTAssertEqual(Double(format["duration"] ?? "") ?? 0, 2.72, accuracy: 0.005)
        XCTAssertEqual(try MediaProbe.entries(out, stream: "v:0", "stream=codec_name")["codec_name"], "h264")
        XCTAssertEqual(try MediaProbe.entries(out, stream: "a:0", "stream=codec_name")["codec_name"], "aac")
        let times = try MediaProbe.frameTimes(out)
        XCTAssertEqual(times.first ?? -1, 0, accuracy: 0.001)
        XCTAssertEqual(times.count, 65)
        XCTAssertEqual(EvidenceMark.comment(ofFileAt: out), EvidenceMark.comment(kind: "clip", contentHash: "abc"))
        XCTAssertTrue(EvidenceMark.isEvidenceVideo(atPath: out))
        XCTAssertFalse(EvidenceMark.isEvidenceVideo(atPath: recording))
    }

    func testReencodedClipStartsOnTheExactFrame() throws {
        let out = folder.appendingPathComponent("exact.mp4").path
        let result = try ClipMaker.make(request(4.52, 6.52), recording: recording, contentHash: "abc", to: out,
                                        settings: ClipSettings())
        XCTAssertEqual(result.start, 4.52, accuracy: 1e-9)             // frame 113 of 25 fps
        XCTAssertEqual(result.frames, 50)                              // 4.52 … 6.48 s
        let times = try MediaProbe.frameTimes(out)
        XCTAssertEqual(times.count, 50)
        XCTAssertEqual(times.first ?? -1, 0, accuracy: 0.001)
        XCTAssertEqual(times.last ?? -1, 1.96, accuracy: 0.001)
        XCTAssertEqual(try MediaProbe.entries(out, stream: "v:0", "stream=codec_name")["codec_name"], "h264")
        let audio = try MediaProbe.entries(out, stream: "a:0", "stream=codec_name,duration")
        XCTAssertEqual(audio["codec_name"], "aac")
        XCTAssertEqual(Double(audio["duration"] ?? "") ?? 0, 2.0, accuracy: 0.06)   // whole AAC frames of 46 ms
    }

    func testMPEG4WhenAskedFor() throws {
        let out = folder.appendingPathComponent("mpeg4.mp4").path
        let result = try ClipMaker.make(request(0, 1), recording: recording, contentHash: "abc", to: out,
                                        settings: ClipSettings(encoder: .mpeg4))
        XCTAssertEqual(result.frames, 25)
        XCTAssertEqual(try MediaProbe.entries(out, stream: "v:0", "stream=codec_name")["codec_name"], "mpeg4")
        XCTAssertEqual(try MediaProbe.frameTimes(out).count, 25)
    }

    func testCaptionIsBurnedIntoTheBottomBand() throws {
        let out = folder.appendingPathComponent("caption.mp4").path
        _ = try ClipMaker.make(request(2, 3), recording: recording, contentHash: "abc", to: out,
                               settings: ClipSettings(captions: true))
        let plain = folder.appendingPathComponent("plain.mp4").path
        _ = try ClipMaker.make(request(2, 3), recording: recording, contentHash: "abc", to: plain, settings: ClipSettings())
        // 160x90: the caption band is the bottom 9 rows, darkened to 96/256; the rows above are untouched.
        let captioned = try MediaProbe.rgbFrame(out, index: 0), original = try MediaProbe.rgbFrame(plain, index: 0)
        XCTAssertEqual(captioned.count, 160 * 90 * 3)
        func mean(_ pixels: [UInt8], rows: Range<Int>) -> Double {
            let bytes = rows.flatMap { y in pixels[(y * 160 * 3)..<((y + 1) * 160 * 3)] }
            return Double(bytes.reduce(0) { $0 + Int($1) }) / Double(bytes.count)
        }
        XCTAssertLessThan(mean(captioned, rows: 82..<90), mean(original, rows: 82..<90) * 0.75)
        XCTAssertEqual(mean(captioned, rows: 30..<60), mean(original, rows: 30..<60), accuracy: 2)
        XCTAssertEqual(ClipMaker.caption(request(2, 3).moment), "Checkout | negative 1 | sad | VALENCE -0.42 | AT 0:02.500")
    }

    func testRotatedRecordingsKeepTheirRotationAndAreTurnedUprightForCaptions() throws {
        // rotate90.mp4: 5 frames of 64x36 at 10 fps whose display matrix turns them 90° clockwise.
        let rotated = TestPaths.fixture("video/rotate90.mp4").path
        let out = folder.appendingPathComponent("rotated.mp4").path
        _ = try ClipMaker.make(request(0, 0.5), recording: rotated, contentHash: "abc", to: out, settings: ClipSettings())
        let side = String(decoding: try MediaProbe.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                                  "stream_side_data=rotation", "-of", "default=nw=1:nk=1", out]),
                          as: UTF8.self)
        XCTAssertEqual(side.trimmingCharacters(in: .whitespacesAndNewlines), "-90")
        // With a caption the pictures are turned upright (no display matrix) before drawing: above the caption
        // band the first frame matches the ffmpeg CLI's autorotated picture of the recording, for each turn.
        for (name, width, height) in [("rotate90.mp4", 36, 64), ("rotate180.mp4", 64, 36), ("rotate270.mp4", 36, 64)] {
            let recording = TestPaths.fixture("video/\(name)").path
            let captioned = folder.appendingPathComponent("captioned-\(name)").path
            _ = try ClipMaker.make(request(0, 0.5), recording: recording, contentHash: "abc", to: captioned,
                                   settings: ClipSettings(captions: true))
            XCTAssertEqual(try MediaProbe.entries(captioned, stream: "v:0", "stream=width,height"),
                           ["width": "\(width)", "height": "\(height)"], name)
            let side = String(decoding: try MediaProbe.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                                      "stream_side_data=rotation", "-of", "default=nw=1:nk=1",
                                                                      captioned]), as: UTF8.self)
            XCTAssertEqual(side.trimmingCharacters(in: .whitespacesAndNewlines), "", name)
            let ours = try MediaProbe.rgbFrame(captioned, index: 0), reference = try MediaProbe.rgbFrame(recording, index: 0)
            XCTAssertEqual(ours.count, width * height * 3, name)
            XCTAssertEqual(reference.count, width * height * 3, name)
            guard ours.count == reference.count, ours.count == width * height * 3 else { continue }
            let rows = 0..<((height - 10) * width * 3)
            let difference = Double(rows.reduce(0) { $0 + abs(Int(ours[$1]) - Int(reference[$1])) }) / Double(rows.count)
            XCTAssertLessThan(difference, 12, "\(name): mean absolute difference from the autorotated picture")
            // Turned half a turn more, the same comparison is far off: the picture is not symmetric.
            var flipped = [UInt8](repeating: 0, count: reference.count)
            for y in 0..<height {
                for x in 0..<width {
                    let from = ((height - 1 - y) * width + (width - 1 - x)) * 3, to = (y * width + x) * 3
                    for c in 0..<3 { flipped[to + c] = reference[from + c] }
                }
            }
            let wrong = Double(rows.reduce(0) { $0 + abs(Int(ours[$1]) - Int(flipped[$1])) }) / Double(rows.count)
            XCTAssertGreaterThan(wrong, 3 * difference, name)
        }
    }

    func testASpanWithoutFramesIsAClearError() {
        let out = folder.appendingPathComponent("none.mp4").path
        XCTAssertThrowsError(try ClipMaker.make(request(20, 26), recording: recording, contentHash: "abc", to: out,
                                                settings: ClipSettings())) { error in
            XCTAssertTrue("\(error)".contains("no video frame in that span"), "\(error)")
        }
    }
}
