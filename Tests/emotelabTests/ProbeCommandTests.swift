import Foundation
import TestSupport
import XCTest

/// `emotelab probe` end to end: the real binary on real files, as a researcher runs it.
final class ProbeCommandTests: XCTestCase {
    private func json(_ result: CommandResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try XCTUnwrap(object as? [String: Any], result.stdout)
    }

    /// The table names every property the issue asks for.
    func testTableForBundledSample() throws {
        let url = TestPaths.fixture("media/single_face.mp4")
        let result = try CommandRunner.run(["probe", url.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(result.stdout, """
            file                \(url.path)
            container           mov,mp4,m4a,3gp,3g2,mj2 (QuickTime / MOV)
            video stream        0 of 2 streams
            codec               h264 (H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10)
            size                640x360
            rotation            0°
            duration            2.400 s
            average frame rate  30.000 fps
            decoded frames      72

            """)
    }

    /// JSON has every key, always, and the sampled timestamps of the VFR sample (video in stream 1).
    func testJSONWithSampling() throws {
        let result = try CommandRunner.run(["probe", TestPaths.fixture("media/face_noface.mov").path,
                                            "--fps", "4", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try json(result)
        XCTAssertEqual(Set(report.keys), ["file", "container", "containerDescription", "streamIndex", "streamCount",
                                          "codec", "codecDescription", "width", "height", "pixelAspect", "rotation", "duration",
                                          "averageFrameRate", "declaredFrameCount", "decodedFrameCount",
                                          "otherVideoStreams", "sampleRate", "sampledTimestamps", "samplesAnchorFrames",
                                          "anchorReason", "warnings"])
        XCTAssertEqual(report["streamIndex"] as? Int, 1)
        XCTAssertEqual(report["samplesAnchorFrames"] as? Bool, false)        // HEVC: every frame may be sampled
        XCTAssertEqual(report["anchorReason"] as? String, "not H.264")
        XCTAssertEqual(report["codec"] as? String, "hevc")
        XCTAssertEqual(report["width"] as? Int, 960)
        XCTAssertEqual(report["height"] as? Int, 540)
        XCTAssertEqual(report["decodedFrameCount"] as? Int, 169)
        XCTAssertEqual(report["sampleRate"] as? Double, 4)
        let sampled = try XCTUnwrap(report["sampledTimestamps"] as? [Double])
        XCTAssertEqual(sampled.count, 26)
        XCTAssertEqual(sampled[10], 38815.0 / 15360.0, accuracy: 1e-9)   // first frame at or after 2.5 s
        XCTAssertEqual(report["warnings"] as? [String], [])
    }

    /// Without --fps the sampling keys are present and null.
    func testJSONWithoutSamplingHasNullSampling() throws {
        let result = try CommandRunner.run(["probe", TestPaths.media("no_face.mp4").path, "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try json(result)
        XCTAssertTrue(report["sampledTimestamps"] is NSNull)
        XCTAssertTrue(report["sampleRate"] is NSNull)
        XCTAssertTrue(report["samplesAnchorFrames"] is NSNull)
        XCTAssertEqual(report["decodedFrameCount"] as? Int, 95)
    }

    func testRotatedClipReportsRotation() throws {
        let result = try CommandRunner.run(["probe", TestPaths.fixture("video/rotate90.mp4").path, "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try json(result)
        XCTAssertEqual(report["rotation"] as? Int, 90)
        XCTAssertEqual(report["width"] as? Int, 36)
        XCTAssertEqual(report["height"] as? Int, 64)
    }

    /// Rates analyze would refuse are refused here too (0, above 1000).
    func testOutOfRangeRatesAreRejected() throws {
        for rate in ["0", "1e9", "1e-9"] {
            let result = try CommandRunner.run(["probe", TestPaths.media("no_face.mp4").path, "--fps", rate])
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.stderr.contains("--fps must be a number of frames per second from 0.000278 (one an hour) to 1000, got"),
                          result.stderr)
        }
        // The same floor for analyze (issue 22: 1e-9 was accepted).
        let analyze = try CommandRunner.run(["analyze", TestPaths.media("no_face.mp4").path, "--fps", "1e-9"])
        XCTAssertNotEqual(analyze.status, 0)
        XCTAssertTrue(analyze.stderr.contains("--fps must be a number of samples per second from 0.000278 (one an hour) to 1000, got 1e-09"),
                      analyze.stderr)
    }
}

/// Bad input: one `error:` line naming the file and the problem on stderr, nothing on stdout, exit 1.
final class ProbeBadInputTests: XCTestCase {
    private func assertFails(_ path: String, with message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CommandRunner.run(["probe", path])
        XCTAssertEqual(result.status, 1, file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        XCTAssertEqual(result.stderr, "error: \(path): \(message)\n", file: file, line: line)
    }

    func testMissingFile() throws {
        try assertFails("/nonexistent/session-04.mp4", with: "no such file")
    }

    /// Tests run as root in CI, where permission bits do not stop reads; a directory is the unreadable
    /// path every user gets. (VideoIOTests.BadInputTests checks chmod 000 when not root.)
    func testDirectory() throws {
        let dir = TestPaths.temporaryDirectory()
        try assertFails(dir.path, with: "is a directory, not a media file")
    }

    func testPermissionDenied() throws {
        try XCTSkipIf(geteuid() == 0, "running as root: permission bits do not stop reads")
        let url = TestPaths.temporaryDirectory().appendingPathComponent("locked.mp4")
        try Data([0, 0, 0, 8]).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: url.path)
        try assertFails(url.path, with: "cannot be read (Permission denied)")
    }

    func testZeroByteFile() throws {
        let url = TestPaths.temporaryDirectory().appendingPathComponent("empty.mp4")
        try Data().write(to: url)
        try assertFails(url.path, with: "file is empty (0 bytes)")
    }

    func testTextRenamedMP4() throws {
        let url = TestPaths.temporaryDirectory().appendingPathComponent("notes.mp4")
        try Data("Session notes, not a video.\n".utf8).write(to: url)
        try assertFails(url.path, with: "not a video or image file FFmpeg can read (Invalid data found when processing input)")
    }

    func testAudioOnly() throws {
        try assertFails(TestPaths.fixture("video/audio_only.m4a").path, with: "contains no video stream (only audio streams)")
    }

    /// Cut before its index (the index of the shared MP4 files is at the end): nothing decodable.
    func testTruncatedBeforeIndex() throws {
        let whole = try Data(contentsOf: TestPaths.media("single_face.mp4"))
        let url = TestPaths.temporaryDirectory().appendingPathComponent("cut.mp4")
        try whole.prefix(100_000).write(to: url)
        try assertFails(url.path, with: "MP4/MOV file whose index (moov) is missing or damaged; was the file cut "
                        + "short while recording or copying? (Invalid data found when processing input)")
    }

    /// Cut mid-stream with the index first: the report covers the 16 frames before the cut, one warning line
    /// goes to stderr, and the exit status is 2.
    func testTruncatedMidStream() throws {
        let path = TestPaths.fixture("video/truncated.mp4").path
        let result = try CommandRunner.run(["probe", path, "--format", "json"])
        XCTAssertEqual(result.status, 2)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["decodedFrameCount"] as? Int, 16)
        let warning = "\(path): file is truncated or damaged: the container lists 60 video frames but only 17 could "
            + "be read; 1 frame could not be decoded; frames up to 0.500 s were read"
        XCTAssertEqual(report["warnings"] as? [String], [warning])
        XCTAssertEqual(result.stderr, "warning: \(warning)\n")
    }
}
