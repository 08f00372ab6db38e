import Foundation
import SessionStore
import TestSupport
import VideoIO
import XCTest

/// Issue 20, item 5: chapters embedded in a recording become its tasks when no tasks file is given.
extension AnalyzeCommandTests {
    /// single_face.mp4 (2.43 s) with two chapters written by FFmpeg from an FFMETADATA file.
    private func recordingWithChapters() throws -> String {
        let metadata = try write(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=Intro & <Start>\n"
                                 + "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1000\nEND=2000\ntitle=Search\n", to: "chapters.txt")
        let output = directory.appendingPathComponent("chaptered.mp4").path
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        ffmpeg.arguments = ["-loglevel", "error", "-y", "-i", TestPaths.media("single_face.mp4").path, "-f", "ffmetadata",
                            "-i", metadata, "-map", "0", "-map_metadata", "1", "-map_chapters", "1", "-c", "copy", output]
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        XCTAssertEqual(ffmpeg.terminationStatus, 0)
        return output
    }

    func testChaptersBecomeTasksWithoutATasksFile() throws {
        let path = try recordingWithChapters()
        XCTAssertEqual(try MediaChapters.read(url: URL(fileURLWithPath: path)),
                       [MediaChapter(title: "Intro & <Start>", start: 0, end: 1), MediaChapter(title: "Search", start: 1, end: 2)])
        XCTAssertEqual(try MediaChapters.read(url: TestPaths.media("single_face.mp4")), [])
        let result = try analyze([path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("note: \(path): tasks from the recording's chapters"), result.stderr)
        let listed = try run(["tasks", "list", "--session", "1", "--format", "csv", "--db", dbPath])
        XCTAssertEqual(listed.stdout, "task,start,end\r\nIntro & <Start>,0,1\r\nSearch,1,2\r\n")
        // A tasks file given wins over the chapters.
        let tasks = try write("Only,0,2\n", to: "tasks.csv")
        XCTAssertEqual(try analyze([path, "--tasks", tasks]).status, 0)
        XCTAssertEqual(try run(["tasks", "list", "--session", "1", "--format", "csv", "--db", dbPath]).stdout,
                       "task,start,end\r\nOnly,0,2\r\n")
    }
}
