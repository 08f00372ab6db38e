import Foundation
import TestSupport
import VideoIO
import XCTest

/// Files that are not usable videos give one `VideoIOError` line naming the file and the problem; a file cut
/// mid-stream still gives the frames before the cut, with a warning.
final class BadInputTests: XCTestCase {
    private func error(opening url: URL) -> String? {
        do {
            let reader = try VideoReader(url: url)
            while try reader.next() != nil {}
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testMissingFile() {
        XCTAssertEqual(error(opening: URL(fileURLWithPath: "/nonexistent/session.mp4")),
                       "/nonexistent/session.mp4: no such file")
    }

    func testDirectory() {
        let dir = TestPaths.temporaryDirectory()
        XCTAssertEqual(error(opening: dir), "\(dir.path): is a directory, not a media file")
    }

    /// Issue 22: a named pipe called `.mp4` blocked forever when nothing wrote to it; it is refused at once,
    /// and so is a device.
    func testNamedPipeAndDeviceAreRefused() throws {
        let fifo = TestPaths.temporaryDirectory().appendingPathComponent("live.mp4")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertEqual(error(opening: fifo), "\(fifo.path): is a named pipe, not a regular file (recordings are read from files)")
        XCTAssertEqual(error(opening: URL(fileURLWithPath: "/dev/zero")),
                       "/dev/zero: is a character device, not a regular file (recordings are read from files)")
    }

    /// chmod 000 only stops a non-root user (root reads anything), so this runs when the tests are not root.
    func testPermissionDenied() throws {
        try XCTSkipIf(geteuid() == 0, "running as root: permission bits do not stop reads")
        let url = TestPaths.temporaryDirectory().appendingPathComponent("locked.mp4")
        try Data([0, 0, 0, 8]).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: url.path)
        XCTAssertEqual(error(opening: url), "\(url.path): cannot be read (Permission denied)")
    }

    func testEmptyFile() throws {
        let url = TestPaths.temporaryDirectory().appendingPathComponent("empty.mp4")
        try Data().write(to: url)
        XCTAssertEqual(error(opening: url), "\(url.path): file is empty (0 bytes)")
    }

    func testTextRenamedMP4() throws {
        let url = TestPaths.temporaryDirectory().appendingPathComponent("notes.mp4")
        try Data("Participant 4 notes: liked the checkout page.\n".utf8).write(to: url)
        XCTAssertEqual(error(opening: url), "\(url.path): not a video or image file FFmpeg can read "
                       + "(Invalid data found when processing input)")
    }

    func testAudioOnly() {
        let url = TestPaths.fixture("video/audio_only.m4a")
        XCTAssertEqual(error(opening: url), "\(url.path): contains no video stream (only audio streams)")
    }

    /// An MP4 whose index is written at the end (all the shared samples) loses it when cut: nothing can be
    /// decoded, and the message says why.
    func testTruncatedBeforeIndex() throws {
        let whole = try Data(contentsOf: TestPaths.media("single_face.mp4"))
        let url = TestPaths.temporaryDirectory().appendingPathComponent("cut.mp4")
        try whole.prefix(whole.count / 2).write(to: url)
        XCTAssertEqual(error(opening: url), "\(url.path): MP4/MOV file whose index (moov) is missing or damaged; "
                       + "was the file cut short while recording or copying? (Invalid data found when processing input)")
    }

    /// An MP4 with its index first, cut mid-stream: the frames before the cut (the 16 ffprobe decodes) come
    /// out with their timestamps, and a warning says the file is truncated.
    func testTruncatedMidStreamKeepsFramesBeforeTheCut() throws {
        let url = TestPaths.fixture("video/truncated.mp4")
        let (reader, frames) = try VideoFixtures.readAll(url)
        XCTAssertEqual(frames.map(\.timestamp), try VideoFixtures.ffprobeTimestamps("truncated.mp4"))
        XCTAssertEqual(frames.count, 16)
        XCTAssertEqual(reader.warnings.count, 1)
        XCTAssertEqual(reader.warnings.first, "\(url.path): file is truncated or damaged: the container lists 60 "
                       + "video frames but only 17 could be read; 1 frame could not be decoded; "
                       + "frames up to 0.500 s were read")
    }

    /// A Matroska file cut in half ends cleanly for the demuxer (no read error, no frame count in the
    /// container); the per-track DURATION tag (4 s) says the video should run on, so the cut is reported.
    func testTruncatedMatroskaIsReported() throws {
        let url = TestPaths.fixture("video/truncated.mkv")
        let (reader, frames) = try VideoFixtures.readAll(url)
        XCTAssertEqual(frames.count, 10)
        XCTAssertEqual(reader.info.duration, 4)
        XCTAssertEqual(reader.warnings, ["\(url.path): file is truncated or damaged: the video stops at 1.000 s but "
                                         + "the container gives it 4.000 s; frames up to 0.900 s were read"])
    }

    /// Frames the decoder could only patch up (error concealment: `damaged.mp4` is `keyframes-closed.mp4`
    /// with 6 runs of 20 bytes flipped, of which two land in frame data) are delivered and reported.
    func testFramesPatchedUpByTheDecoderAreReported() throws {
        let url = TestPaths.fixture("video/damaged.mp4")
        let (reader, frames) = try VideoFixtures.readAll(url, options: VideoReadOptions(threads: 1))
        XCTAssertEqual(frames.count, 180)
        XCTAssertEqual(reader.concealedFrameCount, 2)
        XCTAssertEqual(reader.warnings, ["\(url.path): file is truncated or damaged: 2 frames were damaged (patched up by "
                                         + "the decoder); frames up to 5.967 s were read"])
        let (clean, _) = try VideoFixtures.readAll(TestPaths.fixture("video/keyframes-closed.mp4"))
        XCTAssertEqual(clean.concealedFrameCount, 0)
    }

    /// Whole files report nothing, also when their clock starts late (the DURATION tag FFmpeg writes then
    /// holds the end time, not the length): `two-videos.mkv` remuxed with its timestamps moved 2 s on.
    func testWholeMatroskaHasNoWarning() throws {
        let (reader, _) = try VideoFixtures.readAll(TestPaths.fixture("video/keyframes-vfr.mkv"))
        XCTAssertEqual(reader.warnings, [])
        let moved = TestPaths.temporaryDirectory("moved").appendingPathComponent("moved.mkv")
        defer { try? FileManager.default.removeItem(at: moved.deletingLastPathComponent()) }
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        ffmpeg.arguments = ["-loglevel", "error", "-y", "-i", TestPaths.fixture("video/keyframes-closed.mp4").path,
                            "-c", "copy", "-output_ts_offset", "2", moved.path]
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        XCTAssertEqual(ffmpeg.terminationStatus, 0)
        let (movedReader, frames) = try VideoFixtures.readAll(moved)
        XCTAssertEqual(movedReader.warnings, [])
        XCTAssertEqual(frames.first?.timestamp ?? -1, 0, accuracy: 1e-9)
        XCTAssertEqual(movedReader.info.duration ?? 0, 6, accuracy: 0.05)
    }
}
