import XCTest
@testable import Analysis
import TestSupport

final class VideoInputsTests: XCTestCase {
    /// A folder becomes its video files by extension, sorted, hidden files skipped; files given by name
    /// are kept whatever their extension; repeats are kept once.
    func testFoldersExpandToTheirVideos() throws {
        let folder = TestPaths.temporaryDirectory("inputs")
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["b.MOV", "a.mp4", ".hidden.mp4", "notes.txt", "c.mkv"] {
            _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data([0]))
        }
        let path = folder.path
        let entries = VideoInputs.expand([path, "\(path)/a.mp4", "\(path)/notes.txt"])
        XCTAssertEqual(entries, [.file("\(path)/a.mp4"), .file("\(path)/b.MOV"), .file("\(path)/c.mkv"),
                                 .file("\(path)/notes.txt")])
    }

    /// A folder without videos is a problem naming it; a missing path is kept (opening reports it).
    func testEmptyFolderIsAProblem() throws {
        let folder = TestPaths.temporaryDirectory("empty")
        defer { try? FileManager.default.removeItem(at: folder) }
        let entries = VideoInputs.expand([folder.path, "/no/such/file.mp4"])
        XCTAssertEqual(entries.count, 2)
        guard case let .problem(input, message) = entries[0] else { return XCTFail("expected a problem") }
        XCTAssertEqual(input, folder.path)
        XCTAssertTrue(message.hasPrefix("\(folder.path): folder holds no video files"), message)
        XCTAssertEqual(entries[1], .file("/no/such/file.mp4"))
    }

    /// Subfolders are walked too (one folder per participant), sorted at each level, hidden folders
    /// skipped, and a folder linked back into the tree is walked once.
    func testSubfoldersAreWalked() throws {
        let folder = TestPaths.temporaryDirectory("nested")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manager = FileManager.default
        for sub in ["P02", "P01/day 2", ".cache", "empty"] {
            try manager.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for name in ["P02/session.mp4", "P01/session.mp4", "P01/day 2/b.webm", "P01/notes.txt",
                     ".cache/x.mp4", "top.mkv"] {
            _ = manager.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data([0]))
        }
        try manager.createSymbolicLink(atPath: folder.appendingPathComponent("P01/loop").path,
                                       withDestinationPath: folder.path)
        let path = folder.path
        XCTAssertEqual(VideoInputs.expand([path]), [
            .file("\(path)/P01/day 2/b.webm"), .file("\(path)/P01/session.mp4"), .file("\(path)/P02/session.mp4"),
            .file("\(path)/top.mkv"),
        ])
    }
}
