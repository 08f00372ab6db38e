import Evidence
import SessionStore
import TestSupport
import XCTest

/// Annotates Fixtures/video/evidence-gray.mp4 (2 s of flat gray 160x90 at 10 fps with a tone) and reads
/// the pixels back with the ffmpeg CLI.
final class AnnotatedVideoTests: XCTestCase {
    let recording = TestPaths.fixture("video/evidence-gray.mp4").path
    var folder: URL!

    override func setUp() { folder = TestPaths.temporaryDirectory("evidence-annotate") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// Samples at 4/s over the first second: the participant at (40, 40, 40, 40) (happy 0.8), another face at
    /// (110, 40, 30, 30); from 1 s on no face.
    private func track() -> AnnotationTrack {
        var records: [SampleRecord] = []
        for i in 0..<8 {
            let time = Double(i) / 4
            guard time < 1 else { records.append(.noFace(at: time)); continue }
            records.append(SampleRecord(time: time, face: DetectedFace(
                trackID: 1, isParticipant: true, box: FaceBox(x: 40, y: 40, width: 40, height: 40), confidence: nil,
                scores: EmotionScores([0.01, 0.01, 0.01, 0.8, 0.15, 0.01, 0.01]))))
            records.append(SampleRecord(time: time, face: DetectedFace(
                trackID: 2, isParticipant: false, box: FaceBox(x: 110, y: 40, width: 30, height: 30), confidence: nil, scores: nil)))
        }
        return AnnotationTrack(records: records, tasks: [TaskSegment(name: "Greet", start: 0, end: 2)], sampleRate: 4)
    }

    private func annotate(encoder: VideoEncoderChoice) throws -> (String, Transcoder.Result) {
        let out = folder.appendingPathComponent("annotated-\(encoder.rawValue).mp4").path
        let track = track()
        let painter = AnnotationPainter(sourceWidth: 160, sourceHeight: 90)
        var progress: [Double] = []
        let result = try Transcoder(recording: recording, encoder: encoder)
            .run(to: out, comment: EvidenceMark.comment(kind: "annotated video", contentHash: "abc"),
                 draw: { canvas, time in painter.paint(track.annotation(at: time), on: canvas) },
                 progress: { done, _ in progress.append(done) })
        XCTAssertEqual(progress.count, 20)
        XCTAssertEqual(progress.last ?? 0, 1.9, accuracy: 1e-6)
        return (out, result)
    }

    private func pixel(_ frame: [UInt8], _ x: Int, _ y: Int) -> [Int] {
        let i = (y * 160 + x) * 3
        return [Int(frame[i]), Int(frame[i + 1]), Int(frame[i + 2])]
    }

    private func assertNear(_ got: [Int], _ want: [Int], _ tolerance: Int, _ what: String, line: UInt = #line) {
        XCTAssertTrue(zip(got, want).allSatisfy { abs($0 - $1) <= tolerance }, "\(what): got \(got), want \(want)", line: line)
    }

    func testBoxesAreDrawnAtTheStoredPlaceAndTheAudioIsCopied() throws {
        let (out, result) = try annotate(encoder: .x264)
        XCTAssertEqual(result.frames, 20)
        XCTAssertTrue(result.audio)
        XCTAssertEqual(try MediaProbe.entries(out, stream: "v:0", "stream=codec_name,width,height"),
                       ["codec_name": "h264", "width": "160", "height": "90"])
        XCTAssertEqual(try MediaProbe.entries(out, stream: "a:0", "stream=codec_name")["codec_name"], "aac")
        // Frame 5 (0.5 s): box lines are 2 px wide inside the box: the participant's x 40–41 and 78–79.
        let frame = try MediaProbe.rgbFrame(out, index: 5)
        assertNear(pixel(frame, 40, 60), [0, 220, 0], 40, "participant box, left edge")
        assertNear(pixel(frame, 79, 60), [0, 220, 0], 40, "participant box, right edge")
        assertNear(pixel(frame, 60, 79), [0, 220, 0], 40, "participant box, bottom edge")
        assertNear(pixel(frame, 60, 60), [128, 128, 128], 10, "inside the box")
        assertNear(pixel(frame, 36, 60), [128, 128, 128], 10, "left of the box")
        assertNear(pixel(frame, 110, 55), [255, 140, 0], 40, "other face's box")
        // Frame 15 (1.5 s): the samples there have no face, so no box.
        let later = try MediaProbe.rgbFrame(out, index: 15)
        assertNear(pixel(later, 40, 60), [128, 128, 128], 10, "no face at 1.5 s")
        assertNear(pixel(later, 110, 55), [128, 128, 128], 10, "no other face at 1.5 s")
    }

    func testMPEG4EncoderDrawsTheSame() throws {
        let (out, result) = try annotate(encoder: .mpeg4)
        XCTAssertEqual(result.encoder, .mpeg4)
        XCTAssertEqual(try MediaProbe.entries(out, stream: "v:0", "stream=codec_name")["codec_name"], "mpeg4")
        let frame = try MediaProbe.rgbFrame(out, index: 5)
        assertNear(pixel(frame, 40, 60), [0, 220, 0], 40, "participant box, left edge")
        assertNear(pixel(frame, 60, 60), [128, 128, 128], 10, "inside the box")
    }

    func testBoxesAreScaledFromTheStoredFrameSize() {
        let painter = AnnotationPainter(sourceWidth: 320, sourceHeight: 180)
        let r = painter.rectangle(FaceBox(x: 80, y: 80, width: 80, height: 80), canvasWidth: 160, canvasHeight: 90)
        XCTAssertTrue(r == (40, 40, 40, 40), "\(r)")
    }
}
